/**
 * A stack's cluster on one machine: `instanceCount` API processes, each on a loopback port it bound
 * itself (apiInstance.ts), behind HAProxy, configured from the stack's settings as the application
 * load balancer is. Ready once every instance is UP in HAProxy's own view (its stats socket), after
 * `healthyThreshold` passing checks, as a new target of the ALB is. A dead instance is reported and
 * never restarted; `roll` replaces every instance as an instance refresh does, and `stopInstance`
 * stops one as a deregistration does, both through HAProxy's runtime API (add, maint, del server).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { AppSettings, AppSource, ClusterSettings } from "../components/config/schema";
import { ApiLaunch, prepareApiLaunch } from "./apiLaunch";
import { InstanceTemplate, ProbeResult, probe, readListeningLine, startApiProcess } from "./apiInstance";
import { BACKEND, LocalServer, addServerCommand, renderHaproxyConfig } from "./haproxyConfig";
import { adminCommand, showServers, socketCommand } from "./haproxyStats";
import { AccessLog } from "./accessLog";
import { ClusterStatus, clusterStatus } from "./clusterStatus";
import { freePort } from "./ports";
import { ManagedProcess, MissingToolError, ProcessEnd, describeEnd, logTail, startProcess, stopProcess, waitForEnd } from "./processes";
import { LISTEN_RULE, explainLog } from "./instanceOutput";
import { checkFailed, describeCheck } from "./healthCheck";
import { ServerStat } from "./haproxyStats";
import { Readable } from "stream";
import { setTimeout as sleep } from "timers/promises";

/** What to start. */
export interface LocalClusterOptions {
    /** The stack's settings, validated as the program validates them. */
    settings: ClusterSettings;
    /** The admin password every instance checks; handed to the processes through their environment only. */
    adminPassword: string;
    /** The address the listener binds. Default `127.0.0.1`. */
    bindAddress?: string;
    /**
     * Whether the listener takes any free port of `bindAddress` instead of the stack's `port`
     * (`--any-port`), retrying with another when HAProxy's bind fails. Default false.
     */
    anyPort?: boolean;
    /** Whether HAProxy retries a failed request on another instance (`--retries`). Default false, as the ALB. */
    retries?: boolean;
    /** Chooses the listener's port with `anyPort`, free on the bind address. Default: freePort (local/ports.ts). */
    choosePort?: (host: string) => Promise<number>;
    /** Progress messages (building, starting, stopping), one line each. Default: none. */
    log?: (line: string) => void;
    /** Called when an instance ends after the cluster is ready, with why (explainOutput of its log); the others keep serving. */
    onInstanceEnd?: (instance: LocalInstance, end: ProcessEnd, why: string) => void;
    /** Called when HAProxy ends after the cluster is ready; the cluster is then stopped. */
    onHaproxyEnd?: (end: ProcessEnd) => void;
    /** How long an instance may take to print its listening line and answer the health path. Default 60 s. */
    listenTimeoutMs?: number;
    /** Aborts a start in progress (Ctrl-C while starting): everything started so far is stopped. Default none. */
    abortSignal?: AbortSignal;
    /** Where Pulumi.yaml is: a relative `app.path` is taken from here. Default: this repository's root. */
    projectDir?: string;
    /** The access log's file (one line per request). Default: `access.log` in the run's temporary folder, removed with it. */
    accessLogFile?: string;
    /** Builds the stack's `app` and returns the command that starts one instance. Default: prepareApiLaunch. */
    prepareApi?: (app: AppSettings, projectDir: string, abortSignal?: AbortSignal) => Promise<ApiLaunch>;
}

/** One running API instance. */
export interface LocalInstance {
    /** Its `INSTANCE_ID` and HAProxy server name: `local-0`, `local-1`, … */
    instanceId: string;
    /** Its zone label (`AVAILABILITY_ZONE`), round robin over `availabilityZoneCount` zones: `local-a`, `local-b`, … */
    zone: string;
    /** Its loopback port. */
    port: number;
    /** Its process id. */
    pid: number;
}

