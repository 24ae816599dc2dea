/**
 * Times `npm run local` with 3 instances, as its npm script runs: from the start of the command to
 * its `ready:` line (the API's build, three JVMs, and `healthyThreshold` passing checks in HAProxy),
 * then from a `kill -9` of one instance to HAProxy marking it DOWN, against the bound
 * `unhealthyThreshold × interval` the target group promises. Each wait has a deadline; whatever
 * happens, everything it started is stopped.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BACKEND } from "../local/haproxyConfig";
import { showServers } from "../local/haproxyStats";
import { freePort } from "../local/ports";
import { LocalInstance } from "../local/localCluster";
import { isRunning } from "../local/processes";
import { ReadyOutput, parseReadyOutput } from "../local/readyOutput";
// The local cluster builds the app with Maven: offline from Debian's plugins where they are, as in the tests.
import "../tests/support/offlineMaven";
import { setTimeout as sleep } from "timers/promises";

const ROOT = path.join(__dirname, "..");

/** The health check the bench runs with: the smallest interval the schema allows. */
export const BENCH_HEALTH_CHECK = { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 };

/** The instances the bench starts. */
const INSTANCE_COUNT = 3;

/** What one run measured. */
export interface LocalClusterTimes {
    /** Seconds from the command's start to its `ready:` line. */
    readySeconds: number;
    /** Seconds from a kill -9 of one instance to HAProxy's DOWN. */
    ejectionSeconds: number;
    /** The bound the config promises for the ejection: unhealthyThreshold × interval. */
    ejectionBoundSeconds: number;
}

/** The health check's numbers that the ejection bound comes from. */
export interface EjectionHealthCheck {
    /** Seconds between checks. */
    intervalSeconds: number;
    /** Failed checks before HAProxy marks a server DOWN. */
    unhealthyThreshold: number;
}

/** What the tests change; the bench itself runs with the defaults. */
export interface LocalClusterBenchOptions {
    /** The executable and arguments that start the cluster. Default: `npm run local`'s node command with the bench's settings. */
    command?: string[];
    /** Environment added to the command's. Default: ADMIN_PASSWORD, the bench's admin password. */
    env?: Record<string, string>;
    /** Milliseconds the cluster may take to print `ready:` and its table. Default 10 minutes (a first build). */
    readyDeadlineMs?: number;
    /** Milliseconds past the ejection bound to wait for DOWN. Default 30 s. */
    ejectionGraceMs?: number;
    /** Milliseconds a requested stop may take before everything is killed. Default 30 s. */
    stopDeadlineMs?: number;
    /** The health check the ejection bound comes from. Default BENCH_HEALTH_CHECK. */
    healthCheck?: EjectionHealthCheck;
}

/** The bench's admin password, handed to `local` in its environment, never on its command line. */
const BENCH_PASSWORD = "bench-password-0123456";

/** How long to wait for killed processes to end. */
const KILL_WAIT_MS = 5000;

/** Sends `signal` to the process group `pid` leads; false when it is gone. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
    try {
        process.kill(-pid, signal);
        return true;
    } catch {
        return false;
    }
}

/** `npm run local` as its npm script runs it, with the bench's stack settings. */
async function defaultCommand(): Promise<string[]> {
    const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const check = BENCH_HEALTH_CHECK;
    const settings = [
        `api-cluster:port=${await freePort()}`,
        `api-cluster:instanceCount=${INSTANCE_COUNT}`,
        `api-cluster:healthCheck.intervalSeconds=${check.intervalSeconds}`,
        `api-cluster:healthCheck.timeoutSeconds=${check.timeoutSeconds}`,
        `api-cluster:healthCheck.healthyThreshold=${check.healthyThreshold}`,
        `api-cluster:healthCheck.unhealthyThreshold=${check.unhealthyThreshold}`,
    ];
    return [
        process.execPath,
        ...scripts.local.split(" ").slice(1),
        "--stack",
        "dev",
        "--config-path",
        ...settings.flatMap((s) => ["--config", s]),
    ];
}

/** Resolves with the `ready:` line and the table once `child` printed them; rejects when it exits first or the deadline passes. */
function waitForReady(child: ChildProcess, exited: Promise<number | null>, stderr: () => string, deadlineMs: number): Promise<ReadyOutput> {
    return new Promise<ReadyOutput>((resolve, reject) => {
        let stdout = "";
        const timer = setTimeout(
            () => reject(new Error(`npm run local printed no ready: line and table within ${deadlineMs} ms:\n${stdout}${stderr()}`)),
            deadlineMs,
        );
        void exited.then((code) => {
            clearTimeout(timer);
            reject(new Error(`npm run local exited ${code} before it was ready:\n${stderr()}`));
        });
        child.stdout?.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            try {
                const output = parseReadyOutput(stdout, INSTANCE_COUNT);
                if (output !== undefined) {
                    clearTimeout(timer);
                    resolve(output);
                }
            } catch (err) {
                clearTimeout(timer);
                reject(err as Error);
            }
        });
    });
}

