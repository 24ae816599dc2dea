/**
 * `npm run local` for real: Java API processes behind HAProxy, driven over HTTP and signals, with
 * `npm run smoke` against them. Three clusters start at once (health checks every 5 s, the
 * smallest interval the schema allows); everything is stopped in `after`, even when a test fails.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as net from "net";
import { BACKEND } from "../../local/haproxyConfig";
import { showServers } from "../../local/haproxyStats";
import { freePort } from "../../local/ports";
import { isRunning } from "../../local/processes";
import { LocalRun, get, killAllStarted, runSmoke, startLocal, stopLocal } from "./localRun";
import { setTimeout as sleep } from "timers/promises";

const PASSWORD = "local-test-password-0123";
/** An ADMIN_PASSWORD in the environment of a cluster that also gets PASSWORD with --config: the config wins. */
const IGNORED_ENV_PASSWORD = "ignored-env-password-0123";
/** The Authorization header of the admin user with `password`. */
const basicAuth = (password: string) => ({ Authorization: `Basic ${Buffer.from(`admin@fake.com:${password}`).toString("base64")}` });
const AUTH = basicAuth(PASSWORD);
const INTERVAL_SECONDS = 5;
const UNHEALTHY_THRESHOLD = 2;

/**
 * The `--config` flags of a test cluster: fast health checks, its own port, and the test password
 * unless `passwordFlag` is false (the cluster then reads it from ADMIN_PASSWORD).
 */