/** Signals that end a process because someone sent them, not because it failed: its output then says nothing of why. */
const SENT_SIGNALS: NodeJS.Signals[] = ["SIGKILL", "SIGTERM", "SIGINT"];

/** Raised when the cluster cannot start; its message says which part failed and why, in one line. */
export class LocalClusterError extends Error {}

/** The zone label of instance `index` over `zoneCount` zones, round robin. */
export function zoneLabel(index: number, zoneCount: number): string {
    return `local-${String.fromCharCode("a".charCodeAt(0) + (index % zoneCount))}`;
}

/** Checks that `command` runs; otherwise throws a one-line install hint. */
function requireTool(command: string, versionArg: string, hint: string): void {
    const result = spawnSync(command, [versionArg], { stdio: "ignore" });
    if (result.error !== undefined) {
        throw new MissingToolError(`${command} is not installed: ${hint}`);
    }
}

/** Checks the tools `local` runs, with one-line install hints. */
export function requireLocalTools(app: AppSettings): void {
    requireTool("haproxy", "-v", "install HAProxy, e.g. `sudo apt-get install haproxy` (Debian/Ubuntu) or `brew install haproxy`");
    requireTool("java", "-version", "install a JDK 17 or newer, e.g. `sudo apt-get install openjdk-17-jdk-headless`");
    if (app.source === AppSource.Maven) {
        requireTool("javac", "-version", "install a JDK 17 or newer (not only a JRE), e.g. `sudo apt-get install openjdk-17-jdk-headless`");
        requireTool("mvn", "-v", "install Maven to build the maven app, e.g. `sudo apt-get install maven` or `brew install maven`");
    }
}

/** Resolves when `port` on `host` can be bound; rejects with a clear error when it is busy. */
function checkPortFree(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", (err: NodeJS.ErrnoException) =>
            reject(
                new LocalClusterError(
                    err.code === "EADDRINUSE"
                        ? `port ${port} on ${host} is busy: another process listens there; stop it, or choose another port with --config api-cluster:port=<port>`
                        : `cannot listen on ${host}:${port}: ${err.message}`,
                ),
            ),
        );
        server.listen(port, host, () => server.close(() => resolve()));
    });
}

/** An instance and the process that runs it. */
interface Member {
    /** What the table shows. */
    instance: LocalInstance;
    /** Its process. */
    process: ManagedProcess;
}

/** Polls HAProxy until `instanceId` is UP; throws after `timeoutMs`, naming its last state. */
async function waitForUp(
    statsSocket: string,
    instanceId: string,
    settings: ClusterSettings,
    timeoutMs: number,
    stillRunning: () => void,
): Promise<void> {
    let last = "not listed";
    await poll(
        async () => {
            stillRunning();
            const stat = (await showServers(statsSocket, BACKEND).catch(() => [])).find((server) => server.name === instanceId);
            last =
                stat === undefined
                    ? "not listed"
                    : `${stat.status}: ${describeCheck(stat, settings.healthCheck.path, settings.healthCheck.matcher)}`;
            return stat?.status === "UP";
        },
        200,
        timeoutMs,
        () => new LocalClusterError(`haproxy did not see ${instanceId} UP within ${timeoutMs / 1000} s: ${last}`),
    );
}

/** Milliseconds a new instance may take to pass `healthyThreshold` checks in HAProxy. */
function readyWithinMs(settings: ClusterSettings): number {
    const check = settings.healthCheck;
    return (check.intervalSeconds * (check.healthyThreshold + 1) + check.timeoutSeconds + 10) * 1000;
}

/** A cluster that is up: its URL, its instances, and how to roll, stop or kill it. */
export class LocalCluster {
    /** The load balancer's URL. */
    readonly url: string;
    /** The listener's port. */
    readonly listenerPort: number;
    /** HAProxy's process id. */
    readonly haproxyPid: number;
    /** The stats socket's path. */
    readonly statsSocket: string;
    /** The run's temporary folder. */
    readonly workDir: string;
    /** The access log's file. */
    readonly accessLogFile: string;
    private stopping?: Promise<void>;
    private members: Member[];
    /** Every API process ever started, rolled-out ones included, for stop() and kill(). */
    private readonly apis: ManagedProcess[];
    /** Processes stopped on purpose (rolled out, stopped with stopInstance): their end is not reported. */
    private readonly retired = new Set<ManagedProcess>();
    private nextIndex: number;
    private changing = false;

