import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AppSource } from "../../components/config/schema";
import { JAR_ENTRY, collectArtifact, copyArtifact } from "../../components/image/artifact";

/** Writes `files` (relative path to content) into `directory`. */
function write(directory: string, files: Record<string, string>): void {
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
        fs.writeFileSync(path.join(directory, name), content);
    }
}

describe("API artifact", () => {
    const folders: string[] = [];
    /** A fresh temporary folder holding `files`. */
    const folder = (files: Record<string, string>) => {
        const directory = fs.mkdtempSync(path.join(os.tmpdir(), "api-app-"));
        folders.push(directory);
        write(directory, files);
        return directory;
    };
    after(() => folders.forEach((directory) => fs.rmSync(directory, { recursive: true, force: true })));

    const project = {
        "pom.xml": "<project/>\n",
        "src/main/java/com/example/Main.java": "package com.example; public final class Main {}\n",
        "src/main/resources/application.properties": "server.port=${PORT:8082}\n",
    };
    const maven = (directory: string) => collectArtifact(AppSource.Maven, directory);

    describe("of a Maven project", () => {
        it("holds pom.xml, src/**, .mvn/ and the wrapper, at their relative paths, and nothing else", () => {
            const directory = folder({
                ...project,
                ".mvn/wrapper/maven-wrapper.properties": "distributionUrl=https://example.com/maven.zip\n",
                ".mvn/jvm.config": "-Xmx1g\n",
                mvnw: "#!/bin/sh\n",
                "mvnw.cmd": "@echo off\n",
                "target/api-1.0.jar": "binary",
                "target/classes/com/example/Main.class": "binary",
                ".env": "ADMIN_PASSWORD=local-secret\n",
                "README.md": "# API\n",
                "notes.txt": "scratch",
                ".idea/workspace.xml": "<x/>",
            });
            const artifact = maven(directory);
            assert.deepStrictEqual(
                artifact.files.map((file) => file.name),
                [
                    ".mvn/jvm.config",
                    ".mvn/wrapper/maven-wrapper.properties",
                    "mvnw",
                    "mvnw.cmd",
                    "pom.xml",
                    "src/main/java/com/example/Main.java",
                    "src/main/resources/application.properties",
                ],
            );
            for (const file of artifact.files) {
                assert.strictEqual(file.path, path.join(directory, ...file.name.split("/")), file.name);
            }
            assert.match(artifact.key, /^api-server\/[0-9a-f]{20}\.zip$/);
            assert.strictEqual(artifact.key, `api-server/${artifact.sha256.slice(0, 20)}.zip`);
        });

        it("changes its hash exactly when a source file changes, is added, removed or moved", () => {
            const directory = folder(project);
            const base = maven(directory).sha256;
            assert.strictEqual(maven(folder(project)).sha256, base, "another copy of the same files");

            const javaFile = path.join(directory, "src/main/java/com/example/Main.java");
            fs.writeFileSync(javaFile, `${project["src/main/java/com/example/Main.java"]}// edited\n`);
            assert.notStrictEqual(maven(directory).sha256, base, "an edited source");
            fs.writeFileSync(javaFile, project["src/main/java/com/example/Main.java"]);
            assert.strictEqual(maven(directory).sha256, base, "the edit undone");

            assert.notStrictEqual(maven(folder({ ...project, "pom.xml": "<project></project>\n" })).sha256, base, "an edited pom.xml");
            assert.notStrictEqual(
                maven(folder({ ...project, "src/main/java/com/example/Extra.java": "class Extra {}\n" })).sha256,
                base,
                "an added source",
            );
            assert.notStrictEqual(maven(folder({ ...project, ".mvn/maven.config": "-B\n" })).sha256, base, "an added .mvn file");
            const { "src/main/resources/application.properties": removed, ...withoutResource } = project;
            assert.notStrictEqual(maven(folder(withoutResource)).sha256, base, "a removed source");
            assert.notStrictEqual(
                maven(folder({ ...withoutResource, "src/main/resources/app.properties": removed })).sha256,
                base,
                "the same content at another path",
            );
        });

        it("keeps its hash when only target/ or files outside the sources change", () => {
            const directory = folder(project);
            const base = maven(directory).sha256;
            write(directory, {
                "target/api-1.0.jar": "first build",
                "target/classes/com/example/Main.class": "binary",
                ".env": "ADMIN_PASSWORD=local-secret\n",
                "notes.txt": "scratch",
            });
            assert.strictEqual(maven(directory).sha256, base);
            write(directory, { "target/api-1.0.jar": "second build" });
            assert.strictEqual(maven(directory).sha256, base);
            fs.rmSync(path.join(directory, "target"), { recursive: true });
            assert.strictEqual(maven(directory).sha256, base);
        });

        it("refuses a folder without a pom.xml", () => {
            assert.throws(() => maven(folder({ "src/main/java/Main.java": "class Main {}\n" })), /holds no pom\.xml/);
        });

        it("takes the reference project in app/: its pom and its one Java source", () => {
            const artifact = maven(path.join(__dirname, "..", "..", "app"));
            assert.deepStrictEqual(
                artifact.files.map((file) => file.name),
                ["pom.xml", "src/main/java/com/example/apicluster/ApiServer.java"],
            );
        });

        it("copies into the same tree it zips", () => {
            const source = folder({ ...project, "target/x.jar": "binary" });
            const copy = folder({});
            copyArtifact(maven(source), copy);
            assert.strictEqual(maven(copy).sha256, maven(source).sha256);
            assert.ok(!fs.existsSync(path.join(copy, "target")));
        });
    });

    describe("of a jar", () => {
        it("holds the jar alone, under one name whatever its name here, hashed by content", () => {
            const directory = folder({ "api-1.0.jar": "PK jar bytes", "other-name.jar": "PK jar bytes", "changed.jar": "PK other bytes" });
            const artifact = collectArtifact(AppSource.Jar, path.join(directory, "api-1.0.jar"));
            assert.deepStrictEqual(artifact.files, [{ name: JAR_ENTRY, path: path.join(directory, "api-1.0.jar") }]);
            assert.strictEqual(collectArtifact(AppSource.Jar, path.join(directory, "other-name.jar")).sha256, artifact.sha256);
            assert.notStrictEqual(collectArtifact(AppSource.Jar, path.join(directory, "changed.jar")).sha256, artifact.sha256);
        });
    });
});
