/**
 * How `npm run local` shows its status (clusterStatus.ts) on stdout while it runs, once a second:
 * - on a terminal, a table redrawn in place, with the progress lines of stderr printed above it;
 * - otherwise, plain lines, only when an instance's state or check changes or new errors are logged,
 *   so a log file stays readable;
 * - with `--json`, one JSON object per line (`{"type":"status",…}`) whenever anything changed,
 *   request counts included.
 */
import { AccessEntry } from "./accessLog";
import { ClusterStatus, InstanceStatus } from "./clusterStatus";

/** How the status is shown. */
export enum StatusMode {
    /** A table redrawn in place. */
    terminal = "terminal",
    /** Plain lines on change. */
    lines = "lines",
    /** JSON lines. */
    json = "json",
}

/** How often the status is read, in ms. */
export const STATUS_INTERVAL_MS = 1000;

/** Errors listed one by one in plain lines at each change; more are counted. */
const LISTED_ERRORS = 3;

/** An access-log entry as a short line. */
export function errorLine(entry: AccessEntry): string {
    return `${entry.time} ${entry.instance} ${entry.status} ${entry.termination} ${entry.durationMs} ms ${entry.method} ${entry.path}`;
}

/** The terminal's table: a summary, one row per instance, then the last errors. */
export function statusTable(status: ClusterStatus, clock: string): string[] {
    const rows = [
        ["INSTANCE", "STATE", "REQUESTS", "5XX", "LAST CHECK"],
        ...status.instances.map((i) => [i.instanceId, i.state, String(i.requests), String(i.errors5xx), i.check]),
    ];
    const widths = rows[0].map((_unused, column) => Math.max(...rows.map((row) => row[column].length)));
    const lines = [
        `${clock}  ${status.url}  ${status.up}/${status.instances.length} UP  ${status.requests} requests, ${status.errors} errors`,
        ...rows.map((row) =>
            row
                .map((cell, column) => cell.padEnd(widths[column]))
                .join("  ")
                .trimEnd(),
        ),
    ];
    if (status.lastErrors.length > 0) {
        lines.push("last errors:", ...status.lastErrors.map((entry) => `  ${errorLine(entry)}`));
    }
    return lines;
}

/** One instance as a plain line. */
export function instanceLine(instance: InstanceStatus, clock: string): string {
    return `${clock} ${instance.instanceId} ${instance.state}: ${instance.check}; ${instance.requests} requests, ${instance.errors5xx} 5xx`;
}

/**
 * The plain lines from `previous` (undefined at first) to `next`: a line for each instance that is
 * new or whose state or check changed, one for each that is gone, and the new errors (the first
 * few, then a count).
 */
export function changedLines(previous: ClusterStatus | undefined, next: ClusterStatus, clock: string): string[] {
    const lines: string[] = [];
    for (const instance of next.instances) {
        const before = previous?.instances.find((candidate) => candidate.instanceId === instance.instanceId);
        if (before === undefined || before.state !== instance.state || before.check !== instance.check) {
            lines.push(instanceLine(instance, clock));
        }
    }
    for (const gone of previous?.instances ?? []) {
        if (!next.instances.some((instance) => instance.instanceId === gone.instanceId)) {
            lines.push(`${clock} ${gone.instanceId} removed`);
        }
    }
    const fresh = next.errors - (previous?.errors ?? 0);
    if (fresh > 0) {
        const shown = next.lastErrors.slice(-Math.min(fresh, LISTED_ERRORS));
        lines.push(
            `${clock} ${fresh} new error(s) (${next.errors} of ${next.requests} requests so far)${fresh > shown.length ? `, the last ${shown.length}:` : ":"}`,
            ...shown.map((entry) => `${clock}   ${errorLine(entry)}`),
        );
    }
    return lines;
}

/** The status as one JSON line. */
export function jsonLine(status: ClusterStatus, time: Date): string {
    return JSON.stringify({ type: "status", time: time.toISOString(), ...status });
}

/** What the view writes to. */
export interface StatusOutput {
    /** stdout. */
    write: (text: string) => void;
    /** stderr, for progress lines. */
    writeError: (text: string) => void;
}

/** The view of a running cluster: reads its status every STATUS_INTERVAL_MS and shows it. */
export class StatusView {
    private previous?: ClusterStatus;
    private previousJson?: string;
    private drawnLines = 0;
    private timer?: NodeJS.Timeout;
    private reading = false;

    constructor(
        private readonly mode: StatusMode,
        private readonly read: () => Promise<ClusterStatus>,
        private readonly output: StatusOutput,
        private readonly now: () => Date = () => new Date(),
    ) {}

    /** Starts the refreshes, the first at once. */
    start(): void {
        void this.refresh();
        this.timer = setInterval(() => void this.refresh(), STATUS_INTERVAL_MS);
    }

    /** Stops the refreshes; a terminal's table stays as last drawn. */
    stop(): void {
        clearInterval(this.timer);
        this.timer = undefined;
    }

    /** Writes a progress line to stderr; on a terminal, above the table, which is then drawn again. */
    log(line: string): void {
        if (this.mode !== StatusMode.terminal || this.drawnLines === 0) {
            this.output.writeError(`${line}\n`);
            return;
        }
        this.output.write(this.erase());
        this.output.writeError(`${line}\n`);
        if (this.previous !== undefined) {
            this.draw(this.previous);
        }
    }

    /** Reads the status once and shows what the mode shows. */
    async refresh(): Promise<void> {
        if (this.reading) {
            return;
        }
        this.reading = true;
        try {
            const status = await this.read().catch(() => undefined);
            if (status === undefined || this.timer === undefined) {
                return;
            }
            const time = this.now();
            if (this.mode === StatusMode.json) {
                const key = JSON.stringify(status);
                if (key !== this.previousJson) {
                    this.output.write(`${jsonLine(status, time)}\n`);
                    this.previousJson = key;
                }
            } else if (this.mode === StatusMode.lines) {
                const lines = changedLines(this.previous, status, time.toISOString().slice(11, 19));
                if (lines.length > 0) {
                    this.output.write(`${lines.join("\n")}\n`);
                }
            } else {
                this.output.write(this.erase());
                this.draw(status);
            }
            this.previous = status;
        } finally {
            this.reading = false;
        }
    }

    /** Moves up over the table drawn last and clears to the end of the screen. */
    private erase(): string {
        const text = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\x1b[J` : "";
        this.drawnLines = 0;
        return text;
    }

    private draw(status: ClusterStatus): void {
        const lines = statusTable(status, this.now().toISOString().slice(11, 19));
        this.output.write(`${lines.join("\n")}\n`);
        this.drawnLines = lines.length;
    }
}
