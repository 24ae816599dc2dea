import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import {
    IMAGE_DOCUMENT_STEPS,
    MAX_DOCUMENT_LENGTH,
    readScript,
    renderImageDocument,
    SCRIPTS_DIRECTORY,
} from "../../components/image/imageDocument";
import { assertShellcheckClean, assertShellcheckCleanText } from "./shellcheck";

const ARTIFACT_URI = "s3://api-artifacts-7d48e63/api-server/0123456789abcdef0123.zip";

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
    const text = renderImageDocument({ artifactUri: ARTIFACT_URI, appPort: 8082 });
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
            build: ["InstallRuntime", "CreateUser", "InstallApi", "InstallService"],
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

    it("builds: Corretto 17 and Maven with dnf, the api user, the API from the artifact, the unit enabled", () => {
        assert.match(scripts.InstallRuntime, /dnf install -y java-17-amazon-corretto-headless java-17-amazon-corretto-devel/);
        assert.match(scripts.InstallRuntime, /dnf install -y maven/);
        assert.match(scripts.CreateUser, /useradd --system --user-group --no-create-home --home-dir \/opt\/api --shell \/sbin\/nologin/);
        assert.match(scripts.CreateUser, /readonly API_USER=api/);
        assert.ok(
            scripts.InstallApi.split("\n").includes(`ARTIFACT_URI='${ARTIFACT_URI}'`),
            "ARTIFACT_URI is assigned on a line of its own",
        );
        assert.match(scripts.InstallApi, /aws s3 cp .*"\$ARTIFACT_URI"/);
        assert.match(scripts.InstallApi, /javac" --release 17/);
        assert.match(scripts.InstallApi, /INSTALL_DIR=\/opt\/api/);
        assert.match(scripts.InstallService, /cat >"\$UNIT_PATH" <<'API_SERVICE_UNIT'\n\[Unit\]/);
        assert.match(scripts.InstallService, /^Restart=on-failure$/m);
        assert.match(scripts.InstallService, /systemctl enable/);
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
        assert.strictEqual(renderImageDocument({ artifactUri: ARTIFACT_URI, appPort: 8082 }), text);
        assert.notStrictEqual(renderImageDocument({ artifactUri: ARTIFACT_URI, appPort: 9090 }), text);
        assert.notStrictEqual(renderImageDocument({ artifactUri: ARTIFACT_URI.replace("0123", "4567"), appPort: 8082 }), text);
    });

    it("holds no AWSTOE {{ }} reference and fits Image Builder's 16000-character limit with the longest bucket name", () => {
        assert.ok(!text.includes("{{"));
        const longest = renderImageDocument({
            artifactUri: `s3://${"b".repeat(63)}/api-server/0123456789abcdef0123.zip`,
            appPort: 65535,
        });
        assert.ok(longest.length <= MAX_DOCUMENT_LENGTH, `${longest.length} characters`);
    });

    it("rejects inputs the scripts cannot take", () => {
        assert.throws(() => renderImageDocument({ artifactUri: "https://example.com/a.zip", appPort: 8082 }), /artifactUri/);
        assert.throws(() => renderImageDocument({ artifactUri: "s3://bucket/a'b.zip", appPort: 8082 }), /artifactUri/);
        assert.throws(() => renderImageDocument({ artifactUri: ARTIFACT_URI, appPort: 0 }), /appPort/);
        assert.throws(() => renderImageDocument({ artifactUri: ARTIFACT_URI, appPort: 8082.5 }), /appPort/);
    });

    it("passes shellcheck in every ExecuteBash step, its commands joined into a script", () => {
        assert.strictEqual(Object.keys(scripts).length, 7);
        for (const [name, script] of Object.entries(scripts)) {
            assertShellcheckCleanText(script, `ExecuteBash step ${name}`);
        }
    });

    it("ships script files that each pass shellcheck", () => {
        const files = fs.readdirSync(SCRIPTS_DIRECTORY).filter((file) => file.endsWith(".sh"));
        assert.deepStrictEqual(files.sort(), [
            "create-user.sh",
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
    const unit = readScript("api.service");
    const settings = unitSettings(unit);

    it("runs the jar as the api user from the env file, restarting on failure", () => {
        assert.deepStrictEqual(settings["Service.User"], ["api"]);
        assert.deepStrictEqual(settings["Service.Group"], ["api"]);
        assert.deepStrictEqual(settings["Service.EnvironmentFile"], ["/etc/api-cluster/api.env"]);
        assert.deepStrictEqual(settings["Service.Restart"], ["on-failure"]);
        assert.deepStrictEqual(settings["Service.RestartPreventExitStatus"], ["2"]);
        assert.match(
            settings["Service.ExecStart"][0],
            /^\/usr\/lib\/jvm\/api-cluster-jdk17\/bin\/java .*-jar \/opt\/api\/api-server\.jar$/,
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
            fs.writeFileSync(file, unit.replace("/usr/lib/jvm/api-cluster-jdk17/bin/java", "/bin/true"));
            const result = spawnSync("systemd-analyze", ["verify", "--man=no", file], { encoding: "utf8" });
            assert.strictEqual(result.status, 0, result.stderr);
            assert.strictEqual(result.stderr.trim(), "", result.stderr);
        } finally {
            fs.rmSync(directory, { recursive: true, force: true });
        }
    });
});
