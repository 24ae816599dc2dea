/**
 * Waits until a target group has at least a number of healthy targets: the first `pulumi up` of
 * the `autoscaling` fleet ends only once the new group serves (the group's `afterCreate` hook,
 * targetHealthHooks.ts). The provider's own capacity wait is off (`waitForCapacityTimeout: "0"`,
 * autoScalingFleet.ts) because on an update it wants *exactly* max(minSize, desired) healthy
 * instances, which a group that has scaled out never has. The hooks load this module only when
 * they run, so a preview never loads the SDK.
 */
import { setTimeout as sleep } from "timers/promises";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { UNHEALING_ERRORS, WaitTiming } from "./targetHealthWait";

/** What the wait asks for: this many healthy targets in this target group. */
export interface HealthyCapacity {
    /** The target group's ARN. */
    targetGroupArn: string;
    /** The fewest healthy targets that count as serving. */
    healthyTargets: number;
}

/** The number of targets of the group that are `healthy` now. */
async function healthyCount(client: ElasticLoadBalancingV2Client, targetGroupArn: string): Promise<number> {
    const response = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    return (response.TargetHealthDescriptions ?? []).filter((description) => description.TargetHealth?.State === "healthy").length;
}

/**
 * Polls DescribeTargetHealth, backing off from `minDelaySeconds` to `maxDelaySeconds`, until at
 * least `healthyTargets` targets are healthy; at least, never exactly, so targets added by scaling
 * or a refresh never fail it. Throws after `maxWaitSeconds` with the count it last saw, and at once
 * on an error that waiting does not heal (denied access, missing credentials, no such group).
 */
export async function waitForHealthyCapacity(
    client: ElasticLoadBalancingV2Client,
    capacity: HealthyCapacity,
    timing: WaitTiming,
): Promise<void> {
    const { targetGroupArn, healthyTargets } = capacity;
    const deadline = Date.now() + timing.maxWaitSeconds * 1000;
    let delaySeconds = timing.minDelaySeconds;
    let lastSeen = "no answer yet";
    for (;;) {
        try {
            const healthy = await healthyCount(client, targetGroupArn);
            if (healthy >= healthyTargets) {
                return;
            }
            lastSeen = `${healthy} healthy`;
        } catch (error) {
            const name = error instanceof Error ? error.name : "Error";
            const message = error instanceof Error ? error.message : String(error);
            if (UNHEALING_ERRORS.includes(name)) {
                throw new Error(
                    `target group ${targetGroupArn} will not reach ${healthyTargets} healthy target(s): ` +
                        `DescribeTargetHealth failed with ${name}: ${message} ` +
                        "(check the stack's aws:profile and the elasticloadbalancing:DescribeTargetHealth permission)",
                );
            }
            lastSeen = `${name}: ${message}`;
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
            throw new Error(
                `target group ${targetGroupArn} did not reach ${healthyTargets} healthy target(s) within ${timing.maxWaitSeconds} s; last seen: ${lastSeen}`,
            );
        }
        await sleep(Math.min(delaySeconds * 1000, remaining));
        delaySeconds = Math.min(delaySeconds * 2, timing.maxDelaySeconds);
    }
}
