/**
 * `npm run local` for real: Java API processes behind HAProxy, driven over HTTP, signals and the
 * run's control socket (`npm run local -- roll`, `stop-instance`), with `npm run smoke` against
 * them and a bounded load (bench/load.ts) through every change. Three clusters of the dev stack
 * start at once, each on a port of its own that nothing chose for it beforehand (`--any-port`;
 * the instances bind port 0); health checks every 5 s, the smallest interval the schema allows.
 * Everything is stopped in `after`, even when a test fails.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { CUT_MID_ANSWER, Load, startLoad } from "../../bench/load";
import { BACKEND } from "../../local/haproxyConfig";
import { showServers } from "../../local/haproxyStats";
import { isRunning } from "../../local/processes";
import { parseReadyOutput } from "../../local/readyOutput";
import { LocalRun, get, killAllStarted, runScript, runSmoke, startLocal, stopLocal } from "./localRun";
import { setTimeout as sleep } from "timers/promises";

const PASSWORD = "local-test-password-0123";
/** An ADMIN_PASSWORD in the environment of a cluster that also gets PASSWORD from a file or stdin: those win. */
const IGNORED_ENV_PASSWORD = "ignored-env-password-0123";
/** The Authorization header of the admin user with `password`. */
const basicAuth = (password: string) => ({ Authorization: `Basic ${Buffer.from(`admin@fake.com:${password}`).toString("base64")}` });
const AUTH = basicAuth(PASSWORD);
const INTERVAL_SECONDS = 5;
const UNHEALTHY_THRESHOLD = 2;

/** The flags of a test cluster: fast health checks, any free port, and `extra` settings. */
function clusterArgs(instanceCount: number, extra: string[], flags: string[] = []): string[] {
    return [
        "--stack",
        "dev",
        "--any-port",
        ...flags,
        "--config-path",
        ...[
            `api-cluster:instanceCount=${instanceCount}`,
            "api-cluster:availabilityZoneCount=2",
            `api-cluster:healthCheck.intervalSeconds=${INTERVAL_SECONDS}`,
            "api-cluster:healthCheck.timeoutSeconds=2",
            "api-cluster:healthCheck.healthyThreshold=2",
            `api-cluster:healthCheck.unhealthyThreshold=${UNHEALTHY_THRESHOLD}`,
            "api-cluster:deregistrationDelaySeconds=5",
            ...extra,
        ].flatMap((setting) => ["--config", setting]),
    ];
}

/** How a request fails when the instance dies after its answer began: the connection closes or resets under it. */
const CUT_ANSWER_KINDS = [CUT_MID_ANSWER, "ECONNRESET"];

/** A load's failures split into answers cut mid-way by a killed instance (no proxy can re-send those) and the rest. */
function splitCutAnswers(failures: Record<string, number>): { cut: number; others: Record<string, number> } {
    const others = Object.fromEntries(Object.entries(failures).filter(([kind]) => !CUT_ANSWER_KINDS.includes(kind)));
    const cut = CUT_ANSWER_KINDS.reduce((sum, kind) => sum + (failures[kind] ?? 0), 0);
    return { cut, others };
}

/** A bounded load of authenticated GETs of /api/instance (at most 3 minutes). */
function loadOn(url: string, concurrency = 4): Load {
    return startLoad({ url: `${url}/api/instance`, headers: AUTH, concurrency, deadlineMs: 180_000 });
}

/** The command line of `pid`, as `ps` shows it to every user. */
function commandLineOf(pid: number): string {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
}

/** Whether a TCP connection to `host:port` is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect(port, host);
        socket.once("connect", () => {
            socket.destroy();
            resolve(true);
        });
        socket.once("error", () => resolve(false));
    });
}

/** `count` authenticated GETs of /api/instance, one after another: how many each instance answered, and the failures. */
async function spread(url: string, count: number): Promise<{ hits: Record<string, number>; failures: string[] }> {
    const hits: Record<string, number> = {};
    const failures: string[] = [];
    for (let i = 0; i < count; i++) {
        try {
            const reply = await get(`${url}/api/instance`, AUTH);
            if (reply.status === 200) {
                const id = String(reply.body.instanceId);
                hits[id] = (hits[id] ?? 0) + 1;
            } else {
                failures.push(`status ${reply.status}`);
            }
        } catch (err) {
            failures.push((err as Error).message);
        }
    }
    return { hits, failures };
}

