/**
 * Waits until an Auto Scaling group has at least a number of its own instances healthy in a target
 * group: the first `pulumi up` of the `autoscaling` fleet ends only once the new group serves (the
 * group's `afterCreate` hook, targetHealthHooks.ts). Only the group's instances count: after a
 * switch from fleet `instances`, the old instances are still healthy in the same target group. The provider's own capacity wait is off (`waitForCapacityTimeout: "0"`,
 * autoScalingFleet.ts) because on an update it wants *exactly* max(minSize, desired) healthy
 * instances, which a group that has scaled out never has. The hooks load this module only when
 * they run, so a preview never loads the SDK.
 */
import { setTimeout as sleep } from "timers/promises";
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ElbConnection, UNHEALING_ERRORS, WaitTiming } from "./targetHealthWait";

/** What the wait asks for: this many of the group's instances healthy in this target group. */
export interface HealthyCapacity {
    /** The Auto Scaling group's name. */
    groupName: string;
    /** The target group's ARN. */
    targetGroupArn: string;
    /** The fewest healthy instances of the group that count as serving. */
    healthyTargets: number;
}

/** The two clients the wait asks: the group's instances, and their health. */
export interface CapacityClients {
    /** Auto Scaling, for DescribeAutoScalingGroups. */
    autoScaling: AutoScalingClient;
    /** ELB v2, for DescribeTargetHealth. */
    elb: ElasticLoadBalancingV2Client;
}

/** Makes the Auto Scaling client of a connection. */
export type AutoScalingClientFactory = (connection: ElbConnection) => AutoScalingClient;

/** The default Auto Scaling client: the group's region, and the stack's `aws:profile` when it sets one. */
export const defaultAutoScalingClient: AutoScalingClientFactory = ({ region, profile }) =>
    new AutoScalingClient({ region, ...(profile !== undefined ? { profile } : {}) });

/** The number of the group's instances that are `healthy` in the target group now. */
async function healthyCount(clients: CapacityClients, capacity: HealthyCapacity): Promise<number> {
    const groups = await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [capacity.groupName] }));
    const own = new Set((groups.AutoScalingGroups?.[0]?.Instances ?? []).map((instance) => instance.InstanceId));
    const health = await clients.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: capacity.targetGroupArn }));
    return (health.TargetHealthDescriptions ?? []).filter(
        (description) => description.TargetHealth?.State === "healthy" && own.has(description.Target?.Id),
    ).length;
}

/**
 * Polls DescribeAutoScalingGroups and DescribeTargetHealth, backing off from `minDelaySeconds` to
 * `maxDelaySeconds`, until at least `healthyTargets` of the group's instances are healthy in the
 * target group; at least, never exactly, so instances added by scaling never fail it. Throws after
 * `maxWaitSeconds` with what it last saw, and at once on an error that waiting does not heal
 * (denied access, missing credentials, no such target group).
 */
export async function waitForHealthyCapacity(clients: CapacityClients, capacity: HealthyCapacity, timing: WaitTiming): Promise<void> {
    const { groupName, targetGroupArn, healthyTargets } = capacity;
    const deadline = Date.now() + timing.maxWaitSeconds * 1000;
    let delaySeconds = timing.minDelaySeconds;
    let lastSeen = "no answer yet";
    for (;;) {
        try {
            const healthy = await healthyCount(clients, capacity);
            if (healthy >= healthyTargets) {
                return;
            }
            lastSeen = `${healthy} of its instances healthy`;
        } catch (error) {
            const name = error instanceof Error ? error.name : "Error";
            const message = error instanceof Error ? error.message : String(error);
            if (UNHEALING_ERRORS.includes(name)) {
                throw new Error(
                    `Auto Scaling group ${groupName} will not reach ${healthyTargets} healthy instance(s) in ${targetGroupArn}: ` +
                        `${name}: ${message} (check the stack's aws:profile and the autoscaling:DescribeAutoScalingGroups ` +
                        "and elasticloadbalancing:DescribeTargetHealth permissions)",
                );
            }
            lastSeen = `${name}: ${message}`;
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
            throw new Error(
                `Auto Scaling group ${groupName} did not reach ${healthyTargets} healthy instance(s) in ${targetGroupArn} ` +
                    `within ${timing.maxWaitSeconds} s; last seen: ${lastSeen}`,
            );
        }
        await sleep(Math.min(delaySeconds * 1000, remaining));
        delaySeconds = Math.min(delaySeconds * 2, timing.maxDelaySeconds);
    }
}
