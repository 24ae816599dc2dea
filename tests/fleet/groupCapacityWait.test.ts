import * as assert from "assert";
import {
    DescribeTargetHealthCommand,
    ElasticLoadBalancingV2Client,
    TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import * as pulumi from "@pulumi/pulumi";
import { mockClient } from "aws-sdk-client-mock";
import { waitForHealthyCapacity } from "../../components/fleet/groupCapacityWait";
import { ElbConnection, groupCapacity, groupInServiceCallback, groupInServiceHook } from "../../components/fleet/targetHealthHooks";
import { runUnderMocks } from "../../preview/runUnderMocks";

// The group's afterCreate hook replaces the provider's create-time capacity wait, which
// waitForCapacityTimeout "0" turns off together with its update-time wait for *exactly*
// max(minSize, desired) instances (terraform-provider-aws internal/service/autoscaling/group.go,
// resourceGroupCreate and resourceGroupUpdate; see tests/cluster/fleet.test.ts). The engine runs
// it after the group's create step only (pulumi/pulumi pkg/resource/deploy/step.go,
// CreateStep.Apply runs AfterCreate; UpdateStep runs AfterUpdate), so a change of instanceCount,
// minInstanceCount or the AMI never waits in it.

const TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-tg-1a2b3c4/73e2d6bc24d8a067";
/** Polls every 10 ms, for at most a second. */
const FAST = { minDelaySeconds: 0.01, maxDelaySeconds: 0.02, maxWaitSeconds: 1 };

/** A DescribeTargetHealth answer with these states, one target each. */
function targets(...states: string[]): { TargetHealthDescriptions: TargetHealthDescription[] } {
    return {
        TargetHealthDescriptions: states.map((state, i) => ({
            Target: { Id: `i-0${i}`, Port: 8082 },
            TargetHealth: { State: state as never },
        })),
    };
}

/** An AWS error as the SDK throws it: its name is the error code. */
function awsError(name: string, message: string): Error {
    return Object.assign(new Error(message), { name });
}

describe("the group's capacity wait", () => {
    const elb = mockClient(ElasticLoadBalancingV2Client);
    const client = new ElasticLoadBalancingV2Client({ region: "us-east-1" });
    beforeEach(() => elb.reset());
    after(() => elb.restore());

    const polls = () => elb.commandCalls(DescribeTargetHealthCommand).map((call) => call.args[0].input);

    it("asks about the whole target group until the desired capacity is healthy", async () => {
        elb.on(DescribeTargetHealthCommand)
            .resolvesOnce(targets())
            .resolvesOnce(targets("initial", "initial", "initial"))
            .resolvesOnce(targets("healthy", "initial", "unhealthy"))
            .resolves(targets("healthy", "healthy", "healthy"));
        await waitForHealthyCapacity(client, { targetGroupArn: TG_ARN, healthyTargets: 3 }, FAST);
        assert.deepStrictEqual(
            polls(),
            Array.from({ length: 4 }, () => ({ TargetGroupArn: TG_ARN })),
        );
    });

    it("is satisfied by more healthy targets than asked for (a group that scaled out meanwhile)", async () => {
        elb.on(DescribeTargetHealthCommand).resolves(targets("healthy", "healthy", "healthy", "healthy", "draining"));
        await waitForHealthyCapacity(client, { targetGroupArn: TG_ARN, healthyTargets: 3 }, FAST);
        assert.strictEqual(polls().length, 1);
    });

    it("does not count draining, initial or unhealthy targets", async () => {
        elb.on(DescribeTargetHealthCommand).resolves(targets("healthy", "draining", "initial", "unhealthy"));
        await assert.rejects(
            waitForHealthyCapacity(client, { targetGroupArn: TG_ARN, healthyTargets: 2 }, { ...FAST, maxWaitSeconds: 0.1 }),
            {
                message: `target group ${TG_ARN} did not reach 2 healthy target(s) within 0.1 s; last seen: 1 healthy`,
            },
        );
    });

    it("keeps retrying throttling, and reports it when it outlasts the wait", async () => {
        elb.on(DescribeTargetHealthCommand).rejects(awsError("Throttling", "Rate exceeded"));
        await assert.rejects(
            waitForHealthyCapacity(client, { targetGroupArn: TG_ARN, healthyTargets: 1 }, { ...FAST, maxWaitSeconds: 0.1 }),
            {
                message: `target group ${TG_ARN} did not reach 1 healthy target(s) within 0.1 s; last seen: Throttling: Rate exceeded`,
            },
        );
        assert.ok(polls().length > 1, `retried ${polls().length} times`);
    });

    for (const [name, message] of [
        ["AccessDenied", "User is not authorized to perform: elasticloadbalancing:DescribeTargetHealth"],
        ["CredentialsProviderError", "Could not load credentials from any providers"],
        ["TargetGroupNotFoundException", "One or more target groups not found"],
    ]) {
        it(`stops at the first ${name}, naming the group and the permission`, async () => {
            elb.on(DescribeTargetHealthCommand).rejects(awsError(name, message));
            await assert.rejects(
                waitForHealthyCapacity(client, { targetGroupArn: TG_ARN, healthyTargets: 2 }, { ...FAST, maxWaitSeconds: 2 }),
                {
                    message:
                        `target group ${TG_ARN} will not reach 2 healthy target(s): DescribeTargetHealth failed with ${name}: ${message} ` +
                        "(check the stack's aws:profile and the elasticloadbalancing:DescribeTargetHealth permission)",
                },
            );
            assert.strictEqual(polls().length, 1);
        });
    }

    describe("the hook", () => {
        /** The hook arguments Pulumi passes after creating an Auto Scaling group. */
        function createArgs(state: Record<string, unknown>): pulumi.ResourceHookArgs {
            return {
                urn: "urn:pulumi:staging::api-cluster::api-cluster:index:ApiCluster$aws:autoscaling/group:Group::api-group",
                id: "api-group-0a1b2c3",
                name: "api-group",
                type: "aws:autoscaling/group:Group",
                newInputs: state,
                newOutputs: { ...state, id: "api-group-0a1b2c3" },
            };
        }

        it("waits for the desired capacity the group was created with, in its target group's region, as the stack's profile", async () => {
            elb.on(DescribeTargetHealthCommand).resolvesOnce(targets("healthy", "initial")).resolves(targets("healthy", "healthy"));
            const connections: ElbConnection[] = [];
            const callback = groupInServiceCallback((connection) => (connections.push(connection), client), FAST, { profile: "deploy" });
            await callback(createArgs({ targetGroupArns: [TG_ARN], desiredCapacity: 2, minSize: 1, maxSize: 4 }));
            assert.deepStrictEqual(connections, [{ region: "us-east-1", profile: "deploy" }]);
            assert.strictEqual(polls().length, 2);
        });

        it("reads the target groups and the desired capacity from the state, failing when either is missing", () => {
            assert.deepStrictEqual(groupCapacity({ targetGroupArns: [TG_ARN], desiredCapacity: 3 }), [
                { targetGroupArn: TG_ARN, healthyTargets: 3 },
            ]);
            for (const state of [
                { targetGroupArns: [], desiredCapacity: 3 },
                { targetGroupArns: [TG_ARN] },
                { targetGroupArns: [7], desiredCapacity: 3 },
            ]) {
                assert.throws(() => groupCapacity(state), {
                    message: `an Auto Scaling group's state needs targetGroupArns and desiredCapacity; got ${JSON.stringify(state)}`,
                });
            }
        });

        it("is named after the cluster and runs on up only, never during preview", async () => {
            let hook: pulumi.ResourceHook | undefined;
            await runUnderMocks(() => {
                hook = groupInServiceHook("api", () => client);
                return {};
            });
            assert.strictEqual(hook?.name, "api-group-in-service");
            assert.strictEqual(hook?.opts, undefined);
        });
    });
});
