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
import { LocalClusterError, startLocalCluster } from "../../local/localCluster";
import { freePort } from "../../local/ports";
import { isRunning } from "../../local/processes";
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

/** A launch command for a fake API: node running `script`, with the instance's environment. */
function fakeApi(script: string, ...args: string[]) {
    return async () => ({ command: process.execPath, args: ["-e", script, ...args], description: "a fake API" });
}

/**
 * A fake API that answers 200 on PORT and writes its pid into the folder argv[1]; instance local-0
 * also holds the port argv[2], so HAProxy cannot bind it.
 */
const HEALTHY_API = `
const fs = require("fs"), http = require("http"), net = require("net"), path = require("path");
fs.writeFileSync(path.join(process.argv[1], process.env.INSTANCE_ID), String(process.pid));
http.createServer((q, s) => s.end("{}")).listen(Number(process.env.PORT), "127.0.0.1");
if (process.env.INSTANCE_ID === "local-0") net.createServer().listen(Number(process.argv[2]), "127.0.0.1");
`;

/** The temporary folders of `local` that exist now. */
function workDirs(): string[] {
    return fs
        .readdirSync("/tmp")
        .filter((name) => name.startsWith("api-cluster-local-"))
        .sort();
}

describe("npm run local: what it refuses and how it fails", function () {
    this.timeout(60_000);

    it("prints its usage with --help and exits 0", function () {
        const { status, stdout } = local(["--help"]);
        assert.strictEqual(status, 0);
        assert.match(
            stdout,
            /^usage: npm run local -- --stack <name> \[--config key=value\]\.\.\. \[--config-path\] \[--bind-address <ip>\]\n/,
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

    it("refuses a command line without one --stack with exit 2", function () {
        const { status, stderr } = local([]);
        assert.strictEqual(status, 2);
        assert.match(stderr, /^error: give exactly one --stack\nusage: npm run local/);
    });

    it("says in one line that a busy port is busy", async function () {
        const port = await freePort();
        const holder = net.createServer();
        await new Promise<void>((resolve) => holder.listen(port, "127.0.0.1", resolve));
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
        const before = workDirs();
        const settings = readStackSettings({ "api-cluster:port": String(await freePort()), "api-cluster:instanceCount": "2" }).settings;
        const failure = startLocalCluster({
            settings,
            adminPassword: "local-test-password-0123",
            prepareApi: fakeApi('console.error("api-server: cannot listen on port: boom"); process.exit(3)'),
        });
        await assert.rejects(failure, (err: Error) => {
            assert.ok(err instanceof LocalClusterError);
            assert.match(
                err.message,
                /^instance local-[01] \(pid \d+\) exited with code 3 on start: api-server: cannot listen on port: boom$/,
            );
            return true;
        });
        assert.deepStrictEqual(workDirs(), before);
    });

    it("stops every instance and names haproxy when haproxy dies on start", async function () {
        const before = workDirs();
        const port = await freePort();
        const settings = readStackSettings({ "api-cluster:port": String(port), "api-cluster:instanceCount": "2" }).settings;
        const pidDir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-test-pids-"));
        let haproxyPid = 0;
        const pids = () => fs.readdirSync(pidDir).map((name) => Number(fs.readFileSync(path.join(pidDir, name), "utf8")));
        try {
            const failure = startLocalCluster({
                settings,
                adminPassword: "local-test-password-0123",
                log: (line) => (haproxyPid = Number(/^haproxy \(pid (\d+)\)/.exec(line)?.[1] ?? haproxyPid)),
                prepareApi: fakeApi(HEALTHY_API, pidDir, String(port)),
            });
            await assert.rejects(failure, (err: Error) => {
                assert.ok(err instanceof LocalClusterError, String(err));
                assert.match(err.message, /^haproxy \(pid \d+\) exited with code 1 on start: .*[Cc]annot bind socket.*127\.0\.0\.1:\d+/);
                return true;
            });
            assert.deepStrictEqual(workDirs(), before);
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
});
