import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { AppSettings, AppSource } from "../../components/config/schema";
import {
    IMAGE_DOCUMENT_STEPS,
    ImageDocumentArgs,
    MAX_DOCUMENT_LENGTH,
    readScript,
    renderImageDocument,
    renderUnit,
    SCRIPTS_DIRECTORY,
} from "../../components/image/imageDocument";
import { assertShellcheckClean, assertShellcheckCleanText } from "./shellcheck";

const ARTIFACT_URI = "s3://api-artifacts-7d48e63/api-server/0123456789abcdef0123.zip";

/** The default app: the reference Maven project on Java 17. */
const MAVEN_APP: AppSettings = { source: AppSource.Maven, path: "app", javaVersion: 17, jvmOptions: [] };

/** A jar app on Java 21 with JVM options and a main class: every field that reaches the document. */
const JAR_APP: AppSettings = {
    source: AppSource.Jar,
    path: "/opt/builds/api.jar",
    javaVersion: 21,
    jvmOptions: ["-Xmx512m", "-Dspring.profiles.active=prod"],
    mainClass: "com.example.api.Main",
};

/** Renders the document for the defaults, with `changes` applied. */
function render(changes: Partial<ImageDocumentArgs> = {}): string {
    return renderImageDocument({ artifactUri: ARTIFACT_URI, appPort: 8082, app: MAVEN_APP, ...changes });
}

interface Step {
    name: string;
    action: string;
    inputs: { commands: string[] };
}
interface Phase {
    name: string;
    steps: Step[];
}
interface Document {
    name: string;
    description: string;
    schemaVersion: number;
    phases: Phase[];
}

function parse(text: string): Document {
    return YAML.parse(text) as Document;
}

/** Each step's commands joined into one bash script, by step name. */
function stepScripts(document: Document): Record<string, string> {
    const scripts: Record<string, string> = {};
    for (const phase of document.phases) {
        for (const step of phase.steps) {
            scripts[step.name] = `#!/usr/bin/env bash\n${step.inputs.commands.join("\n")}\n`;
        }
    }
    return scripts;
}

/** The unit file's settings as `Section.Key` to the values it assigns, in order. */
function unitSettings(unit: string): Record<string, string[]> {
    const settings: Record<string, string[]> = {};
    let section = "";
    for (const line of unit.split("\n").map((l) => l.trim())) {
        if (line === "" || line.startsWith("#")) {
            continue;
        }
        const header = /^\[(\w+)\]$/.exec(line);
        if (header) {
            section = header[1];
            continue;
        }
        const eq = line.indexOf("=");
        assert.ok(eq > 0, `unit line is not Key=Value: ${line}`);
        const key = `${section}.${line.slice(0, eq)}`;
        (settings[key] ??= []).push(line.slice(eq + 1));
    }
    return settings;
}

