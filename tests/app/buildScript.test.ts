/**
 * build-app.sh's choices, with a stand-in `mvn` on PATH that records its arguments and leaves the
 * jars a test names in target/: which jar it picks, its errors, and what it passes to Maven. The
 * real Maven builds are in appBuild.test.ts.
 */
import * as assert from "assert";
import { SpawnSyncReturns, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BUILD_SCRIPT } from "../../components/app/localBuild";

describe("build-app.sh", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-build-script-"));
    const bin = path.join(work, "bin");
    const runnable = path.join(work, "runnable.jar");
    after(() => fs.rmSync(work, { recursive: true, force: true }));

    before(() => {
        fs.mkdirSync(bin);
        // The stand-in for Maven: records its arguments one per line, then "builds" the jars in STUB_JARS.
        fs.writeFileSync(
            path.join(bin, "mvn"),
            [
                "#!/usr/bin/env bash",
                'printf "%s\\n" "$@" >"$STUB_ARGS"',
                "mkdir -p target/classes",
                'for name in $STUB_JARS; do cp "$STUB_JAR" "target/$name"; done',
                'exit "${STUB_EXIT:-0}"',
                "",
            ].join("\n"),
            { mode: 0o755 },
        );
        const classes = path.join(work, "classes");
        fs.mkdirSync(classes);
        fs.writeFileSync(path.join(classes, "placeholder.txt"), "x");
        const packed = spawnSync("jar", ["--create", "--file", runnable, "--main-class", "com.example.Main", "-C", classes, "."], {
            encoding: "utf8",
        });
        assert.strictEqual(packed.status, 0, packed.stderr);
    });

    let project: string;
    beforeEach(() => {
        project = fs.mkdtempSync(path.join(work, "project-"));
        fs.writeFileSync(path.join(project, "pom.xml"), "<project/>\n");
    });

    /** Runs the script on `project` as a Maven build whose `mvn` leaves `jars` in target/. */
    function build(jars: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> & { out: string; mavenArgs: string[] } {
        const out = path.join(project, "out", "api-server.jar");
        const argsFile = path.join(project, "mvn-args");
        const result = spawnSync("bash", [BUILD_SCRIPT], {
            encoding: "utf8",
            env: {
                PATH: `${bin}:${process.env.PATH ?? ""}`,
                APP_SOURCE: "maven",
                APP_PATH: project,
                OUT: out,
                STUB_ARGS: argsFile,
                STUB_JAR: runnable,
                STUB_JARS: jars.join(" "),
                ...env,
            },
        });
        const mavenArgs = fs.existsSync(argsFile) ? fs.readFileSync(argsFile, "utf8").split("\n").slice(0, -1) : [];
        return { ...result, out, mavenArgs };
    }

    it("runs mvn -B --no-transfer-progress -Dstyle.color=never -DskipTests package, with the words of API_CLUSTER_MAVEN_ARGS first", () => {
        const result = build(["api-1.0.jar"], { API_CLUSTER_MAVEN_ARGS: "-o -s /etc/maven/settings-debian.xml" });
        assert.strictEqual(result.status, 0, result.stderr);
        assert.deepStrictEqual(result.mavenArgs, [
            "-o",
            "-s",
            "/etc/maven/settings-debian.xml",
            "-B",
            "--no-transfer-progress",
            "-Dstyle.color=never",
            "-DskipTests",
            "package",
        ]);
        assert.strictEqual(build(["api-1.0.jar"]).mavenArgs.join(" "), "-B --no-transfer-progress -Dstyle.color=never -DskipTests package");
    });

    it("passes JAVA_VERSION to Maven as the property api-cluster.javaVersion, which a project may compile for", () => {
        const result = build(["api-1.0.jar"], { JAVA_VERSION: "21" });
        assert.strictEqual(result.status, 0, result.stderr);
        assert.deepStrictEqual(result.mavenArgs, [
            "-Dapi-cluster.javaVersion=21",
            "-B",
            "--no-transfer-progress",
            "-Dstyle.color=never",
            "-DskipTests",
            "package",
        ]);
    });

    it("puts Maven's repository where MAVEN_REPO_LOCAL says, as the image build does", () => {
        const result = build(["api-1.0.jar"], { MAVEN_REPO_LOCAL: "/var/tmp/api-cluster-build/m2" });
        assert.strictEqual(result.status, 0, result.stderr);
        assert.deepStrictEqual(result.mavenArgs, [
            "-Dmaven.repo.local=/var/tmp/api-cluster-build/m2",
            "-B",
            "--no-transfer-progress",
            "-Dstyle.color=never",
            "-DskipTests",
            "package",
        ]);
    });

    it("picks the one runnable jar, passing over sources, javadoc, tests and shade's original- jars", () => {
        const result = build(["api-1.0-sources.jar", "api-1.0-javadoc.jar", "api-1.0-tests.jar", "original-api-1.0.jar", "api-1.0.jar"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.deepStrictEqual(fs.readFileSync(result.out), fs.readFileSync(runnable));
        assert.match(result.stderr, /^build-app: api-1\.0\.jar -> .*out\/api-server\.jar$/m);
    });

    it("fails clearly when no runnable jar is left", () => {
        const result = build(["api-1.0-sources.jar", "original-api-1.0.jar"]);
        assert.strictEqual(result.status, 1);
        assert.strictEqual(
            result.stderr.trim().split("\n").pop(),
            `build-app: mvn package left no runnable jar in ${project}/target (none but *-sources, *-javadoc, *-tests or original-* jars); is the packaging jar?`,
        );
        assert.ok(!fs.existsSync(result.out));
    });

    it("fails clearly when several jars could be the one", () => {
        const result = build(["api-1.0.jar", "api-1.0-all.jar"]);
        assert.strictEqual(result.status, 1);
        assert.strictEqual(
            result.stderr.trim().split("\n").pop(),
            `build-app: mvn package left 2 candidate jars in ${project}/target (api-1.0-all.jar api-1.0.jar); make the build produce one`,
        );
        assert.ok(!fs.existsSync(result.out));
    });

    it("fails when Maven fails, and says where", () => {
        const result = build(["api-1.0.jar"], { STUB_EXIT: "1" });
        assert.strictEqual(result.status, 1);
        assert.strictEqual(result.stderr.trim().split("\n").pop(), `build-app: mvn package failed in ${project}`);
        assert.ok(!fs.existsSync(result.out));
    });

    it("refuses a folder without a pom.xml and an unknown source", () => {
        fs.rmSync(path.join(project, "pom.xml"));
        const noPom = build(["api-1.0.jar"]);
        assert.strictEqual(noPom.status, 1);
        assert.strictEqual(noPom.stderr.trim(), `build-app: ${project} holds no pom.xml`);
        const unknown = build([], { APP_SOURCE: "gradle" });
        assert.strictEqual(unknown.status, 1);
        assert.strictEqual(unknown.stderr.trim(), "build-app: APP_SOURCE must be maven or jar, got 'gradle'");
    });
});
