/**
 * Waits on one target of a target group with the AWS SDK v3's ELB v2 waiters: until it is healthy,
 * or until it has drained and left. The resource hooks (targetHealthHooks.ts) load this module
 * only when they run, so a preview never loads the SDK.
 */
import {
    DescribeTargetHealthCommand,
    DescribeTargetHealthCommandInput,
    ElasticLoadBalancingV2Client,
    waitUntilTargetDeregistered,
    waitUntilTargetInService,
} from "@aws-sdk/client-elastic-load-balancing-v2";

/** One registration of one target: what a target group attachment's state holds. */
export interface RegisteredTarget {
    /** The target group's ARN. */
    targetGroupArn: string;
    /** The instance id. */
    targetId: string;
    /** The port the target is registered on. */
    port: number;
}

/** How a waiter polls `DescribeTargetHealth`: exponential backoff between the two delays, up to the limit. */
export interface WaitTiming {
    /** Seconds before the first retry. */
    minDelaySeconds: number;
    /** Longest pause between two polls, in seconds. */
    maxDelaySeconds: number;
    /** Seconds after which the wait fails. */
    maxWaitSeconds: number;
}

/** Makes the ELB v2 client of a region. */
export type ElbClientFactory = (region: string) => ElasticLoadBalancingV2Client;

/** The default client: the region of the target group, credentials from the environment, as the Pulumi program has them. */
export const defaultElbClient: ElbClientFactory = (region) => new ElasticLoadBalancingV2Client({ region });

/** The DescribeTargetHealth request that asks about exactly this target on exactly this port. */
function describeTarget(target: RegisteredTarget): DescribeTargetHealthCommandInput {
    return { TargetGroupArn: target.targetGroupArn, Targets: [{ Id: target.targetId, Port: target.port }] };
}

/** Why a waiter gave up: its state (TIMEOUT, FAILURE) and the target's health as of now, for the error message. */
async function failureDetail(client: ElasticLoadBalancingV2Client, target: RegisteredTarget, error: unknown): Promise<string> {
    const text = error instanceof Error ? error.message : String(error);
    let state = text;
    try {
        state = (JSON.parse(text) as { state?: string }).state ?? text;
    } catch {
        // Not a waiter result: keep the error's own message.
    }
    try {
        const now = await client.send(new DescribeTargetHealthCommand(describeTarget(target)));
        const health = now.TargetHealthDescriptions?.[0]?.TargetHealth;
        return `${state}; its health now: ${health ? JSON.stringify(health) : "not registered"}`;
    } catch (describeError) {
        return `${state}; its health could not be read: ${describeError instanceof Error ? describeError.message : String(describeError)}`;
    }
}

/** Waits until the target is `healthy` in its target group; throws saying which target and what it last saw. */
export async function waitForTargetInService(
    client: ElasticLoadBalancingV2Client,
    target: RegisteredTarget,
    timing: WaitTiming,
): Promise<void> {
    try {
        await waitUntilTargetInService(
            { client, minDelay: timing.minDelaySeconds, maxDelay: timing.maxDelaySeconds, maxWaitTime: timing.maxWaitSeconds },
            describeTarget(target),
        );
    } catch (err) {
        throw new Error(
            `target ${target.targetId}:${target.port} of ${target.targetGroupArn} did not become healthy within ${timing.maxWaitSeconds} s: ${await failureDetail(client, target, err)}`,
        );
    }
}

/** Waits until the target has drained and left its target group (`unused`, or the instance is gone). */
export async function waitForTargetDrained(
    client: ElasticLoadBalancingV2Client,
    target: RegisteredTarget,
    timing: WaitTiming,
): Promise<void> {
    try {
        await waitUntilTargetDeregistered(
            { client, minDelay: timing.minDelaySeconds, maxDelay: timing.maxDelaySeconds, maxWaitTime: timing.maxWaitSeconds },
            describeTarget(target),
        );
    } catch (err) {
        throw new Error(
            `target ${target.targetId}:${target.port} of ${target.targetGroupArn} did not finish draining within ${timing.maxWaitSeconds} s: ${await failureDetail(client, target, err)}`,
        );
    }
}
