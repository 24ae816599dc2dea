/**
 * `npm run app:build` with real Maven: the reference project, a second Maven project (the fixture
 * tests/fixtures/greeter-api) and a ready jar are built as the bake builds them, then each jar is
 * started as the image starts it and must answer /health and refuse /api/instance without
 * credentials.
 *
 * Maven runs offline from Debian's packaged plugins: `.ci/run` exports
 * API_CLUSTER_MAVEN_ARGS="-o -s /etc/maven/settings-debian.xml", and tests/support/offlineMaven.ts
 * sets that same value for every test when it is unset; set it to "" to build online instead.
 */
import * as assert from "assert";
import { SpawnSyncReturns, spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { APP_BUILD_NODE_ARGS } from "../../appBuild/cli";
import { listStacks } from "../../cli/stackFiles";
import { AppSettings, AppSource } from "../../components/config/schema";
import { PREVIEW_NODE_ARGS } from "../../preview/command";
import { ServedJar, TEST_PASSWORD, TEST_USERNAME, serveJar, stopAllJars } from "./liveJar";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const FIXTURE = path.join("tests", "fixtures", "greeter-api");
const FIXTURE_MAIN_CLASS = "org.acme.greeter.Greeter";

/** Runs `npm run app:build -- <args>` as npm does, from the repository's root. */
function appBuild(args: string[]): SpawnSyncReturns<string> {
    return spawnSync(process.execPath, [...APP_BUILD_NODE_ARGS, ...args], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        timeout: 300_000,
    });
}

/** The app's settings as `--config`. */
function appConfig(app: Partial<AppSettings>): string[] {
    return ["--config", `api-cluster:app=${JSON.stringify(app)}`];
}

/** The SHA-256 of a file. */
function sha256(file: string): string {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** A successful build's one line of stdout: the jar's absolute path. */
function builtJar(result: SpawnSyncReturns<string>): string {
    assert.strictEqual(result.status, 0, `app:build failed:\n${result.stderr}`);
    const lines = result.stdout.split("\n").filter((line) => line !== "");
    assert.strictEqual(lines.length, 1, `stdout holds only the jar's path:\n${result.stdout}`);
    assert.ok(path.isAbsolute(lines[0]), lines[0]);
    assert.ok(fs.statSync(lines[0]).size > 0, lines[0]);
    return lines[0];
}

/** A failed run's stderr: exactly one line, starting with `error: `. */
function oneLineError(result: SpawnSyncReturns<string>, status: number): string {
    assert.strictEqual(result.status, status, `expected exit ${status}, got ${result.status}:\n${result.stderr}`);
    const lines = result.stderr.split("\n").filter((line) => line.startsWith("error: "));
    assert.strictEqual(lines.length, 1, result.stderr);
    return lines[0];
}

/** The APP_PATH of the build script that `pid` runs (its child bash), read from the script's environment. */
function buildScriptAppPath(pid: number): string {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/);
    for (const child of children) {
        const entry = fs
            .readFileSync(`/proc/${child}/environ`, "utf8")
            .split("\0")
            .find((variable) => variable.startsWith("APP_PATH="));
        if (entry !== undefined) {
            return entry.slice("APP_PATH=".length);
        }
    }
    throw new Error(`no child of ${pid} runs the build script`);
}

/** Writes a Maven project into `directory`: `dependencies` (XML) and one Java source. */
function mavenProject(directory: string, dependencies: string, source: string): string {
    fs.mkdirSync(path.join(directory, "src", "main", "java", "org", "acme"), { recursive: true });
    fs.writeFileSync(
        path.join(directory, "pom.xml"),
        [
            '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>',
            "<groupId>org.acme</groupId><artifactId>needs-deps</artifactId><version>1</version>",
            "<properties><maven.compiler.release>17</maven.compiler.release></properties>",
            `<dependencies>${dependencies}</dependencies></project>`,
            "",
        ].join("\n"),
    );
    fs.writeFileSync(path.join(directory, "src", "main", "java", "org", "acme", "Main.java"), source);
    return directory;
}