function clusterArgs(port: number, instanceCount: number, extra: string[], passwordFlag = true): string[] {
    return [
        "--stack",
        "dev",
        "--config-path",
        ...[
            `api-cluster:port=${port}`,
            `api-cluster:instanceCount=${instanceCount}`,
            "api-cluster:availabilityZoneCount=2",
            ...(passwordFlag ? [`api-cluster:adminPassword=${PASSWORD}`] : []),
            `api-cluster:healthCheck.intervalSeconds=${INTERVAL_SECONDS}`,
            "api-cluster:healthCheck.timeoutSeconds=2",
            "api-cluster:healthCheck.healthyThreshold=2",
            `api-cluster:healthCheck.unhealthyThreshold=${UNHEALTHY_THRESHOLD}`,
            "api-cluster:deregistrationDelaySeconds=5",
            ...extra,
        ].flatMap((setting) => ["--config", setting]),
    ];
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

/** Requests from `workers` concurrent loops until `stop()` says so; counts answers and failures. */
function steadyLoad(
    url: string,
    workers: number,
): { stop: () => Promise<{ ok: number; failures: string[]; hits: Record<string, number> }> } {
    let running = true;
    const result = { ok: 0, failures: [] as string[], hits: {} as Record<string, number> };
    const loops = Array.from({ length: workers }, async () => {
        while (running) {
            try {
                const reply = await get(`${url}/api/instance`, AUTH);
                if (reply.status === 200) {
                    result.ok++;
                    const id = String(reply.body.instanceId);
                    result.hits[id] = (result.hits[id] ?? 0) + 1;
                } else {
                    result.failures.push(`status ${reply.status}`);
                }
            } catch (err) {
                result.failures.push((err as Error).message);
            }
        }
    });
    return {
        stop: async () => {
            running = false;
            await Promise.all(loops);
            return result;
        },
    };
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

    before(async function () {
        const [plainPort, lbPort, appPort] = await Promise.all([freePort(), freePort(), freePort()]);
        const runs = await Promise.allSettled([
            // The password from the environment, as docs/local-cluster.md runs it.
            startLocal(clusterArgs(plainPort, 3, [], false), 3, { ADMIN_PASSWORD: PASSWORD }),
            startLocal(
                clusterArgs(lbPort, 2, [
                    "api-cluster:stickiness.enabled=true",
                    "api-cluster:stickiness.type=lb_cookie",
                    "api-cluster:stickiness.durationSeconds=600",
                ]),
                2,
                { ADMIN_PASSWORD: IGNORED_ENV_PASSWORD },
            ),
            startLocal(
                clusterArgs(appPort, 2, [
                    "api-cluster:stickiness.enabled=true",
                    "api-cluster:stickiness.type=app_cookie",
                    "api-cluster:stickiness.cookieName=API_SESSION",
                ]),
                2,
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
    });

    describe("a cluster without stickiness", function () {
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
        });

        it("takes the admin password from ADMIN_PASSWORD when no --config gives one", async function () {
            const url = `${(plain as LocalRun).url}/api/instance`;
            assert.strictEqual((await get(url, AUTH)).status, 200);
            assert.strictEqual((await get(url, basicAuth(IGNORED_ENV_PASSWORD))).status, 401);
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

        it("fails no request while one instance stops on SIGTERM under steady load, and reports it without a restart", async function () {
            const run = plain as LocalRun;
            const victim = run.instances[2];
            const load = steadyLoad(run.url, 4);
            await sleep(1000);
            process.kill(victim.pid, "SIGTERM");
            await sleep(4000);
            const result = await load.stop();
            assert.deepStrictEqual(result.failures, []);
            assert.ok(result.ok > 20, `only ${result.ok} requests answered`);
            assert.strictEqual(isRunning(victim.pid), false);
            assert.match(
                run.stderr(),
                new RegExp(`instance local-2 \\(pid ${victim.pid}, port ${victim.port}\\) exited with code 0; it is not restarted`),
            );
            const after = await spread(run.url, 10);
            assert.deepStrictEqual(after.failures, []);
            assert.deepStrictEqual(Object.keys(after.hits).sort(), ["local-0", "local-1"]);
        });

        it("fails smoke with one instance down, naming the instances check", async function () {
            const smoke = await runSmoke(["--url", (plain as LocalRun).url, "--expect-instances", "3", "--stickiness", "off"], {
                ADMIN_PASSWORD: PASSWORD,
            });
            assert.strictEqual(smoke.status, 1);
            assert.match(
                smoke.stderr,
                /^FAIL instances: 15 requests reached 2 distinct instances, expected 3: local-[01] ×\d+, local-[01] ×\d+\n$/,
            );
            assert.deepStrictEqual(
                smoke.stdout
                    .split("\n")
                    .filter((line) => line !== "")
                    .map((line) => line.split(":")[0]),
                ["smoke http", "PASS health", "PASS auth-required", "PASS auth", "PASS stickiness"],
            );
        });

        it("stops every process, frees the port and removes its folder on Ctrl-C", async function () {
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

    describe("a cluster with lb_cookie stickiness", function () {
        it("takes --config's admin password over ADMIN_PASSWORD", async function () {
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

        it("takes a kill -9'd instance out of rotation within unhealthyThreshold × interval + 1 s, with no failed request after", async function () {
            const run = lbCookie as LocalRun;
            const victim = run.instances[1];
            const load = steadyLoad(run.url, 2);
            await sleep(500);
            const killedAt = Date.now();
            process.kill(victim.pid, "SIGKILL");
            let ejectedAt: number | undefined;
            const bound = (UNHEALTHY_THRESHOLD * INTERVAL_SECONDS + 1) * 1000;
            while (ejectedAt === undefined && Date.now() - killedAt < bound + 5000) {
                const stats = await showServers(run.statsSocket, BACKEND);
                if (stats.find((stat) => stat.name === victim.instanceId)?.status === "DOWN") {
                    ejectedAt = Date.now();
                } else {
                    await sleep(100);
                }
            }
            const before = await load.stop();
            assert.ok(ejectedAt !== undefined, "haproxy never took it out of rotation");
            assert.ok(ejectedAt - killedAt <= bound, `ejected after ${ejectedAt - killedAt} ms; bound ${bound} ms`);
            assert.ok(before.ok > 0);
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

    describe("a cluster with app_cookie stickiness", function () {
        it("keeps a cookie jar on one instance while its counter climbs, following API_SESSION", async function () {
            const { steps, cookies } = await jarSession((appCookie as LocalRun).url);
            assert.strictEqual(new Set(steps.map((step) => step.instanceId)).size, 1);
            assert.deepStrictEqual(
                steps.map((step) => step.count),
                [1, 2, 3, 4, 5, 6],
            );
            assert.deepStrictEqual(cookies, ["API_SESSION"]);
        });
    });
});