    /** Whether stop() or kill() has begun: a process ending then is expected, not reported. */
    get isStopping(): boolean {
        return this.stopping !== undefined;
    }

    /** The instances in service (or dead and not yet replaced), in order. */
    get instances(): LocalInstance[] {
        return this.members.map((member) => member.instance);
    }

    constructor(
        private readonly settings: ClusterSettings,
        bindAddress: string,
        listenerPort: number,
        workDir: string,
        private readonly haproxy: ManagedProcess,
        members: Member[],
        private readonly template: InstanceTemplate,
        private readonly log: (line: string) => void,
        private readonly onInstanceEnd: ((instance: LocalInstance, end: ProcessEnd, why: string) => void) | undefined,
        private readonly accessLog: AccessLog,
    ) {
        this.accessLogFile = accessLog.file;
        this.listenerPort = listenerPort;
        this.url = `http://${bindAddress.includes(":") ? `[${bindAddress}]` : bindAddress}:${listenerPort}`;
        this.members = members;
        this.apis = members.map((member) => member.process);
        this.nextIndex = members.length;
        this.haproxyPid = haproxy.pid;
        this.workDir = workDir;
        this.statsSocket = path.join(workDir, "haproxy.sock");
        members.forEach((member) => this.watch(member));
    }

    /** The cluster's health now: each instance as HAProxy sees it, and the access log's last errors. */
    async status(): Promise<ClusterStatus> {
        return clusterStatus({
            url: this.url,
            stats: await showServers(this.statsSocket, BACKEND),
            instances: this.members.map((member) => member.instance),
            healthPath: this.settings.healthCheck.path,
            matcher: this.settings.healthCheck.matcher,
            requests: this.accessLog.requests,
            errors: this.accessLog.errors,
            lastErrors: this.accessLog.recentErrors,
        });
    }

    /** Reports an instance that ends unasked. */
    private watch(member: Member): void {
        void member.process.ended.then((end) => {
            if (!this.isStopping && !this.retired.has(member.process)) {
                // Its output says why it exited or crashed; not why someone killed it.
                const killed = end.signal !== null && SENT_SIGNALS.includes(end.signal);
                this.onInstanceEnd?.(member.instance, end, killed ? "" : explainLog(member.process.logFile));
            }
        });
    }

    /** Runs one change (a roll, an instance stop) at a time, never while stopping. */
    private async exclusive<T>(what: string, change: () => Promise<T>): Promise<T> {
        if (this.isStopping) {
            throw new LocalClusterError(`cannot ${what}: the cluster is stopping`);
        }
        if (this.changing) {
            throw new LocalClusterError(`cannot ${what}: a roll or an instance stop is already running`);
        }
        this.changing = true;
        try {
            return await change();
        } finally {
            this.changing = false;
        }
    }

    /**
     * Replaces every instance, one at a time, as an instance refresh does: start a new one, wait until
     * HAProxy sees it UP (`healthyThreshold` passing checks), then take the old one out of rotation,
     * let its requests in flight finish, and stop it (retire). Resolves with the new instances.
     */
    roll(log: (line: string) => void = this.log): Promise<LocalInstance[]> {
        return this.exclusive("roll", async () => {
            if (this.settings.stickiness.enabled && this.settings.stickiness.type === "lb_cookie") {
                // management.txt (HAProxy 2.6), "add server": `cookie` is not among the keywords a server
                // added at run time takes, so a new instance could not get its AWSALB cookie.
                throw new LocalClusterError(
                    "cannot roll with lb_cookie stickiness: HAProxy 2.6 gives no cookie to a server added at run time; restart npm run local instead",
                );
            }
            for (const old of [...this.members]) {
                const fresh = await this.launch(log);
                await this.retire(old, log);
                log(
                    `rolled ${old.instance.instanceId} (pid ${old.instance.pid}) to ${fresh.instance.instanceId} (pid ${fresh.instance.pid}, port ${fresh.instance.port})`,
                );
            }
            return this.instances;
        });
    }