/** Six requests through one cookie jar: the instance and count of each, and the cookies the jar ends with. */
async function jarSession(url: string): Promise<{ steps: { instanceId: string; count: number }[]; cookies: string[] }> {
    const jar = new Map<string, string>();
    const steps: { instanceId: string; count: number }[] = [];
    for (let i = 0; i < 6; i++) {
        const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
        const reply = await get(`${url}/api/session/counter`, cookie ? { Cookie: cookie } : {});
        assert.strictEqual(reply.status, 200);
        for (const header of reply.setCookies) {
            const [pair] = header.split(";");
            const at = pair.indexOf("=");
            jar.set(pair.slice(0, at), pair.slice(at + 1));
        }
        steps.push({ instanceId: String(reply.body.instanceId), count: Number(reply.body.count) });
    }
    return { steps, cookies: [...jar.keys()].sort() };
}

/** The ejection bound of the test clusters, plus a second: unhealthyThreshold × interval + 1 s. */
const EJECTION_BOUND_MS = (UNHEALTHY_THRESHOLD * INTERVAL_SECONDS + 1) * 1000;

/** When HAProxy first showed `instanceId` DOWN, polling until the bound plus 5 s after `since`; undefined if it never did. */
async function downAt(run: LocalRun, instanceId: string, since: number): Promise<number | undefined> {
    while (Date.now() - since < EJECTION_BOUND_MS + 5000) {
        const stats = await showServers(run.statsSocket, BACKEND);
        if (stats.find((stat) => stat.name === instanceId)?.status === "DOWN") {
            return Date.now();
        }
        await sleep(100);
    }
    return undefined;
}

/** Whether `port` on 127.0.0.1 can be bound now. */
function portFree(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = net.createServer();
        server.once("error", () => resolve(false));
        server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
}