/** Asserts what the image's test step asserts: /health 200, /api/instance 401 without and 200 with the credentials. */
async function assertServesTheApi(served: ServedJar, healthBody: RegExp): Promise<void> {
    const health = await served.get("/health");
    assert.strictEqual(health.status, 200);
    assert.match(health.body, healthBody);
    assert.strictEqual((await served.get("/api/instance")).status, 401);
    assert.strictEqual((await served.get("/api/instance", `${TEST_USERNAME}:wrong-password`)).status, 401);
    assert.strictEqual((await served.get("/api/instance", `${TEST_USERNAME}:${TEST_PASSWORD}`)).status, 200);
}

/** Builds a jar from the fixture's source with the JDK's javac and jar, with `mainClass` in its manifest or none. */
function jarOfFixture(directory: string, mainClass?: string): string {
    const classes = path.join(directory, "classes");
    const source = path.join(REPO_ROOT, FIXTURE, "src", "main", "java", "org", "acme", "greeter", "Greeter.java");
    const javac = spawnSync("javac", ["--release", "17", "-d", classes, source], { encoding: "utf8" });
    assert.strictEqual(javac.status, 0, javac.stderr);
    const jar = path.join(directory, mainClass ? "greeter-runnable.jar" : "greeter-plain.jar");
    const manifest = mainClass ? ["--main-class", mainClass] : [];
    const packed = spawnSync("jar", ["--create", "--file", jar, ...manifest, "-C", classes, "."], { encoding: "utf8" });
    assert.strictEqual(packed.status, 0, packed.stderr);
    return jar;
}