    /**
     * Stops one instance as the ALB's deregistration does: out of rotation at once, its requests in
     * flight finish (up to the deregistration delay), then SIGTERM. It is not replaced.
     */
    stopInstance(instanceId: string, log: (line: string) => void = this.log): Promise<LocalInstance[]> {
        return this.exclusive(`stop ${instanceId}`, async () => {
            const member = this.members.find((candidate) => candidate.instance.instanceId === instanceId);
            if (member === undefined) {
                throw new LocalClusterError(
                    `no instance ${instanceId}; the instances are ${this.members.map((candidate) => candidate.instance.instanceId).join(", ")}`,
                );
            }
            await this.retire(member, log);
            return this.instances;
        });
    }

    /** Starts a new instance and brings it into rotation once HAProxy sees it UP. */
    private async launch(log: (line: string) => void): Promise<Member> {
        const index = this.nextIndex++;
        const instanceId = `local-${index}`;
        const zone = zoneLabel(index, this.settings.availabilityZoneCount);
        const process_ = await startApiProcess(this.template, instanceId, zone);
        this.apis.push(process_);
        const stillRunning = () => {
            if (this.isStopping) {
                throw new LocalClusterError(`the cluster is stopping; ${instanceId} was not brought into rotation`);
            }
            failIfEnded([process_, this.haproxy], "while rolling", undefined);
        };
        try {
            const port = await waitForInstance(process_, instanceId, this.settings.healthCheck.path, LISTEN_TIMEOUT_MS, stillRunning);
            const member = { instance: { instanceId, zone, port, pid: process_.pid }, process: process_ };
            log(`started ${instanceId} (pid ${process_.pid}, port ${port}); waiting for haproxy to see it UP`);
            const server = `${BACKEND}/${instanceId}`;
            await expectAnswer(this.statsSocket, addServerCommand(this.settings, { instanceId, port }), "New server registered.");
            // As at start: the new target must rise through its own checks before it gets traffic.
            for (const command of [`enable health ${server}`, `set server ${server} health down`, `enable server ${server}`]) {
                await adminCommand(this.statsSocket, command);
            }
            await waitForUp(this.statsSocket, instanceId, this.settings, readyWithinMs(this.settings), stillRunning);
            this.members.push(member);
            this.watch(member);
            return member;
        } catch (err) {
            this.retired.add(process_);
            await stopProcess(process_, "SIGTERM", 10_000);
            // Out of HAProxy too, if it got that far; a server never added answers "No such server", which is fine here.
            await adminCommand(this.statsSocket, `set server ${BACKEND}/${instanceId} state maint`).catch(() => undefined);
            await socketCommand(this.statsSocket, `del server ${BACKEND}/${instanceId}`).catch(() => undefined);
            throw err;
        }
    }

    /** Takes an instance out of rotation, waits for its sessions to end (up to the deregistration delay), stops it, removes it. */
    private async retire(member: Member, log: (line: string) => void): Promise<void> {
        const { instanceId, pid } = member.instance;
        const server = `${BACKEND}/${instanceId}`;
        const drainMs = this.settings.deregistrationDelaySeconds * 1000;
        log(`draining ${instanceId} (pid ${pid}): out of rotation, its requests in flight finish (up to ${drainMs / 1000} s)`);
        // `maint` stops all new traffic, sticky requests too, as a deregistered target gets none; `drain` would keep those.
        await adminCommand(this.statsSocket, `set server ${server} state maint`);
        const deadline = Date.now() + drainMs;
        while (Date.now() < deadline) {
            const stat = (await showServers(this.statsSocket, BACKEND)).find((candidate) => candidate.name === instanceId);
            if (stat === undefined || stat.currentSessions === 0) {
                break;
            }
            await sleep(100);
        }
        this.retired.add(member.process);
        await stopProcess(member.process, "SIGTERM", 10_000 + drainMs);
        await expectAnswer(this.statsSocket, `del server ${server}`, "Server deleted.");
        this.members = this.members.filter((candidate) => candidate !== member);
        log(`stopped ${instanceId} (pid ${pid}) and removed it from haproxy`);
    }

