import * as assert from "assert";
import { AutoScalingClient, DescribeInstanceRefreshesCommand, InstanceRefresh } from "@aws-sdk/client-auto-scaling";
import { mockClient } from "aws-sdk-client-mock";
import { Clock, RolloutError, waitForInstanceRefresh } from "../../rollout/instanceRefreshWait";

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
            message: `instance refresh ${REFRESH_ID} of ${GROUP} is Failed: Health checks failed.; ${ROLLBACK_HINT}`,
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

    const failures: [InstanceRefresh["Status"], string | undefined, string][] = [
        ["Failed", "Instance i-0abc failed the ELB health check.", "Instance i-0abc failed the ELB health check."],
        ["Cancelled", undefined, "no reason given"],
        ["RollbackInProgress", "Rollback started by user.", "Rollback started by user."],
        ["RollbackFailed", "Launch template version 1 no longer exists.", "Launch template version 1 no longer exists."],
        ["RollbackSuccessful", "Rolled back after a failed health check.", "Rolled back after a failed health check."],
    ];
    for (const [status, reason, shown] of failures) {
        it(`fails on ${status} with the status and its reason`, async () => {
            answers([refresh("InProgress", { PercentageComplete: 30 })], [refresh(status, { StatusReason: reason })]);
            await assert.rejects(waitForInstanceRefresh(client, options, fakeClock()), (error: unknown) => {
                assert.ok(error instanceof RolloutError);
                assert.strictEqual(error.message, `instance refresh ${REFRESH_ID} of ${GROUP} is ${status}: ${shown}; ${ROLLBACK_HINT}`);
                return true;
            });
        });
    }

    it("keeps waiting through Cancelling, and fails once it is Cancelled", async () => {
        answers([refresh("Cancelling")], [refresh("Cancelled", { StatusReason: "Cancelled by user." })]);
        await assert.rejects(waitForInstanceRefresh(client, options, fakeClock()), {
            message: `instance refresh ${REFRESH_ID} of ${GROUP} is Cancelled: Cancelled by user.; ${ROLLBACK_HINT}`,
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