describe("npm run local, with HAProxy and real API processes", function () {
    this.timeout(90_000);
    let plain: LocalRun | undefined;
    let lbCookie: LocalRun | undefined;
    let appCookie: LocalRun | undefined;
    let secrets: string;

    before(async function () {
        secrets = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-test-secret-"));
        const passwordFile = path.join(secrets, "password");
        fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
        const runs = await Promise.allSettled([
            // The password from a file, over an ADMIN_PASSWORD that is also set.
            startLocal(clusterArgs(3, [], ["--admin-password-file", passwordFile]), 3, { ADMIN_PASSWORD: IGNORED_ENV_PASSWORD }),
            // The password on stdin, over ADMIN_PASSWORD; HAProxy's retries on.
            startLocal(
                clusterArgs(
                    2,
                    [
                        "api-cluster:stickiness.enabled=true",
                        "api-cluster:stickiness.type=lb_cookie",
                        "api-cluster:stickiness.durationSeconds=600",
                    ],
                    ["--admin-password-stdin", "--retries"],
                ),
                2,
                { ADMIN_PASSWORD: IGNORED_ENV_PASSWORD },
                `${PASSWORD}\n`,
            ),
            // The password from the environment, as docs/local-cluster.md runs it.
            startLocal(
                clusterArgs(2, [
                    "api-cluster:stickiness.enabled=true",
                    "api-cluster:stickiness.type=app_cookie",
                    "api-cluster:stickiness.cookieName=API_SESSION",
                ]),
                2,
                { ADMIN_PASSWORD: PASSWORD },
            ),
        ]);
        [plain, lbCookie, appCookie] = runs.map((run) => (run.status === "fulfilled" ? run.value : undefined));
        const failed = runs.find((run): run is PromiseRejectedResult => run.status === "rejected");
        if (failed !== undefined) {
            throw failed.reason;
        }
    });

    after(async function () {
        await Promise.all([plain, lbCookie, appCookie].map(stopLocal));
        killAllStarted();
        fs.rmSync(secrets, { recursive: true, force: true });
    });

    describe("a cluster without stickiness, as the ALB (no retries)", function () {
        /** The pids of the instances it started with, before the roll. */
        let firstPids: number[] = [];

        it("labels 3 instances round robin over 2 zones and prints the URL", function () {
            const run = plain as LocalRun;
            assert.match(run.url, /^http:\/\/127\.0\.0\.1:\d+$/);
            assert.deepStrictEqual(
                run.instances.map((instance) => [instance.instanceId, instance.zone]),
                [
                    ["local-0", "local-a"],
                    ["local-1", "local-b"],
                    ["local-2", "local-a"],
                ],
            );
            assert.strictEqual(new Set(run.instances.map((instance) => instance.port)).size, 3);
            firstPids = run.instances.map((instance) => instance.pid);
        });

        it("takes the admin password from --admin-password-file over ADMIN_PASSWORD", async function () {
            const url = `${(plain as LocalRun).url}/api/instance`;
            assert.strictEqual((await get(url, AUTH)).status, 200);
            assert.strictEqual((await get(url, basicAuth(IGNORED_ENV_PASSWORD))).status, 401);
        });

        it("hands the password to each instance in its environment only: on no command line, in no log", function () {
            const run = plain as LocalRun;
            const pids = [run.child.pid as number, run.haproxyPid, ...run.instances.map((instance) => instance.pid)];
            for (const pid of pids) {
                const commandLine = commandLineOf(pid);
                assert.ok(commandLine.length > 0, `pid ${pid} has no command line`);
                assert.strictEqual(commandLine.includes(PASSWORD), false, `pid ${pid}'s command line holds the password: ${commandLine}`);
            }
            assert.match(commandLineOf(run.instances[0].pid), /\bjava\b.*-jar /);
            for (const instance of run.instances) {
                const environment = fs.readFileSync(`/proc/${instance.pid}/environ`, "utf8").split("\0");
                assert.ok(environment.includes(`ADMIN_PASSWORD=${PASSWORD}`), `instance ${instance.instanceId} did not get the password`);
            }
            const files = fs
                .readdirSync(run.workDir)
                .filter((name) => name.endsWith(".log") || name.endsWith(".cfg") || name.endsWith(".json"));
            assert.deepStrictEqual(files.sort(), [
                "access.log",
                "haproxy.cfg",
                "haproxy.log",
                "local-0.log",
                "local-1.log",
                "local-2.log",
                "run.json",
            ]);
            for (const name of files) {
                assert.strictEqual(
                    fs.readFileSync(path.join(run.workDir, name), "utf8").includes(PASSWORD),
                    false,
                    `${name} holds the password`,
                );
            }
            assert.strictEqual(run.stderr().includes(PASSWORD), false, "local's stderr holds the password");
        });

        it("binds every instance on 127.0.0.1 only, so another address of the machine (127.0.0.2) is refused", async function () {
            const run = plain as LocalRun;
            for (const instance of run.instances) {
                const log = fs.readFileSync(path.join(run.workDir, `${instance.instanceId}.log`), "utf8");
                assert.match(log, new RegExp(`^api-server: listening on 127\\.0\\.0\\.1:${instance.port} as ${instance.instanceId}$`, "m"));
                assert.strictEqual(await accepts("127.0.0.1", instance.port), true);
                assert.strictEqual(await accepts("127.0.0.2", instance.port), false, `${instance.instanceId} listens beyond 127.0.0.1`);
            }
        });

        it("spreads 30 requests over its 3 instances, 10 each", async function () {
            const { hits, failures } = await spread((plain as LocalRun).url, 30);
            assert.deepStrictEqual(failures, []);
            assert.deepStrictEqual(hits, { "local-0": 10, "local-1": 10, "local-2": 10 });
        });

        it("passes every smoke check", async function () {
            const smoke = await runSmoke(["--url", (plain as LocalRun).url, "--expect-instances", "3", "--stickiness", "off", "--json"], {
                ADMIN_PASSWORD: PASSWORD,
            });
            assert.strictEqual(smoke.status, 0, smoke.stderr);
            const report = JSON.parse(smoke.stdout) as { passed: boolean; checks: { name: string; status: string }[] };
            assert.strictEqual(report.passed, true);
            assert.deepStrictEqual(
                report.checks.map((check) => [check.name, check.status]),
                [
                    ["health", "passed"],
                    ["auth-required", "passed"],
                    ["auth", "passed"],
                    ["instances", "passed"],
                    ["stickiness", "passed"],
                ],
            );
        });

        it("asks for --control when several runs of the stack are up, naming them", async function () {
            const roll = await runScript("local", ["roll", "--stack", "dev"]);
            assert.strictEqual(roll.status, 2);
            assert.match(
                roll.stderr,
                /^error: \d+ runs of stack dev are up \(pid \d+ at http:\/\/127\.0\.0\.1:\d+, .*\); name one with --control <socket>: /,
            );
            for (const run of [plain, lbCookie, appCookie] as LocalRun[]) {
                assert.ok(roll.stderr.includes(run.controlSocket), `${run.controlSocket} not named`);
            }
        });

        it("replaces every instance with npm run local -- roll, failing none of a steady load's requests", async function () {
            this.timeout(180_000);
            const run = plain as LocalRun;
            const load = loadOn(run.url);
            await sleep(1000);
            const roll = await runScript("local", ["roll", "--stack", "dev", "--control", run.controlSocket]);
            await sleep(1000);
            const result = await load.stop();
            assert.strictEqual(roll.status, 0, roll.stderr);
            assert.deepStrictEqual(result.failures, {});
            assert.ok(result.ok > 50, `only ${result.ok} requests answered`);
            assert.deepStrictEqual(Object.keys(result.byInstance).sort(), [
                "local-0",
                "local-1",
                "local-2",
                "local-3",
                "local-4",
                "local-5",
            ]);
            const table = parseReadyOutput(`ready: ${run.url}\n${roll.stdout}`, 3);
            assert.deepStrictEqual(
                table?.instances.map((instance) => [instance.instanceId, instance.zone]),
                [
                    ["local-3", "local-b"],
                    ["local-4", "local-a"],
                    ["local-5", "local-b"],
                ],
            );
            run.instances.push(...(table?.instances ?? []));
            assert.deepStrictEqual(
                roll.stderr
                    .split("\n")
                    .filter((line) => line.startsWith("rolled "))
                    .map((line) => line.split(" ").slice(0, 6).join(" ")),
                ["rolled local-0 (pid", "rolled local-1 (pid", "rolled local-2 (pid"].map(
                    (start, index) => `${start} ${firstPids[index]}) to local-${index + 3}`,
                ),
            );
            assert.deepStrictEqual(firstPids.filter(isRunning), []);
            assert.strictEqual(run.stderr().includes("it is not restarted"), false, "a rolled instance was reported as dead");
            const after = await spread(run.url, 30);
            assert.deepStrictEqual(after.failures, []);
            assert.deepStrictEqual(after.hits, { "local-3": 10, "local-4": 10, "local-5": 10 });
        });

        it("stops one instance with npm run local -- stop-instance, deregistered first, failing none of a steady load's requests", async function () {
            const run = plain as LocalRun;
            const victim = run.instances.find((instance) => instance.instanceId === "local-5");
            assert.ok(victim !== undefined);
            const load = loadOn(run.url);
            await sleep(1000);
            const stop = await runScript("local", [
                "stop-instance",
                "--stack",
                "dev",
                "--control",
                run.controlSocket,
                "--instance",
                "local-5",
            ]);
            await sleep(1000);
            const result = await load.stop();
            assert.strictEqual(stop.status, 0, stop.stderr);
            assert.deepStrictEqual(result.failures, {});
            assert.ok(result.ok > 20, `only ${result.ok} requests answered`);
            assert.deepStrictEqual(
                parseReadyOutput(`ready: x\n${stop.stdout}`, 2)?.instances.map((instance) => instance.instanceId),
                ["local-3", "local-4"],
            );
            assert.strictEqual(isRunning(victim.pid), false);
            const after = await spread(run.url, 10);
            assert.deepStrictEqual(after.failures, []);
            assert.deepStrictEqual(Object.keys(after.hits).sort(), ["local-3", "local-4"]);
        });

        it("refuses to stop an instance it does not have, naming those it has", async function () {
            const stop = await runScript("local", [
                "stop-instance",
                "--stack",
                "dev",
                "--control",
                (plain as LocalRun).controlSocket,
                "--instance",
                "local-0",
            ]);
            assert.strictEqual(stop.status, 1);
            assert.strictEqual(stop.stderr, "error: stop-instance: no instance local-0; the instances are local-3, local-4\n");
        });

        it("fails smoke with one instance gone, naming the instances check", async function () {
            const smoke = await runSmoke(["--url", (plain as LocalRun).url, "--expect-instances", "3", "--stickiness", "off"], {
                ADMIN_PASSWORD: PASSWORD,
            });
            assert.strictEqual(smoke.status, 1);
            assert.match(
                smoke.stderr,
                /^FAIL instances: 15 requests reached 2 distinct instances, expected 3: local-[34] ×\d+, local-[34] ×\d+\n$/,
            );
            assert.deepStrictEqual(
                smoke.stdout
                    .split("\n")
                    .filter((line) => line !== "")
                    .map((line) => line.split(":")[0]),
                ["smoke http", "PASS health", "PASS auth-required", "PASS auth", "PASS stickiness"],
            );
        });

        it("stops every process it ever started, frees the port and removes its folder on Ctrl-C", async function () {
            const run = plain as LocalRun;
            const port = Number(new URL(run.url).port);
            process.kill(-(run.child.pid as number), "SIGINT");
            assert.strictEqual(await run.exited, 0, run.stderr());
            for (const pid of [run.haproxyPid, ...run.instances.map((instance) => instance.pid)]) {
                assert.strictEqual(isRunning(pid), false, `pid ${pid} still runs`);
            }
            assert.strictEqual(await portFree(port), true);
            assert.strictEqual(fs.existsSync(run.workDir), false);
        });
    });

    describe("a cluster with lb_cookie stickiness and --retries", function () {
        it("takes the admin password from stdin over ADMIN_PASSWORD", async function () {
            const url = `${(lbCookie as LocalRun).url}/api/instance`;
            assert.strictEqual((await get(url, AUTH)).status, 200);
            assert.strictEqual((await get(url, basicAuth(IGNORED_ENV_PASSWORD))).status, 401);
        });

        it("keeps a cookie jar on one instance while its counter climbs, with an AWSALB cookie", async function () {
            const { steps, cookies } = await jarSession((lbCookie as LocalRun).url);
            assert.strictEqual(new Set(steps.map((step) => step.instanceId)).size, 1);
            assert.deepStrictEqual(
                steps.map((step) => step.count),
                [1, 2, 3, 4, 5, 6],
            );
            assert.deepStrictEqual(cookies, ["API_SESSION", "AWSALB"]);
        });

        it("refuses a roll, which HAProxy 2.6 cannot give an AWSALB cookie, changing nothing", async function () {
            const run = lbCookie as LocalRun;
            const roll = await runScript("local", ["roll", "--stack", "dev", "--control", run.controlSocket]);
            assert.strictEqual(roll.status, 1);
            assert.strictEqual(
                roll.stderr,
                "error: roll: cannot roll with lb_cookie stickiness: HAProxy 2.6 gives no cookie to a server added at run time; restart npm run local instead\n",
            );
            assert.deepStrictEqual(
                (await showServers(run.statsSocket, BACKEND)).map((stat) => [stat.name, stat.status]),
                [
                    ["local-0", "UP"],
                    ["local-1", "UP"],
                ],
            );
        });

        it("with --retries, refuses none of a steady load's requests when an instance is killed with -9 (at most the answers it was sending are cut), out of rotation within unhealthyThreshold × interval + 1 s", async function () {
            const run = lbCookie as LocalRun;
            const victim = run.instances[1];
            const load = loadOn(run.url, 2);
            await sleep(500);
            const killedAt = Date.now();
            process.kill(victim.pid, "SIGKILL");
            const ejectedAt = await downAt(run, victim.instanceId, killedAt);
            await sleep(500);
            const result = await load.stop();
            assert.ok(ejectedAt !== undefined, "haproxy never took it out of rotation");
            assert.ok(ejectedAt - killedAt <= EJECTION_BOUND_MS, `ejected after ${ejectedAt - killedAt} ms; bound ${EJECTION_BOUND_MS} ms`);
            // HAProxy re-sends a request that found no connection or got no answer, but not one whose answer
            // it had begun to relay when the instance died (2 of 10 runs here cut one such answer): at most one
            // per load loop may be cut mid-answer (the connection closes or resets under it), and none may be
            // refused or answered with an error status.
            const { cut, others } = splitCutAnswers(result.failures);
            assert.deepStrictEqual(others, {});
            assert.ok(cut <= 2, `${cut} answers cut mid-way by the kill; at most one per load loop (2)`);
            assert.ok(result.ok > 20, `only ${result.ok} requests answered`);
            const after = await spread(run.url, 20);
            assert.deepStrictEqual(after.failures, []);
            assert.deepStrictEqual(after.hits, { "local-0": 20 });
            assert.match(
                run.stderr(),
                new RegExp(`instance local-1 \\(pid ${victim.pid}, port ${victim.port}\\) was killed by SIGKILL; it is not restarted`),
            );
            assert.strictEqual(isRunning(victim.pid), false);
        });
    });

    describe("a cluster with app_cookie stickiness, as the ALB (no retries)", function () {
        it("keeps a cookie jar on one instance while its counter climbs, by the AWSALBAPP-0 cookie added beside API_SESSION", async function () {
            const { steps, cookies } = await jarSession((appCookie as LocalRun).url);
            assert.strictEqual(new Set(steps.map((step) => step.instanceId)).size, 1);
            assert.deepStrictEqual(
                steps.map((step) => step.count),
                [1, 2, 3, 4, 5, 6],
            );
            assert.deepStrictEqual(cookies, ["API_SESSION", "AWSALBAPP-0"]);
        });

        it("fails requests to an instance killed with -9 until haproxy takes it out, as the ALB does, and none after", async function () {
            const run = appCookie as LocalRun;
            const victim = run.instances[1];
            const load = loadOn(run.url, 2);
            await sleep(500);
            const killedAt = Date.now();
            process.kill(victim.pid, "SIGKILL");
            const ejectedAt = await downAt(run, victim.instanceId, killedAt);
            const during = await load.stop();
            assert.ok(ejectedAt !== undefined, "haproxy never took it out of rotation");
            assert.ok(ejectedAt - killedAt <= EJECTION_BOUND_MS, `ejected after ${ejectedAt - killedAt} ms; bound ${EJECTION_BOUND_MS} ms`);
            assert.ok(during.failed > 0, "no request failed: haproxy retried them");
            // A refused connection answers 503 (HAProxy's code; the ALB's is 502); a request cut in flight 502,
            // or, when its answer had begun, a connection closed under it (at most one per load loop).
            const { cut, others } = splitCutAnswers(during.failures);
            assert.deepStrictEqual(
                Object.keys(others).filter((kind) => kind !== "status 503" && kind !== "status 502"),
                [],
                JSON.stringify(during.failures),
            );
            assert.ok(cut <= 2, `${cut} answers cut mid-way by the kill; at most one per load loop (2)`);
            const after = await spread(run.url, 20);
            assert.deepStrictEqual(after.failures, []);
            assert.deepStrictEqual(after.hits, { "local-0": 20 });
        });
    });
});
