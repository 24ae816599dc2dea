/**
 * Waits for an Auto Scaling group's instance refresh to end. `pulumi up` returns as soon as the
 * provider has *started* a refresh; this polls `DescribeInstanceRefreshes` until the newest refresh
 * reaches a final status (REFRESH_STATUSES says which are, and which of them rolled out), and
 * fails with its status and reason unless it is `Successful`, or when the time runs out. The
 * client and the clock are injected, so the sequences of states are tested without AWS and
 * without waiting.
 */
import { AutoScalingClient, DescribeInstanceRefreshesCommand, InstanceRefresh, InstanceRefreshStatus } from "@aws-sdk/client-auto-scaling";
import { EXIT_CODES } from "../cli/stackCommandLine";

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

/** What one instance refresh status means to the wait. */
export interface RefreshStatusMeaning {
    /** Whether AWS changes the refresh no more: the wait ends on it. */
    final: boolean;
    /** The exit code of `rollout:wait` when it ends on this status; undefined while the wait goes on. */
    exitCode?: number;
    /** What the status means, in the words of the log and the failure message. */
    meaning: string;
}

/**
 * Every status of an instance refresh (the SDK's InstanceRefreshStatus; the AWS API reference of
 * DescribeInstanceRefreshes) and what the wait does on it. Only `Successful` rolled out; every
 * other final status exits 1; the others are waited through, rollbacks included: while AWS still
 * rolls back, the group's instances are still changing.
 */
export const REFRESH_STATUSES: Readonly<Record<InstanceRefreshStatus, RefreshStatusMeaning>> = {
    Pending: { final: false, meaning: "requested, not started yet (it has no start time)" },
    InProgress: { final: false, meaning: "replacing instances" },
    Baking: { final: false, meaning: "every instance replaced; waiting out the bake time before it calls the refresh done" },
    Successful: { final: true, exitCode: EXIT_CODES.ok, meaning: "rolled out: every instance runs the new launch template version" },
    Failed: {
        final: true,
        exitCode: EXIT_CODES.failed,
        meaning: "stopped before the end: the group may run old and new instances side by side",
    },
    Cancelling: { final: false, meaning: "being cancelled; the instances already replaced stay replaced" },
    Cancelled: {
        final: true,
        exitCode: EXIT_CODES.failed,
        meaning: "cancelled before the end: the group may run old and new instances side by side",
    },
    RollbackInProgress: { final: false, meaning: "rolling back to the previous launch template version" },
    RollbackFailed: {
        final: true,
        exitCode: EXIT_CODES.failed,
        meaning: "the rollback failed: the group may run instances of either version",
    },
    RollbackSuccessful: {
        final: true,
        exitCode: EXIT_CODES.failed,
        meaning: "rolled back: the group runs the previous launch template version again, the new one did not roll out",
    },
};

/** A status the table does not know (AWS added one): waited through, as not final, until the timeout. */
const UNKNOWN_STATUS: RefreshStatusMeaning = { final: false, meaning: "a status this tool does not know; still waiting" };

/** What a refresh's status means; an unknown or missing status is waited through. */
export function statusMeaning(status: string | undefined): RefreshStatusMeaning {
    return status !== undefined && Object.prototype.hasOwnProperty.call(REFRESH_STATUSES, status)
        ? REFRESH_STATUSES[status as InstanceRefreshStatus]
        : UNKNOWN_STATUS;
}

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

/**
 * The newest refresh of the list. One without a start time has not started yet (`Pending`): a group
 * runs one refresh at a time, so it is newer than every refresh that has started, and AWS lists it
 * first. Otherwise the latest start time wins; a tie keeps AWS's order (newest first).
 */
export function newestRefresh(refreshes: InstanceRefresh[]): InstanceRefresh | undefined {
    const unstarted = refreshes.find((refresh) => refresh.StartTime === undefined);
    if (unstarted !== undefined) {
        return unstarted;
    }
    let newest: InstanceRefresh | undefined;
    for (const refresh of refreshes) {
        if (newest === undefined || (refresh.StartTime?.getTime() ?? 0) > (newest.StartTime?.getTime() ?? 0)) {
            newest = refresh;
        }
    }
    return newest;
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
 * Polls until the newest instance refresh of the group reaches a final status. Resolves when it is
 * `Successful` (or when the group has none, or none that started since `options.since`); throws a
 * RolloutError on any other final status or a timeout. `log` receives one line per status change.
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
        const refresh = newestRefresh((response.InstanceRefreshes ?? []).filter((candidate) => startedSince(candidate, options.since)));
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
        const status = statusMeaning(refresh.Status);
        if (status.final && status.exitCode === EXIT_CODES.ok) {
            return { refreshId: refresh.InstanceRefreshId, status: refresh.Status, summary: `${name} is ${refresh.Status}` };
        }
        if (status.final) {
            throw new RolloutError(
                `${name} is ${refresh.Status} (${status.meaning}): ${refresh.StatusReason ?? "no reason given"}; ` +
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
