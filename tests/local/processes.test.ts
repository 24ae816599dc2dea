/**
 * local/processes.ts: a process `local` starts does not outlive `local`, even when `local` is
 * killed with SIGKILL and so cannot stop it (the kernel's parent-death signal, through setpriv).
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isRunning, parentDeathSignalPrefix } from "../../local/processes";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Polls until `pid` is no longer alive, up to `ms`; true when it ended. */
async function endsWithin(pid: number, ms: number): Promise<boolean> {
    for (const deadline = Date.now() + ms; Date.now() < deadline;) {
        if (!isRunning(pid)) return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return !isRunning(pid);
}

describe("local's child processes", function () {
    if (process.platform !== "linux") {
        return;
    }
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-processes-"));
    const started: number[] = [];

    after(() => {
        for (const pid of started) {
            if (isRunning(pid)) process.kill(-pid, "SIGKILL");
        }
        fs.rmSync(work, { recursive: true, force: true });
    });

    it("are given SIGTERM by the kernel through setpriv when local dies", () => {
        assert.deepStrictEqual(parentDeathSignalPrefix(), ["setpriv", "--pdeathsig", "TERM", "--"]);
    });

    it("end when local is killed with SIGKILL, though they run in process groups of their own", async () => {
        // A stand-in for `local`: starts `sleep 300` as local starts an instance, prints its pid, then waits.
        const script = `
            const { startProcess } = require("./local/processes");
            startProcess("instance local-0", "sleep", ["300"], process.env, ${JSON.stringify(path.join(work, "sleep.log"))})
                .then((child) => console.log(child.pid));
            setInterval(() => undefined, 1000);`;
        const parent = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
            cwd: REPO_ROOT,
            stdio: ["ignore", "pipe", "inherit"],
        });
        started.push(parent.pid as number);
        const childPid = await new Promise<number>((resolve, reject) => {
            parent.stdout?.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
            parent.once("exit", (code) => reject(new Error(`the stand-in for local exited with ${code} before starting its child`)));
        });
        started.push(childPid);
        assert.ok(isRunning(childPid), "the child runs");
        assert.notStrictEqual(
            fs.readFileSync(`/proc/${childPid}/stat`, "utf8").split(" ")[4],
            String(parent.pid),
            "in its own process group",
        );

        parent.kill("SIGKILL");
        assert.ok(await endsWithin(childPid, 5000), `the child ${childPid} outlived its parent`);
    });
});