    /**
     * Drains, then stops everything: HAProxy stops accepting connections and finishes those in flight
     * for up to the deregistration delay, then every instance gets SIGTERM (its own grace period), then
     * SIGKILL for anything left; the temporary folder goes last. Safe to call more than once.
     */
    stop(): Promise<void> {
        this.stopping ??= stopAll(
            this.haproxy,
            this.apis,
            this.workDir,
            this.settings.deregistrationDelaySeconds,
            this.log,
            this.accessLog,
        );
        return this.stopping;
    }

    /** Stops at once, without draining: SIGKILL to every process group, then the temporary folder. */
    async kill(): Promise<void> {
        this.stopping ??= Promise.resolve();
        await Promise.all([this.haproxy, ...this.apis].map((process_) => stopProcess(process_, "SIGKILL", 0)));
        await this.accessLog.close();
        fs.rmSync(this.workDir, { recursive: true, force: true });
    }
}

/** Sends a command whose success answer is `expected`; throws with HAProxy's answer otherwise. */
async function expectAnswer(socketPath: string, command: string, expected: string): Promise<void> {
    const answer = (await socketCommand(socketPath, command)).trim();
    if (answer !== expected) {
        throw new LocalClusterError(`haproxy refused "${command}": ${answer}`);
    }
}

/** How long an instance may take by default to print its listening line and answer the health path. */
const LISTEN_TIMEOUT_MS = 60_000;

/** What a probe that got no answer found, in words. */
function probeFailure(result: ProbeResult | undefined, port: number, healthPath: string): string {
    if (result?.error === "ECONNREFUSED") {
        return `nothing listening on port ${port} (connection refused)`;
    }
    if (result?.error === "timeout") {
        return `GET ${healthPath} on port ${port} got no answer within 1 s`;
    }
    return `GET ${healthPath} on port ${port} failed: ${result?.error ?? "no attempt"}`;
}

/**
 * Waits until an instance printed its listening line, then answers `healthPath` with any status
 * (HAProxy's checks judge the status); resolves with its port. `stillRunning` throws when the
 * instance (or the run) has ended. A timeout names what was missing, the instance's output, and
 * what the app must do (LISTEN_RULE).
 */
async function waitForInstance(
    api: ManagedProcess,
    instanceId: string,
    healthPath: string,
    timeoutMs: number,
    stillRunning: () => void,
): Promise<number> {
    let port: number | undefined;
    let last: ProbeResult | undefined;
    await poll(
        async () => {
            stillRunning();
            const line = readListeningLine(api);
            if (line !== undefined && line.instanceId !== instanceId) {
                throw new LocalClusterError(
                    `instance ${instanceId} (pid ${api.pid}) says it listens as ${line.instanceId}; ${LISTEN_RULE}`,
                );
            }
            port = line?.port;
            last = port === undefined ? undefined : await probe(port, healthPath);
            return last?.status !== undefined;
        },
        100,
        timeoutMs,
        () => {
            const output = explainLog(api.logFile);
            const what =
                port === undefined
                    ? `printed no "api-server: listening on <address>:<port> as ${instanceId}" line within ${timeoutMs / 1000} s`
                    : `says it listens on port ${port}, but within ${timeoutMs / 1000} s: ${probeFailure(last, port, healthPath)}`;
            return new LocalClusterError(`instance ${instanceId} (pid ${api.pid}) ${what}${output ? `; ${output}` : ""}; ${LISTEN_RULE}`);
        },
    );
    return port as number;
}

