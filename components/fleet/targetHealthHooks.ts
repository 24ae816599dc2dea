/**
 * Resource hooks that make a replaced instance leave the load balancer only once its replacement
 * serves: `afterCreate` on a new target group attachment waits until that target passes the
 * health check, and `afterDelete` on an old attachment waits until its in-flight requests have
 * drained (the deregistration delay). Pulumi deletes replaced resources after every create, so the
 * old instances stop only after the new ones are healthy.
 *
 * Hooks need Pulumi CLI 3.238 or later: earlier CLIs only warn when an after-hook fails, and would
 * carry on with unhealthy targets. `.github/pulumi-version` pins the CLI the workflows run.
 */
import * as pulumi from "@pulumi/pulumi";
import { arnRegion } from "../arn";
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

/** The two hooks of a cluster's target group attachments. */
export interface TargetHealthHooks {
    /** `afterCreate`: the new target is healthy before the update goes on (and so before old targets leave). */
    inService: pulumi.ResourceHook;
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
        drained: new pulumi.ResourceHook(
            `${name}-target-drained`,
            drainedCallback(clientFor, drainTiming(deregistrationDelaySeconds), aws),
        ),
    };
}
