import * as assert from "assert";
import { AutoScalingClient, DescribeInstanceRefreshesCommand, InstanceRefresh } from "@aws-sdk/client-auto-scaling";
import { mockClient } from "aws-sdk-client-mock";
import { InstanceRefreshStatus } from "@aws-sdk/client-auto-scaling";
import {
    Clock,
    REFRESH_STATUSES,
    RolloutError,
    newestRefresh,
    statusMeaning,
    waitForInstanceRefresh,
} from "../../rollout/instanceRefreshWait";

const GROUP = "api-group-0a1b2c3";
const REFRESH_ID = "08b91cf7-8fa6-48af-b6a6-d227f40f1b9b";
const ROLLBACK_HINT = "roll back by pointing api-cluster:amiId at the previous image and running pulumi up (docs/fleet.md)";

/** A clock whose sleeps advance time at once, recording each pause. */
function fakeClock(): Clock & { sleeps: number[] } {
    let now = 0;
    const sleeps: number[] = [];
    return {
        sleeps,
        now: () => now,
        sleep: async (ms) => {
            sleeps.push(ms);
            now += ms;
        },
    };
}

/** One refresh in the shape DescribeInstanceRefreshes returns. */
function refresh(Status: InstanceRefresh["Status"], extra: Partial<InstanceRefresh> = {}): InstanceRefresh {
    return { InstanceRefreshId: REFRESH_ID, AutoScalingGroupName: GROUP, Status, StartTime: new Date("2026-12-01T13:00:00Z"), ...extra };
}