/**
 * The instances whose health check has failed `unhealthyThreshold` times in a row while starting,
 * one clause each with what the check saw; empty while none has. HAProxy counts no failure of a
 * server that is down (chkfail), and each starts down, so a failure is timed here: `failingSince`
 * holds when each instance was first seen failing (a passing check clears it), and failing for
 * (unhealthyThreshold − 1) check intervals and a second means that many checks failed.
 */
export function failingOnStart(
    stats: ServerStat[],
    instances: LocalInstance[],
    settings: ClusterSettings,
    failingSince: Map<string, number>,
    now: number,
): string[] {
    const check = settings.healthCheck;
    const failing = stats.filter((stat) => stat.status !== "UP" && checkFailed(stat));
    for (const stat of stats) {
        if (!failing.includes(stat)) {
            failingSince.delete(stat.name);
        } else if (!failingSince.has(stat.name)) {
            failingSince.set(stat.name, now);
        }
    }
    const spanMs = ((check.unhealthyThreshold - 1) * check.intervalSeconds + 1) * 1000;
    if (![...failingSince.values()].some((since) => now - since >= spanMs)) {
        return [];
    }
    return failing.map((stat) => {
        const instance = instances.find((candidate) => candidate.instanceId === stat.name);
        return `instance ${stat.name} (pid ${instance?.pid}, port ${instance?.port}): ${describeCheck(stat, check.path, check.matcher)}`;
    });
}

/** The orderly stop shared by a normal stop and a failed start. */
async function stopAll(
    haproxy: ManagedProcess | undefined,
    apis: ManagedProcess[],
    workDir: string,
    drainSeconds: number,
    log: (line: string) => void,
    accessLog: AccessLog | undefined,
): Promise<void> {
    try {
        if (haproxy !== undefined && !haproxy.hasEnded()) {
            log(`draining: haproxy stops accepting connections and finishes those in flight (up to ${drainSeconds} s)`);
            // SIGUSR1 is HAProxy's soft stop: it closes its listener and exits once its connections are done.
            await stopProcess(haproxy, "SIGUSR1", drainSeconds * 1000);
        }
        const running = apis.filter((api) => !api.hasEnded());
        if (running.length > 0) {
            log(`stopping ${running.length} instance(s)`);
        }
        await Promise.all(running.map((api) => stopProcess(api, "SIGTERM", 10_000)));
    } finally {
        // HAProxy has ended: the last lines of its stdout are read before the file is closed.
        await accessLog?.close();
        fs.rmSync(workDir, { recursive: true, force: true });
    }
}

/** Waits until `until` returns true, polling every `everyMs`; throws `onTimeout()` after `timeoutMs`. */
async function poll(until: () => Promise<boolean>, everyMs: number, timeoutMs: number, onTimeout: () => Error): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await until())) {
        if (Date.now() > deadline) {
            throw onTimeout();
        }
        await sleep(everyMs);
    }
}

/** Throws when the start was aborted, or when any of `processes` has ended, naming it, how it ended and its last log lines. */
function failIfEnded(processes: ManagedProcess[], phase: string, abortSignal: AbortSignal | undefined): void {
    if (abortSignal?.aborted) {
        throw new LocalClusterError("interrupted while starting; stopped everything started so far");
    }
    const ended = processes.find((process_) => process_.hasEnded());
    if (ended !== undefined) {
        const end = endOf(ended);
        if (ended.label === "haproxy") {
            const tail = logTail(ended.logFile);
            throw new LocalClusterError(`${ended.label} (pid ${ended.pid}) ${end} ${phase}${tail ? `: ${tail}` : ""}`);
        }
        // An API instance: its exception and causes, its last lines, and, if it never said it listens, what it must do.
        const why = explainLog(ended.logFile);
        const rule = readListeningLine(ended) === undefined ? `; ${LISTEN_RULE}` : "";
        throw new LocalClusterError(`${ended.label} (pid ${ended.pid}) ${end} ${phase}${why ? `: ${why}` : ""}${rule}`);
    }
}

