/**
 * The `beforeDelete` guard of a target group attachment: it refuses to deregister the last healthy
 * target of a target group that serves a load balancer, so a re-run after a failed rollout cannot
 * take the cluster down (docs/fleet.md, "A failed rollout").
 *
 * A target may leave when any of these holds, checked in this order:
 * 1. its target group no longer exists (TargetGroupNotFound): nothing is served through it;
 * 2. it is not `healthy` itself (`initial`, `unhealthy`, `draining`, `unused`, `unavailable`, or
 *    not registered): it serves no request, so removing it takes nothing away;
 * 3. another target of the group is `healthy` and this run has not already let it go
 *    (targetDepartures.ts): `initial`, `unhealthy` and `draining` others do not count, since the
 *    load balancer routes no request to them while a healthy target exists;
 * 4. the group serves no load balancer (DescribeTargetGroups lists none): after a change that
 *    replaced the target group, the listener already forwards to the new one;
 * 5. `API_CLUSTER_ALLOW_LAST_TARGET_REMOVAL=true` is set in the environment of the `pulumi`
 *    command: the explicit override for `pulumi destroy --run-program` of the whole stack.
 * Otherwise the hook fails and the engine deletes neither the attachment nor, after it, its instance.
 * Any other AWS error (access denied, missing credentials) refuses at once, naming the target: the
 * guard fails closed and never waits.
 */
import {
    DescribeTargetGroupsCommand,
    DescribeTargetHealthCommand,
    ElasticLoadBalancingV2Client,
    TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { TargetDepartures, targetKey } from "./targetDepartures";
import type { RegisteredTarget } from "./targetHealthWait";

/** The environment variable that lets the last healthy target go (for `pulumi destroy` of the whole stack). */
export const ALLOW_LAST_TARGET_REMOVAL = "API_CLUSTER_ALLOW_LAST_TARGET_REMOVAL";

/** The one value of ALLOW_LAST_TARGET_REMOVAL that lets the last healthy target go. */
export const ALLOW_LAST_TARGET_REMOVAL_VALUE = "true";

/** The values of ALLOW_LAST_TARGET_REMOVAL that keep the guard on; unset does too. */
const GUARD_ON_VALUES: ReadonlySet<string> = new Set(["", "false"]);

/** How every refusal ends: what to do next. */
const WHAT_TO_DO =
    'fix or replace the unhealthy instances first (docs/fleet.md, "A failed rollout"); ' +
    `to remove it anyway, as pulumi destroy of the whole stack must, run the command with ${ALLOW_LAST_TARGET_REMOVAL}=${ALLOW_LAST_TARGET_REMOVAL_VALUE}`;

/** The target as messages name it. */
function targetName(target: RegisteredTarget): string {
    return `target ${target.targetId}:${target.port} of ${target.targetGroupArn}`;
}

/** An AWS error's name and message, as the SDK throws it. */
function awsError(error: unknown): { name: string; message: string } {
    return error instanceof Error ? { name: error.name, message: error.message } : { name: "Error", message: String(error) };
}

/** The refusal when AWS cannot be asked: the guard fails closed, at once. */
function unreadable(target: RegisteredTarget, operation: string, error: unknown): Error {
    const { name, message } = awsError(error);
    return new Error(
        `refusing to deregister ${targetName(target)}: ${operation} failed with ${name}: ${message} ` +
            `(check the stack's aws:profile and the elasticloadbalancing:${operation} permission); ${WHAT_TO_DO}`,
    );
}

/** One target's health as messages show it: `i-0abc:8082 unhealthy (Target.FailedHealthChecks)`. */
function describeHealth(description: TargetHealthDescription): string {
    const health = description.TargetHealth;
    const reason = health?.Reason ? ` (${health.Reason})` : "";
    return `${description.Target?.Id}:${description.Target?.Port} ${health?.State ?? "unknown"}${reason}`;
}

/** Whether a description is of this target on this port. */
function isTarget(description: TargetHealthDescription, target: RegisteredTarget): boolean {
    return description.Target?.Id === target.targetId && description.Target?.Port === target.port;
}

/**
 * Decides whether `target` may leave its target group; resolves with the reason it may, rejects
 * with the reason it may not. `departures` holds the targets this run has already let go; the
 * count of serving others and the record of this target happen with no await between them.
 * `override` is the value of ALLOW_LAST_TARGET_REMOVAL, read when the hook runs.
 */
export async function guardLastHealthyTarget(
    client: ElasticLoadBalancingV2Client,
    target: RegisteredTarget,
    departures: TargetDepartures,
    override: string | undefined,
): Promise<string> {
    const arn = target.targetGroupArn;
    const letGo = (reason: string) => {
        departures.letGo(arn, targetKey(target.targetId, target.port));
        return reason;
    };
    let descriptions: TargetHealthDescription[];
    try {
        descriptions = (await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))).TargetHealthDescriptions ?? [];
    } catch (error) {
        if (awsError(error).name === "TargetGroupNotFoundException") {
            return letGo("its target group no longer exists");
        }
        throw unreadable(target, "DescribeTargetHealth", error);
    }
    const own = descriptions.find((description) => isTarget(description, target));
    const ownState = own?.TargetHealth?.State;
    if (ownState !== "healthy") {
        return letGo(`it serves no request (${ownState ?? "not registered"})`);
    }
    const others = descriptions.filter((description) => description !== own);
    const serving = others.filter(
        (description) =>
            description.TargetHealth?.State === "healthy" &&
            !departures.isLeaving(arn, targetKey(description.Target?.Id ?? "", description.Target?.Port ?? 0)),
    );
    if (serving.length > 0) {
        return letGo(`${serving.length} other healthy target(s) keep serving: ${serving.map(describeHealth).join(", ")}`);
    }
    let loadBalancers: string[];
    try {
        const groups = await client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }));
        loadBalancers = groups.TargetGroups?.[0]?.LoadBalancerArns ?? [];
    } catch (error) {
        if (awsError(error).name === "TargetGroupNotFoundException") {
            return letGo("its target group no longer exists");
        }
        throw unreadable(target, "DescribeTargetGroups", error);
    }
    if (loadBalancers.length === 0) {
        return letGo("its target group serves no load balancer");
    }
    if (override === ALLOW_LAST_TARGET_REMOVAL_VALUE) {
        return letGo(`it is the last healthy target, and ${ALLOW_LAST_TARGET_REMOVAL}=${ALLOW_LAST_TARGET_REMOVAL_VALUE} lets it go`);
    }
    if (override !== undefined && !GUARD_ON_VALUES.has(override)) {
        throw new Error(
            `refusing to deregister ${targetName(target)}: ${ALLOW_LAST_TARGET_REMOVAL} must be ` +
                `"${ALLOW_LAST_TARGET_REMOVAL_VALUE}", "false" or unset; got ${JSON.stringify(override)}`,
        );
    }
    const rest = others.length > 0 ? others.map(describeHealth).join(", ") : "none";
    throw new Error(
        `refusing to deregister ${targetName(target)}: it is the last healthy target behind ${loadBalancers.join(", ")} ` +
            `(the other targets: ${rest}); ${WHAT_TO_DO}`,
    );
}
