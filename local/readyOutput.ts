/**
 * What `npm run local` prints on stdout once the cluster is ready: a `ready: <url>` line, then a table
 * of the instances under an `INSTANCE  ZONE  PORT  PID` header. `instanceTable` writes the table;
 * `parseReadyOutput` reads both back, for the bench and the tests, by the header's column names.
 */
import { LocalInstance } from "./localCluster";

/** The prefix of the line that says the cluster serves. */
export const READY_PREFIX = "ready: ";

/** The table's columns, in order, as its header names them. */
const COLUMNS = ["INSTANCE", "ZONE", "PORT", "PID"] as const;

/** The instances as a table: instance id, zone, port, pid. */
export function instanceTable(instances: LocalInstance[]): string {
    const rows = [[...COLUMNS], ...instances.map((i) => [i.instanceId, i.zone, String(i.port), String(i.pid)])];
    const widths = rows[0].map((_unused, column) => Math.max(...rows.map((row) => row[column].length)));
    return rows
        .map((row) =>
            row
                .map((cell, column) => cell.padEnd(widths[column]))
                .join("  ")
                .trimEnd(),
        )
        .join("\n");
}

/** The ready line of `--json`: `{"type":"ready","url":…,"instances":[…],"accessLog":…}`. */
export function readyJson(url: string, instances: LocalInstance[], accessLog: string): string {
    return JSON.stringify({ type: "ready", url, instances, accessLog });
}

/** The `ready:` line and the table, read back. */
export interface ReadyOutput {
    /** The URL of the `ready:` line. */
    url: string;
    /** The table's rows, in order. */
    instances: LocalInstance[];
}

/**
 * Reads the `ready:` line and the table of `instanceCount` rows from `stdout` (everything printed so
 * far); undefined while any of it, up to the last row's newline, is still missing. Each cell is taken
 * from the column its header names; a header without those columns, or a row with a missing or
 * non-numeric cell, is an error.
 */
export function parseReadyOutput(stdout: string, instanceCount: number): ReadyOutput | undefined {
    const lines = stdout.split("\n");
    const ready = lines.findIndex((line) => line.startsWith(READY_PREFIX));
    // Complete lines only: the last element after a split is what follows the last newline.
    if (ready < 0 || lines.length - 1 < ready + 2 + instanceCount) {
        return undefined;
    }
    const header = lines[ready + 1].trim().split(/\s+/);
    const [instanceAt, zoneAt, portAt, pidAt] = COLUMNS.map((name) => header.indexOf(name));
    if ([instanceAt, zoneAt, portAt, pidAt].some((at) => at < 0)) {
        throw new Error(`the line after ready: is not the instance table's header (${COLUMNS.join(" ")}): ${lines[ready + 1]}`);
    }
    const instances = lines.slice(ready + 2, ready + 2 + instanceCount).map((line) => {
        const cells = line.trim().split(/\s+/);
        const row = { instanceId: cells[instanceAt], zone: cells[zoneAt], port: Number(cells[portAt]), pid: Number(cells[pidAt]) };
        if (cells.length !== header.length || !Number.isInteger(row.port) || !Number.isInteger(row.pid)) {
            throw new Error(`not a row of the instance table: ${line}`);
        }
        return row;
    });
    return { url: lines[ready].slice(READY_PREFIX.length).trim(), instances };
}