describe("waitForInstanceRefresh", () => {
    const asg = mockClient(AutoScalingClient);
    const client = new AutoScalingClient({ region: "us-east-1" });
    const options = { groupName: GROUP, timeoutSeconds: 600, pollSeconds: 15 };

    beforeEach(() => asg.reset());
    after(() => asg.restore());

    /** Answers each poll with the next list of refreshes; the last answer repeats. */
    function answers(...lists: InstanceRefresh[][]): void {
        let call = asg.on(DescribeInstanceRefreshesCommand, { AutoScalingGroupName: GROUP, MaxRecords: 10 });
        for (const list of lists) {
            call = call.resolvesOnce({ InstanceRefreshes: list });
        }
        call.resolves({ InstanceRefreshes: lists[lists.length - 1] });
    }

    it("follows Pending, InProgress and Baking to Successful, polling every 15 s and logging each change", async () => {
        answers(
            [refresh("Pending")],
            [refresh("InProgress", { PercentageComplete: 0 })],
            [refresh("InProgress", { PercentageComplete: 0 })],
            [refresh("InProgress", { PercentageComplete: 50 })],
            [refresh("Baking", { PercentageComplete: 100 })],
            [refresh("Successful", { PercentageComplete: 100 })],
        );
        const clock = fakeClock();
        const lines: string[] = [];
        const result = await waitForInstanceRefresh(client, options, clock, (line) => lines.push(line));
        assert.deepStrictEqual(result, {
            refreshId: REFRESH_ID,
            status: "Successful",
            summary: `instance refresh ${REFRESH_ID} of ${GROUP} is Successful`,
        });
        assert.deepStrictEqual(lines, [
            `instance refresh ${REFRESH_ID} of ${GROUP}: Pending`,
            `instance refresh ${REFRESH_ID} of ${GROUP}: InProgress, 0% complete`,
            `instance refresh ${REFRESH_ID} of ${GROUP}: InProgress, 50% complete`,
            `instance refresh ${REFRESH_ID} of ${GROUP}: Baking, 100% complete`,
            `instance refresh ${REFRESH_ID} of ${GROUP}: Successful, 100% complete`,
        ]);
        assert.deepStrictEqual(clock.sleeps, [15000, 15000, 15000, 15000, 15000]);
        assert.strictEqual(asg.commandCalls(DescribeInstanceRefreshesCommand).length, 6);
    });

    it("waits for the newest refresh, not an older successful one", async () => {
        const older = refresh("Successful", { InstanceRefreshId: "old", StartTime: new Date("2026-11-01T00:00:00Z") });
        answers([older, refresh("InProgress")], [older, refresh("Successful")]);
        const result = await waitForInstanceRefresh(client, options, fakeClock());
        assert.strictEqual(result.refreshId, REFRESH_ID);
        assert.strictEqual(asg.commandCalls(DescribeInstanceRefreshesCommand).length, 2);
    });

    it("ignores refreshes that started before `since`, and follows the one that started after", async () => {
        const failedBefore = refresh("Failed", {
            InstanceRefreshId: "old",
            StartTime: new Date("2026-12-01T12:59:59Z"),
            StatusReason: "x",
        });
        answers([failedBefore, refresh("InProgress")], [failedBefore, refresh("Successful")]);
        const result = await waitForInstanceRefresh(client, { ...options, since: new Date("2026-12-01T13:00:00Z") }, fakeClock());
        assert.deepStrictEqual(result, {
            refreshId: REFRESH_ID,
            status: "Successful",
            summary: `instance refresh ${REFRESH_ID} of ${GROUP} is Successful`,
        });
        assert.strictEqual(asg.commandCalls(DescribeInstanceRefreshesCommand).length, 2);
    });

    it("returns at once when no refresh started since `since`, however the older ones ended", async () => {
        answers([
            refresh("Failed", { InstanceRefreshId: "a", StartTime: new Date("2026-12-01T12:59:59.999Z") }),
            refresh("RollbackSuccessful", { InstanceRefreshId: "b", StartTime: new Date("2026-11-01T00:00:00Z") }),
        ]);
        const clock = fakeClock();
        assert.deepStrictEqual(await waitForInstanceRefresh(client, { ...options, since: new Date("2026-12-01T13:00:00Z") }, clock), {
            summary: `Auto Scaling group ${GROUP} has no instance refresh started since 2026-12-01T13:00:00.000Z; nothing to wait for`,
        });
        assert.deepStrictEqual(clock.sleeps, []);
        assert.strictEqual(asg.commandCalls(DescribeInstanceRefreshesCommand).length, 1);
    });

    it("without `since`, fails on the newest refresh even when it is old", async () => {
        answers([refresh("Failed", { StartTime: new Date("2026-11-01T00:00:00Z"), StatusReason: "Health checks failed." })]);
        await assert.rejects(waitForInstanceRefresh(client, options, fakeClock()), {
            message: `instance refresh ${REFRESH_ID} of ${GROUP} is Failed (${REFRESH_STATUSES.Failed.meaning}): Health checks failed.; ${ROLLBACK_HINT}`,
        });
    });

    it("returns at once when the group has never had a refresh", async () => {
        answers([]);
        const clock = fakeClock();
        assert.deepStrictEqual(await waitForInstanceRefresh(client, options, clock), {
            summary: `Auto Scaling group ${GROUP} has no instance refresh; nothing to wait for`,
        });
        assert.deepStrictEqual(clock.sleeps, []);
    });

    const failures: [InstanceRefreshStatus, string | undefined, string][] = [
        ["Failed", "Instance i-0abc failed the ELB health check.", "Instance i-0abc failed the ELB health check."],
        ["Cancelled", undefined, "no reason given"],
        ["RollbackFailed", "Launch template version 1 no longer exists.", "Launch template version 1 no longer exists."],
        ["RollbackSuccessful", "Rolled back after a failed health check.", "Rolled back after a failed health check."],
    ];
    for (const [status, reason, shown] of failures) {
        it(`fails on ${status} with the status, what it means and its reason`, async () => {
            answers([refresh("InProgress", { PercentageComplete: 30 })], [refresh(status, { StatusReason: reason })]);
            await assert.rejects(waitForInstanceRefresh(client, options, fakeClock()), (error: unknown) => {
                assert.ok(error instanceof RolloutError);
                assert.strictEqual(
                    error.message,
                    `instance refresh ${REFRESH_ID} of ${GROUP} is ${status} (${REFRESH_STATUSES[status].meaning}): ${shown}; ${ROLLBACK_HINT}`,
                );
                return true;
            });
            assert.strictEqual(asg.commandCalls(DescribeInstanceRefreshesCommand).length, 2);
        });
    }

    for (const status of ["Pending", "InProgress", "Baking", "Cancelling", "RollbackInProgress"] as const) {
        it(`waits through ${status}, which is not final, to the status after it`, async () => {
            answers([refresh(status)], [refresh(status)], [refresh("Successful")]);
            const clock = fakeClock();
            const result = await waitForInstanceRefresh(client, options, clock);
            assert.strictEqual(result.status, "Successful");
            assert.deepStrictEqual(clock.sleeps, [15000, 15000]);
            assert.strictEqual(asg.commandCalls(DescribeInstanceRefreshesCommand).length, 3);
        });
    }

    it("keeps waiting while AWS rolls back, and fails only once the rollback has ended", async () => {
        answers(
            [refresh("InProgress", { PercentageComplete: 50 })],
            [refresh("RollbackInProgress", { PercentageComplete: 0, StatusReason: "Rollback started after a failed health check." })],
            [refresh("RollbackInProgress", { PercentageComplete: 60, StatusReason: "Rollback started after a failed health check." })],
            [refresh("RollbackSuccessful", { PercentageComplete: 100, StatusReason: "Rolled back after a failed health check." })],
        );
        const lines: string[] = [];
        await assert.rejects(
            waitForInstanceRefresh(client, options, fakeClock(), (line) => lines.push(line)),
            {
                message:
                    `instance refresh ${REFRESH_ID} of ${GROUP} is RollbackSuccessful (${REFRESH_STATUSES.RollbackSuccessful.meaning}): ` +
                    `Rolled back after a failed health check.; ${ROLLBACK_HINT}`,
            },
        );
        assert.deepStrictEqual(lines, [
            `instance refresh ${REFRESH_ID} of ${GROUP}: InProgress, 50% complete`,
            `instance refresh ${REFRESH_ID} of ${GROUP}: RollbackInProgress, 0% complete`,
            `instance refresh ${REFRESH_ID} of ${GROUP}: RollbackInProgress, 60% complete`,
            `instance refresh ${REFRESH_ID} of ${GROUP}: RollbackSuccessful, 100% complete`,
        ]);
        assert.strictEqual(asg.commandCalls(DescribeInstanceRefreshesCommand).length, 4);
    });

    it("waits through a status it does not know until the timeout, never treating it as an end", async () => {
        answers([refresh("Paused" as InstanceRefreshStatus)]);
        await assert.rejects(waitForInstanceRefresh(client, { groupName: GROUP, timeoutSeconds: 30, pollSeconds: 15 }, fakeClock()), {
            name: "RolloutError",
            message:
                `timed out after 30 s waiting for instance refresh ${REFRESH_ID} of ${GROUP}; last status Paused. ` +
                `It may still finish: check aws autoscaling describe-instance-refreshes --auto-scaling-group-name ${GROUP}`,
        });
        assert.strictEqual(asg.commandCalls(DescribeInstanceRefreshesCommand).length, 3);
    });

    it("follows a Pending refresh, which has no start time yet, rather than an older one that has", async () => {
        const older = refresh("Successful", { InstanceRefreshId: "old", StartTime: new Date("2026-11-30T09:00:00Z") });
        const pending = refresh("Pending", { StartTime: undefined });
        // Listed after the older one, to show that the order AWS returns does not decide.
        answers([older, pending], [older, refresh("InProgress")], [older, refresh("Failed", { StatusReason: "Health checks failed." })]);
        await assert.rejects(waitForInstanceRefresh(client, options, fakeClock()), {
            message: `instance refresh ${REFRESH_ID} of ${GROUP} is Failed (${REFRESH_STATUSES.Failed.meaning}): Health checks failed.; ${ROLLBACK_HINT}`,
        });
        assert.strictEqual(asg.commandCalls(DescribeInstanceRefreshesCommand).length, 3);
    });

    it("counts a Pending refresh without a start time as started since `since`", async () => {
        const failedBefore = refresh("Failed", { InstanceRefreshId: "old", StartTime: new Date("2026-12-01T12:00:00Z") });
        answers([failedBefore, refresh("Pending", { StartTime: undefined })], [failedBefore, refresh("Successful")]);
        const result = await waitForInstanceRefresh(client, { ...options, since: new Date("2026-12-01T13:00:00Z") }, fakeClock());
        assert.strictEqual(result.refreshId, REFRESH_ID);
        assert.strictEqual(asg.commandCalls(DescribeInstanceRefreshesCommand).length, 2);
    });

    it("keeps waiting through Cancelling, and fails once it is Cancelled", async () => {
        answers([refresh("Cancelling")], [refresh("Cancelled", { StatusReason: "Cancelled by user." })]);
        await assert.rejects(waitForInstanceRefresh(client, options, fakeClock()), {
            message: `instance refresh ${REFRESH_ID} of ${GROUP} is Cancelled (${REFRESH_STATUSES.Cancelled.meaning}): Cancelled by user.; ${ROLLBACK_HINT}`,
        });
        assert.strictEqual(asg.commandCalls(DescribeInstanceRefreshesCommand).length, 2);
    });

    it("times out with the last status seen, after polling up to the deadline", async () => {
        answers([refresh("InProgress", { PercentageComplete: 40 })]);
        const clock = fakeClock();
        await assert.rejects(waitForInstanceRefresh(client, { groupName: GROUP, timeoutSeconds: 40, pollSeconds: 15 }, clock), {
            name: "RolloutError",
            message:
                `timed out after 40 s waiting for instance refresh ${REFRESH_ID} of ${GROUP}; last status InProgress, 40% complete. ` +
                `It may still finish: check aws autoscaling describe-instance-refreshes --auto-scaling-group-name ${GROUP}`,
        });
        assert.deepStrictEqual(clock.sleeps, [15000, 15000, 10000]);
        assert.strictEqual(asg.commandCalls(DescribeInstanceRefreshesCommand).length, 4);
    });

    it("passes an AWS error through", async () => {
        asg.on(DescribeInstanceRefreshesCommand).rejects(
            new Error("User is not authorized to perform: autoscaling:DescribeInstanceRefreshes"),
        );
        await assert.rejects(waitForInstanceRefresh(client, options, fakeClock()), {
            message: "User is not authorized to perform: autoscaling:DescribeInstanceRefreshes",
        });
    });
});

