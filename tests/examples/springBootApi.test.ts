/**
 * The Spring Boot example's structure. It cannot be built here (Spring Boot comes from Maven
 * Central, which this machine does not reach); ci.yml's spring-boot-example job builds and tests
 * it. These checks keep it deployable: its files, its starters, the environment variables it reads
 * (the ones the boot script writes) and the README's stack config, validated as the program would.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { AppSource } from "../../components/config/schema";
import { readStackSettings } from "../../components/config/stackConfig";
import { collectArtifact } from "../../components/image/artifact";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const EXAMPLE = path.join("examples", "spring-boot-api");
const JAVA_DIR = "src/main/java/com/example/springapi";

/** A file of the example, as text. */
function read(relative: string): string {
    return fs.readFileSync(path.join(REPO_ROOT, EXAMPLE, relative), "utf8");
}

/** The `<dependency>` blocks of the pom, as groupId:artifactId[:scope]. */
function dependencies(pom: string): string[] {
    return [...pom.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)].map((match) => {
        const field = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(match[1])?.[1];
        return [field("groupId"), field("artifactId"), field("scope")].filter((part) => part !== undefined).join(":");
    });
}

describe("examples/spring-boot-api", () => {
    it("holds exactly the pom, its sources, its test and its README, so the bake's artifact is the pom and src/", () => {
        const artifact = collectArtifact(AppSource.Maven, path.join(REPO_ROOT, EXAMPLE));
        assert.deepStrictEqual(
            artifact.files.map((file) => file.name),
            [
                "pom.xml",
                `${JAVA_DIR}/HealthController.java`,
                `${JAVA_DIR}/InstanceController.java`,
                `${JAVA_DIR}/SecurityConfig.java`,
                `${JAVA_DIR}/SessionCounterController.java`,
                `${JAVA_DIR}/SpringApiApplication.java`,
                "src/main/resources/application.properties",
                "src/test/java/com/example/springapi/SpringApiApplicationTests.java",
            ],
        );
        assert.ok(fs.existsSync(path.join(REPO_ROOT, EXAMPLE, "README.md")));
    });

    it("is a Spring Boot 3 project on Java 17 with the web, actuator and security starters, repackaged into a runnable jar", () => {
        const pom = read("pom.xml");
        assert.match(
            pom,
            /<parent>\s*<groupId>org\.springframework\.boot<\/groupId>\s*<artifactId>spring-boot-starter-parent<\/artifactId>\s*<version>3\.\d+\.\d+<\/version>/,
        );
        assert.match(pom, /<java\.version>17<\/java\.version>/);
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

    it("listens on PORT and exposes only Actuator's health", () => {
        const properties = Object.fromEntries(
            read("src/main/resources/application.properties")
                .split("\n")
                .filter((line) => line.trim() !== "" && !line.startsWith("#"))
                .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
        );
        assert.strictEqual(properties["server.port"], "${PORT:8082}");
        assert.strictEqual(properties["management.endpoints.web.exposure.include"], "health");
    });

    it("maps /health, /api/instance and /api/session/counter, and guards /api/instance with HTTP Basic", () => {
        assert.match(read(`${JAVA_DIR}/HealthController.java`), /@GetMapping\("\/health"\)/);
        assert.match(read(`${JAVA_DIR}/InstanceController.java`), /@GetMapping\("\/api\/instance"\)/);
        assert.match(read(`${JAVA_DIR}/SessionCounterController.java`), /@GetMapping\("\/api\/session\/counter"\)/);
        const security = read(`${JAVA_DIR}/SecurityConfig.java`);
        assert.match(security, /\.requestMatchers\("\/api\/instance"\)\s*\.hasRole\("ADMIN"\)/);
        assert.match(security, /\.httpBasic\(Customizer\.withDefaults\(\)\)/);
        assert.match(security, /DEFAULT_ADMIN_USERNAME = "admin@fake\.com"/);
    });

    it("reads the admin credentials and instance facts from the variables the boot script writes", () => {
        const written = [
            ...fs.readFileSync(path.join(REPO_ROOT, "components", "credentials", "boot.sh"), "utf8").matchAll(/printf '([A-Z_]+)=%s\\n'/g),
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
        assert.match(read(`${JAVA_DIR}/SecurityConfig.java`), /if \(password\.isEmpty\(\)\) \{\s*throw new IllegalStateException/);
    });

    it("documents a stack config that deploys it, which the program accepts as it is", () => {
        const readme = read("README.md");
        const block = /```yaml\n([\s\S]*?)```/.exec(readme);
        assert.ok(block, "the README has a yaml block");
        const config = (YAML.parse(block[1]) as { config: Record<string, unknown> }).config;
        const strings = Object.fromEntries(
            Object.entries(config).map(([key, value]) => [key, typeof value === "object" ? JSON.stringify(value) : String(value)]),
        );
        const { settings } = readStackSettings(strings);
        assert.deepStrictEqual(settings.app, {
            source: "maven",
            path: "examples/spring-boot-api",
            javaVersion: 17,
            jvmOptions: [],
            mainClass: undefined,
        });
        assert.strictEqual(settings.healthCheck.path, "/actuator/health");
        assert.match(readme, /built and tested|builds and tests it in a job of its own/);
        assert.match(readme, /`\.ci\/run` only checks the\s+example's structure/);
    });
});
