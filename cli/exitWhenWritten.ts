/**
 * How every tool ends: with its exit code, once what it wrote to stdout and stderr has reached
 * them. `process.exit` right after a write drops whatever a pipe has not taken yet: a pipe holds
 * 64 KiB, so `--json | jq` read a report cut at 65,536 bytes. Here the code is set as
 * `process.exitCode` first, then the process exits only from the callback of an empty write to each
 * stream, which runs after every earlier write to it has been handed over. Exiting there still
 * ends a run whose program left a handle open (a timer, a socket).
 */

/** Ends the process with `code` once stdout and stderr have taken everything written to them. */
export function exitWhenWritten(code: number): void {
    process.exitCode = code;
    const streams = [process.stdout, process.stderr];
    let pending = streams.length;
    for (const stream of streams) {
        stream.write("", () => {
            pending -= 1;
            if (pending === 0) {
                process.exit(code);
            }
        });
    }
}
