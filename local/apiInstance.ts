/**
 * One API instance of the local cluster: started with `PORT=0` and `BIND_ADDRESS=127.0.0.1`, so it
 * binds a port of the system's choosing on loopback only, and read back from the line the API
 * prints once it listens (app/README.md): `api-server: listening on <address>:<port> as <id>`.
 * No port is chosen first and bound later, so two instances, or two clusters, never race for one.
 */
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { ClusterSettings } from "../components/config/schema";
import { ApiLaunch } from "./apiLaunch";
import { ManagedProcess, startProcess } from "./processes";

/** The address every instance binds: loopback, never every interface. */
export const INSTANCE_ADDRESS = "127.0.0.1";

/** Where an instance said it listens. */
export interface ListeningLine {
    /** The address it bound. */
    address: string;
    /** The port it bound. */
    port: number;
    /** The instance id it reported. */
    instanceId: string;
}

/** The API's listening line, read from its output; undefined until it has printed one. */
export function parseListeningLine(output: string): ListeningLine | undefined {
    const match = /^api-server: listening on (\S+):(\d+) as (\S+)$/m.exec(output);
    if (match === null) {
        return undefined;
    }
    return { address: match[1].replace(/^\[(.*)\]$/, "$1"), port: Number(match[2]), instanceId: match[3] };
}

/** What every instance of a run is started with. */
export interface InstanceTemplate {
    /** The command that starts the API. */
    launch: ApiLaunch;
    /** The stack's settings: admin username, deregistration delay. */
    settings: ClusterSettings;
    /** The admin password, handed to the process in its environment only. */
    adminPassword: string;
    /** The run's folder, where its log goes. */
    workDir: string;
}

/** Starts one API instance; resolves once it runs (its port is not known yet: see waitForListening). */
export function startApiProcess(start: InstanceTemplate, instanceId: string, zone: string): Promise<ManagedProcess> {
    const env = {
        ...process.env,
        PORT: "0",
        BIND_ADDRESS: INSTANCE_ADDRESS,
        INSTANCE_ID: instanceId,
        AVAILABILITY_ZONE: zone,
        ADMIN_USERNAME: start.settings.adminUsername,
        ADMIN_PASSWORD: start.adminPassword,
        SHUTDOWN_GRACE_SECONDS: String(start.settings.deregistrationDelaySeconds),
    };
    return startProcess(
        `instance ${instanceId}`,
        start.launch.command,
        start.launch.args,
        env,
        path.join(start.workDir, `${instanceId}.log`),
    );
}

/** The instance's listening line from its log, or undefined while it has not printed one. */
export function readListeningLine(api: ManagedProcess): ListeningLine | undefined {
    try {
        return parseListeningLine(fs.readFileSync(api.logFile, "utf8"));
    } catch {
        return undefined;
    }
}

/** What one GET straight to an instance got: its status, or the error that stopped it (`ECONNREFUSED`, `timeout`, …). */
export interface ProbeResult {
    /** The status it answered; undefined when it did not answer. */
    status?: number;
    /** Why it did not answer: the socket error's code, or `timeout`. */
    error?: string;
}

/** One GET of a `/health`-like path straight to an instance. */
export function probe(port: number, urlPath: string): Promise<ProbeResult> {
    return new Promise((resolve) => {
        const request = http.get({ host: INSTANCE_ADDRESS, port, path: urlPath, timeout: 1000, agent: false }, (response) => {
            response.resume();
            resolve({ status: response.statusCode });
        });
        request.on("timeout", () => request.destroy(Object.assign(new Error("timeout"), { code: "timeout" })));
        request.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    });
}
