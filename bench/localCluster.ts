/**
 * Measures `npm run local` with 3 instances, started as its npm script starts it, under a bounded
 * load on loopback (bench/load.ts):
 * - kill: a SIGKILL of one instance; requests sent and failed until HAProxy marks it DOWN and one
 *   second after, and the time to DOWN against the bound `unhealthyThreshold × interval`; once as
 *   the ALB behaves (no retry on another instance, the default) and once with `--retries`;
 * - stop: one instance stopped as a deregistration stops it (`stop-instance`: out of rotation, its
 *   requests drain, SIGTERM): no request should fail;
 * - roll: every instance replaced as an instance refresh does (`roll`): no request should fail.
 * Each wait has a deadline; whatever happens, everything a run started is stopped in `finally`.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { sendControl } from "../local/control";
import { BACKEND } from "../local/haproxyConfig";
import { showServers } from "../local/haproxyStats";
import { LocalInstance } from "../local/localCluster";
import { isRunning } from "../local/processes";
import { ReadyOutput, parseReadyOutput } from "../local/readyOutput";
import { LoadResult, startLoad } from "./load";
// The local cluster builds the app with Maven: offline from Debian's packaged plugins where they are, as in the tests.
import "../tests/support/offlineMaven";
import { setTimeout as sleep } from "timers/promises";

const ROOT = path.join(__dirname, "..");

/** The health check the bench runs with: the smallest interval the schema allows. */
export const BENCH_HEALTH_CHECK = { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 };

/** The deregistration delay the bench runs with: a drain bound that keeps a roll short. */
export const BENCH_DEREGISTRATION_DELAY_SECONDS = 5;

/** The instances the bench starts. */
const INSTANCE_COUNT = 3;

/** The bench's admin password, handed to `local` in its environment, never on its command line. */
const BENCH_PASSWORD = "bench-password-0123456";

/** Concurrent request loops of the bench's load: enough to keep every instance busy, few enough for a shared laptop. */
const LOAD_CONCURRENCY = 4;

/** How long to wait for killed processes to end. */
const KILL_WAIT_MS = 5000;

/** What one scenario measured. */
export interface ScenarioResult {
    /** Requests sent during it. */
    sent: number;
    /** Requests that failed: their kinds in `failures`. */
    failed: number;
    /** The failures by kind (`status 503`, `ECONNRESET`, …). */
    failures: Record<string, number>;
    /** Seconds the load ran. */
    seconds: number;
}

/** What the kill scenario measured. */
export interface KillResult extends ScenarioResult {
    /** Seconds from the SIGKILL to HAProxy's DOWN. */
    downSeconds: number;
    /** The bound the config promises: unhealthyThreshold × interval. */
    boundSeconds: number;
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
    /** Milliseconds a roll or an instance stop may take. Default 3 minutes. */
    changeDeadlineMs?: number;
    /** Milliseconds a requested stop may take before everything is killed. Default 30 s. */
    stopDeadlineMs?: number;
    /** The health check the ejection bound comes from. Default BENCH_HEALTH_CHECK. */
    healthCheck?: EjectionHealthCheck;
}

