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
    /** The last check's HTTP status (`check_code`), or empty when it got none. */
    checkCode: string;
    /** HAProxy's words for checkStatus (`check_desc`), such as `Layer7 wrong status`. */
    checkDescription: string;
    /** What the last check got (`last_chk`), such as `Connection refused` or `Service Unavailable`; may be empty. */
    lastCheck: string;
    /** Failed checks so far (`chkfail`). */
    failedChecks: number;
    /** HTTP requests sent to the server so far (`req_tot`). */
    requests: number;
    /** 5xx answers it gave (`hrsp_5xx`). */
    responses5xx: number;
    /** Its address, `127.0.0.1:<port>` (`addr`). */
    address: string;
}

/** The `show stat` columns read, by the names its header gives them. */
const COLUMNS = [
    "pxname",
    "svname",
    "status",
    "scur",
    "check_status",
    "check_code",
    "check_desc",
    "last_chk",
    "chkfail",
    "req_tot",
    "hrsp_5xx",
    "addr",
] as const;

/** The columns without which a line says nothing. */
const REQUIRED = ["pxname", "svname", "status", "scur", "check_status"] as const;

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
    const at = Object.fromEntries(COLUMNS.map((name) => [name, header.indexOf(name)])) as Record<(typeof COLUMNS)[number], number>;
    // The state's columns are required; the check's details and counts read as empty or 0 where a header lacks them.
    const missing = REQUIRED.filter((name) => at[name] < 0);
    if (missing.length > 0) {
        throw new Error(`unexpected show stat header, without ${missing.join(", ")}: ${lines[0] ?? "(empty)"}`);
    }
    return lines
        .slice(1)
        .map((line) => line.split(","))
        .filter((cells) => cells[at.pxname] === backend && cells[at.svname] !== "BACKEND" && cells[at.svname] !== "FRONTEND")
        .map((cells) => ({
            name: cells[at.svname],
            status: cells[at.status],
            currentSessions: Number(cells[at.scur] || 0),
            checkStatus: cells[at.check_status],
            checkCode: cells[at.check_code] ?? "",
            checkDescription: cells[at.check_desc] ?? "",
            lastCheck: cells[at.last_chk] ?? "",
            failedChecks: Number(cells[at.chkfail] || 0),
            requests: Number(cells[at.req_tot] || 0),
            responses5xx: Number(cells[at.hrsp_5xx] || 0),
            address: cells[at.addr] ?? "",
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
