/**
 * Ctrl-C twice: a real `npm run local`, started through npm itself (its signal forwarding
 * included), gets SIGINT at its process group as a terminal sends it, while a slow request keeps
 * HAProxy draining; a second SIGINT half a second later kills everything at once. Everything is
 * stopped in `after`, even when the test fails.
 */
import * as assert from "assert";
import * as fs from "fs";
import { isForwardedCopy, NPM_FORWARD_MS } from "../../local/cli";
import { isRunning } from "../../local/processes";
import { Launcher, LocalRun, get, killAllStarted, startLocal, stopLocal } from "./localRun";
import { setTimeout as sleep } from "timers/promises";

const PASSWORD = "local-test-password-0123";
const AUTH = { Authorization: `Basic ${Buffer.from(`admin@fake.com:${PASSWORD}`).toString("base64")}` };
/** How long a stop drains for (the slow request outlasts it): without a second Ctrl-C the run would take this long to end. */
const DRAIN_SECONDS = 25;

describe("Ctrl-C twice in npm run local", function () {
    this.timeout(120_000);
    let run: LocalRun | undefined;

    after(async function () {
        await stopLocal(run);
        killAllStarted();
    });

    it("takes a repeat within NPM_FORWARD_MS under npm for npm's copy of the same Ctrl-C, and any other repeat for a second one", function () {
        assert.strictEqual(isForwardedCopy(undefined, 1000, true), false);
        assert.strictEqual(isForwardedCopy(1000, 1000 + NPM_FORWARD_MS - 1, true), true);
        assert.strictEqual(isForwardedCopy(1000, 1000 + NPM_FORWARD_MS, true), false);
        assert.strictEqual(isForwardedCopy(1000, 1001, false), false);
    });

    it("kills every process at once on a second SIGINT half a second after the first, while the first still drains", async function () {
        run = await startLocal(
            [
                "--stack",
                "dev",
                "--any-port",
                "--config-path",
                ...[
                    "api-cluster:instanceCount=2",
                    "api-cluster:healthCheck.intervalSeconds=5",
                    "api-cluster:healthCheck.timeoutSeconds=2",
                    `api-cluster:deregistrationDelaySeconds=${DRAIN_SECONDS}`,
                ].flatMap((setting) => ["--config", setting]),
            ],
            2,
            { ADMIN_PASSWORD: PASSWORD },
            undefined,
            Launcher.npm,
        );
        const current = run;
        const pids = [current.haproxyPid, ...current.instances.map((instance) => instance.pid)];
        // A request in flight for longer than the drain: the first Ctrl-C alone waits for it.
        const slow = get(`${current.url}/api/slow?ms=30000`, AUTH).catch((err: Error) => err);
        await sleep(500);
        const group = -(current.child.pid as number);
        process.kill(group, "SIGINT");
        await sleep(500);
        assert.match(current.stderr(), /^SIGINT: stopping the cluster$/m);
        assert.ok(pids.every(isRunning), "the first Ctrl-C drains: every process still runs");
        const secondAt = Date.now();
        process.kill(group, "SIGINT");
        const code = await Promise.race([current.exited, sleep(5000).then(() => "still running")]);
        const tookMs = Date.now() - secondAt;
        // npm, interrupted itself, ends by the same signal once its script has ended.
        assert.notStrictEqual(code, "still running", current.stderr());
        assert.ok(tookMs < 5000, `ended ${tookMs} ms after the second SIGINT`);
        assert.match(current.stderr(), /^SIGINT again: killing everything without draining$/m);
        for (const pid of pids) {
            assert.strictEqual(isRunning(pid), false, `pid ${pid} still runs`);
        }
        assert.strictEqual(fs.existsSync(current.workDir), false);
        assert.ok((await slow) instanceof Error, "the slow request was cut, not answered");
    });
});