/** Sends `signal` to the process group `pid` leads; false when it is gone. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
    try {
        process.kill(-pid, signal);
        return true;
    } catch {
        return false;
    }
}

/** `npm run local` as its npm script runs it, with the bench's stack settings (and `extraSettings`, `--config-path` pairs), on any free port. */
function defaultCommand(extraFlags: string[], extraSettings: string[] = []): string[] {
    const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const check = BENCH_HEALTH_CHECK;
    const settings = [
        `api-cluster:instanceCount=${INSTANCE_COUNT}`,
        `api-cluster:deregistrationDelaySeconds=${BENCH_DEREGISTRATION_DELAY_SECONDS}`,
        `api-cluster:healthCheck.intervalSeconds=${check.intervalSeconds}`,
        `api-cluster:healthCheck.timeoutSeconds=${check.timeoutSeconds}`,
        `api-cluster:healthCheck.healthyThreshold=${check.healthyThreshold}`,
        `api-cluster:healthCheck.unhealthyThreshold=${check.unhealthyThreshold}`,
        ...extraSettings,
    ];
    return [
        process.execPath,
        ...scripts.local.split(" ").slice(1),
        "--stack",
        "dev",
        "--any-port",
        ...extraFlags,
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

/** Rejects after `ms` with `message`, unless `work` settles first. */
async function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
    try {
        return await Promise.race([work, deadline]);
    } finally {
        clearTimeout(timer);
    }
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

/** A running `npm run local`, as a scenario sees it. */
export interface BenchCluster {
    /** Its `ready:` line and table. */
    ready: ReadyOutput;
    /** Seconds from the command's start to its `ready:` line. */
    readySeconds: number;
    /** HAProxy's stats socket, from its progress log. */
    statsSocket: string;
    /** Its control socket, from its progress log. */
    controlSocket: string;
    /** Every pid it has reported so far (HAProxy, every instance of every table), for the final stop. */
    reportedPids: Set<number>;
}

/** Starts the cluster, runs `scenario` on it once it is ready, and stops everything it started, whatever happened. */
async function withCluster<T>(
    command: string[],
    options: LocalClusterBenchOptions,
    scenario: (cluster: BenchCluster) => Promise<T>,
): Promise<T> {
    const [executable, ...args] = command;
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
    const reportedPids = new Set<number>();
    try {
        const ready = await waitForReady(child, exited, () => stderr, options.readyDeadlineMs ?? 600_000);
        const readySeconds = Number(process.hrtime.bigint() - start) / 1e9;
        ready.instances.forEach((instance) => reportedPids.add(instance.pid));
        const statsSocket = /stats socket (\S+)/.exec(stderr)?.[1];
        const controlSocket = /control socket (\S+):/.exec(stderr)?.[1];
        if (statsSocket === undefined || controlSocket === undefined) {
            throw new Error(`npm run local named no stats socket or control socket:\n${stderr}`);
        }
        return await scenario({ ready, readySeconds, statsSocket, controlSocket, reportedPids });
    } finally {
        // The last one: a start that lost its listener's port to another process tries again with a new HAProxy.
        const haproxyPid = Number([...stderr.matchAll(/haproxy \(pid (\d+)\) runs/g)].pop()?.[1] ?? 0);
        const reported = [haproxyPid, ...reportedPids].filter((pid) => pid > 0);
        await stopCluster(child, exited, reported, /temporary folder (\S+);/.exec(stderr)?.[1], options.stopDeadlineMs ?? 30_000);
    }
}

/** The load's URL and headers for a cluster. */
function loadFor(cluster: BenchCluster) {
    return {
        url: `${cluster.ready.url}/api/instance`,
        headers: { Authorization: `Basic ${Buffer.from(`admin@fake.com:${BENCH_PASSWORD}`).toString("base64")}` },
        concurrency: LOAD_CONCURRENCY,
    };
}

/** The counts of a load, as a scenario reports them. */
function scenarioOf(result: LoadResult): ScenarioResult {
    return { sent: result.sent, failed: result.failed, failures: result.failures, seconds: result.seconds };
}

/**
 * Kills the last instance of the table with SIGKILL under load, waits for HAProxy's DOWN, keeps the
 * load one more second (the requests after DOWN should all pass), and reports.
 */
export async function benchKill(retries: boolean, options: LocalClusterBenchOptions = {}): Promise<KillResult> {
    const check = options.healthCheck ?? BENCH_HEALTH_CHECK;
    const boundSeconds = check.unhealthyThreshold * check.intervalSeconds;
    const ejectionDeadlineMs = boundSeconds * 1000 + (options.ejectionGraceMs ?? 30_000);
    const command = options.command ?? defaultCommand(retries ? ["--retries"] : []);
    return withCluster(command, options, async (cluster) => {
        const load = startLoad({ ...loadFor(cluster), deadlineMs: ejectionDeadlineMs + 10_000 });
        try {
            await sleep(1000);
            const victim: LocalInstance = cluster.ready.instances[cluster.ready.instances.length - 1];
            const killedAt = process.hrtime.bigint();
            process.kill(victim.pid, "SIGKILL");
            await waitForDown(cluster.statsSocket, victim.instanceId, Date.now() + ejectionDeadlineMs, ejectionDeadlineMs);
            const downSeconds = Number(process.hrtime.bigint() - killedAt) / 1e9;
            await sleep(1000);
            return { ...scenarioOf(await load.stop()), downSeconds, boundSeconds };
        } finally {
            await load.stop();
        }
    });
}

/** Asks the run to `command` under load, keeps the load one more second after it is done, and reports. */
async function underLoad(
    cluster: BenchCluster,
    request: { command: string; instance?: string },
    deadlineMs: number,
): Promise<ScenarioResult> {
    const load = startLoad({ ...loadFor(cluster), deadlineMs: deadlineMs + 10_000 });
    try {
        await sleep(1000);
        const instances = await within(
            sendControl(cluster.controlSocket, request, () => undefined),
            deadlineMs,
            `${request.command} did not finish within ${deadlineMs} ms`,
        );
        instances.forEach((instance) => cluster.reportedPids.add(instance.pid));
        await sleep(1000);
        return scenarioOf(await load.stop());
    } finally {
        await load.stop();
    }
}

/** Rolls every instance under load, then stops one of the new ones under load; both as AWS does them. */
export async function benchRollAndStop(
    options: LocalClusterBenchOptions = {},
): Promise<{ readySeconds: number; roll: ScenarioResult; stop: ScenarioResult }> {
    const deadlineMs = options.changeDeadlineMs ?? 180_000;
    return withCluster(options.command ?? defaultCommand([]), options, async (cluster) => {
        const roll = await underLoad(cluster, { command: "roll" }, deadlineMs);
        const stop = await underLoad(cluster, { command: "stop-instance", instance: `local-${INSTANCE_COUNT}` }, deadlineMs);
        return { readySeconds: cluster.readySeconds, roll, stop };
    });
}

/**
 * Seconds from `npm run local`'s start to its `ready:` line with the bench's settings and
 * `extraSettings` (`--config-path` pairs such as `api-cluster:app.path=…`); the cluster is then stopped.
 */
export async function benchReady(extraSettings: string[], options: LocalClusterBenchOptions = {}): Promise<number> {
    return withCluster(options.command ?? defaultCommand([], extraSettings), options, async (cluster) => cluster.readySeconds);
}
