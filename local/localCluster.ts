/**
 * A stack's cluster on one machine: `instanceCount` API processes on free loopback ports behind
 * HAProxy, configured from the stack's settings as the application load balancer is. Ready once
 * every instance is UP in HAProxy's own view (its stats socket), after `healthyThreshold` passing
 * checks, as a new target of the ALB is. A dead instance is reported and never restarted.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { AppSettings, AppSource, ClusterSettings } from "../components/config/schema";
import { ApiLaunch, prepareApiLaunch } from "./apiLaunch";
import { BACKEND, LocalServer, renderHaproxyConfig } from "./haproxyConfig";
import { adminCommand, showServers, socketCommand } from "./haproxyStats";
import { freePort } from "./ports";
import { ManagedProcess, MissingToolError, ProcessEnd, describeEnd, logTail, startProcess, stopProcess, waitForEnd } from "./processes";
import { setTimeout as sleep } from "timers/promises";

/** What to start. */
export interface LocalClusterOptions {
    /** The stack's settings, validated as the program validates them. */
    settings: ClusterSettings;
    /** The admin password every instance checks; handed to the processes through their environment only. */
    adminPassword: string;
    /** The address the listener binds. Default `127.0.0.1`. */
    bindAddress?: string;
    /** Progress messages (building, starting, stopping), one line each. Default: none. */
    log?: (line: string) => void;
    /** Called when an instance ends after the cluster is ready; the others keep serving. */
    onInstanceEnd?: (instance: LocalInstance, end: ProcessEnd) => void;
    /** Called when HAProxy ends after the cluster is ready; the cluster is then stopped. */
    onHaproxyEnd?: (end: ProcessEnd) => void;
    /** Aborts a start in progress (Ctrl-C while starting): everything started so far is stopped. Default none. */
    abortSignal?: AbortSignal;
    /** Where Pulumi.yaml is: a relative `app.path` is taken from here. Default: this repository's root. */
    projectDir?: string;
    /** Builds the stack's `app` and returns the command that starts one instance. Default: prepareApiLaunch. */
    prepareApi?: (app: AppSettings, projectDir: string) => Promise<ApiLaunch>;
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

/** One GET of `/health`-like path straight to an instance; its status, or undefined when it does not answer. */
function probe(port: number, urlPath: string): Promise<number | undefined> {
    return new Promise((resolve) => {
        const request = http.get({ host: "127.0.0.1", port, path: urlPath, timeout: 1000, agent: false }, (response) => {
            response.resume();
            resolve(response.statusCode);
        });
        request.on("timeout", () => request.destroy());
        request.on("error", () => resolve(undefined));
    });
}

/** A cluster that is up: its URL, its instances, and how to stop it. */
export class LocalCluster {
    /** The load balancer's URL. */
    readonly url: string;
    /** The instances, in order. */
    readonly instances: LocalInstance[];
    /** HAProxy's process id. */
    readonly haproxyPid: number;
    /** The stats socket's path. */
    readonly statsSocket: string;
    private stopping?: Promise<void>;

    /** Whether stop() or kill() has begun: a process ending then is expected, not reported. */
    get isStopping(): boolean {
        return this.stopping !== undefined;
    }

    constructor(
        private readonly settings: ClusterSettings,
        bindAddress: string,
        private readonly workDir: string,
        private readonly haproxy: ManagedProcess,
        private readonly apis: ManagedProcess[],
        instances: LocalInstance[],
        private readonly log: (line: string) => void,
    ) {
        this.url = `http://${bindAddress.includes(":") ? `[${bindAddress}]` : bindAddress}:${settings.port}`;
        this.instances = instances;
        this.haproxyPid = haproxy.pid;
        this.statsSocket = path.join(workDir, "haproxy.sock");
    }

    /**
     * Drains, then stops everything: HAProxy stops accepting connections and finishes those in flight
     * for up to the deregistration delay, then every instance gets SIGTERM (its own grace period), then
     * SIGKILL for anything left; the temporary folder goes last. Safe to call more than once.
     */
    stop(): Promise<void> {
        this.stopping ??= stopAll(this.haproxy, this.apis, this.workDir, this.settings.deregistrationDelaySeconds, this.log);
        return this.stopping;
    }

    /** Stops at once, without draining: SIGKILL to every process group, then the temporary folder. */
    async kill(): Promise<void> {
        this.stopping ??= Promise.resolve();
        await Promise.all([this.haproxy, ...this.apis].map((process_) => stopProcess(process_, "SIGKILL", 0)));
        fs.rmSync(this.workDir, { recursive: true, force: true });
    }
}

/** The orderly stop shared by a normal stop and a failed start. */
async function stopAll(
    haproxy: ManagedProcess | undefined,
    apis: ManagedProcess[],
    workDir: string,
    drainSeconds: number,
    log: (line: string) => void,
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
        const tail = logTail(ended.logFile);
        throw new LocalClusterError(`${ended.label} (pid ${ended.pid}) ${end} ${phase}${tail ? `: ${tail}` : ""}`);
    }
}

