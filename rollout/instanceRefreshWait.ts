/**
 * Waits for an Auto Scaling group's instance refresh to end. `pulumi up` returns as soon as the
 * provider has *started* a refresh; this polls `DescribeInstanceRefreshes` until the newest refresh
 * is `Successful`, and fails with its status and reason when it is `Failed`, `Cancelled` or in any
 * `Rollback*` state, or when the time runs out. The client and the clock are injected, so the
 * sequences of states are tested without AWS and without waiting.
 */
import { AutoScalingClient, DescribeInstanceRefreshesCommand, InstanceRefresh } from "@aws-sdk/client-auto-scaling";

/** Time as the wait sees it: a clock to read, and a pause. */
export interface Clock {
    /** Milliseconds since some fixed point. */
    now(): number;
    /** Resolves after `ms` milliseconds. */
    sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What to wait for, and for how long. */
export interface RefreshWaitOptions {
    /** The Auto Scaling group's name (the stack output `autoScalingGroupName`). */
    groupName: string;
    /** Give up after this many seconds. */
    timeoutSeconds: number;
    /** Seconds between two polls. */
    pollSeconds: number;
    /**
     * Refreshes that started before this time are ignored: they belong to an earlier update. Default
     * none, and the newest refresh is followed whenever it started.
     */
    since?: Date;
}

/** Statuses after which nothing more will happen, and the refresh did not roll out. */
export const FAILED_STATUSES: ReadonlySet<string> = new Set([
    "Failed",
    "Cancelled",
    "RollbackInProgress",
    "RollbackFailed",
    "RollbackSuccessful",
]);

/** The status of a refresh that rolled out. */
export const SUCCESSFUL_STATUS = "Successful";

/** How a wait ended. */
export interface RefreshWaitResult {
    /** The refresh waited for; undefined when the group has never had one. */
    refreshId?: string;
    /** Its final status; undefined when the group has never had one. */
    status?: string;
    /** A one-line account for the log. */
    summary: string;
}

/** The wait ended without a successful rollout: the message says what to do next. */
export class RolloutError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RolloutError";
    }
}

/** The newest refresh of the list (the API lists newest first; the start time decides when present). */
function newest(refreshes: InstanceRefresh[]): InstanceRefresh | undefined {
    return [...refreshes].sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0))[0];
}

/** Whether a refresh started at or after `since` (one without a start time has not been dated yet, so counts). */
function startedSince(refresh: InstanceRefresh, since: Date | undefined): boolean {
    return since === undefined || refresh.StartTime === undefined || refresh.StartTime.getTime() >= since.getTime();
}

/** A refresh's status with its progress, for messages. */
function describe(refresh: InstanceRefresh): string {
    const percent = refresh.PercentageComplete !== undefined ? `, ${refresh.PercentageComplete}% complete` : "";
    return `${refresh.Status ?? "unknown"}${percent}`;
}

/**
 * Polls until the newest instance refresh of the group ends. Resolves when it is `Successful` (or
 * when the group has none, or none that started since `options.since`); throws a RolloutError on a failed status or a timeout. `log` receives
 * one line per status change.
 */
export async function waitForInstanceRefresh(
    client: AutoScalingClient,
    options: RefreshWaitOptions,
    clock: Clock = systemClock,
    log: (line: string) => void = () => undefined,
): Promise<RefreshWaitResult> {
    const { groupName } = options;
    const deadline = clock.now() + options.timeoutSeconds * 1000;
    let lastSeen = "";
    for (;;) {
        const response = await client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: groupName, MaxRecords: 10 }));
        const refresh = newest((response.InstanceRefreshes ?? []).filter((candidate) => startedSince(candidate, options.since)));
        if (!refresh) {
            const when = options.since ? ` started since ${options.since.toISOString()}` : "";
            return { summary: `Auto Scaling group ${groupName} has no instance refresh${when}; nothing to wait for` };
        }
        const name = `instance refresh ${refresh.InstanceRefreshId} of ${groupName}`;
        const seen = describe(refresh);
        if (seen !== lastSeen) {
            log(`${name}: ${seen}`);
            lastSeen = seen;
        }
        if (refresh.Status === SUCCESSFUL_STATUS) {
            return { refreshId: refresh.InstanceRefreshId, status: refresh.Status, summary: `${name} is Successful` };
        }
        if (refresh.Status !== undefined && FAILED_STATUSES.has(refresh.Status)) {
            throw new RolloutError(
                `${name} is ${refresh.Status}: ${refresh.StatusReason ?? "no reason given"}; ` +
                    "roll back by pointing api-cluster:amiId at the previous image and running pulumi up (docs/fleet.md)",
            );
        }
        const remaining = deadline - clock.now();
        if (remaining <= 0) {
            throw new RolloutError(
                `timed out after ${options.timeoutSeconds} s waiting for ${name}; last status ${seen}. ` +
                    `It may still finish: check aws autoscaling describe-instance-refreshes --auto-scaling-group-name ${groupName}`,
            );
        }
        await clock.sleep(Math.min(options.pollSeconds * 1000, remaining));
    }
}
