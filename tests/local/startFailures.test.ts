/**
 * How `npm run local` fails: a bad config or command line (exit 2, before anything starts), a busy
 * port, a missing tool, an API or HAProxy dying on start (everything stopped, the culprit named).
 * The dying APIs are small node scripts handed in as the API's launch command; HAProxy is real.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { readStackSettings } from "../../components/config/stackConfig";
import { LISTENER_BIND_ATTEMPTS, LocalClusterError, failedToBind, startLocalCluster } from "../../local/localCluster";
import { isRunning } from "../../local/processes";
import { LISTEN_RULE, explainOutput } from "../../local/instanceOutput";
import { REPO_ROOT, scriptArgs } from "./localRun";

/** Runs `npm run local -- args` to its end (only for runs that end by themselves). */
function local(args: string[], env: NodeJS.ProcessEnv = process.env) {
    const result = spawnSync(process.execPath, [...scriptArgs("local"), ...args], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env,
        timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `text` as a regular expression that matches it literally. */
function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The small Java app of tests/fixtures/local-apps, run as a source file in `mode`. */
function localApp(mode: string, argument: string) {
    const file = path.join(REPO_ROOT, "tests", "fixtures", "local-apps", "LocalApp.java");
    return async () => ({ command: "java", args: [file, mode, argument], description: `LocalApp ${mode}` });
}

/** A launch command for a fake API: node running `script`, with the instance's environment. */
function fakeApi(script: string, ...args: string[]) {
    return async () => ({ command: process.execPath, args: ["-e", script, ...args], description: "a fake API" });
}

/**
 * A fake API that listens as the API does (PORT and BIND_ADDRESS, port 0 for a port of the system's
 * choosing), prints the API's listening line, answers 200, and writes its pid into the folder
 * argv[1]; instance local-0 also holds the port argv[2] when given, so HAProxy cannot bind it.
 */
const HEALTHY_API = `
const fs = require("fs"), http = require("http"), net = require("net"), path = require("path");
fs.writeFileSync(path.join(process.argv[1], process.env.INSTANCE_ID), String(process.pid));
const server = http.createServer((q, s) => s.end("{}"));
server.listen(Number(process.env.PORT), process.env.BIND_ADDRESS, () =>
    console.log("api-server: listening on " + process.env.BIND_ADDRESS + ":" + server.address().port + " as " + process.env.INSTANCE_ID));
if (process.env.INSTANCE_ID === "local-0" && process.argv[2]) net.createServer().listen(Number(process.argv[2]), "127.0.0.1");
`;

/** Listens on a port of the system's choosing on 127.0.0.1 (never a port chosen first and bound later); resolves with the server and its port. */
async function holdPort(): Promise<{ holder: net.Server; port: number }> {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    return { holder, port: (holder.address() as net.AddressInfo).port };
}

/** The temporary folder a start names in its first progress line, read from `lines`. */
function workDirOf(lines: string[]): string {
    const folder = lines.map((line) => /^temporary folder (\S+);/.exec(line)?.[1]).find((found) => found !== undefined);
    assert.ok(folder !== undefined, `no temporary folder line in ${JSON.stringify(lines)}`);
    return folder;
}

describe("npm run local: what it refuses and how it fails", function () {
    this.timeout(60_000);

    it("prints its usage with --help and exits 0", function () {
        const { status, stdout } = local(["--help"]);
        assert.strictEqual(status, 0);
        assert.match(
            stdout,
            /^usage: npm run local -- --stack <name> \[--config key=value\]\.\.\. \[--config-path\] \[--bind-address <ip>\] \[--any-port\] \[--retries\]\n {24}\[--admin-password-file <path> \| --admin-password-stdin\] \[--access-log <file>\] \[--json\]\n/,
        );
    });

    it("stops on a config error with exit 2 and the program's own message, starting nothing", function () {
        const { status, stdout, stderr } = local([
            "--stack",
            "dev",
            "--config",
            "api-cluster:instanceCount=0",
            "--config",
            "api-cluster:instanceCuont=3",
        ]);
        assert.strictEqual(status, 2);
        assert.strictEqual(stdout, "");
        assert.strictEqual(
            stderr,
            [
                "error: stack dev: invalid configuration:",
                "  - api-cluster:instanceCuont is not a known key; did you mean instanceCount?",
                '  - api-cluster:instanceCount must be an integer from 1 to 100; got "0"',
                "",
            ].join("\n"),
        );
    });

    it("refuses a too-short ADMIN_PASSWORD with exit 2, naming the variable, starting nothing", function () {
        const { status, stdout, stderr } = local(["--stack", "dev"], { ...process.env, ADMIN_PASSWORD: "short-pw" });
        assert.strictEqual(status, 2);
        assert.strictEqual(stdout, "");
        assert.strictEqual(stderr, "error: ADMIN_PASSWORD must be 12 to 1024 characters on one line; got a secret of 8 characters\n");
    });

    it("prints roll's usage with roll --help and exits 0", function () {
        const { status, stdout } = local(["roll", "--help"]);
        assert.strictEqual(status, 0);
        assert.match(stdout, /^usage: npm run local -- roll --stack <name> \[--control <socket>\]\nReplaces every instance/);
    });

    it("refuses a roll of a stack that has no run, and a stop-instance without --instance, with exit 2", function () {
        const roll = local(["roll", "--stack", "no-such-stack"]);
        assert.strictEqual(roll.status, 2);
        assert.strictEqual(
            roll.stderr,
            "error: no running npm run local of stack no-such-stack (start one with npm run local -- --stack no-such-stack)\n",
        );
        const stop = local(["stop-instance", "--stack", "dev"]);
        assert.strictEqual(stop.status, 2);
        assert.match(stop.stderr, /^error: give the --instance to stop, such as local-1\nusage: npm run local -- stop-instance /);
    });

    it("refuses a command line without one --stack with exit 2", function () {
        const { status, stderr } = local([]);
        assert.strictEqual(status, 2);
        assert.match(stderr, /^error: give exactly one --stack\nusage: npm run local/);
    });

    it("refuses --config api-cluster:adminPassword with exit 2, saying how instead, never echoing it, starting nothing", function () {
        const { status, stdout, stderr } = local(["--stack", "dev", "--config", "api-cluster:adminPassword=on-the-command-line-0123"]);
        assert.strictEqual(status, 2);
        assert.strictEqual(stdout, "");
        assert.strictEqual(
            stderr,
            "error: --config api-cluster:adminPassword puts the admin password on the command line, where ps shows it to every user of this machine; " +
                "give it with --admin-password-file <path>, --admin-password-stdin, or ADMIN_PASSWORD in the environment\n",
        );
    });

    it("refuses --admin-password-file and --admin-password-stdin together with exit 2", function () {
        const { status, stdout, stderr } = local(["--stack", "dev", "--admin-password-file", "/nonexistent", "--admin-password-stdin"]);
        assert.strictEqual(status, 2);
        assert.strictEqual(stdout, "");
        assert.match(
            stderr,
            /^error: give the admin password once: --admin-password-file or --admin-password-stdin, not both\nusage: npm run local/,
        );
    });

    it("refuses a missing --admin-password-file with exit 2, naming it", function () {
        const { status, stderr } = local(["--stack", "dev", "--admin-password-file", "/nonexistent/password"]);
        assert.strictEqual(status, 2);
        assert.strictEqual(stderr, "error: --admin-password-file /nonexistent/password: ENOENT\n");
    });

    it("says in one line that a busy port is busy", async function () {
        const { holder, port } = await holdPort();
        try {
            const { status, stderr } = local(["--stack", "dev", "--config", `api-cluster:port=${port}`]);
            assert.strictEqual(status, 1);
            assert.strictEqual(
                stderr,
                `error: port ${port} on 127.0.0.1 is busy: another process listens there; stop it, or choose another port with --config api-cluster:port=<port>\n`,
            );
        } finally {
            holder.close();
        }
    });

    it("gives a one-line install hint when haproxy is missing", function () {
        const { status, stderr } = local(["--stack", "dev"], { ...process.env, PATH: path.dirname(process.execPath) });
        assert.strictEqual(status, 1);
        assert.strictEqual(
            stderr,
            "error: haproxy is not installed: install HAProxy, e.g. `sudo apt-get install haproxy` (Debian/Ubuntu) or `brew install haproxy`\n",
        );
    });

    it("stops everything and names the instance when an API dies on start", async function () {
        const lines: string[] = [];
        const settings = readStackSettings({ "api-cluster:instanceCount": "2" }).settings;
        const failure = startLocalCluster({
            settings,
            anyPort: true,
            adminPassword: "local-test-password-0123",
            log: (line) => lines.push(line),
            prepareApi: fakeApi('console.error("api-server: cannot listen on port: boom"); process.exit(3)'),
        });
        await assert.rejects(failure, (err: Error) => {
            assert.ok(err instanceof LocalClusterError);
            assert.match(
                err.message,
                new RegExp(
                    `^instance local-[01] \\(pid \\d+\\) exited with code 3 on start: its last output: api-server: cannot listen on port: boom; ${escape(LISTEN_RULE)}$`,
                ),
            );
            return true;
        });
        assert.strictEqual(fs.existsSync(workDirOf(lines)), false);
    });

    it("stops every instance and names haproxy when haproxy dies on start", async function () {
        const lines: string[] = [];
        // The port is held by local-0 itself, once it runs: free when local checks it, busy when HAProxy binds.
        const { holder, port } = await holdPort();
        await new Promise((resolve) => holder.close(resolve));
        const settings = readStackSettings({ "api-cluster:port": String(port), "api-cluster:instanceCount": "2" }).settings;
        const pidDir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-test-pids-"));
        let haproxyPid = 0;
        const pids = () => fs.readdirSync(pidDir).map((name) => Number(fs.readFileSync(path.join(pidDir, name), "utf8")));
        try {
            const failure = startLocalCluster({
                settings,
                adminPassword: "local-test-password-0123",
                log: (line) => {
                    lines.push(line);
                    haproxyPid = Number(/^haproxy \(pid (\d+)\)/.exec(line)?.[1] ?? haproxyPid);
                },
                prepareApi: fakeApi(HEALTHY_API, pidDir, String(port)),
            });
            await assert.rejects(failure, (err: Error) => {
                assert.ok(err instanceof LocalClusterError, String(err));
                assert.match(err.message, /^haproxy \(pid \d+\) exited with code 1 on start: .*[Cc]annot bind socket.*127\.0\.0\.1:\d+/);
                return true;
            });
            assert.strictEqual(fs.existsSync(workDirOf(lines)), false);
            assert.strictEqual(pids().length, 2);
            assert.ok(haproxyPid > 0);
            for (const pid of [haproxyPid, ...pids()]) {
                assert.strictEqual(isRunning(pid), false, `pid ${pid} still runs`);
            }
        } finally {
            for (const pid of [haproxyPid, ...pids()].filter((pid) => pid > 0 && isRunning(pid))) {
                process.kill(-pid, "SIGKILL");
            }
            fs.rmSync(pidDir, { recursive: true, force: true });
        }
    });

    it("reads which failed start of haproxy lost its listener's port", function () {
        const log =
            "[ALERT]    (11019) : Binding [h.cfg:9] for frontend listener: cannot bind socket (Address already in use) for [127.0.0.1:39991]";
        assert.strictEqual(failedToBind(log, "127.0.0.1", 39991), true);
        assert.strictEqual(failedToBind(log, "127.0.0.1", 39992), false);
        assert.strictEqual(failedToBind("[ALERT] config : parsing [h.cfg:9] : unknown keyword", "127.0.0.1", 39991), false);
    });

    /** The fake cluster's settings: 2 instances, health checks every 5 s (the fewest the schema allows). */
    const fakeSettings = () =>
        readStackSettings({ "api-cluster:instanceCount": "2", "api-cluster:healthCheck": '{"intervalSeconds":5,"timeoutSeconds":2}' })
            .settings;

    it("with any port, starts haproxy again on another port when the one it was given is taken before haproxy binds it", async function () {
        const pidDir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-test-pids-"));
        const { holder, port: taken } = await holdPort();
        const lines: string[] = [];
        const given: number[] = [];
        let cluster;
        try {
            cluster = await startLocalCluster({
                settings: fakeSettings(),
                anyPort: true,
                adminPassword: "local-test-password-0123",
                log: (line) => lines.push(line),
                // The first port is the held one: it stands for a port taken between the check and HAProxy's bind.
                choosePort: async () => {
                    given.push(
                        given.length === 0
                            ? taken
                            : await holdPort().then(
                                  ({ holder: h, port }) => new Promise<number>((resolve) => h.close(() => resolve(port))),
                              ),
                    );
                    return given[given.length - 1];
                },
                prepareApi: fakeApi(HEALTHY_API, pidDir),
            });
            assert.strictEqual(given.length, 2);
            assert.strictEqual(cluster.listenerPort, given[1]);
            assert.strictEqual(cluster.url, `http://127.0.0.1:${given[1]}`);
            assert.strictEqual(lines.filter((line) => line.startsWith("haproxy could not bind")).length, 1);
            assert.ok(lines.includes(`haproxy could not bind 127.0.0.1:${taken}, taken since it was checked free; trying another port`));
        } finally {
            holder.close();
            await cluster?.stop();
            fs.rmSync(pidDir, { recursive: true, force: true });
        }
    });

    it(`with any port, gives up after ${LISTENER_BIND_ATTEMPTS} lost binds in a row, stopping everything`, async function () {
        const lines: string[] = [];
        const pidDir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-test-pids-"));
        const { holder, port: taken } = await holdPort();
        let calls = 0;
        try {
            const failure = startLocalCluster({
                settings: fakeSettings(),
                anyPort: true,
                adminPassword: "local-test-password-0123",
                log: (line) => lines.push(line),
                choosePort: async () => {
                    calls++;
                    return taken;
                },
                prepareApi: fakeApi(HEALTHY_API, pidDir),
            });
            await assert.rejects(failure, (err: Error) => {
                assert.ok(err instanceof LocalClusterError, String(err));
                assert.match(
                    err.message,
                    new RegExp(
                        `^haproxy lost the port it was given on 127\\.0\\.0\\.1 ${LISTENER_BIND_ATTEMPTS} times in a row: haproxy \\(pid \\d+\\) exited with code 1 on start: .*cannot bind socket`,
                    ),
                );
                return true;
            });
            assert.strictEqual(calls, LISTENER_BIND_ATTEMPTS);
            assert.strictEqual(fs.existsSync(workDirOf(lines)), false);
            const pids = fs.readdirSync(pidDir).map((name) => Number(fs.readFileSync(path.join(pidDir, name), "utf8")));
            assert.strictEqual(pids.length, 2);
            assert.deepStrictEqual(pids.filter(isRunning), []);
        } finally {
            holder.close();
            fs.rmSync(pidDir, { recursive: true, force: true });
        }
    });

    it("says what to do, naming API_CLUSTER_MAVEN_ARGS, when Maven cannot download the app's dependency, starting nothing", function () {
        this.timeout(120_000);
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-test-needs-deps-"));
        try {
            fs.writeFileSync(
                path.join(project, "pom.xml"),
                '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' +
                    "<groupId>org.acme</groupId><artifactId>needs-deps</artifactId><version>1</version>" +
                    "<dependencies><dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId>" +
                    "<version>33.0.0-jre</version></dependency></dependencies></project>\n",
            );
            // Debian's plugins from its repository; every download sent to a port nothing listens on.
            const settings = path.join(project, "settings.xml");
            fs.writeFileSync(
                settings,
                "<settings><localRepository>/usr/share/maven-repo</localRepository><mirrors><mirror><id>unreachable</id>" +
                    "<mirrorOf>*</mirrorOf><url>http://127.0.0.1:9/</url></mirror></mirrors></settings>\n",
            );
            const { status, stdout, stderr } = local(
                ["--stack", "dev", "--any-port", "--config", `api-cluster:app={"source":"maven","path":"${project}"}`],
                { ...process.env, ADMIN_PASSWORD: "local-test-password-0123", API_CLUSTER_MAVEN_ARGS: `-s ${settings}` },
            );
            assert.strictEqual(status, 1, stderr);
            assert.strictEqual(stdout, "");
            const errors = stderr.split("\n").filter((line) => line.startsWith("error: "));
            assert.strictEqual(errors.length, 1, stderr);
            assert.match(
                errors[0],
                new RegExp(
                    `^error: building api-cluster:app \\(source maven, path ${escape(project)}\\) failed \\(build-app\\.sh exited with 1\\): ` +
                        "Failed to execute goal on project needs-deps: Could not resolve dependencies for project org\\.acme:needs-deps:jar:1: .*127\\.0\\.0\\.1:9.*" +
                        escape(
                            `. Maven could not download what the project needs: give it network access to Maven Central, or a mirror in ~/.m2/settings.xml, or set API_CLUSTER_MAVEN_ARGS to the Maven arguments your machine needs (now "-s ${settings}"), ` +
                                'e.g. API_CLUSTER_MAVEN_ARGS="-o -s /etc/maven/settings-debian.xml" to build a project without dependencies offline from Debian\'s packaged plugins',
                        ) +
                        "$",
                ),
            );
            assert.strictEqual(stderr.includes("api-cluster-build-"), false, "the temporary copy named");
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });

    describe("an app that cannot serve, named with its cause and what HAProxy saw (tests/fixtures/local-apps)", function () {
        this.timeout(90_000);
        /** One instance, checks every 5 s, two failures to fail. */
        const oneInstance = (count = 1) =>
            readStackSettings({
                "api-cluster:instanceCount": String(count),
                "api-cluster:healthCheck": '{"intervalSeconds":5,"timeoutSeconds":2,"unhealthyThreshold":2}',
            }).settings;

        it("shows a Java exception and its cause, not its last frames, with what the app must do", function () {
            const trace = [
                "local-app: starting on port 8082",
                'Exception in thread "main" java.lang.IllegalStateException: cannot start the web server on port 8082',
                "\tat LocalApp.main(LocalApp.java:22)",
                "Caused by: java.net.BindException: Address already in use",
                "\tat java.base/sun.nio.ch.Net.bind0(Native Method)",
                "\tat java.base/sun.nio.ch.Net.bind(Net.java:555)",
                "\t... 2 more",
                "",
            ].join("\n");
            assert.strictEqual(
                explainOutput(trace),
                'Exception in thread "main" java.lang.IllegalStateException: cannot start the web server on port 8082; ' +
                    "Caused by: java.net.BindException: Address already in use; its last other output: local-app: starting on port 8082",
            );
            assert.strictEqual(explainOutput("one\ntwo\nthree\nfour\n"), "its last output: two | three | four");
            assert.strictEqual(explainOutput(""), "");
        });

        it("names the BindException that stopped an app on start, and says it must listen on $PORT", async function () {
            const { holder, port } = await holdPort();
            const lines: string[] = [];
            try {
                const failure = startLocalCluster({
                    settings: oneInstance(),
                    anyPort: true,
                    adminPassword: "local-test-password-0123",
                    log: (line) => lines.push(line),
                    prepareApi: localApp("bind-taken", String(port)),
                });
                await assert.rejects(failure, (err: Error) => {
                    assert.ok(err instanceof LocalClusterError, String(err));
                    assert.match(
                        err.message,
                        new RegExp(
                            "^instance local-0 \\(pid \\d+\\) exited with code 1 on start: " +
                                escape(
                                    `Exception in thread "main" java.lang.IllegalStateException: cannot start the web server on port ${port}; ` +
                                        "Caused by: java.net.BindException: Address already in use; " +
                                        `its last other output: local-app: starting on port ${port}; ${LISTEN_RULE}`,
                                ) +
                                "$",
                        ),
                    );
                    return true;
                });
                assert.strictEqual(fs.existsSync(workDirOf(lines)), false);
            } finally {
                holder.close();
            }
        });

        it("fails an app whose health path answers 503 or 404 with the path and status HAProxy's checks got, every instance at once", async function () {
            const lines: string[] = [];
            const failure = startLocalCluster({
                settings: oneInstance(2),
                anyPort: true,
                adminPassword: "local-test-password-0123",
                log: (line) => lines.push(line),
                prepareApi: localApp("health", "503,404"),
            });
            await assert.rejects(failure, (err: Error) => {
                assert.ok(err instanceof LocalClusterError, String(err));
                assert.match(
                    err.message,
                    /^haproxy's health check failed 2 times in a row on start: instance local-0 \(pid \d+, port \d+\): GET \/health answered 503, not 200; instance local-1 \(pid \d+, port \d+\): GET \/health answered 404, not 200; the app must answer GET \/health with 200 on \$PORT$/,
                );
                assert.strictEqual(err.message.includes("L7STS"), false);
                return true;
            });
            assert.strictEqual(fs.existsSync(workDirOf(lines)), false);
        });

        it("fails an app that never prints its listening line, with its output and what it must do", async function () {
            const lines: string[] = [];
            const failure = startLocalCluster({
                settings: oneInstance(),
                anyPort: true,
                adminPassword: "local-test-password-0123",
                listenTimeoutMs: 5000,
                log: (line) => lines.push(line),
                prepareApi: localApp("silent", "-"),
            });
            await assert.rejects(failure, (err: Error) => {
                assert.ok(err instanceof LocalClusterError, String(err));
                assert.strictEqual(
                    err.message.replace(/\(pid \d+\)/, "(pid N)"),
                    'instance local-0 (pid N) printed no "api-server: listening on <address>:<port> as local-0" line within 5 s; ' +
                        `its last output: local-app: warming up, listening later; ${LISTEN_RULE}`,
                );
                return true;
            });
            assert.strictEqual(fs.existsSync(workDirOf(lines)), false);
        });

        it("says nothing listens on the port an app claims when it never listens there", async function () {
            const lines: string[] = [];
            const failure = startLocalCluster({
                settings: oneInstance(),
                anyPort: true,
                adminPassword: "local-test-password-0123",
                listenTimeoutMs: 5000,
                log: (line) => lines.push(line),
                // Port 9 (discard): nothing listens there on this machine.
                prepareApi: localApp("claims", "9"),
            });
            await assert.rejects(failure, (err: Error) => {
                assert.ok(err instanceof LocalClusterError, String(err));
                assert.strictEqual(
                    err.message.replace(/\(pid \d+\)/, "(pid N)"),
                    "instance local-0 (pid N) says it listens on port 9, but within 5 s: nothing listening on port 9 (connection refused); " +
                        `its last output: api-server: listening on 127.0.0.1:9 as local-0; ${LISTEN_RULE}`,
                );
                return true;
            });
            assert.strictEqual(fs.existsSync(workDirOf(lines)), false);
        });
    });
});