describe("Image Builder component document", () => {
    const text = render();
    const document = parse(text);
    const scripts = stepScripts(document);

    it("is AWSTOE schema 1.0 with exactly the phases build, validate and test", () => {
        assert.deepStrictEqual(Object.keys(document), ["name", "description", "schemaVersion", "phases"]);
        assert.match(text, /^schemaVersion: 1\.0$/m);
        assert.strictEqual(document.schemaVersion, 1);
        assert.deepStrictEqual(
            document.phases.map((phase) => phase.name),
            ["build", "validate", "test"],
        );
    });

    it("has the expected steps in each phase, each an ExecuteBash step with one command", () => {
        assert.deepStrictEqual(Object.fromEntries(document.phases.map((phase) => [phase.name, phase.steps.map((step) => step.name)])), {
            build: ["InstallRuntime", "CreateUser", "FetchApi", "BuildApi", "InstallApi", "InstallService"],
            validate: ["ValidateRuntime", "ValidateService"],
            test: ["TestHealth"],
        });
        assert.deepStrictEqual(
            Object.fromEntries(Object.entries(IMAGE_DOCUMENT_STEPS).map(([phase, steps]) => [phase, [...steps]])),
            Object.fromEntries(document.phases.map((phase) => [phase.name, phase.steps.map((step) => step.name)])),
        );
        for (const phase of document.phases) {
            for (const step of phase.steps) {
                assert.deepStrictEqual(Object.keys(step), ["name", "action", "inputs"]);
                assert.strictEqual(step.action, "ExecuteBash", step.name);
                assert.match(step.name, /^[A-Za-z][A-Za-z0-9]*$/);
                assert.strictEqual(step.inputs.commands.length, 1, step.name);
                assert.match(step.inputs.commands[0], /^# [a-z-]+\.sh\nset -euo pipefail\n/, step.name);
                assert.strictEqual(step.inputs.commands[0].match(/set -euo pipefail/g)?.length, 1, step.name);
            }
        }
    });

    /** The variables a rendered step assigns at its top, by name. */
    function assigned(script: string): Record<string, string> {
        return Object.fromEntries(
            script
                .split("\n")
                .map((line) => /^([A-Z_]+)='([^']*)'$/.exec(line))
                .filter((match): match is RegExpExecArray => match !== null)
                .map((match) => [match[1], match[2]]),
        );
    }

    it("builds: Corretto 17 and Maven with dnf, the api user, the API from the artifact, the unit enabled", () => {
        assert.deepStrictEqual(assigned(scripts.InstallRuntime), { JAVA_VERSION: "17" });
        assert.match(scripts.InstallRuntime, /readonly CORRETTO="java-\$JAVA_VERSION-amazon-corretto"/);
        assert.match(scripts.InstallRuntime, /dnf install -y "\$CORRETTO-headless" "\$CORRETTO-devel"/);
        assert.match(scripts.InstallRuntime, /dnf install -y maven/);
        assert.match(scripts.CreateUser, /useradd --system --user-group --no-create-home --home-dir \/opt\/api --shell \/sbin\/nologin/);
        assert.match(scripts.CreateUser, /readonly API_USER=api/);
        assert.deepStrictEqual(assigned(scripts.FetchApi), { ARTIFACT_URI, BUILD_DIR: "/var/tmp/api-cluster-build" });
        assert.match(scripts.FetchApi, /aws s3 cp .*"\$ARTIFACT_URI"/);
        assert.deepStrictEqual(assigned(scripts.InstallApi), {
            BUILD_DIR: "/var/tmp/api-cluster-build",
            BUILT_JAR: "/var/tmp/api-cluster-build/api-server.jar",
        });
        assert.match(scripts.InstallApi, /INSTALL_DIR=\/opt\/api/);
        assert.match(scripts.InstallApi, /^rm -rf "\$BUILD_DIR"$/m);
        assert.match(scripts.InstallService, /cat >"\$UNIT_PATH" <<'API_SERVICE_UNIT'\n\[Unit\]/);
        assert.match(scripts.InstallService, /^Restart=on-failure$/m);
        assert.match(scripts.InstallService, /systemctl enable/);
    });

    it("builds a Maven project with build-app.sh: mvn -B package, tests skipped, Maven's repository in the build folder, on the chosen Corretto", () => {
        assert.deepStrictEqual(assigned(scripts.BuildApi), {
            APP_SOURCE: "maven",
            APP_PATH: "/var/tmp/api-cluster-build/src",
            OUT: "/var/tmp/api-cluster-build/api-server.jar",
            MAIN_CLASS: "",
            JAVA_VERSION: "17",
            MAVEN_REPO_LOCAL: "/var/tmp/api-cluster-build/m2",
            JAVA_HOME: "/usr/lib/jvm/api-cluster-jdk",
        });
        assert.match(scripts.BuildApi, /^    maven_args=\(-B --no-transfer-progress -Dstyle\.color=never -DskipTests package\)$/m);
        assert.match(scripts.BuildApi, /maven_args=\("-Dapi-cluster\.javaVersion=\$JAVA_VERSION" "\$\{maven_args\[@\]\}"\)/);
        assert.match(scripts.BuildApi, /maven_args=\("-Dmaven\.repo\.local=\$MAVEN_REPO_LOCAL" "\$\{maven_args\[@\]\}"\)/);
        assert.match(scripts.BuildApi, /\(cd "\$APP_PATH" && mvn "\$\{extra_args\[@\]\}" "\$\{maven_args\[@\]\}"\)/);
        assert.match(scripts.BuildApi, /^    export JAVA_HOME$/m);
    });

    it("takes a jar as it is and follows the app's Java version, JVM options and main class, never its local path", () => {
        const jar = stepScripts(parse(render({ app: JAR_APP })));
        assert.deepStrictEqual(assigned(jar.BuildApi), {
            APP_SOURCE: "jar",
            APP_PATH: "/var/tmp/api-cluster-build/src/app.jar",
            OUT: "/var/tmp/api-cluster-build/api-server.jar",
            MAIN_CLASS: "com.example.api.Main",
            JAVA_VERSION: "21",
            MAVEN_REPO_LOCAL: "/var/tmp/api-cluster-build/m2",
            JAVA_HOME: "/usr/lib/jvm/api-cluster-jdk",
        });
        assert.deepStrictEqual(assigned(jar.InstallRuntime), { JAVA_VERSION: "21" });
        assert.deepStrictEqual(assigned(jar.ValidateRuntime), { JAVA_VERSION: "21" });
        assert.match(
            jar.InstallService,
            /^ExecStart=\/usr\/lib\/jvm\/api-cluster-jdk\/bin\/java -XX:\+ExitOnOutOfMemoryError -Xmx512m -Dspring\.profiles\.active=prod -cp \/opt\/api\/api-server\.jar com\.example\.api\.Main$/m,
        );
        assert.strictEqual(render({ app: { ...JAR_APP, path: "elsewhere/api.jar" } }), render({ app: JAR_APP }));
        assert.strictEqual(render({ app: { ...MAVEN_APP, path: "/somewhere/else" } }), text);
        for (const script of Object.values(jar)) {
            assert.ok(!script.includes("/opt/builds"), "the local path stays out of the document");
        }
    });

    it("validates that the unit is enabled, java -version works and no credential is baked", () => {
        assert.match(scripts.ValidateRuntime, /^java -version$/m);
        assert.match(scripts.ValidateRuntime, /mvn -version/);
        assert.match(scripts.ValidateService, /systemctl is-enabled "\$UNIT"/);
        assert.match(scripts.ValidateService, /ENV_FILE=\/etc\/api-cluster\/api.env/);
    });

    it("tests: throwaway env with a random password, start, curl /health, then stop and remove the env", () => {
        const test = scripts.TestHealth;
        assert.match(test, /^APP_PORT='8082'$/m);
        assert.match(test, /od -An -N24 -tx1 \/dev\/urandom/);
        assert.match(test, /systemctl start "\$UNIT"/);
        assert.match(test, /curl -fsS --max-time 2 "\$BASE_URL\/health"/);
        assert.match(test, /cleanup\(\) \{\n\s+systemctl stop "\$UNIT" \|\| true\n\s+rm -f "\$ENV_FILE"/);
        assert.match(test, /trap cleanup EXIT/);
    });

    it("is deterministic and follows its inputs", () => {
        assert.strictEqual(render(), text);
        assert.notStrictEqual(render({ appPort: 9090 }), text);
        assert.notStrictEqual(render({ artifactUri: ARTIFACT_URI.replace("0123", "4567") }), text);
        assert.notStrictEqual(render({ app: { ...MAVEN_APP, javaVersion: 21 } }), text);
        assert.notStrictEqual(render({ app: { ...MAVEN_APP, jvmOptions: ["-Xmx1g"] } }), text);
    });

    it("holds no AWSTOE {{ }} reference and fits Image Builder's 16000-character limit with the longest bucket name", () => {
        assert.ok(!text.includes("{{"));
        const longest = render({
            artifactUri: `s3://${"b".repeat(63)}/api-server/0123456789abcdef0123.zip`,
            appPort: 65535,
            // The rules' limits: 16 JVM options of 100 characters, a main class of 128.
            app: {
                ...JAR_APP,
                jvmOptions: Array.from({ length: 16 }, (_unused, i) => `-D${i.toString(16)}=${"y".repeat(96)}`),
                mainClass: `a.${"B".repeat(126)}`,
            },
        });
        assert.ok(longest.length <= MAX_DOCUMENT_LENGTH, `${longest.length} characters`);
    });

    it("rejects inputs the scripts cannot take", () => {
        assert.throws(() => render({ artifactUri: "https://example.com/a.zip" }), /artifactUri/);
        assert.throws(() => render({ artifactUri: "s3://bucket/a'b.zip" }), /artifactUri/);
        assert.throws(() => render({ appPort: 0 }), /appPort/);
        assert.throws(() => render({ appPort: 8082.5 }), /appPort/);
        assert.throws(() => render({ app: { ...MAVEN_APP, javaVersion: 11 } }), /app\.javaVersion must be one of 17, 21, got 11/);
        assert.throws(() => render({ app: { ...MAVEN_APP, source: "gradle" as AppSource } }), /app\.source must be maven or jar/);
        assert.throws(() => render({ app: { ...MAVEN_APP, jvmOptions: ["-Dx=$HOME"] } }), /cannot be written into the unit's ExecStart/);
    });

    it("passes shellcheck in every ExecuteBash step, its commands joined into a script, for a Maven project and for a jar", () => {
        const jar = stepScripts(parse(render({ app: JAR_APP })));
        for (const [kind, steps] of Object.entries({ maven: scripts, jar })) {
            assert.strictEqual(Object.keys(steps).length, 9, kind);
            for (const [name, script] of Object.entries(steps)) {
                assertShellcheckCleanText(script, `ExecuteBash step ${name} (${kind})`);
            }
        }
    });

    it("ships script files that each pass shellcheck", () => {
        const files = fs.readdirSync(SCRIPTS_DIRECTORY).filter((file) => file.endsWith(".sh"));
        assert.deepStrictEqual(files.sort(), [
            "build-app.sh",
            "create-user.sh",
            "fetch-api.sh",
            "install-api.sh",
            "install-runtime.sh",
            "install-service.sh",
            "test-health.sh",
            "validate-runtime.sh",
            "validate-service.sh",
        ]);
        for (const file of files) {
            const script = readScript(file);
            assert.match(script, /^#!\/usr\/bin\/env bash\n/, file);
            assert.match(script, /^set -euo pipefail$/m, file);
            assertShellcheckClean(path.join(SCRIPTS_DIRECTORY, file));
        }
    });
});

describe("api.service systemd unit", () => {
    const unit = renderUnit(MAVEN_APP);
    const settings = unitSettings(unit);

    it("runs the jar as the api user from the env file, restarting on failure", () => {
        assert.deepStrictEqual(settings["Service.User"], ["api"]);
        assert.deepStrictEqual(settings["Service.Group"], ["api"]);
        assert.deepStrictEqual(settings["Service.EnvironmentFile"], ["/etc/api-cluster/api.env"]);
        assert.deepStrictEqual(settings["Service.Restart"], ["on-failure"]);
        assert.deepStrictEqual(settings["Service.RestartPreventExitStatus"], ["2"]);
        assert.deepStrictEqual(settings["Service.ExecStart"], [
            "/usr/lib/jvm/api-cluster-jdk/bin/java -XX:+ExitOnOutOfMemoryError -jar /opt/api/api-server.jar",
        ]);
        assert.deepStrictEqual(unitSettings(renderUnit({ ...MAVEN_APP, jvmOptions: ["-Xmx512m"] }))["Service.ExecStart"], [
            "/usr/lib/jvm/api-cluster-jdk/bin/java -XX:+ExitOnOutOfMemoryError -Xmx512m -jar /opt/api/api-server.jar",
        ]);
        assert.strictEqual(
            readScript("api.service")
                .split("\n")
                .filter((line) => line.startsWith("ExecStart="))
                .join(),
            "ExecStart=@@EXEC_START@@",
        );
        assert.deepStrictEqual(settings["Install.WantedBy"], ["multi-user.target"]);
    });

    it("does not start without the env file, so an image without credentials never runs with an empty password", () => {
        assert.deepStrictEqual(settings["Unit.ConditionPathExists"], ["/etc/api-cluster/api.env"]);
    });

    it("is hardened", () => {
        const expected: Record<string, string> = {
            NoNewPrivileges: "yes",
            ProtectSystem: "strict",
            ProtectHome: "yes",
            PrivateTmp: "yes",
            PrivateDevices: "yes",
            ProtectKernelTunables: "yes",
            ProtectKernelModules: "yes",
            ProtectControlGroups: "yes",
            RestrictSUIDSGID: "yes",
            LockPersonality: "yes",
            CapabilityBoundingSet: "",
            AmbientCapabilities: "",
            RestrictAddressFamilies: "AF_INET AF_INET6 AF_UNIX AF_NETLINK",
            UMask: "0077",
        };
        for (const [key, value] of Object.entries(expected)) {
            assert.deepStrictEqual(settings[`Service.${key}`], [value], key);
        }
        // The JVM's JIT writes executable memory; this setting would kill it.
        assert.strictEqual(settings["Service.MemoryDenyWriteExecute"], undefined);
    });

    it("passes systemd-analyze verify without a warning (needs systemd-analyze)", function () {
        const probe = spawnSync("systemd-analyze", ["--version"], { encoding: "utf8" });
        if (probe.error || probe.status !== 0) {
            this.skip();
        }
        const directory = fs.mkdtempSync(path.join(os.tmpdir(), "api-unit-"));
        try {
            // The JDK link exists only in the image; any executable stands in for it here.
            const file = path.join(directory, "api.service");
            fs.writeFileSync(file, unit.replace("/usr/lib/jvm/api-cluster-jdk/bin/java", "/bin/true"));
            const result = spawnSync("systemd-analyze", ["verify", "--man=no", file], { encoding: "utf8" });
            assert.strictEqual(result.status, 0, result.stderr);
            assert.strictEqual(result.stderr.trim(), "", result.stderr);
        } finally {
            fs.rmSync(directory, { recursive: true, force: true });
        }
    });
});
