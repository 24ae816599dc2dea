/**
 * bench/localCluster.ts against a fake `npm run local` (tests/bench/fakeLocal.js): it reads the ready
 * line and the table by its header, kills the last instance, gives up at its deadlines instead of
 * waiting forever, and stops every process it started or was told of, whatever happened.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { benchLocalCluster } from "../../bench/localCluster";
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

    it("times the ready line and the kill -9 of the last row's instance, read by the header, and stops everything", async function () {
        const times = await benchLocalCluster({
            command: fake("ejects"),
            env: {},
            healthCheck: { intervalSeconds: 1, unhealthyThreshold: 2 },
            ejectionGraceMs: 500,
            stopDeadlineMs: 5000,
        });
        assert.strictEqual(times.ejectionBoundSeconds, 2);
        assert.ok(times.readySeconds > 0 && times.readySeconds < 10, `ready after ${times.readySeconds} s`);
        assert.ok(times.ejectionSeconds > 0 && times.ejectionSeconds < 2.5, `DOWN after ${times.ejectionSeconds} s`);
        const pids = fakePids();
        assert.strictEqual(pids.length, 4);
        assert.deepStrictEqual(pids.filter(isRunning), []);
        assert.strictEqual(fs.existsSync(workDir), false);
    });

    it("gives up when no ready line comes within its deadline, and kills a local that ignores SIGINT", async function () {
        const startedAt = Date.now();
        await assert.rejects(
            benchLocalCluster({ command: fake("silent"), env: {}, readyDeadlineMs: 1000, stopDeadlineMs: 500 }),
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
            benchLocalCluster({
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
        assert.ok(took >= 1500 && took < 8000, `took ${took} ms`);
        const pids = fakePids();
        assert.strictEqual(pids.length, 4);
        // The fake leaves its instances running on SIGINT: the bench stops them from the table's pids.
        assert.deepStrictEqual(pids.filter(isRunning), []);
        assert.strictEqual(fs.existsSync(workDir), false, "the reported temporary folder is left");
    });
});
