/**
 * local/control.ts: the control socket of a running `npm run local` (serveControl), the client of
 * `roll` and `stop-instance` (sendControl), and how a client finds the run of a stack (findRuns).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONTROL_SOCKET, ControlRequest, ControlServer, RUN_FILE, findRuns, sendControl, serveControl } from "../../local/control";

const INSTANCE = { instanceId: "local-3", zone: "local-b", port: 40123, pid: 4242 };

describe("local's control socket", function () {
    let tmp: string;
    let server: ControlServer | undefined;

    beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-control-test-"))));
    afterEach(async () => {
        await server?.close();
        server = undefined;
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** A run folder named as local names its own, under the test's folder. */
    const runDir = (suffix: string) => {
        const dir = path.join(tmp, `api-cluster-local-${suffix}`);
        fs.mkdirSync(dir, { mode: 0o700 });
        return dir;
    };

    it("carries a request to the run, each step back as it happens, then the instances", async function () {
        const dir = runDir("a");
        const seen: ControlRequest[] = [];
        server = await serveControl(dir, { stack: "dev", pid: process.pid, url: "http://127.0.0.1:1" }, async (request, log) => {
            seen.push(request);
            log("step one");
            log("step two");
            return [INSTANCE];
        });
        const steps: string[] = [];
        const instances = await sendControl(path.join(dir, CONTROL_SOCKET), { command: "stop-instance", instance: "local-1" }, (line) =>
            steps.push(line),
        );
        assert.deepStrictEqual(seen, [{ command: "stop-instance", instance: "local-1" }]);
        assert.deepStrictEqual(steps, ["step one", "step two"]);
        assert.deepStrictEqual(instances, [INSTANCE]);
        assert.strictEqual(fs.statSync(path.join(dir, CONTROL_SOCKET)).mode & 0o777, 0o600);
        assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(dir, RUN_FILE), "utf8")), {
            stack: "dev",
            pid: process.pid,
            url: "http://127.0.0.1:1",
            controlSocket: path.join(dir, CONTROL_SOCKET),
        });
        assert.strictEqual(fs.statSync(path.join(dir, RUN_FILE)).mode & 0o777, 0o600);
    });

    it("rejects with the run's one-line reason when it refuses", async function () {
        const dir = runDir("b");
        server = await serveControl(dir, { stack: "dev", pid: process.pid, url: "x" }, async () => {
            throw new Error("a roll or an instance stop is already running");
        });
        await assert.rejects(
            sendControl(path.join(dir, CONTROL_SOCKET), { command: "roll" }, () => undefined),
            {
                message: "a roll or an instance stop is already running",
            },
        );
    });

    it("rejects, naming the socket, when no run listens there", async function () {
        const socket = path.join(tmp, "nothing.sock");
        await assert.rejects(
            sendControl(socket, { command: "roll" }, () => undefined),
            (err: Error) => {
                assert.match(err.message, new RegExp(`^cannot reach ${socket.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: connect ENOENT`));
                return true;
            },
        );
    });

    it("finds the runs of a stack whose local still runs, and only those", function () {
        const record = (dir: string, stack: string, pid: number) =>
            fs.writeFileSync(path.join(dir, RUN_FILE), JSON.stringify({ stack, pid, url: `u-${stack}`, controlSocket: `${dir}/c` }));
        record(runDir("mine"), "dev", process.pid);
        record(runDir("other-stack"), "prod", process.pid);
        // A run killed with -9 leaves its folder: its pid no longer runs.
        record(runDir("dead"), "dev", 2 ** 22 + 1);
        runDir("starting"); // no run.json yet
        fs.writeFileSync(path.join(runDir("garbled"), RUN_FILE), "{not json");
        fs.mkdirSync(path.join(tmp, "unrelated"));
        assert.deepStrictEqual(findRuns("dev", tmp), [
            { stack: "dev", pid: process.pid, url: "u-dev", controlSocket: `${path.join(tmp, "api-cluster-local-mine")}/c` },
        ]);
        assert.deepStrictEqual(findRuns("staging", tmp), []);
    });
});
