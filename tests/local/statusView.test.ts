/**
 * The local cluster's health at a glance, against real clusters: two runs of the dev stack (Java
 * API processes behind HAProxy), one printing plain lines (stdout is a pipe here) with its access
 * log in a file of the test's choosing, one with `--json`. Requests of known statuses are sent,
 * then an instance is killed with -9: the access log holds exactly one line per request with its
 * status, the status counts the requests each instance served, and the killed instance shows
 * DOWN with what HAProxy's check saw. Everything is stopped in `after`, even when a test fails.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAccessLine } from "../../local/accessLog";
import { ClusterStatus } from "../../local/clusterStatus";
import { LocalRun, get, killAllStarted, startLocal, stopLocal } from "./localRun";
import { setTimeout as sleep } from "timers/promises";

const PASSWORD = "local-test-password-0123";
const AUTH = { Authorization: `Basic ${Buffer.from(`admin@fake.com:${PASSWORD}`).toString("base64")}` };

/** A two-instance cluster of the dev stack with health checks every 5 s, two failures to DOWN. */
function args(flags: string[]): string[] {
    return [
        "--stack",
        "dev",
        "--any-port",
        ...flags,
        "--config-path",
        ...[
            "api-cluster:instanceCount=2",
            "api-cluster:healthCheck.intervalSeconds=5",
            "api-cluster:healthCheck.timeoutSeconds=2",
            "api-cluster:healthCheck.unhealthyThreshold=2",
            "api-cluster:deregistrationDelaySeconds=2",
        ].flatMap((setting) => ["--config", setting]),
    ];
}

/** Waits (up to `ms`) until `found` returns something for the run's output; throws naming what it waited for. */
async function waitFor<T>(what: string, found: () => T | undefined, ms = 20_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
        const value = found();
        if (value !== undefined) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error(`no ${what} within ${ms / 1000} s`);
        }
        await sleep(100);
    }
}

/** The status objects a `--json` run has printed, in order. */
function statuses(run: LocalRun): ClusterStatus[] {
    return run
        .stdout()
        .split("\n")
        .slice(1)
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as { type: string } & ClusterStatus)
        .filter((line) => line.type === "status");
}

/**
 * Sends the same mix to a cluster: 6 authenticated GETs of /api/instance (200), 2 of /health (200),
 * 2 of /no-such-path (404), one after another. Resolves with each instance's count of
 * /api/instance answers and the statuses in order.
 */
async function sendMix(url: string): Promise<{ byInstance: Record<string, number>; statuses: number[] }> {
    const byInstance: Record<string, number> = {};
    const sent: number[] = [];
    for (let i = 0; i < 6; i++) {
        const reply = await get(`${url}/api/instance`, AUTH);
        sent.push(reply.status);
        const id = String(reply.body.instanceId);
        byInstance[id] = (byInstance[id] ?? 0) + 1;
    }
    for (const target of ["/health", "/health", "/no-such-path", "/no-such-path"]) {
        sent.push((await get(`${url}${target}`)).status);
    }
    return { byInstance, statuses: sent };
}