/** How an ended process ended, read from its exit code (set once `exit` has fired). */
function endOf(process_: ManagedProcess): string {
    const { exitCode, signalCode } = process_.child;
    return describeEnd({ code: exitCode, signal: signalCode });
}

/** Builds the API, starts the instances and HAProxy, and resolves once every instance is UP in HAProxy. */
export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
    const settings = options.settings;
    const bindAddress = options.bindAddress ?? "127.0.0.1";
    const log = options.log ?? (() => undefined);
    requireLocalTools(settings.app);
    await checkPortFree(bindAddress, settings.port);

    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-local-"));
    const apis: ManagedProcess[] = [];
    let haproxy: ManagedProcess | undefined;
    let started = false;
    try {
        log(`temporary folder ${workDir}; building the API (api-cluster:app: ${settings.app.source} ${settings.app.path})`);
        const launch = await (options.prepareApi ?? prepareApiLaunch)(settings.app, options.projectDir ?? path.join(__dirname, ".."));

        const instances: LocalInstance[] = [];
        for (let index = 0; index < settings.instanceCount; index++) {
            const instanceId = `local-${index}`;
            const port = await freePort();
            const zone = zoneLabel(index, settings.availabilityZoneCount);
            const env = {
                ...process.env,
                PORT: String(port),
                INSTANCE_ID: instanceId,
                AVAILABILITY_ZONE: zone,
                ADMIN_USERNAME: settings.adminUsername,
                ADMIN_PASSWORD: options.adminPassword,
                SHUTDOWN_GRACE_SECONDS: String(settings.deregistrationDelaySeconds),
            };
            const api = await startProcess(
                `instance ${instanceId}`,
                launch.command,
                launch.args,
                env,
                path.join(workDir, `${instanceId}.log`),
            );
            apis.push(api);
            instances.push({ instanceId, zone, port, pid: api.pid });
        }
        log(`started ${instances.length} instance(s) of ${launch.description}; waiting for each to answer ${settings.healthCheck.path}`);
        for (const instance of instances) {
            await poll(
                async () => {
                    failIfEnded(apis, "on start", options.abortSignal);
                    return (await probe(instance.port, settings.healthCheck.path)) !== undefined;
                },
                100,
                60_000,
                () => new LocalClusterError(`instance ${instance.instanceId} did not answer on port ${instance.port} within 60 s`),
            );
        }

        const statsSocket = path.join(workDir, "haproxy.sock");
        const configFile = path.join(workDir, "haproxy.cfg");
        const servers: LocalServer[] = instances.map(({ instanceId, port }) => ({ instanceId, port }));
        fs.writeFileSync(configFile, renderHaproxyConfig(settings, servers, { bindAddress, statsSocket }), { mode: 0o600 });
        haproxy = await startProcess("haproxy", "haproxy", ["-db", "-f", configFile], process.env, path.join(workDir, "haproxy.log"));
        log(`haproxy (pid ${haproxy.pid}) runs ${configFile}; stats socket ${statsSocket}`);
        const haproxyProcess = haproxy;
        const everyone = [haproxy, ...apis];
        await poll(
            async () => {
                failIfEnded(everyone, "on start", options.abortSignal);
                // HAProxy answers on its socket once every listener is bound; the file alone may be left
                // behind by a HAProxy that then failed to bind the listener.
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
            () => new LocalClusterError(`haproxy opened no stats socket within 15 s: ${logTail(path.join(workDir, "haproxy.log"))}`),
        );
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
        const readyWithinMs = (check.intervalSeconds * (check.healthyThreshold + 1) + check.timeoutSeconds + 10) * 1000;
        log(`waiting for haproxy to see every instance UP (${check.healthyThreshold} passing checks ${check.intervalSeconds} s apart)`);
        let last = "";
        await poll(
            async () => {
                failIfEnded(everyone, "before the cluster was ready", options.abortSignal);
                // A HAProxy that has just died refuses the socket; the next round names it.
                const stats = await showServers(statsSocket, BACKEND).catch(() => []);
                last = stats.map((stat) => `${stat.name} ${stat.status} (${stat.checkStatus})`).join(", ");
                return stats.length === servers.length && stats.every((stat) => stat.status === "UP");
            },
            200,
            readyWithinMs,
            () => new LocalClusterError(`not every instance became healthy in haproxy within ${readyWithinMs / 1000} s: ${last}`),
        );

        const cluster = new LocalCluster(settings, bindAddress, workDir, haproxy, apis, instances, log);
        apis.forEach((api, index) => {
            void api.ended.then((end) => {
                if (!cluster.isStopping) {
                    options.onInstanceEnd?.(instances[index], end);
                }
            });
        });
        void haproxy.ended.then((end) => {
            if (!cluster.isStopping) {
                options.onHaproxyEnd?.(end);
            }
        });
        started = true;
        return cluster;
    } finally {
        if (!started) {
            await stopAll(haproxy, apis, workDir, 0, log);
        }
    }
}
