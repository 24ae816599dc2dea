/**
 * Resource hooks that keep the cluster serving while Pulumi replaces its instances:
 * - `afterCreate` on a new target group attachment waits until that target passes the health check;
 * - `beforeDelete` on an attachment refuses to deregister the last healthy target of a target group
 *   that serves a load balancer (lastTargetGuard.ts): a failed rollout leaves the old instances
 *   marked for deletion, and the next `pulumi up` would otherwise delete them all;
 * - `afterDelete` on an old attachment waits until its in-flight requests have drained (the
 *   deregistration delay), before the engine terminates its instance;
 * - `afterCreate` on a new Auto Scaling group waits until its desired capacity of its own instances
 *   is healthy behind the load balancer (groupCapacityWait.ts), in place of the provider's wait.
 * Pulumi deletes replaced resources after every create, so the old instances stop only after the
 * new ones are healthy.
 *
 * Hooks need Pulumi CLI 3.238 or later: earlier CLIs only warn when an after-hook fails, and would
 * carry on with unhealthy targets. `.github/pulumi-version` pins the CLI the workflows run.
 */
import * as pulumi from "@pulumi/pulumi";
import { arnRegion } from "../arn";
import type { AutoScalingClientFactory, HealthyCapacity } from "./groupCapacityWait";
import { TargetDepartures } from "./targetDepartures";
import type { ElbClientFactory, ElbConnection, RegisteredTarget, WaitTiming } from "./targetHealthWait";

export type { ElbClientFactory, ElbConnection };

/** The oldest Pulumi CLI whose engine fails an update when an after-hook fails (earlier ones only warn). */
export const MIN_CLI_VERSION_FOR_HOOKS = "3.238.0";

/** The region of an ARN (`arn:aws:elasticloadbalancing:<region>:...`). */
export function regionOf(arn: string): string {
    const region = arnRegion(arn);
    if (!region) {
        throw new Error(`not an ARN with a region: ${arn}`);
    }
    return region;
}

/** The target a target group attachment registered, read from its state; fails naming what is missing. */
export function registeredTarget(state: Record<string, unknown> | undefined): RegisteredTarget {
    const { targetGroupArn, targetId, port } = state ?? {};
    if (typeof targetGroupArn !== "string" || typeof targetId !== "string" || typeof port !== "number") {
        throw new Error(`a target group attachment's state needs targetGroupArn, targetId and port; got ${JSON.stringify(state)}`);
    }
    return { targetGroupArn, targetId, port };
}

/**
 * The stack's AWS settings the hooks' client takes, read from the `aws:` config as the program
 * runs (the hook functions run later, on the engine's callback, and keep what was read here). The
 * region is not among them: the target group's ARN names it, and for the default provider it is
 * `aws:region`. `aws:assumeRoles`, `aws:accessKey`/`aws:secretKey` and an explicit provider's
 * settings are not applied.
 */
export interface StackAwsSettings {
    /** `aws:profile`; undefined when the stack sets none, and the SDK's credential chain applies. */
    profile?: string;
}

/** Reads the stack's `aws:profile`. */
export function stackAwsSettings(): StackAwsSettings {
    const profile = new pulumi.Config("aws").get("profile");
    return profile !== undefined && profile !== "" ? { profile } : {};
}

/** The connection of the client that asks about `target`: its group's region, as the stack's profile. */
export function connectionFor(target: RegisteredTarget, aws: StackAwsSettings): ElbConnection {
    return { region: regionOf(target.targetGroupArn), ...aws };
}

/** Polls every 5 s at first, at most every 15 s. */
const POLL = { minDelaySeconds: 5, maxDelaySeconds: 15 };

/** Seconds a new target may take to pass its health checks: a JVM boot (about a minute) with a wide margin. */
export const IN_SERVICE_WAIT_SECONDS = 900;

/** Seconds beyond the deregistration delay that draining may take. */
export const DRAIN_MARGIN_SECONDS = 60;

/** Timing of the in-service wait. */
export const IN_SERVICE_TIMING: WaitTiming = { ...POLL, maxWaitSeconds: IN_SERVICE_WAIT_SECONDS };

/** Timing of the drain wait for a target group with this deregistration delay. */
export function drainTiming(deregistrationDelaySeconds: number): WaitTiming {
    return { ...POLL, maxWaitSeconds: deregistrationDelaySeconds + DRAIN_MARGIN_SECONDS };
}

/** The `afterCreate` hook's function: waits until the attachment's target is healthy. `clientFor` defaults to the SDK's client. */
export function inServiceCallback(
    clientFor: ElbClientFactory | undefined,
    timing: WaitTiming,
    aws: StackAwsSettings = {},
): pulumi.ResourceHookFunction {
    return async (args) => {
        const target = registeredTarget(args.newOutputs);
        const wait = await import("./targetHealthWait");
        await wait.waitForTargetInService((clientFor ?? wait.defaultElbClient)(connectionFor(target, aws)), target, timing);
    };
}

/** The `afterDelete` hook's function: waits until the deleted attachment's target has drained. `clientFor` defaults to the SDK's client. */
export function drainedCallback(
    clientFor: ElbClientFactory | undefined,
    timing: WaitTiming,
    aws: StackAwsSettings = {},
): pulumi.ResourceHookFunction {
    return async (args) => {
        const target = registeredTarget(args.oldOutputs);
        const wait = await import("./targetHealthWait");
        await wait.waitForTargetDrained((clientFor ?? wait.defaultElbClient)(connectionFor(target, aws)), target, timing);
    };
}

