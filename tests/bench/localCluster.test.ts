/**
 * bench/localCluster.ts against a fake `npm run local` (tests/bench/fakeLocal.js): it reads the ready
 * line and the table by its header, loads the cluster's URL, kills the last instance, asks for a roll
 * and an instance stop on the control socket, gives up at its deadlines instead of waiting forever,
 * and stops every process it started or was told of, whatever happened.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { benchKill, benchRollAndStop } from "../../bench/localCluster";
import { isRunning } from "../../local/processes";

const FAKE = path.join(__dirname, "fakeLocal.js");

describe("bench/localCluster.ts", function () {
    this.timeout(30_000);
    let dir: string;
    let workDir: string;
    let pidFile: string;

    /** The pids the fake wrote: its own, then its instances'. */
    const fakePids = (): number[] => (fs.existsSync(pidFile) ? (JSON.parse(fs.readFileSync(pidFile, "utf8")) as number[]) : []);

    /** The fake's command line with `behaviour`. */
    const fake = (behaviour: string) => [process.execPath, FAKE, behaviour, workDir, pidFile];

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-local-test-"));
        workDir = path.join(dir, "work");
        pidFile = path.join(dir, "pids.json");
    });

    afterEach(() => {
        // What the bench failed to stop goes here, so that a failing test leaves nothing running.
        for (const pid of fakePids().filter(isRunning)) {
            process.kill(pid, "SIGKILL");
        }
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("loads the URL of the ready line, times the kill -9 of the last row's instance, read by the header, and stops everything", async function () {
        const kill = await benchKill(false, {
            command: fake("ejects"),
            env: {},
            healthCheck: { intervalSeconds: 1, unhealthyThreshold: 2 },
            ejectionGraceMs: 500,
            stopDeadlineMs: 5000,
        });
        assert.strictEqual(kill.boundSeconds, 2);
        assert.ok(kill.downSeconds > 0 && kill.downSeconds < 2.5, `DOWN after ${kill.downSeconds} s`);
        // The fake answers every request: the load counts them all, none failed.
        assert.ok(kill.sent > 10, `${kill.sent} sent`);
        assert.strictEqual(kill.failed, 0);
        assert.deepStrictEqual(kill.failures, {});
        assert.ok(kill.seconds >= 2 && kill.seconds < 6, `loaded for ${kill.seconds} s`);
        const pids = fakePids();
        assert.strictEqual(pids.length, 4);
        assert.deepStrictEqual(pids.filter(isRunning), []);
        assert.strictEqual(fs.existsSync(workDir), false);
    });

    it("asks the control socket for a roll and an instance stop, each under load, and stops everything", async function () {
        const result = await benchRollAndStop({ command: fake("ejects"), env: {}, changeDeadlineMs: 5000, stopDeadlineMs: 5000 });
        for (const scenario of [result.roll, result.stop]) {
            assert.ok(scenario.sent > 10, `${scenario.sent} sent`);
            assert.strictEqual(scenario.failed, 0);
            assert.ok(scenario.seconds >= 2 && scenario.seconds < 5, `loaded for ${scenario.seconds} s`);
        }
        assert.ok(result.readySeconds > 0 && result.readySeconds < 10);
        assert.deepStrictEqual(fakePids().filter(isRunning), []);
        assert.strictEqual(fs.existsSync(workDir), false);
    });

    it("gives up when no ready line comes within its deadline, and kills a local that ignores SIGINT", async function () {
        const startedAt = Date.now();
        await assert.rejects(
            benchKill(false, { command: fake("silent"), env: {}, readyDeadlineMs: 1000, stopDeadlineMs: 500 }),
            (err: Error) => {
                assert.strictEqual(err.message, "npm run local printed no ready: line and table within 1000 ms:\n");
                return true;
            },
        );
        const took = Date.now() - startedAt;
        assert.ok(took >= 1500 && took < 5000, `took ${took} ms: the deadline, then the stop's`);
        const pids = fakePids();
        assert.strictEqual(pids.length, 1);
        assert.deepStrictEqual(pids.filter(isRunning), [], "the fake local outlived the bench");
    });

    it("gives up when the killed instance is never DOWN within bound + grace, and stops every process it was told of", async function () {
        const startedAt = Date.now();
        await assert.rejects(
            benchKill(false, {
                command: fake("stuck"),
                env: {},
                healthCheck: { intervalSeconds: 1, unhealthyThreshold: 1 },
                ejectionGraceMs: 500,
                stopDeadlineMs: 5000,
            }),
            (err: Error) => {
                assert.strictEqual(err.message, "haproxy did not mark local-2 DOWN within 1500 ms of its kill -9; its status: UP");
                return true;
            },
        );
        const took = Date.now() - startedAt;
        assert.ok(took >= 2500 && took < 8000, `took ${took} ms`);
        const pids = fakePids();
        assert.strictEqual(pids.length, 4);
        // The fake leaves its instances running on SIGINT: the bench stops them from the table's pids.
        assert.deepStrictEqual(pids.filter(isRunning), []);
        assert.strictEqual(fs.existsSync(workDir), false, "the reported temporary folder is left");
    });

    it("gives up on a roll that does not finish within its deadline, and stops every process it was told of", async function () {
        const startedAt = Date.now();
        await assert.rejects(
            benchRollAndStop({ command: fake("stuck"), env: {}, changeDeadlineMs: 1000, stopDeadlineMs: 5000 }),
            (err: Error) => {
                assert.strictEqual(err.message, "roll did not finish within 1000 ms");
                return true;
            },
        );
        const took = Date.now() - startedAt;
        assert.ok(took >= 2000 && took < 8000, `took ${took} ms`);
        assert.strictEqual(fakePids().length, 4);
        assert.deepStrictEqual(fakePids().filter(isRunning), []);
        assert.strictEqual(fs.existsSync(workDir), false);
    });
});
