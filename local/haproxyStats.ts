/**
 * HAProxy's runtime API over its stats socket: `show stat` for each server's state in HAProxy's own
 * view, and the commands that force a server's health or put it in drain.
 */
import * as net from "net";

/** One server's line of `show stat`. */
export interface ServerStat {
    /** The server's name (the instance id). */
    name: string;
    /** `UP`, `DOWN`, `DRAIN`, `MAINT`, `no check`, or a transition such as `UP 1/2`. */
    status: string;
    /** Current sessions on the server. */
    currentSessions: number;
    /** The last check's status, such as `L7OK`, `L4CON`, `INI`. */
    checkStatus: string;
}

/** Sends one command to the socket and returns HAProxy's whole answer. */
export function socketCommand(socketPath: string, command: string, timeoutMs = 2000): Promise<string> {
    return new Promise((resolve, reject) => {
        const socket = net.connect(socketPath);
        let answer = "";
        const timer = setTimeout(() => socket.destroy(new Error(`no answer from ${socketPath} within ${timeoutMs} ms`)), timeoutMs);
        socket.on("connect", () => socket.write(`${command}\n`));
        socket.on("data", (chunk: Buffer) => (answer += chunk.toString()));
        socket.on("error", (err) => {
            clearTimeout(timer);
            reject(err);
        });
        socket.on("close", () => {
            clearTimeout(timer);
            resolve(answer);
        });
    });
}

/** Parses `show stat` CSV into the servers of `backend` (not its FRONTEND/BACKEND summary lines). */
export function parseShowStat(csv: string, backend: string): ServerStat[] {
    const lines = csv.split("\n").filter((line) => line.trim() !== "");
    const header = (lines[0] ?? "").replace(/^# /, "").split(",");
    const column = (name: string) => header.indexOf(name);
    const [proxy, server, status, current, checkStatus] = ["pxname", "svname", "status", "scur", "check_status"].map(column);
    if ([proxy, server, status, current, checkStatus].some((index) => index < 0)) {
        throw new Error(`unexpected show stat header: ${lines[0] ?? "(empty)"}`);
    }
    return lines
        .slice(1)
        .map((line) => line.split(","))
        .filter((cells) => cells[proxy] === backend && cells[server] !== "BACKEND" && cells[server] !== "FRONTEND")
        .map((cells) => ({
            name: cells[server],
            status: cells[status],
            currentSessions: Number(cells[current] || 0),
            checkStatus: cells[checkStatus],
        }));
}

/** The servers of `backend` as HAProxy sees them now. */
export async function showServers(socketPath: string, backend: string): Promise<ServerStat[]> {
    return parseShowStat(await socketCommand(socketPath, "show stat"), backend);
}

/** Sends a command that answers nothing on success; throws with HAProxy's answer otherwise. */
export async function adminCommand(socketPath: string, command: string): Promise<void> {
    const answer = (await socketCommand(socketPath, command)).trim();
    if (answer !== "") {
        throw new Error(`haproxy refused "${command}": ${answer}`);
    }
}
