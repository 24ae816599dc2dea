/**
 * Why an instance died or never served, from what it printed: the exception and each "Caused by"
 * line of a Java stack trace (not its frames), then its last other lines, and what the app must do
 * to serve behind the local balancer (listen on $PORT, print its listening line; app/README.md).
 */
import * as fs from "fs";

/** What an instance must do to serve, said whenever one dies on start or never listens. */
export const LISTEN_RULE =
    "the app must listen on the port in $PORT (local sets PORT=0: a port the system chooses) at $BIND_ADDRESS (127.0.0.1), " +
    'and once it listens print "api-server: listening on <address>:<port> as <$INSTANCE_ID>" (app/README.md)';

/** An exception line of a Java stack trace: `java.net.BindException: …`, `Exception in thread "main" java.lang.…`. */
const EXCEPTION = /^(Exception in thread "[^"]*" )?([a-zA-Z_$][\w$]*\.)*[A-Z][\w$]*(Exception|Error|Throwable)(: .*)?$/;

/** A cause of the exception above it. */
const CAUSE = /^Caused by: /;

/** A stack frame, or the count of frames left out. */
const FRAME = /^\s+(at |\.\.\. \d+ more)/;

/** Other lines shown after the exception lines. */
const LAST_LINES = 3;

/** Exception lines shown at most: the exception and its causes. */
const EXCEPTION_LINES = 6;

/**
 * The exception and cause lines of `output` (the last stack trace's, each once), then its last
 * LAST_LINES lines that are neither frames nor exception lines, joined with "; "; empty when it
 * printed nothing.
 */
export function explainOutput(output: string): string {
    const lines = output
        .split("\n")
        .map((line) => line.replace(/\s+$/, ""))
        .filter((line) => line.trim() !== "");
    const thrown = lines.filter((line) => EXCEPTION.test(line.trim()) || CAUSE.test(line.trim())).map((line) => line.trim());
    const exceptions = [...new Set(thrown)].slice(-EXCEPTION_LINES);
    const others = lines.filter((line) => !FRAME.test(line) && !exceptions.includes(line.trim())).slice(-LAST_LINES);
    const parts = [...exceptions];
    if (others.length > 0) {
        parts.push(
            `${exceptions.length > 0 ? "its last other output: " : "its last output: "}${others.map((line) => line.trim()).join(" | ")}`,
        );
    }
    return parts.join("; ");
}

/** explainOutput of a log file; empty when it cannot be read. */
export function explainLog(file: string): string {
    try {
        return explainOutput(fs.readFileSync(file, "utf8"));
    } catch {
        return "";
    }
}
