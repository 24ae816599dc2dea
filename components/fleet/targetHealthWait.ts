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

/** Where the hooks' AWS client calls, and as whom. */
export interface ElbConnection {
    /** The target group's region, read from its ARN. */
    region: string;
    /** The stack's `aws:profile`: the named profile of the shared AWS config and credentials files. Default the SDK's chain. */
    profile?: string;
}

/** Makes the ELB v2 client of a connection. */
export type ElbClientFactory = (connection: ElbConnection) => ElasticLoadBalancingV2Client;

/** The default client: the target group's region, and the stack's `aws:profile` when it sets one, else the SDK's credential chain. */
export const defaultElbClient: ElbClientFactory = ({ region, profile }) =>
    new ElasticLoadBalancingV2Client({ region, ...(profile !== undefined ? { profile } : {}) });

/** One of the SDK's ELB v2 waiters on DescribeTargetHealth. */
type TargetWaiter = typeof waitUntilTargetInService;

/** What a wait is for: its waiter, the words of its failure, and the AWS errors it must not retry. */
interface TargetWait {
    /** The SDK's waiter. */
    waiter: TargetWaiter;
    /** How the failure message says what did not happen: `become healthy`, `finish draining`. */
    goal: string;
    /** Error names that will not heal by waiting: the wait stops at the first one. */
    fatalErrors: ReadonlySet<string>;
}

/**
 * Errors that no amount of waiting heals, whatever the wait: denied access, missing or expired
 * credentials, a target group that does not exist. The SDK's waiters treat every thrown error as
 * "retry" (checkState catches it and returns RETRY), so without this a wrong account waits out the
 * whole timeout.
 */
export const UNHEALING_ERRORS: readonly string[] = [
    "AccessDenied",
    "AccessDeniedException",
    "CredentialsProviderError",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "TargetGroupNotFoundException",
];

/** The wait until a target is healthy: an invalid target (an instance that is not there) will not become healthy either. */
const IN_SERVICE: TargetWait = {
    waiter: waitUntilTargetInService,
    goal: "become healthy",
    fatalErrors: new Set([...UNHEALING_ERRORS, "InvalidTargetException"]),
};

/** The wait until a target has drained: the waiter itself counts an invalid target (the instance is gone) as drained. */
const DRAINED: TargetWait = {
    waiter: waitUntilTargetDeregistered,
    goal: "finish draining",
    fatalErrors: new Set(UNHEALING_ERRORS),
};

/** The DescribeTargetHealth request that asks about exactly this target on exactly this port. */
function describeTarget(target: RegisteredTarget): DescribeTargetHealthCommandInput {
    return { TargetGroupArn: target.targetGroupArn, Targets: [{ Id: target.targetId, Port: target.port }] };
}

/** The target as messages name it. */
function targetName(target: RegisteredTarget): string {
    return `target ${target.targetId}:${target.port} of ${target.targetGroupArn}`;
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

/**
 * Runs `wait`'s waiter on the target, stopping at once on an error in its `fatalErrors`: the
 * waiter gets a client whose `send` records such an error and aborts the waiter's signal, so the
 * waiter returns before its next poll and the error is thrown with the target named.
 */
async function waitForTarget(
    wait: TargetWait,
    client: ElasticLoadBalancingV2Client,
    target: RegisteredTarget,
    timing: WaitTiming,
): Promise<void> {
    const abortController = new AbortController();
    let fatal: Error | undefined;
    const send = async (command: DescribeTargetHealthCommand) => {
        try {
            return await client.send(command);
        } catch (error) {
            if (fatal === undefined && error instanceof Error && wait.fatalErrors.has(error.name)) {
                fatal = error;
                abortController.abort();
            }
            throw error;
        }
    };
    const watched = new Proxy(client, {
        get: (real, property, receiver) => (property === "send" ? send : Reflect.get(real, property, receiver)),
    });
    try {
        await wait.waiter(
            {
                client: watched,
                abortSignal: abortController.signal,
                minDelay: timing.minDelaySeconds,
                maxDelay: timing.maxDelaySeconds,
                maxWaitTime: timing.maxWaitSeconds,
            },
            describeTarget(target),
        );
    } catch (err) {
        if (fatal !== undefined) {
            throw new Error(
                `${targetName(target)} will not ${wait.goal}: DescribeTargetHealth failed with ${fatal.name}: ${fatal.message} ` +
                    "(check the stack's aws:profile and the deploy role's elasticloadbalancing:DescribeTargetHealth permission)",
            );
        }
        throw new Error(
            `${targetName(target)} did not ${wait.goal} within ${timing.maxWaitSeconds} s: ${await failureDetail(client, target, err)}`,
        );
    }
}

/** Waits until the target is `healthy` in its target group; throws saying which target and what it last saw, at once on an error that will not heal. */
export function waitForTargetInService(client: ElasticLoadBalancingV2Client, target: RegisteredTarget, timing: WaitTiming): Promise<void> {
    return waitForTarget(IN_SERVICE, client, target, timing);
}

/** Waits until the target has drained and left its target group (`unused`, or the instance is gone); throws at once on an error that will not heal. */
export function waitForTargetDrained(client: ElasticLoadBalancingV2Client, target: RegisteredTarget, timing: WaitTiming): Promise<void> {
    return waitForTarget(DRAINED, client, target, timing);
}