describe("instance refresh statuses", () => {
    it("knows every status of the SDK, and only Successful rolled out: final ones exit 0 or 1, the others are waited through", () => {
        assert.deepStrictEqual(Object.keys(REFRESH_STATUSES).sort(), Object.values(InstanceRefreshStatus).sort());
        assert.deepStrictEqual(
            Object.fromEntries(Object.entries(REFRESH_STATUSES).map(([status, { final, exitCode }]) => [status, [final, exitCode]])),
            {
                Pending: [false, undefined],
                InProgress: [false, undefined],
                Baking: [false, undefined],
                Successful: [true, 0],
                Failed: [true, 1],
                Cancelling: [false, undefined],
                Cancelled: [true, 1],
                RollbackInProgress: [false, undefined],
                RollbackFailed: [true, 1],
                RollbackSuccessful: [true, 1],
            },
        );
    });

    it("waits through a missing or unknown status", () => {
        for (const status of [undefined, "Paused", "toString"]) {
            assert.deepStrictEqual(statusMeaning(status), { final: false, meaning: "a status this tool does not know; still waiting" });
        }
    });

    it("picks the newest refresh: one without a start time first, then the latest start, AWS's order on a tie", () => {
        const at = (id: string, time?: string): InstanceRefresh => ({
            InstanceRefreshId: id,
            StartTime: time ? new Date(time) : undefined,
        });
        assert.strictEqual(newestRefresh([at("a", "2026-12-01T10:00:00Z"), at("b", "2026-12-01T11:00:00Z")])?.InstanceRefreshId, "b");
        assert.strictEqual(newestRefresh([at("a", "2026-12-01T10:00:00Z"), at("p")])?.InstanceRefreshId, "p");
        assert.strictEqual(
            newestRefresh([at("first", "2026-12-01T10:00:00Z"), at("second", "2026-12-01T10:00:00Z")])?.InstanceRefreshId,
            "first",
        );
        assert.strictEqual(newestRefresh([]), undefined);
    });
});