describe("npm run app:build", function () {
    this.timeout(300_000);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-app-build-"));
    const defaultOut = path.join(REPO_ROOT, ".build", "dev", "api-server.jar");
    after(async () => {
        await stopAllJars();
        fs.rmSync(work, { recursive: true, force: true });
        fs.rmSync(defaultOut, { force: true });
        // The stack's folder under .build/, unless something else is in it.
        if (fs.existsSync(path.dirname(defaultOut)) && fs.readdirSync(path.dirname(defaultOut)).length === 0) {
            fs.rmdirSync(path.dirname(defaultOut));
        }
    });

    it("is the npm script, and prints its usage with --help (exit 0)", () => {
        const scripts = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).scripts;
        assert.strictEqual(scripts["app:build"], `node ${APP_BUILD_NODE_ARGS.join(" ")}`);
        const help = appBuild(["--help"]);
        assert.strictEqual(help.status, 0, help.stderr);
        assert.match(
            help.stdout,
            /^usage: npm run app:build -- --stack <name> \[--config key=value\]\.\.\. \[--config-path\] \[--out <file>\]\n/,
        );
        assert.strictEqual(help.stderr, "");
    });

    it("refuses a bad command line with exit 2 and one line on stderr", () => {
        assert.strictEqual(oneLineError(appBuild([]), 2), "error: give exactly one --stack (see --help)");
        assert.strictEqual(oneLineError(appBuild(["--stack", "dev", "--bogus"]), 2), 'error: unknown argument "--bogus" (see --help)');
        assert.strictEqual(
            oneLineError(appBuild(["--stack", "nosuch"]), 2),
            `error: stack nosuch: ${path.join(REPO_ROOT, "Pulumi.nosuch.yaml")} does not exist: the stacks here are ${listStacks(REPO_ROOT).join(", ")}`,
        );
    });

    it("takes --config-path keys into the app object, and names a bad field with exit 2", () => {
        assert.strictEqual(
            oneLineError(appBuild(["--stack", "dev", "--config-path", "--config", "api-cluster:app.source=war"]), 2),
            'error: stack dev: api-cluster:app.source must be one of maven, jar; got "war"',
        );
    });

    it("builds the reference Maven project with real Maven into .build/<stack>/, and the jar serves /health and refuses /api/instance without credentials", async () => {
        fs.rmSync(defaultOut, { force: true });
        const result = appBuild(["--stack", "dev"]);
        const jar = builtJar(result);
        assert.strictEqual(jar, defaultOut);
        // Plain lines: no download progress, no colour codes; the app's own folder named, not the build's copy.
        assert.match(result.stderr, /build-app: mvn .*-B --no-transfer-progress -Dstyle\.color=never -DskipTests package in /);
        assert.ok(result.stderr.includes(`package in ${path.join(REPO_ROOT, "app")}\n`), result.stderr);
        assert.strictEqual(result.stderr.includes("\x1b"), false, "colour codes in the build's output");
        assert.strictEqual(result.stderr.includes("api-cluster-build-"), false, "the temporary copy named");
        assert.match(result.stderr, /build-app: api-server\.jar -> /);
        // The build ran on a copy of the artifact's files: the project folder got no target/.
        assert.ok(!fs.existsSync(path.join(REPO_ROOT, "app", "target")), "app/target was not created");
        const served = await serveJar({ source: AppSource.Maven, path: "app", javaVersion: 17, jvmOptions: [] }, jar);
        try {
            await assertServesTheApi(served, /^\{"status":"UP"\}$/);
        } finally {
            await served.stop();
        }
    });

    it("builds a second Maven project with its own package and main class (tests/fixtures/greeter-api) and runs it through app.mainClass", async () => {
        const app: AppSettings = {
            source: AppSource.Maven,
            path: FIXTURE,
            javaVersion: 17,
            jvmOptions: ["-Xmx128m", "-Dgreeter.mode=test"],
            mainClass: FIXTURE_MAIN_CLASS,
        };
        // A --out folder must exist (app:build creates only its default folder).
        fs.mkdirSync(path.join(work, "greeter"));
        const out = path.join(work, "greeter", "api-server.jar");
        const jar = builtJar(appBuild(["--stack", "dev", ...appConfig(app), "--out", out]));
        assert.strictEqual(jar, out);
        assert.ok(!fs.existsSync(path.join(REPO_ROOT, FIXTURE, "target")), "the fixture got no target/");
        const served = await serveJar(app, jar);
        try {
            await assertServesTheApi(served, /^\{"status":"UP","app":"greeter"\}$/);
        } finally {
            await served.stop();
        }
    });

    it("takes a jar as it is: the same bytes, served", async () => {
        const given = jarOfFixture(fs.mkdtempSync(path.join(work, "jar-")), FIXTURE_MAIN_CLASS);
        const app: AppSettings = { source: AppSource.Jar, path: given, javaVersion: 17, jvmOptions: [] };
        // `--config app=...`: a key without a namespace is the project's, as with the Pulumi CLI.
        const jar = builtJar(appBuild(["--stack", "dev", "--config", `app=${JSON.stringify(app)}`, "--out", path.join(work, "as-is.jar")]));
        assert.strictEqual(sha256(jar), sha256(given));
        const served = await serveJar(app, jar);
        try {
            await assertServesTheApi(served, /"app":"greeter"/);
        } finally {
            await served.stop();
        }
    });

    it("refuses a jar without Main-Class when app.mainClass is unset with exit 2, as the settings check does, building nothing", () => {
        const plain = jarOfFixture(fs.mkdtempSync(path.join(work, "plain-")));
        const out = path.join(work, "never.jar");
        const result = appBuild(["--stack", "dev", ...appConfig({ source: AppSource.Jar, path: plain }), "--out", out]);
        assert.strictEqual(
            oneLineError(result, 2),
            `error: stack dev: api-cluster:app.path must be a runnable jar (source jar); got ${JSON.stringify(plain)}, and ${plain} names no Main-Class in META-INF/MANIFEST.MF: ` +
                "set app.mainClass to the class to run (started with -cp), or build the jar with a Main-Class",
        );
        assert.doesNotMatch(result.stderr, /build-app:/);
        assert.ok(!fs.existsSync(out));
    });

    it("stops on Ctrl-C (SIGINT to its process group) with exit 130, Maven stopped and its temporary folder removed", async () => {
        const out = path.join(work, "interrupted.jar");
        const child = spawn(process.execPath, [...APP_BUILD_NODE_ARGS, "--stack", "dev", "--out", out], {
            cwd: REPO_ROOT,
            stdio: ["ignore", "pipe", "pipe"],
            detached: true,
        });
        let stderr = "";
        const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
        try {
            await new Promise<void>((resolve, reject) => {
                child.stderr.on("data", (chunk: Buffer) => {
                    stderr += chunk.toString("utf8");
                    if (/^build-app: mvn .* in /m.test(stderr)) resolve();
                });
                void exited.then(() => reject(new Error(`app:build ended before Maven started:\n${stderr}`)));
            });
            // Messages name the app's folder, not the copy: the copy is the build script's APP_PATH.
            const buildFolder = path.dirname(buildScriptAppPath(child.pid as number));
            assert.ok(fs.existsSync(buildFolder), buildFolder);
            process.kill(-(child.pid as number), "SIGINT");
            assert.strictEqual(await exited, 130, stderr);
            assert.match(stderr, /^error: stopped by SIGINT$/m);
            assert.ok(!fs.existsSync(buildFolder), `${buildFolder} was removed`);
            assert.ok(!fs.existsSync(out));
        } finally {
            if (child.exitCode === null && child.signalCode === null) {
                process.kill(-(child.pid as number), "SIGKILL");
                await exited;
            }
        }
    });

    it("refuses bad app settings with exit 2 before building, listing every problem, as the offline preview does", () => {
        const app = {
            source: "maven",
            path: "no/such/folder",
            javaVersion: 11,
            jvmOptions: ["-jar"],
            mainClass: "org.acme.1Greeter",
            extra: 1,
        };
        const problems = [
            "api-cluster:app.javaVersion must be one of 17, 21; got 11",
            'api-cluster:app.jvmOptions[0] must not be -jar, -cp, -classpath, --class-path: the cluster chooses the jar (see app.mainClass); got "-jar"',
            'api-cluster:app.mainClass must be a Java class name of up to 128 characters such as com.example.api.Main; got "org.acme.1Greeter"',
            "api-cluster:app.extra is not a known key; known keys are instanceEndpoint, javaVersion, jvmOptions, mainClass, path, protectedEndpoint, sessionEndpoint, source",
            `api-cluster:app.path must be a Maven project folder (source maven); got "no/such/folder", which is missing at ${path.join(REPO_ROOT, "no/such/folder")}`,
        ];
        const config = ["--config", `api-cluster:app=${JSON.stringify(app)}`];
        const out = path.join(work, "refused.jar");
        assert.strictEqual(
            oneLineError(appBuild(["--stack", "dev", ...config, "--out", out]), 2),
            `error: stack dev: ${problems.join("; ")}`,
        );
        assert.ok(!fs.existsSync(out));

        const preview = spawnSync(process.execPath, [...PREVIEW_NODE_ARGS, "--stack", "dev", ...config], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        });
        assert.strictEqual(preview.status, 2, preview.stderr);
        assert.strictEqual(
            preview.stderr,
            `error: stack dev: invalid configuration:\n${problems.map((problem) => `  - ${problem}\n`).join("")}`,
        );
    });
    it("puts the jar into a folder given as --out, as <folder>/api-server.jar, and nothing else there", () => {
        const folder = fs.mkdtempSync(path.join(work, "out-folder-"));
        const given = jarOfFixture(fs.mkdtempSync(path.join(work, "jar-")), FIXTURE_MAIN_CLASS);
        const jar = builtJar(appBuild(["--stack", "dev", ...appConfig({ source: AppSource.Jar, path: given }), "--out", folder]));
        assert.strictEqual(jar, path.join(folder, "api-server.jar"));
        assert.deepStrictEqual(fs.readdirSync(folder), ["api-server.jar"]);
        assert.strictEqual(sha256(jar), sha256(given));
    });

    it("refuses a --out whose folder does not exist with exit 2 before building, naming the folder and creating nothing", () => {
        const missing = path.join(work, "no-such-folder");
        const result = appBuild(["--stack", "dev", "--out", path.join(missing, "deeper", "api.jar")]);
        assert.strictEqual(
            oneLineError(result, 2),
            `error: stack dev: --out ${path.join(missing, "deeper", "api.jar")}: the folder ${path.join(missing, "deeper")} does not exist; create it first`,
        );
        assert.strictEqual(result.stderr.includes("build-app:"), false, "a build started");
        assert.strictEqual(fs.existsSync(missing), false);
        const slash = appBuild(["--stack", "dev", "--out", `${missing}/`]);
        assert.strictEqual(
            oneLineError(slash, 2),
            `error: stack dev: --out ${missing}/: the folder ${missing} does not exist; create it first`,
        );
        assert.strictEqual(fs.existsSync(missing), false);
    });

    it("names a bad --out and a bad setting in one line, every problem at once", () => {
        const missing = path.join(work, "absent", "api.jar");
        const result = appBuild(["--stack", "dev", "--config", "api-cluster:instanceCount=0", "--out", missing]);
        assert.strictEqual(
            oneLineError(result, 2),
            `error: stack dev: api-cluster:instanceCount must be an integer from 1 to 100; got "0"; --out ${missing}: the folder ${path.dirname(missing)} does not exist; create it first`,
        );
    });

    it("says what to do, naming API_CLUSTER_MAVEN_ARGS, when Maven cannot download a dependency (a mirror nobody answers)", () => {
        const project = mavenProject(
            fs.mkdtempSync(path.join(work, "needs-deps-")),
            "<dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>33.0.0-jre</version></dependency>",
            "package org.acme; public class Main { public static void main(String[] a) {} }\n",
        );
        // Debian's plugins from its repository, and every download sent to a port nothing listens on.
        const settings = path.join(project, "..", `${path.basename(project)}-settings.xml`);
        fs.writeFileSync(
            settings,
            "<settings><localRepository>/usr/share/maven-repo</localRepository><mirrors><mirror><id>unreachable</id>" +
                "<mirrorOf>*</mirrorOf><url>http://127.0.0.1:9/</url></mirror></mirrors></settings>\n",
        );
        const out = path.join(work, "needs-deps.jar");
        const result = spawnSync(
            process.execPath,
            [...APP_BUILD_NODE_ARGS, "--stack", "dev", ...appConfig({ source: AppSource.Maven, path: project }), "--out", out],
            {
                cwd: REPO_ROOT,
                encoding: "utf8",
                timeout: 300_000,
                env: { ...process.env, API_CLUSTER_MAVEN_ARGS: `-s ${settings}` },
            },
        );
        const line = oneLineError(result, 1);
        assert.ok(
            line.startsWith(
                `error: stack dev: building api-cluster:app (source maven, path ${project}) failed (build-app.sh exited with 1): `,
            ),
            line,
        );
        assert.match(
            line,
            /Could not resolve dependencies for project org\.acme:needs-deps:jar:1: .*com\.google\.guava:guava:.*127\.0\.0\.1:9/,
        );
        assert.ok(
            line.endsWith(
                ". Maven could not download what the project needs: give it network access to Maven Central, or a mirror in ~/.m2/settings.xml, " +
                    `or set API_CLUSTER_MAVEN_ARGS to the Maven arguments your machine needs (now "-s ${settings}"), ` +
                    'e.g. API_CLUSTER_MAVEN_ARGS="-o -s /etc/maven/settings-debian.xml" to build a project without dependencies offline from Debian\'s packaged plugins',
            ),
            line,
        );
        assert.strictEqual(result.stderr.includes("\x1b"), false, "colour codes in the output");
        assert.strictEqual(fs.existsSync(out), false);
    });

    it("names the app's own files in Maven's errors, not the deleted temporary copy", () => {
        const project = mavenProject(
            fs.mkdtempSync(path.join(work, "broken-")),
            "",
            "package org.acme; public class Main { public static void main(String[] a) { int x = ; } }\n",
        );
        const result = appBuild([
            "--stack",
            "dev",
            ...appConfig({ source: AppSource.Maven, path: project }),
            "--out",
            path.join(work, "broken.jar"),
        ]);
        assert.strictEqual(
            oneLineError(result, 1),
            `error: stack dev: building api-cluster:app (source maven, path ${project}) failed (build-app.sh exited with 1; its output is above)`,
        );
        assert.match(
            result.stderr,
            new RegExp(`^\\[ERROR\\] ${project.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/src/main/java/org/acme/Main\\.java:\\[1,`, "m"),
        );
        assert.strictEqual(result.stderr.includes("api-cluster-build-"), false, result.stderr);
        assert.strictEqual(result.stderr.includes("\x1b"), false, "colour codes in the output");
    });
});