describe("npm run local's status view and access log, on real clusters", function () {
    this.timeout(120_000);
    let plain: LocalRun | undefined;
    let json: LocalRun | undefined;
    let folder: string;
    let accessLog: string;

    before(async function () {
        folder = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-test-access-"));
        accessLog = path.join(folder, "access.log");
        const runs = await Promise.allSettled([
            startLocal(args(["--access-log", accessLog]), 2, { ADMIN_PASSWORD: PASSWORD }),
            startLocal(args(["--json"]), 2, { ADMIN_PASSWORD: PASSWORD }),
        ]);
        [plain, json] = runs.map((run) => (run.status === "fulfilled" ? run.value : undefined));
        const failed = runs.find((run): run is PromiseRejectedResult => run.status === "rejected");
        if (failed !== undefined) {
            throw failed.reason;
        }
    });

    after(async function () {
        await Promise.all([plain, json].map(stopLocal));
        killAllStarted();
        fs.rmSync(folder, { recursive: true, force: true });
    });

    describe("plain lines, with --access-log", function () {
        it("prints each instance once when ready, UP with the check it passed, and nothing more while nothing changes", async function () {
            const run = plain as LocalRun;
            assert.strictEqual(run.accessLog, accessLog);
            await sleep(2500);
            const lines = run.stdout().split("\n").slice(4, -1);
            assert.deepStrictEqual(
                lines.map((line) => line.replace(/^\d{2}:\d{2}:\d{2} /, "")),
                ["local-0 UP: GET /health answered 200; 0 requests, 0 5xx", "local-1 UP: GET /health answered 200; 0 requests, 0 5xx"],
            );
        });

        it("logs exactly one line per request sent, with its instance, status, method and path", async function () {
            const run = plain as LocalRun;
            const mix = await sendMix(run.url);
            assert.deepStrictEqual(mix.statuses, [200, 200, 200, 200, 200, 200, 200, 200, 404, 404]);
            const lines = await waitFor("10 access log lines", () => {
                const text = fs.readFileSync(accessLog, "utf8");
                return text.split("\n").length - 1 >= 10 ? text.split("\n").slice(0, -1) : undefined;
            });
            await sleep(500);
            assert.strictEqual(fs.readFileSync(accessLog, "utf8").split("\n").length - 1, 10, "more lines than requests");
            const entries = lines.map((line) => parseAccessLine(line));
            assert.ok(
                entries.every((entry) => entry !== undefined),
                lines.join("\n"),
            );
            assert.deepStrictEqual(
                entries.map((entry) => [entry?.status, entry?.method, entry?.path, entry?.termination]),
                [
                    ...Array.from({ length: 6 }, () => [200, "GET", "/api/instance", "--"]),
                    [200, "GET", "/health", "--"],
                    [200, "GET", "/health", "--"],
                    [404, "GET", "/no-such-path", "--"],
                    [404, "GET", "/no-such-path", "--"],
                ],
            );
            // Round robin: the answers' own instance ids are the log's.
            const logged: Record<string, number> = {};
            for (const entry of entries.slice(0, 6)) {
                logged[entry?.instance as string] = (logged[entry?.instance as string] ?? 0) + 1;
            }
            assert.deepStrictEqual(logged, mix.byInstance);
            assert.deepStrictEqual(mix.byInstance, { "local-0": 3, "local-1": 3 });
            for (const entry of entries) {
                assert.match(entry?.time as string, /^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2}\.\d{3}$/);
                assert.ok((entry?.durationMs as number) >= 0);
            }
        });

        it("shows a killed instance DOWN with what the check saw, and the request it failed as an error, in plain lines", async function () {
            const run = plain as LocalRun;
            const victim = run.instances[1];
            process.kill(victim.pid, "SIGKILL");
            // Until HAProxy's checks see it, round robin sends it every other request: one of two fails, with
            // 503 (connection refused) or, while the kernel still tears its socket down, 502, as the ALB answers.
            const replies = [(await get(`${run.url}/health`)).status, (await get(`${run.url}/health`)).status];
            const failedWith = replies.find((status) => status !== 200) as number;
            assert.ok([502, 503].includes(failedWith), JSON.stringify(replies));
            assert.deepStrictEqual(replies.filter((status) => status === 200).length, 1);
            const down = await waitFor("DOWN line", () =>
                run
                    .stdout()
                    .split("\n")
                    .find((line) => / local-1 DOWN: /.test(line)),
            );
            assert.match(
                down,
                new RegExp(
                    `^\\d{2}:\\d{2}:\\d{2} local-1 DOWN: nothing listening on port ${victim.port} \\(Connection refused\\); \\d+ requests, [01] 5xx$`,
                ),
            );
            const errorLines = run
                .stdout()
                .split("\n")
                .filter((line) => / new error| local-1 50[23] /.test(line));
            assert.strictEqual(errorLines.length, 2, run.stdout());
            assert.match(errorLines[0], /^\d{2}:\d{2}:\d{2} 1 new error\(s\) \(1 of 12 requests so far\):$/);
            assert.match(errorLines[1], new RegExp(`^\\d{2}:\\d{2}:\\d{2} {3}\\S+ local-1 ${failedWith} S[CHD] \\d+ ms GET /health$`));
            const statuses = fs
                .readFileSync(accessLog, "utf8")
                .split("\n")
                .slice(0, -1)
                .map((line) => parseAccessLine(line)?.status);
            // The log has the statuses the client got, in order.
            assert.deepStrictEqual(statuses.slice(10), replies);
            assert.strictEqual(statuses.length, 12);
        });

        it("keeps the --access-log file after the run stops, each request once", async function () {
            const run = plain as LocalRun;
            process.kill(-(run.child.pid as number), "SIGTERM");
            await run.exited;
            assert.strictEqual(fs.existsSync(run.workDir), false);
            assert.strictEqual(fs.readFileSync(accessLog, "utf8").split("\n").length - 1, 12);
        });
    });

    describe("--json", function () {
        it("prints the ready line, then status objects: the requests each instance served, and a killed instance DOWN", async function () {
            const run = json as LocalRun;
            const ready = JSON.parse(run.stdout().split("\n")[0]) as { type: string; url: string; accessLog: string };
            assert.deepStrictEqual([ready.type, ready.url, ready.accessLog], ["ready", run.url, path.join(run.workDir, "access.log")]);
            const mix = await sendMix(run.url);
            assert.deepStrictEqual(mix.byInstance, { "local-0": 3, "local-1": 3 });
            const counted = await waitFor("a status with 10 requests", () => statuses(run).find((status) => status.requests === 10));
            assert.deepStrictEqual(
                counted.instances.map((instance) => [
                    instance.instanceId,
                    instance.state,
                    instance.requests,
                    instance.errors5xx,
                    instance.check,
                ]),
                [
                    ["local-0", "UP", 5, 0, "GET /health answered 200"],
                    ["local-1", "UP", 5, 0, "GET /health answered 200"],
                ],
            );
            assert.deepStrictEqual([counted.up, counted.errors, counted.lastErrors], [2, 0, []]);
            assert.deepStrictEqual(
                counted.instances.map((instance) => [instance.pid, instance.port]),
                run.instances.map((instance) => [instance.pid, instance.port]),
            );

            const victim = run.instances[0];
            process.kill(victim.pid, "SIGKILL");
            const down = await waitFor("a status with local-0 DOWN", () =>
                statuses(run).find((status) => status.instances[0].state === "DOWN"),
            );
            assert.deepStrictEqual(
                down.instances.map((instance) => [instance.instanceId, instance.state, instance.checkStatus, instance.check]),
                [
                    ["local-0", "DOWN", "L4CON", `nothing listening on port ${victim.port} (Connection refused)`],
                    ["local-1", "UP", "L7OK", "GET /health answered 200"],
                ],
            );
            assert.strictEqual(down.up, 1);
            // Every line is one JSON object.
            for (const line of run
                .stdout()
                .split("\n")
                .filter((text) => text !== "")) {
                assert.strictEqual(typeof JSON.parse(line), "object");
            }
        });
    });
});
