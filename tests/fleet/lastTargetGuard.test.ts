import * as assert from "assert";
import {
    DescribeTargetGroupsCommand,
    DescribeTargetHealthCommand,
    ElasticLoadBalancingV2Client,
    TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import * as pulumi from "@pulumi/pulumi";
import { mockClient } from "aws-sdk-client-mock";
import { ALLOW_LAST_TARGET_REMOVAL, guardLastHealthyTarget } from "../../components/fleet/lastTargetGuard";
import { TargetDepartures } from "../../components/fleet/targetDepartures";
import { ElbConnection, TargetHealthHooks, lastTargetCallback, targetHealthHooks } from "../../components/fleet/targetHealthHooks";
import { runUnderMocks } from "../../preview/runUnderMocks";

// Why the guard exists, from the engine (pulumi/pulumi, pkg/resource/deploy):
// - step.go, CreateStep.Apply: when a replacement's create succeeds, the old state is marked
//   `Delete = true` (pending delete) *before* the after-hooks run; a failing afterCreate hook is
//   only recorded (RecordPostStepError) and the step's state is committed. So a new instance that
//   never turns healthy fails the update with the old instances and attachments already marked.
// - deployment_executor.go, performPostSteps: the next `pulumi up` calls GenerateDeletes
//   (step_generator.go), which deletes every previous resource with `Delete` set, and the new,
//   unchanged attachments get a same step: their afterCreate hook never runs again. Without a guard
//   the re-run deletes every old, healthy target and leaves only the broken ones.
// - ScheduleDeletes (step_generator.go) puts deletes without dependencies between them in one
//   antichain, and performPostSteps runs an antichain's steps in parallel: the old attachments'
//   guards ask AWS at the same moment. The guards of one run remember whom they let go
//   (targetDepartures.ts), or each would see the other healthy and both would let theirs go.
// - step.go, DeleteStep.Apply: the `BeforeDelete` hooks of the *old* state run first; an error
//   returns before the provider's Delete, so the attachment stays and the instance (which the
//   attachment depends on, so it is deleted after it) stays too. deployment.go, RunHooks: hooks
//   without OnDryRun are skipped in preview, and a before-hook's error is "before hook ... failed".
// - step_generator.go: a same step's new state takes the goal's ResourceHooks, so the first
//   `pulumi up` with this guard binds it to every existing attachment; an attachment that is
//   already pending delete keeps the hooks it was created with (none), as docs/fleet.md says.

const TG_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api-tg-1a2b3c4/73e2d6bc24d8a067";
const LB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/api-alb-5e6f7a8/50dc6c495c0c9188";
const OLD_A = { targetGroupArn: TG_ARN, targetId: "i-0aaaaaaaaaaaaaaa1", port: 8082 };
const OLD_B = { targetGroupArn: TG_ARN, targetId: "i-0bbbbbbbbbbbbbbb2", port: 8082 };
const WHAT_TO_DO =
    'fix or replace the unhealthy instances first (docs/fleet.md, "A failed rollout"); ' +
    `to remove it anyway, as pulumi destroy of the whole stack must, run the command with ${ALLOW_LAST_TARGET_REMOVAL}=true`;

/** One target's entry in a DescribeTargetHealth answer. */
function target(id: string, state: string, reason?: string, port = 8082): TargetHealthDescription {
    return { Target: { Id: id, Port: port }, TargetHealth: { State: state as never, ...(reason ? { Reason: reason as never } : {}) } };
}

/** An AWS error as the SDK throws it: its name is the error code. */
function awsError(name: string, message: string): Error {
    return Object.assign(new Error(message), { name });
}

describe("the last-healthy-target guard", () => {
    const elb = mockClient(ElasticLoadBalancingV2Client);
    const client = new ElasticLoadBalancingV2Client({ region: "eu-west-1" });
    beforeEach(() => elb.reset());
    after(() => elb.restore());

    /** AWS's view of the target group: its targets, and the load balancers it serves. */
    function world(targets: TargetHealthDescription[], loadBalancers: string[] = [LB_ARN]): void {
        elb.on(DescribeTargetHealthCommand, { TargetGroupArn: TG_ARN }).resolves({ TargetHealthDescriptions: targets });
        elb.on(DescribeTargetGroupsCommand, { TargetGroupArns: [TG_ARN] }).resolves({
            TargetGroups: [{ TargetGroupArn: TG_ARN, LoadBalancerArns: loadBalancers }],
        });
    }

    const guard = (override?: string, departures = new TargetDepartures(), which = OLD_A) =>
        guardLastHealthyTarget(client, which, departures, override);

    describe("refuses", () => {
        for (const [state, reason] of [
            ["initial", "Elb.InitialHealthChecking"],
            ["unhealthy", "Target.FailedHealthChecks"],
            ["draining", "Target.DeregistrationInProgress"],
            ["unused", "Target.NotInUse"],
        ]) {
            it(`the last healthy target when the only other target is ${state}`, async () => {
                world([target(OLD_A.targetId, "healthy"), target("i-0new", state, reason)]);
                await assert.rejects(guard(), {
                    message:
                        `refusing to deregister target ${OLD_A.targetId}:8082 of ${TG_ARN}: it is the last healthy target behind ${LB_ARN} ` +
                        `(the other targets: i-0new:8082 ${state} (${reason})); ${WHAT_TO_DO}`,
                });
                assert.strictEqual(elb.commandCalls(DescribeTargetGroupsCommand).length, 1);
            });
        }

        it("the only target of the group", async () => {
            world([target(OLD_A.targetId, "healthy")]);
            await assert.rejects(guard(), {
                message:
                    `refusing to deregister target ${OLD_A.targetId}:8082 of ${TG_ARN}: it is the last healthy target behind ${LB_ARN} ` +
                    `(the other targets: none); ${WHAT_TO_DO}`,
            });
        });

        it("counts the same instance on another port as another target, and a healthy one there as serving", async () => {
            world([target(OLD_A.targetId, "healthy"), target(OLD_A.targetId, "healthy", undefined, 9090)]);
            assert.strictEqual(await guard(), `1 other healthy target(s) keep serving: ${OLD_A.targetId}:9090 healthy`);
        });

        it("after a failed rollout, lets one old target of two go and keeps the other, even when both guards ask at once", async () => {
            // The re-run: both old targets healthy, both new ones never became healthy; AWS keeps
            // reporting the first old target healthy, because its deregistration starts only after
            // its hook returns.
            world([
                target(OLD_A.targetId, "healthy"),
                target(OLD_B.targetId, "healthy"),
                target("i-0new1", "unhealthy", "Target.ResponseCodeMismatch"),
                target("i-0new2", "unhealthy", "Target.ResponseCodeMismatch"),
            ]);
            const departures = new TargetDepartures();
            const [first, second] = await Promise.allSettled([guard(undefined, departures, OLD_A), guard(undefined, departures, OLD_B)]);
            assert.deepStrictEqual(first, {
                status: "fulfilled",
                value: `1 other healthy target(s) keep serving: ${OLD_B.targetId}:8082 healthy`,
            });
            assert.strictEqual(second.status, "rejected");
            assert.strictEqual(
                (second as PromiseRejectedResult).reason.message,
                `refusing to deregister target ${OLD_B.targetId}:8082 of ${TG_ARN}: it is the last healthy target behind ${LB_ARN} ` +
                    `(the other targets: ${OLD_A.targetId}:8082 healthy, i-0new1:8082 unhealthy (Target.ResponseCodeMismatch), ` +
                    `i-0new2:8082 unhealthy (Target.ResponseCodeMismatch)); ${WHAT_TO_DO}`,
            );
            assert.strictEqual(elb.commandCalls(DescribeTargetHealthCommand).length, 2);
        });

        for (const value of ["", "false"]) {
            it(`the last healthy target when ${ALLOW_LAST_TARGET_REMOVAL} is ${JSON.stringify(value)}`, async () => {
                world([target(OLD_A.targetId, "healthy")]);
                await assert.rejects(guard(value), /it is the last healthy target behind/);
            });
        }

        it(`the last healthy target, naming the variable and its values, when ${ALLOW_LAST_TARGET_REMOVAL} is neither`, async () => {
            world([target(OLD_A.targetId, "healthy")]);
            await assert.rejects(guard("yes"), {
                message:
                    `refusing to deregister target ${OLD_A.targetId}:8082 of ${TG_ARN}: ` +
                    `${ALLOW_LAST_TARGET_REMOVAL} must be "true", "false" or unset; got "yes"`,
            });
        });

        const unreadable: [string, string, string][] = [
            ["DescribeTargetHealth", "AccessDenied", "User: arn:aws:sts::111111111111:assumed-role/dev/me is not authorized"],
            ["DescribeTargetHealth", "CredentialsProviderError", "Could not load credentials from any providers"],
            ["DescribeTargetHealth", "ExpiredToken", "The security token included in the request is expired"],
            ["DescribeTargetGroups", "AccessDenied", "User: arn:aws:sts::111111111111:assumed-role/dev/me is not authorized"],
        ];
        for (const [operation, name, message] of unreadable) {
            it(`at once, naming the target and the permission, when ${operation} fails with ${name}`, async () => {
                if (operation === "DescribeTargetHealth") {
                    elb.on(DescribeTargetHealthCommand).rejects(awsError(name, message));
                } else {
                    elb.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [target(OLD_A.targetId, "healthy")] });
                    elb.on(DescribeTargetGroupsCommand).rejects(awsError(name, message));
                }
                await assert.rejects(guard("true"), {
                    message:
                        `refusing to deregister target ${OLD_A.targetId}:8082 of ${TG_ARN}: ${operation} failed with ${name}: ${message} ` +
                        `(check the stack's aws:profile and the elasticloadbalancing:${operation} permission); ${WHAT_TO_DO}`,
                });
                assert.strictEqual(elb.commandCalls(DescribeTargetHealthCommand).length, 1, "asked once, no retry loop");
            });
        }
    });

    describe("lets go", () => {
        it("a target when another target of the group is healthy, naming it", async () => {
            world([target(OLD_A.targetId, "healthy"), target("i-0new", "healthy"), target("i-0other", "initial")]);
            assert.strictEqual(await guard(), "1 other healthy target(s) keep serving: i-0new:8082 healthy");
            assert.strictEqual(elb.commandCalls(DescribeTargetGroupsCommand).length, 0, "no need to ask which load balancers");
        });

        for (const [state, reason] of [
            ["unhealthy", "Target.FailedHealthChecks"],
            ["initial", "Elb.RegistrationInProgress"],
            ["draining", "Target.DeregistrationInProgress"],
        ]) {
            it(`a target that is ${state} itself, however the others are`, async () => {
                world([target(OLD_A.targetId, state, reason), target("i-0new", "unhealthy", "Target.Timeout")]);
                assert.strictEqual(await guard(), `it serves no request (${state})`);
            });
        }

        it("a target that is no longer registered", async () => {
            world([target("i-0new", "unhealthy", "Target.Timeout")]);
            assert.strictEqual(await guard(), "it serves no request (not registered)");
        });

        it("the last healthy target of a target group that serves no load balancer (the group was replaced)", async () => {
            world([target(OLD_A.targetId, "healthy")], []);
            assert.strictEqual(await guard(), "its target group serves no load balancer");
        });

        it(`the last healthy target when ${ALLOW_LAST_TARGET_REMOVAL}=true, as pulumi destroy of the whole stack needs`, async () => {
            world([target(OLD_A.targetId, "healthy"), target("i-0new", "unhealthy", "Target.Timeout")]);
            assert.strictEqual(await guard("true"), `it is the last healthy target, and ${ALLOW_LAST_TARGET_REMOVAL}=true lets it go`);
        });

        it("a target whose target group no longer exists", async () => {
            elb.on(DescribeTargetHealthCommand).rejects(awsError("TargetGroupNotFoundException", "One or more target groups not found"));
            assert.strictEqual(await guard(), "its target group no longer exists");
        });

        it("one target after another when each of them leaves a healthy one behind (a scale-in from 3 to 1)", async () => {
            world([target(OLD_A.targetId, "healthy"), target(OLD_B.targetId, "healthy"), target("i-0keep", "healthy")]);
            const departures = new TargetDepartures();
            assert.strictEqual(
                await guard(undefined, departures, OLD_A),
                `2 other healthy target(s) keep serving: ${OLD_B.targetId}:8082 healthy, i-0keep:8082 healthy`,
            );
            assert.strictEqual(await guard(undefined, departures, OLD_B), "1 other healthy target(s) keep serving: i-0keep:8082 healthy");
        });
    });

    describe("the hook", () => {
        /** The hook arguments Pulumi passes before deleting a target group attachment. */
        function deleteArgs(state: Record<string, unknown>): pulumi.ResourceHookArgs {
            return {
                urn: "urn:pulumi:dev::api-cluster::api-cluster:index:ApiCluster$aws:lb/targetGroupAttachment:TargetGroupAttachment::api-api-0-attachment",
                id: "attachment-1",
                name: "api-api-0-attachment",
                type: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
                oldInputs: state,
                oldOutputs: { ...state, id: "attachment-1" },
            };
        }

        it("guards the old state's target, with a client of its group's region and the stack's profile, and logs why it may leave", async () => {
            world([target(OLD_A.targetId, "healthy"), target("i-0new", "healthy")]);
            const connections: ElbConnection[] = [];
            const lines: string[] = [];
            const callback = lastTargetCallback(
                (connection) => (connections.push(connection), client),
                new TargetDepartures(),
                { profile: "deploy" },
                {},
                (line) => lines.push(line),
            );
            await callback(deleteArgs({ ...OLD_A }));
            assert.deepStrictEqual(connections, [{ region: "eu-west-1", profile: "deploy" }]);
            assert.deepStrictEqual(lines, [
                `api-api-0-attachment: deregistering target ${OLD_A.targetId}:8082: 1 other healthy target(s) keep serving: i-0new:8082 healthy`,
            ]);
        });

        it(`reads ${ALLOW_LAST_TARGET_REMOVAL} from the environment the hook runs in`, async () => {
            world([target(OLD_A.targetId, "healthy")]);
            const lines: string[] = [];
            const run = (env: NodeJS.ProcessEnv) =>
                lastTargetCallback(
                    () => client,
                    new TargetDepartures(),
                    {},
                    env,
                    (line) => lines.push(line),
                )(deleteArgs({ ...OLD_A }));
            await assert.rejects(Promise.resolve(run({})), /it is the last healthy target behind/);
            await run({ [ALLOW_LAST_TARGET_REMOVAL]: "true" });
            assert.deepStrictEqual(lines, [
                `api-api-0-attachment: deregistering target ${OLD_A.targetId}:8082: it is the last healthy target, and ${ALLOW_LAST_TARGET_REMOVAL}=true lets it go`,
            ]);
        });

        it("fails, naming what is missing, when the old state has no target, and asks AWS nothing", async () => {
            const callback = lastTargetCallback(
                () => client,
                new TargetDepartures(),
                {},
                {},
                () => undefined,
            );
            await assert.rejects(Promise.resolve(callback(deleteArgs({ targetGroupArn: TG_ARN, port: 8082 }))), {
                message: `a target group attachment's state needs targetGroupArn, targetId and port; got {"targetGroupArn":"${TG_ARN}","port":8082,"id":"attachment-1"}`,
            });
            assert.strictEqual(elb.commandCalls(DescribeTargetHealthCommand).length, 0);
        });

        it("is one hook per cluster, named after it, whose attachments share what the run let go", async () => {
            let made: TargetHealthHooks | undefined;
            await runUnderMocks(() => {
                made = targetHealthHooks("api", 45, () => client);
                return {};
            });
            const hooks = made as TargetHealthHooks;
            assert.strictEqual(hooks.lastHealthyTarget.name, "api-last-healthy-target");
            assert.strictEqual(hooks.lastHealthyTarget.opts, undefined, "runs on up and destroy only, never during preview");
            world([target(OLD_A.targetId, "healthy"), target(OLD_B.targetId, "healthy"), target("i-0new", "unhealthy")]);
            const results = await Promise.allSettled([
                hooks.lastHealthyTarget.callback(deleteArgs({ ...OLD_A })),
                hooks.lastHealthyTarget.callback(deleteArgs({ ...OLD_B })),
            ]);
            assert.deepStrictEqual(
                results.map((result) => result.status),
                ["fulfilled", "rejected"],
            );
        });
    });
});