/**
 * The `beforeDelete` hook's function: refuses to deregister the attachment's target when it is the
 * last healthy one (lastTargetGuard.ts). `departures` is shared by every attachment of the cluster
 * in this run; `env` is read when the hook runs, for API_CLUSTER_ALLOW_LAST_TARGET_REMOVAL; `log`
 * receives why a target may leave.
 */
export function lastTargetCallback(
    clientFor: ElbClientFactory | undefined,
    departures: TargetDepartures,
    aws: StackAwsSettings = {},
    env: NodeJS.ProcessEnv = process.env,
    log: (line: string) => void = (line) => pulumi.log.info(line),
): pulumi.ResourceHookFunction {
    return async (args) => {
        const target = registeredTarget(args.oldOutputs);
        const [wait, guard] = await Promise.all([import("./targetHealthWait"), import("./lastTargetGuard")]);
        const client = (clientFor ?? wait.defaultElbClient)(connectionFor(target, aws));
        const reason = await guard.guardLastHealthyTarget(client, target, departures, env[guard.ALLOW_LAST_TARGET_REMOVAL]);
        log(`${args.name}: deregistering target ${target.targetId}:${target.port}: ${reason}`);
    };
}

/** The capacity a new Auto Scaling group must reach, read from its state; fails naming what is missing. */
export function groupCapacity(state: Record<string, unknown> | undefined): HealthyCapacity[] {
    const { name, targetGroupArns, desiredCapacity } = state ?? {};
    if (
        typeof name !== "string" ||
        !Array.isArray(targetGroupArns) ||
        targetGroupArns.length === 0 ||
        !targetGroupArns.every((arn) => typeof arn === "string") ||
        typeof desiredCapacity !== "number"
    ) {
        throw new Error(`an Auto Scaling group's state needs name, targetGroupArns and desiredCapacity; got ${JSON.stringify(state)}`);
    }
    return (targetGroupArns as string[]).map((targetGroupArn) => ({ groupName: name, targetGroupArn, healthyTargets: desiredCapacity }));
}

/** The clients of the group's hook: ELB v2 and Auto Scaling; each default the SDK's. */
export interface GroupClientFactories {
    /** Makes the ELB v2 client. */
    elb?: ElbClientFactory;
    /** Makes the Auto Scaling client. */
    autoScaling?: AutoScalingClientFactory;
}

/**
 * The group's `afterCreate` hook's function: waits until at least the group's desired capacity of
 * its own instances is healthy in each of its target groups. The clients default to the SDK's.
 */
export function groupInServiceCallback(
    clientsFor: GroupClientFactories,
    timing: WaitTiming,
    aws: StackAwsSettings = {},
): pulumi.ResourceHookFunction {
    return async (args) => {
        const capacities = groupCapacity(args.newOutputs);
        const [wait, capacityWait] = await Promise.all([import("./targetHealthWait"), import("./groupCapacityWait")]);
        for (const capacity of capacities) {
            const connection = { region: regionOf(capacity.targetGroupArn), ...aws };
            const clients = {
                elb: (clientsFor.elb ?? wait.defaultElbClient)(connection),
                autoScaling: (clientsFor.autoScaling ?? capacityWait.defaultAutoScalingClient)(connection),
            };
            await capacityWait.waitForHealthyCapacity(clients, capacity, timing);
        }
    };
}

/** The hooks of a cluster's target group attachments. */
export interface TargetHealthHooks {
    /** `afterCreate`: the new target is healthy before the update goes on (and so before old targets leave). */
    inService: pulumi.ResourceHook;
    /** `beforeDelete`: the last healthy target of a serving target group is never deregistered (unless overridden). */
    lastHealthyTarget: pulumi.ResourceHook;
    /** `afterDelete`: the old target's in-flight requests have drained before its instance is terminated. */
    drained: pulumi.ResourceHook;
}

/**
 * The hooks of cluster `name`, named after it (hook names are unique within a program). `clientFor`
 * makes their AWS client; default the SDK's, in the target group's region with the stack's
 * `aws:profile`, read here, as the program runs.
 */
export function targetHealthHooks(name: string, deregistrationDelaySeconds: number, clientFor?: ElbClientFactory): TargetHealthHooks {
    const aws = stackAwsSettings();
    return {
        inService: new pulumi.ResourceHook(`${name}-target-in-service`, inServiceCallback(clientFor, IN_SERVICE_TIMING, aws)),
        lastHealthyTarget: new pulumi.ResourceHook(
            `${name}-last-healthy-target`,
            lastTargetCallback(clientFor, new TargetDepartures(), aws),
        ),
        drained: new pulumi.ResourceHook(
            `${name}-target-drained`,
            drainedCallback(clientFor, drainTiming(deregistrationDelaySeconds), aws),
        ),
    };
}

/**
 * The `afterCreate` hook of cluster `name`'s Auto Scaling group: the first `pulumi up` ends once
 * the group's desired capacity is healthy, or fails after IN_SERVICE_WAIT_SECONDS.
 */
export function groupInServiceHook(name: string, clientsFor: GroupClientFactories = {}): pulumi.ResourceHook {
    return new pulumi.ResourceHook(`${name}-group-in-service`, groupInServiceCallback(clientsFor, IN_SERVICE_TIMING, stackAwsSettings()));
}
