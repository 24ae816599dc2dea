/**
 * A small, bounded HTTP load for the local cluster's bench and tests: `concurrency` loops of GETs,
 * each on a new connection (as the ALB's clients mostly are, and so a refused connection shows),
 * until stop() or the deadline, whichever comes first. Every request has its own timeout, so the
 * load always ends. It counts what was sent and what failed, and how.
 */
import * as http from "http";

/** What a load sends. */
/** The failure of a request whose connection closed before the whole answer arrived. */
export const CUT_MID_ANSWER = "closed before a whole answer";

export interface LoadOptions {
    /** The URL requested. */
    url: string;
    /** Request headers, such as Authorization. Default none. */
    headers?: Record<string, string>;
    /** Concurrent request loops. Default 4. */
    concurrency?: number;
    /** Milliseconds after which the load stops by itself. Default 120 s. */
    deadlineMs?: number;
    /** Milliseconds one request may take before it counts as failed (`timeout`). Default 10 s. */
    requestTimeoutMs?: number;
}

/** What a load measured. */
export interface LoadResult {
    /** Requests sent. */
    sent: number;
    /** Requests answered 200. */
    ok: number;
    /** Requests that failed: another status, a connection error, a timeout. */
    failed: number;
    /** The failures by kind: `status 503`, `ECONNRESET`, `timeout`, … */
    failures: Record<string, number>;
    /** Answers by the instance that gave them (the body's `instanceId`), for requests answered 200. */
    byInstance: Record<string, number>;
    /** Seconds the load ran. */
    seconds: number;
}

/** A running load. */
export interface Load {
    /** Stops it: waits for the requests in flight, then resolves with the counts. */
    stop: () => Promise<LoadResult>;
    /** The counts so far. */
    snapshot: () => LoadResult;
}

/** One GET on a new connection; the status and body, or the kind of failure. */
function request(
    url: string,
    headers: Record<string, string>,
    timeoutMs: number,
): Promise<{ status: number; body: string } | { error: string }> {
    return new Promise((resolve) => {
        let settled = false;
        const settle = (result: { status: number; body: string } | { error: string }) => {
            if (!settled) {
                settled = true;
                resolve(result);
            }
        };
        const req = http.get(url, { headers, agent: false, timeout: timeoutMs }, (response) => {
            let body = "";
            response.on("data", (chunk: Buffer) => (body += chunk.toString()));
            response.on("error", (err: NodeJS.ErrnoException) => settle({ error: err.code ?? err.message }));
            response.on("end", () => settle({ status: response.statusCode ?? 0, body }));
        });
        req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "timeout" })));
        req.on("error", (err: NodeJS.ErrnoException) => settle({ error: err.code ?? err.message }));
        req.on("close", () => settle({ error: CUT_MID_ANSWER }));
    });
}

/** Starts a load; it runs until stop() or its deadline. */
export function startLoad(options: LoadOptions): Load {
    const concurrency = options.concurrency ?? 4;
    const timeoutMs = options.requestTimeoutMs ?? 10_000;
    const startedAt = Date.now();
    const deadline = startedAt + (options.deadlineMs ?? 120_000);
    let running = true;
    let endedAt: number | undefined;
    const result: LoadResult = { sent: 0, ok: 0, failed: 0, failures: {}, byInstance: {}, seconds: 0 };
    const fail = (kind: string) => {
        result.failed++;
        result.failures[kind] = (result.failures[kind] ?? 0) + 1;
    };
    const loops = Array.from({ length: concurrency }, async () => {
        while (running && Date.now() < deadline) {
            result.sent++;
            const answer = await request(options.url, options.headers ?? {}, timeoutMs);
            if ("error" in answer) {
                fail(answer.error);
            } else if (answer.status !== 200) {
                fail(`status ${answer.status}`);
            } else {
                result.ok++;
                let instanceId = "unknown";
                try {
                    instanceId = String((JSON.parse(answer.body) as { instanceId?: unknown }).instanceId ?? "unknown");
                } catch {
                    // not JSON: counted as unknown
                }
                result.byInstance[instanceId] = (result.byInstance[instanceId] ?? 0) + 1;
            }
        }
    });
    const done = Promise.all(loops).then(() => (endedAt = Date.now()));
    const snapshot = (): LoadResult => ({
        ...result,
        failures: { ...result.failures },
        byInstance: { ...result.byInstance },
        seconds: ((endedAt ?? Date.now()) - startedAt) / 1000,
    });
    return {
        stop: async () => {
            running = false;
            await done;
            return snapshot();
        },
        snapshot,
    };
}
