/**
 * .ci/tools.sh, the set-up `npm run check` and .ci/run start with, on a simulated fresh machine: a
 * PATH of stub commands, so the test sees what it would install or say without installing anything.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const SCRIPT = path.join(REPO_ROOT, ".ci", "tools.sh");
const BASH = spawnSync("bash", ["-c", "command -v bash"], { encoding: "utf8" }).stdout.trim();

/** A folder of stub commands: each prints its name and arguments to `log` and exits as given. */
function stubs(dir: string, log: string, commands: Record<string, string>): void {
    for (const [name, body] of Object.entries(commands)) {
        fs.writeFileSync(path.join(dir, name), `#!${BASH}\necho "${name} $*" >> ${log}\n${body}\n`, { mode: 0o755 });
    }
}

/** Runs .ci/tools.sh with only `commands` on PATH, and Debian's Maven plugins present or not. */
function tools(commands: Record<string, string>, mavenPlugins: boolean) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-tools-"));
    const log = path.join(dir, "calls.log");
    const settings = path.join(dir, "settings-debian.xml");
    const repo = path.join(dir, "maven-repo");
    try {
        stubs(dir, log, commands);
        // env is real: the script runs apt-get through it, with DEBIAN_FRONTEND set.
        fs.symlinkSync(spawnSync(BASH, ["-c", "command -v env"], { encoding: "utf8" }).stdout.trim(), path.join(dir, "env"));
        if (mavenPlugins) {
            fs.writeFileSync(settings, "<settings/>");
            fs.mkdirSync(path.join(repo, "org/apache/maven/plugins/maven-compiler-plugin"), { recursive: true });
        }
        const env = { PATH: dir, DEBIAN_MAVEN_SETTINGS: settings, DEBIAN_MAVEN_REPO: repo };
        const result = spawnSync(BASH, [SCRIPT], { encoding: "utf8", env });
        const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
        return { status: result.status, stderr: result.stderr, calls };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** What a fresh Debian machine lacks: every tool, then Debian's Maven plugins. */
const ALL_MISSING =
    "openjdk-17-jdk-headless haproxy shellcheck maven jq maven-debian-helper libmaven-clean-plugin-java libmaven-resources-plugin-java " +
    "libmaven-compiler-plugin-java libsurefire-java libmaven-jar-plugin-java libmaven-install-plugin-java";

describe(".ci/tools.sh", function () {
    it("does nothing when every tool is there", function () {
        const present = { javac: "exit 0", haproxy: "exit 0", shellcheck: "exit 0", mvn: "exit 0", jq: "exit 0", id: "echo 1000" };
        const { status, stderr, calls } = tools(present, true);
        assert.strictEqual(status, 0, stderr);
        assert.strictEqual(stderr, "");
        assert.deepStrictEqual(calls, []);
    });

    it("installs what is missing with apt-get as root", function () {
        const { status, stderr, calls } = tools({ id: "echo 0", "apt-get": "exit 0", javac: "exit 0", mvn: "exit 0", jq: "exit 0" }, true);
        assert.strictEqual(status, 0, stderr);
        assert.strictEqual(stderr, "installing with apt-get: haproxy shellcheck\n");
        assert.deepStrictEqual(calls, ["id -u", "apt-get update -qq", "apt-get install -y -qq --no-install-recommends haproxy shellcheck"]);
    });

    it("installs with sudo when the user may use it without a password", function () {
        const { status, calls } = tools(
            {
                id: "echo 1000",
                "apt-get": "exit 0",
                sudo: 'if [ "$1" != -n ]; then "$@"; fi',
                javac: "exit 0",
                haproxy: "exit 0",
                shellcheck: "exit 0",
            },
            false,
        );
        assert.strictEqual(status, 0);
        assert.deepStrictEqual(calls.slice(0, 3), ["id -u", "sudo -n true", "sudo apt-get update -qq"]);
        assert.strictEqual(
            calls[calls.length - 1],
            `apt-get install -y -qq --no-install-recommends ${ALL_MISSING.split(" ").slice(3).join(" ")}`,
        );
    });

    it("says in one line what to install when it may not use sudo", function () {
        const { status, stderr, calls } = tools({ id: "echo 1000", "apt-get": "exit 0", sudo: "exit 1" }, false);
        assert.strictEqual(status, 1);
        assert.strictEqual(stderr, `error: missing ${ALL_MISSING}; install them with: sudo apt-get install -y ${ALL_MISSING}\n`);
        assert.deepStrictEqual(calls, ["id -u", "sudo -n true"]);
    });

    it("names the tools for another package manager on a machine without apt-get", function () {
        const { status, stderr } = tools({ id: "echo 1000", javac: "exit 0", mvn: "exit 0", jq: "exit 0" }, true);
        assert.strictEqual(status, 1);
        assert.strictEqual(
            stderr,
            "error: missing haproxy shellcheck (Debian package names); install the same tools with your package manager, e.g. brew install openjdk@17 haproxy shellcheck maven jq\n",
        );
    });
});
