/**
 * The local balancer's access log: one line per request, written by HAProxy to its stdout with
 * ACCESS_LOG_FORMAT (the frontend's `log stdout format raw`), read here from a pipe and appended to
 * the log file. Only request lines go to that file: HAProxy's own messages on the same stream (a
 * proxy's "stopped" line on a soft stop) go to haproxy.log instead. The recent errors feed the
 * status view.
 */
import * as fs from "fs";
import { Readable } from "stream";

/**
 * HAProxy's log-format of a line: the request's date (`%tr`, dd/Mmm/yyyy:HH:MM:SS.mmm; HAProxy runs
 * with TZ=UTC, so in UTC), the instance (`%s`, `<NOSRV>` when none took it), the status (`%ST`, -1
 * when no answer was sent), the whole duration in ms (`%Ta`), HAProxy's termination state (`%ts`,
 * `--` for a normal end), the method and the path without its query string.
 */
export const ACCESS_LOG_FORMAT = "%tr %s %ST %Ta %ts %HM %HP";

/** One request of the access log. */
export interface AccessEntry {
    /** When HAProxy received it, as HAProxy writes it (UTC). */
    time: string;
    /** The instance that answered it, or `<NOSRV>`. */
    instance: string;
    /** The status sent to the client; -1 when none was. */
    status: number;
    /** From the request's first byte to the answer's last, in ms. */
    durationMs: number;
    /** HAProxy's two-letter termination state: `--` normal, `SC` the instance refused the connection, `SD` it closed mid-answer, … */
    termination: string;
    /** The request's method. */
    method: string;
    /** The request's path, without its query string. */
    path: string;
}

const LINE = /^(\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2}\.\d{3}) (\S+) (-?\d+) (-?\d+) (\S{2}) (\S+) (\S*)$/;

/** A line of the access log read back; undefined for anything else. */
export function parseAccessLine(line: string): AccessEntry | undefined {
    const match = LINE.exec(line);
    if (match === null) {
        return undefined;
    }
    return {
        time: match[1],
        instance: match[2],
        status: Number(match[3]),
        durationMs: Number(match[4]),
        termination: match[5],
        method: match[6],
        path: match[7],
    };
}

/**
 * Whether a request failed on the cluster's side: a 5xx, or else a session the client did not end (its
 * termination state starts with neither C, the client aborted, nor c, the client timed out) that got
 * no answer or was ended by the server, HAProxy or a resource limit (S, s, P, R, I). A client that
 * went away before any answer (`-1 CR`, a preconnect closed unused) is not the cluster's error.
 */
export function isClusterError(entry: AccessEntry): boolean {
    if (entry.status >= 500) {
        return true;
    }
    if (/^[Cc]/.test(entry.termination)) {
        return false;
    }
    return entry.status < 0 || /^[SsPRI]/.test(entry.termination);
}

/** How many recent errors the log keeps for the status view. */
export const RECENT_ERRORS = 5;

/** The access log file of a run, fed from HAProxy's stdout. */
export class AccessLog {
    /** Requests logged so far. */
    requests = 0;
    /** Errors (isClusterError) logged so far. */
    errors = 0;
    /** The last RECENT_ERRORS errors, oldest first. */
    readonly recentErrors: AccessEntry[] = [];
    private readonly descriptor: number;
    private readonly feeds: Promise<void>[] = [];

    /** Opens (appends to) `file`, mode 0600. */
    constructor(readonly file: string) {
        this.descriptor = fs.openSync(file, "a", 0o600);
    }

    /** Reads HAProxy's stdout: request lines go to the log, anything else to `other`. Resolves once the stream has ended. */
    attach(stream: Readable, other: (line: string) => void): void {
        let pending = "";
        const take = (text: string) => {
            for (const line of text.split("\n")) {
                if (line === "") {
                    continue;
                }
                const entry = parseAccessLine(line);
                if (entry === undefined) {
                    other(line);
                    continue;
                }
                fs.writeSync(this.descriptor, `${line}\n`);
                this.requests++;
                if (isClusterError(entry)) {
                    this.errors++;
                    this.recentErrors.push(entry);
                    this.recentErrors.splice(0, Math.max(0, this.recentErrors.length - RECENT_ERRORS));
                }
            }
        };
        stream.setEncoding("utf8");
        this.feeds.push(
            new Promise<void>((resolve) => {
                stream.on("data", (chunk: string) => {
                    const text = pending + chunk;
                    const cut = text.lastIndexOf("\n") + 1;
                    pending = text.slice(cut);
                    take(text.slice(0, cut));
                });
                stream.on("close", () => {
                    take(pending);
                    pending = "";
                    resolve();
                });
                stream.on("error", () => resolve());
            }),
        );
    }

    /** Waits (up to `ms`) for every attached stream to end, then closes the file. Safe to call more than once. */
    async close(ms = 2000): Promise<void> {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all(this.feeds), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
        clearTimeout(timer);
        try {
            fs.closeSync(this.descriptor);
        } catch {
            // already closed
        }
    }
}
