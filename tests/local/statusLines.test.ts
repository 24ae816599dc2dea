/**
 * The status view's pieces on their own: access-log lines read back, which requests count as the
 * cluster's errors, the plain lines printed on change, and the terminal's table.
 */
import * as assert from "assert";
import { AccessEntry, isClusterError, parseAccessLine } from "../../local/accessLog";
import { ClusterStatus, InstanceStatus } from "../../local/clusterStatus";
import { changedLines, statusTable } from "../../local/statusView";

/** An instance of the status with `changes`. */
function instance(instanceId: string, changes: Partial<InstanceStatus> = {}): InstanceStatus {
    return {
        instanceId,
        pid: 100,
        port: 4000,
        state: "UP",
        checkStatus: "L7OK",
        check: "GET /health answered 200",
        requests: 0,
        errors5xx: 0,
        ...changes,
    };
}

/** A status of `instances` with `changes`. */
function status(instances: InstanceStatus[], changes: Partial<ClusterStatus> = {}): ClusterStatus {
    return {
        url: "http://127.0.0.1:8082",
        instances,
        up: instances.filter((i) => i.state === "UP").length,
        requests: 0,
        errors: 0,
        lastErrors: [],
        ...changes,
    };
}

const FAILED: AccessEntry = {
    time: "04/Dec/2026:19:00:04.457",
    instance: "local-1",
    status: 503,
    durationMs: 0,
    termination: "SC",
    method: "GET",
    path: "/api/instance",
};

describe("the status view's lines", function () {
    it("reads an access-log line back, and nothing else", function () {
        assert.deepStrictEqual(parseAccessLine("04/Dec/2026:19:00:04.457 local-1 503 0 SC GET /api/instance"), FAILED);
        assert.deepStrictEqual(parseAccessLine("04/Dec/2026:19:00:05.001 <NOSRV> -1 12 CR GET /"), {
            time: "04/Dec/2026:19:00:05.001",
            instance: "<NOSRV>",
            status: -1,
            durationMs: 12,
            termination: "CR",
            method: "GET",
            path: "/",
        });
        assert.strictEqual(parseAccessLine("Proxy listener stopped (cumulated conns: FE: 6, BE: 0)."), undefined);
    });

    it("counts 5xx, unanswered and server-ended requests as the cluster's errors, not a 404 or a client that left before any answer", function () {
        const entry = (status: number, termination: string) => ({ ...FAILED, status, termination });
        assert.deepStrictEqual(
            [
                entry(503, "SC"),
                entry(502, "SH"),
                entry(-1, "SD"),
                entry(200, "SD"),
                entry(404, "--"),
                entry(200, "CD"),
                entry(200, "--"),
                entry(-1, "CR"),
                entry(-1, "cR"),
                entry(503, "CD"),
                entry(-1, "sH"),
            ].map(isClusterError),
            [true, true, true, true, false, false, false, false, false, true, true],
        );
    });

    it("prints every instance at first, then only the instances whose state or check changed, and new errors", function () {
        const first = status([instance("local-0"), instance("local-1")]);
        assert.deepStrictEqual(changedLines(undefined, first, "19:00:00"), [
            "19:00:00 local-0 UP: GET /health answered 200; 0 requests, 0 5xx",
            "19:00:00 local-1 UP: GET /health answered 200; 0 requests, 0 5xx",
        ]);
        const busier = status([instance("local-0", { requests: 40 }), instance("local-1", { requests: 40 })], { requests: 80 });
        assert.deepStrictEqual(changedLines(first, busier, "19:00:01"), [], "request counts alone are no change");
        const down = status(
            [
                instance("local-0", { requests: 41 }),
                instance("local-1", {
                    requests: 45,
                    state: "DOWN",
                    checkStatus: "L4CON",
                    check: "nothing listening on port 4001 (Connection refused)",
                }),
            ],
            { requests: 86, errors: 5, lastErrors: [FAILED, FAILED, FAILED, FAILED, FAILED] },
        );
        assert.deepStrictEqual(changedLines(busier, down, "19:00:09"), [
            "19:00:09 local-1 DOWN: nothing listening on port 4001 (Connection refused); 45 requests, 0 5xx",
            "19:00:09 5 new error(s) (5 of 86 requests so far), the last 3:",
            "19:00:09   04/Dec/2026:19:00:04.457 local-1 503 SC 0 ms GET /api/instance",
            "19:00:09   04/Dec/2026:19:00:04.457 local-1 503 SC 0 ms GET /api/instance",
            "19:00:09   04/Dec/2026:19:00:04.457 local-1 503 SC 0 ms GET /api/instance",
        ]);
        assert.deepStrictEqual(changedLines(down, status([instance("local-0")], { requests: 86, errors: 5 }), "19:00:10"), [
            "19:00:10 local-1 removed",
        ]);
    });

    it("draws the terminal's table: a summary, a row per instance, the last errors", function () {
        const lines = statusTable(
            status(
                [
                    instance("local-0", { requests: 12 }),
                    instance("local-1", { state: "DOWN", check: "GET /health answered 503, not 200", errors5xx: 2 }),
                ],
                { requests: 14, errors: 1, lastErrors: [FAILED] },
            ),
            "19:00:09",
        );
        assert.deepStrictEqual(lines, [
            "19:00:09  http://127.0.0.1:8082  1/2 UP  14 requests, 1 errors",
            "INSTANCE  STATE  REQUESTS  5XX  LAST CHECK",
            "local-0   UP     12        0    GET /health answered 200",
            "local-1   DOWN   0         2    GET /health answered 503, not 200",
            "last errors:",
            "  04/Dec/2026:19:00:04.457 local-1 503 SC 0 ms GET /api/instance",
        ]);
    });
});