/** How an ended process ended, read from its exit code (set once `exit` has fired). */
function endOf(process_: ManagedProcess): string {
    const { exitCode, signalCode } = process_.child;
    return describeEnd({ code: exitCode, signal: signalCode });
}

/** Attempts at starting HAProxy on a chosen port (`--any-port`) before giving up: each failed bind picks another. */
export const LISTENER_BIND_ATTEMPTS = 5;

/** Whether HAProxy's log says it could not bind the listener on `address:port`. */
export function failedToBind(haproxyLog: string, address: string, port: number): boolean {
    const at = address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
    return haproxyLog.includes("cannot bind socket") && haproxyLog.includes(`[${at}]`);
}

/** Builds the API, starts the instances and HAProxy, and resolves once every instance is UP in HAProxy. */
export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
    const settings = options.settings;
    const bindAddress = options.bindAddress ?? "127.0.0.1";
    const log = options.log ?? (() => undefined);
    requireLocalTools(settings.app);
    if (!options.anyPort) {
        await checkPortFree(bindAddress, settings.port);
    }

    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-local-"));
    const apis: ManagedProcess[] = [];
    let haproxy: ManagedProcess | undefined;
    let started = false;
    let accessLog: AccessLog | undefined;
    try {
        accessLog = new AccessLog(options.accessLogFile ?? path.join(workDir, "access.log"));
        const requestLog = accessLog;
        log(`temporary folder ${workDir}; building the API (api-cluster:app: source ${settings.app.source}, path ${settings.app.path})`);
        const launch = await (options.prepareApi ?? prepareApiLaunch)(
            settings.app,
            options.projectDir ?? path.join(__dirname, ".."),
            options.abortSignal,
        );
        failIfEnded([], "while building", options.abortSignal);
        const template: InstanceTemplate = { launch, settings, adminPassword: options.adminPassword, workDir };

        const ids = Array.from({ length: settings.instanceCount }, (_unused, index) => ({
            instanceId: `local-${index}`,
            zone: zoneLabel(index, settings.availabilityZoneCount),
        }));
        for (const { instanceId, zone } of ids) {
            apis.push(await startApiProcess(template, instanceId, zone));
        }
        log(`started ${apis.length} instance(s) of ${launch.description}; waiting for each to answer ${settings.healthCheck.path}`);
        const instances: LocalInstance[] = [];
        for (const [index, api] of apis.entries()) {
            const port = await waitForInstance(
                api,
                ids[index].instanceId,
                settings.healthCheck.path,
                options.listenTimeoutMs ?? LISTEN_TIMEOUT_MS,
                () => failIfEnded(apis, "on start", options.abortSignal),
            );
            instances.push({ ...ids[index], port, pid: api.pid });
        }

        const statsSocket = path.join(workDir, "haproxy.sock");
        const configFile = path.join(workDir, "haproxy.cfg");
        const haproxyLog = path.join(workDir, "haproxy.log");
        const servers: LocalServer[] = instances.map(({ instanceId, port }) => ({ instanceId, port }));
        let listenerPort = settings.port;
        for (let attempt = 1; ; attempt++) {
            listenerPort = options.anyPort ? await (options.choosePort ?? freePort)(bindAddress) : settings.port;
            const config = renderHaproxyConfig(settings, servers, { bindAddress, listenerPort, statsSocket, retries: options.retries });
            fs.writeFileSync(configFile, config, { mode: 0o600 });
            fs.writeFileSync(haproxyLog, "", { mode: 0o600 });
            // TZ=UTC: the access log's dates (%tr) are in UTC.
            haproxy = await startProcess("haproxy", "haproxy", ["-db", "-f", configFile], { ...process.env, TZ: "UTC" }, haproxyLog, true);
            requestLog.attach(haproxy.child.stdout as Readable, (line) => fs.appendFileSync(haproxyLog, `${line}\n`));
            log(`haproxy (pid ${haproxy.pid}) runs ${configFile}; stats socket ${statsSocket}`);
            const attemptProcess = haproxy;
            const bound = await waitForSocket(statsSocket, () =>
                failIfEnded([attemptProcess, ...apis], "on start", options.abortSignal),
            ).then(
                () => true,
                (err: Error) => {
                    const lostRace =
                        attemptProcess.hasEnded() && failedToBind(fs.readFileSync(haproxyLog, "utf8"), bindAddress, listenerPort);
                    if (options.anyPort && lostRace && attempt < LISTENER_BIND_ATTEMPTS) {
                        return false;
                    }
                    if (options.anyPort && lostRace) {
                        throw new LocalClusterError(
                            `haproxy lost the port it was given on ${bindAddress} ${attempt} times in a row: ${err.message}`,
                        );
                    }
                    throw err;
                },
            );
            if (bound) {
                break;
            }
            log(`haproxy could not bind ${bindAddress}:${listenerPort}, taken since it was checked free; trying another port`);
        }
        const haproxyProcess = haproxy;
        const everyone = [haproxy, ...apis];
        // A new ALB target must pass `healthyThreshold` checks before it gets traffic; HAProxy starts
        // servers up, so each starts down here and must rise through its own checks.
        for (const server of servers) {
            const command = `set server ${BACKEND}/${server.instanceId} health down`;
            await adminCommand(statsSocket, command).catch(async (err: Error) => {
                await waitForEnd(haproxyProcess, 1000);
                failIfEnded(everyone, "on start", options.abortSignal);
                throw new LocalClusterError(`haproxy's stats socket refused "${command}": ${err.message}`);
            });
        }
        const check = settings.healthCheck;
        const readyMs = readyWithinMs(settings);
        log(`access log ${requestLog.file}: one line per request (time, instance, status, duration in ms, termination, method, path)`);
        log(`waiting for haproxy to see every instance UP (${check.healthyThreshold} passing checks ${check.intervalSeconds} s apart)`);
        let last = "";
        const failingSince = new Map<string, number>();
        await poll(
            async () => {
                failIfEnded(everyone, "before the cluster was ready", options.abortSignal);
                // A HAProxy that has just died refuses the socket; the next round names it.
                const stats = await showServers(statsSocket, BACKEND).catch((): ServerStat[] => []);
                last = stats.map((stat) => `${stat.name} ${stat.status}: ${describeCheck(stat, check.path, check.matcher)}`).join(", ");
                const failing = failingOnStart(stats, instances, settings, failingSince, Date.now());
                if (failing.length > 0) {
                    throw new LocalClusterError(
                        `haproxy's health check failed ${check.unhealthyThreshold} times in a row on start: ${failing.join("; ")}; ` +
                            `the app must answer GET ${check.path} with ${check.matcher} on $PORT`,
                    );
                }
                return stats.length === servers.length && stats.every((stat) => stat.status === "UP");
            },
            200,
            readyMs,
            () => new LocalClusterError(`not every instance became healthy in haproxy within ${readyMs / 1000} s: ${last}`),
        );

        const members = instances.map((instance, index) => ({ instance, process: apis[index] }));
        const cluster = new LocalCluster(
            settings,
            bindAddress,
            listenerPort,
            workDir,
            haproxy,
            members,
            template,
            log,
            options.onInstanceEnd,
            requestLog,
        );
        void haproxy.ended.then((end) => {
            if (!cluster.isStopping) {
                options.onHaproxyEnd?.(end);
            }
        });
        started = true;
        return cluster;
    } finally {
        if (!started) {
            await stopAll(haproxy, apis, workDir, 0, log, accessLog);
        }
    }
}

/**
 * Waits until HAProxy answers on its stats socket, which it opens once every listener is bound (the
 * file alone may be left behind by a HAProxy that then failed to bind the listener).
 */
function waitForSocket(statsSocket: string, stillRunning: () => void): Promise<void> {
    return poll(
        async () => {
            stillRunning();
            return (
                fs.existsSync(statsSocket) &&
                (await socketCommand(statsSocket, "show info").then(
                    () => true,
                    () => false,
                ))
            );
        },
        50,
        15_000,
        () => new LocalClusterError(`haproxy opened no stats socket within 15 s`),
    );
}
