/**
 * The control socket of a running `npm run local`: `npm run local -- roll` and `npm run local --
 * stop-instance` ask the run to change its cluster, and the run does it, since it owns the
 * processes. The socket is `control.sock` in the run's temporary folder (mode 0700, this user's
 * only), beside `run.json`, which names the stack, so a client finds the run of a stack by itself.
 *
 * One request a connection, a JSON line: `{"command":"roll"}` or
 * `{"command":"stop-instance","instance":"local-1"}`. The run answers with JSON lines: `{"log":…}`
 * for each step, then `{"ok":true,"instances":[…]}` or `{"ok":false,"error":…}`, and closes.
 */
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { LocalInstance } from "./localCluster";
import { isRunning } from "./processes";

/** The control socket's name in the run's folder. */
export const CONTROL_SOCKET = "control.sock";

/** The run's description in its folder. */
export const RUN_FILE = "run.json";

/** Which run a control socket belongs to. */
export interface RunIdentity {
    /** The stack it runs. */
    stack: string;
    /** The pid of `npm run local`. */
    pid: number;
    /** The load balancer's URL. */
    url: string;
}

/** What `run.json` says about a run. */
export interface RunRecord extends RunIdentity {
    /** The control socket's path. */
    controlSocket: string;
}

/** A request to a run. */
export interface ControlRequest {
    /** `roll` or `stop-instance`. */
    command: string;
    /** The instance to stop, for `stop-instance`. */
    instance?: string;
}

/** One line of a run's answer. */
interface ControlLine {
    log?: string;
    ok?: boolean;
    error?: string;
    instances?: LocalInstance[];
}

/** What a run does for each request: resolves with the instances after the change, rejects with a one-line reason. */
export type ControlHandler = (request: ControlRequest, log: (line: string) => void) => Promise<LocalInstance[]>;

/** The control socket's server, started by `npm run local` once its cluster is ready. */
export interface ControlServer {
    /** Closes the socket. */
    close: () => Promise<void>;
}

/** Listens on the run folder's control socket and writes `run.json`. */
export function serveControl(workDir: string, record: RunIdentity, handle: ControlHandler): Promise<ControlServer> {
    const controlSocket = path.join(workDir, CONTROL_SOCKET);
    const server = net.createServer((socket) => {
        let buffer = "";
        const send = (line: ControlLine) => {
            if (!socket.destroyed) {
                socket.write(`${JSON.stringify(line)}\n`);
            }
        };
        socket.on("error", () => undefined);
        socket.on("data", (chunk: Buffer) => {
            buffer += chunk.toString();
            const newline = buffer.indexOf("\n");
            if (newline < 0) {
                return;
            }
            socket.removeAllListeners("data");
            let request: ControlRequest;
            try {
                request = JSON.parse(buffer.slice(0, newline)) as ControlRequest;
            } catch {
                send({ ok: false, error: "not a JSON request line" });
                socket.end();
                return;
            }
            handle(request, (line) => send({ log: line })).then(
                (instances) => {
                    send({ ok: true, instances });
                    socket.end();
                },
                (err: unknown) => {
                    send({ ok: false, error: err instanceof Error ? err.message : String(err) });
                    socket.end();
                },
            );
        });
    });
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(controlSocket, () => {
            fs.chmodSync(controlSocket, 0o600);
            fs.writeFileSync(path.join(workDir, RUN_FILE), JSON.stringify({ ...record, controlSocket }), { mode: 0o600 });
            resolve({ close: () => new Promise((done) => server.close(() => done())) });
        });
    });
}

/** The runs of `stack` by this user that still run, found through the `run.json` of each `api-cluster-local-*` folder. */
export function findRuns(stack: string, tmpDir = os.tmpdir()): RunRecord[] {
    const runs: RunRecord[] = [];
    for (const name of fs.readdirSync(tmpDir).filter((entry) => entry.startsWith("api-cluster-local-"))) {
        try {
            const record = JSON.parse(fs.readFileSync(path.join(tmpDir, name, RUN_FILE), "utf8")) as RunRecord;
            if (record.stack === stack && isRunning(record.pid)) {
                runs.push(record);
            }
        } catch {
            // Not a run of ours, not ready yet, or left behind by a run that was killed.
        }
    }
    return runs;
}

/**
 * Sends one request to a run's control socket; `onLog` gets each step as it happens. Resolves with
 * the instances afterwards; rejects with the run's reason, or when the socket does not answer.
 */
export function sendControl(controlSocket: string, request: ControlRequest, onLog: (line: string) => void): Promise<LocalInstance[]> {
    return new Promise((resolve, reject) => {
        const socket = net.connect(controlSocket);
        let buffer = "";
        let settled = false;
        const settle = (finish: () => void) => {
            if (!settled) {
                settled = true;
                finish();
            }
        };
        socket.on("connect", () => socket.write(`${JSON.stringify(request)}\n`));
        socket.on("data", (chunk: Buffer) => {
            buffer += chunk.toString();
            let newline: number;
            while ((newline = buffer.indexOf("\n")) >= 0) {
                const line = JSON.parse(buffer.slice(0, newline)) as ControlLine;
                buffer = buffer.slice(newline + 1);
                if (line.log !== undefined) {
                    onLog(line.log);
                } else if (line.ok === true) {
                    settle(() => resolve(line.instances ?? []));
                } else {
                    settle(() => reject(new Error(line.error ?? "the run refused the request")));
                }
            }
        });
        socket.on("error", (err) => settle(() => reject(new Error(`cannot reach ${controlSocket}: ${err.message}`))));
        socket.on("close", () => settle(() => reject(new Error(`${controlSocket} closed without an answer`))));
    });
}