/** Polls HAProxy's view until `instanceId` is DOWN; rejects once `deadline` (a Date.now() value) passes. */
async function waitForDown(socket: string, instanceId: string, deadline: number, deadlineMs: number): Promise<void> {
    let status: string | undefined;
    while (Date.now() < deadline) {
        status = (await showServers(socket, BACKEND)).find((stat) => stat.name === instanceId)?.status;
        if (status === "DOWN") {
            return;
        }
        await sleep(50);
    }
    throw new Error(
        `haproxy did not mark ${instanceId} DOWN within ${deadlineMs} ms of its kill -9; its status: ${status ?? "not listed"}`,
    );
}

/**
 * Stops the cluster: SIGINT to its group (it drains and stops its instances and HAProxy, and removes
 * its folder), SIGKILL to the group after `deadlineMs`, then SIGKILL to the group of every process it
 * reported that still runs, and its folder removed.
 */
async function stopCluster(
    child: ChildProcess,
    exited: Promise<number | null>,
    reportedPids: number[],
    workDir: string | undefined,
    deadlineMs: number,
) {
    const pid = child.pid as number;
    if (child.exitCode === null && child.signalCode === null && signalGroup(pid, "SIGINT")) {
        let timer: NodeJS.Timeout | undefined;
        const stopped = await Promise.race([
            exited.then(() => true),
            new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), deadlineMs))),
        ]);
        clearTimeout(timer);
        if (!stopped) {
            signalGroup(pid, "SIGKILL");
            await exited;
        }
    }
    // Whatever `local` left behind: its children run in their own groups.
    signalGroup(pid, "SIGKILL");
    const left = reportedPids.filter(isRunning);
    left.forEach((reported) => signalGroup(reported, "SIGKILL"));
    // SIGKILL is delivered asynchronously: return once they have ended.
    const killDeadline = Date.now() + KILL_WAIT_MS;
    while (left.some(isRunning) && Date.now() < killDeadline) {
        await sleep(20);
    }
    if (workDir !== undefined) {
        fs.rmSync(workDir, { recursive: true, force: true });
    }
}

/** Runs `npm run local` with 3 instances once and times it. */
export async function benchLocalCluster(options: LocalClusterBenchOptions = {}): Promise<LocalClusterTimes> {
    const [executable, ...args] = options.command ?? (await defaultCommand());
    const check = options.healthCheck ?? BENCH_HEALTH_CHECK;
    const readyDeadlineMs = options.readyDeadlineMs ?? 600_000;
    const ejectionBoundSeconds = check.unhealthyThreshold * check.intervalSeconds;
    const ejectionDeadlineMs = ejectionBoundSeconds * 1000 + (options.ejectionGraceMs ?? 30_000);
    const start = process.hrtime.bigint();
    const child = spawn(executable, args, {
        cwd: ROOT,
        env: { ...process.env, ...(options.env ?? { ADMIN_PASSWORD: BENCH_PASSWORD }) },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let instances: LocalInstance[] = [];
    /** HAProxy's pid, from local's progress log. */
    const haproxyPid = () => Number(/haproxy \(pid (\d+)\)/.exec(stderr)?.[1] ?? 0);
    try {
        const ready = await waitForReady(child, exited, () => stderr, readyDeadlineMs);
        const readySeconds = Number(process.hrtime.bigint() - start) / 1e9;
        instances = ready.instances;
        const socket = /stats socket (\S+)/.exec(stderr)?.[1];
        if (socket === undefined) {
            throw new Error(`npm run local named no stats socket:\n${stderr}`);
        }
        const victim = instances[instances.length - 1];
        const killedAt = process.hrtime.bigint();
        process.kill(victim.pid, "SIGKILL");
        await waitForDown(socket, victim.instanceId, Date.now() + ejectionDeadlineMs, ejectionDeadlineMs);
        const ejectionSeconds = Number(process.hrtime.bigint() - killedAt) / 1e9;
        return { readySeconds, ejectionSeconds, ejectionBoundSeconds };
    } finally {
        const reported = [haproxyPid(), ...instances.map((instance) => instance.pid)].filter((pid) => pid > 0);
        await stopCluster(child, exited, reported, /temporary folder (\S+);/.exec(stderr)?.[1], options.stopDeadlineMs ?? 30_000);
    }
}
