import * as assert from "assert";
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import {
    DescribeTargetHealthCommand,
    ElasticLoadBalancingV2Client,
    TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import * as pulumi from "@pulumi/pulumi";
import { mockClient } from "aws-sdk-client-mock";
import { HealthyCapacity, waitForHealthyCapacity } from "../../components/fleet/groupCapacityWait";
import { ElbConnection, groupCapacity, groupInServiceCallback, groupInServiceHook } from "../../components/fleet/targetHealthHooks";
import { runUnderMocks } from "../../preview/runUnderMocks";

// The group's afterCreate hook replaces the provider's create-time capacity wait, which
// waitForCapacityTimeout "0" turns off together with its update-time wait for *exactly*
// max(minSize, desired) instances (terraform-provider-aws internal/service/autoscaling/group.go,
// resourceGroupCreate and resourceGroupUpdate; see tests/cluster/fleet.test.ts). The engine runs
// it after the group's create step only (pulumi/pulumi pkg/resource/deploy/step.go:
// CreateStep.Apply runs the AfterCreate hooks, UpdateStep.Apply the AfterUpdate ones), so a change
// of instanceCount, minInstanceCount or the AMI never waits in it. The provider's own wait
// (statusGroupCapacity) counted only the group's instances (g.Instances, InService and Healthy)
// that were healthy in every target group; so does this one, or the old instances of a switch
// from fleet `instances` would satisfy it at once.

const GROUP = "api-group-0a1b2c3";
const TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-tg-1a2b3c4/73e2d6bc24d8a067";
const CAPACITY: HealthyCapacity = { groupName: GROUP, targetGroupArn: TG_ARN, healthyTargets: 3 };
/** Polls every 10 ms, for at most a second. */
const FAST = { minDelaySeconds: 0.01, maxDelaySeconds: 0.02, maxWaitSeconds: 1 };
const BRIEF = { ...FAST, maxWaitSeconds: 0.1 };

/** A DescribeTargetHealth answer: instance id to state. */
function targets(states: Record<string, string>): { TargetHealthDescriptions: TargetHealthDescription[] } {
    return {
        TargetHealthDescriptions: Object.entries(states).map(([id, state]) => ({
            Target: { Id: id, Port: 8082 },
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
    const asg = mockClient(AutoScalingClient);
    const clients = {
        elb: new ElasticLoadBalancingV2Client({ region: "us-east-1" }),
        autoScaling: new AutoScalingClient({ region: "us-east-1" }),
    };
    beforeEach(() => {
        elb.reset();
        asg.reset();
    });
    after(() => {
        elb.restore();
        asg.restore();
    });

    /** The group's instances, as DescribeAutoScalingGroups lists them. */
    function groupInstances(...ids: string[]): void {
        asg.on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: [GROUP] }).resolves({
            AutoScalingGroups: [
                {
                    AutoScalingGroupName: GROUP,
                    MinSize: 3,
                    MaxSize: 6,
                    DesiredCapacity: 3,
                    DefaultCooldown: 300,
                    AvailabilityZones: [],
                    HealthCheckType: "ELB",
                    CreatedTime: new Date("2026-12-01T13:00:00Z"),
                    Instances: ids.map((InstanceId) => ({
                        InstanceId,
                        AvailabilityZone: "us-east-1a",
                        LifecycleState: "InService",
                        HealthStatus: "Healthy",
                        ProtectedFromScaleIn: false,
                    })),
                },
            ],
        });
    }

    const polls = () => elb.commandCalls(DescribeTargetHealthCommand).map((call) => call.args[0].input);

    it("asks about the whole target group until the desired capacity of the group's instances is healthy", async () => {
        groupInstances("i-01", "i-02", "i-03");
        elb.on(DescribeTargetHealthCommand)
            .resolvesOnce(targets({}))
            .resolvesOnce(targets({ "i-01": "initial", "i-02": "initial", "i-03": "initial" }))
            .resolvesOnce(targets({ "i-01": "healthy", "i-02": "initial", "i-03": "unhealthy" }))
            .resolves(targets({ "i-01": "healthy", "i-02": "healthy", "i-03": "healthy" }));
        await waitForHealthyCapacity(clients, CAPACITY, FAST);
        assert.deepStrictEqual(
            polls(),
            Array.from({ length: 4 }, () => ({ TargetGroupArn: TG_ARN })),
        );
        assert.strictEqual(asg.commandCalls(DescribeAutoScalingGroupsCommand).length, 4);
    });

    it("does not count healthy targets that are not the group's (the old instances of fleet instances)", async () => {
        groupInstances("i-01", "i-02", "i-03");
        elb.on(DescribeTargetHealthCommand).resolves(
            targets({
                "i-0old1": "healthy",
                "i-0old2": "healthy",
                "i-0old3": "healthy",
                "i-01": "healthy",
                "i-02": "initial",
                "i-03": "initial",
            }),
        );
        await assert.rejects(waitForHealthyCapacity(clients, CAPACITY, BRIEF), {
            message: `Auto Scaling group ${GROUP} did not reach 3 healthy instance(s) in ${TG_ARN} within 0.1 s; last seen: 1 of its instances healthy`,
        });
    });

    it("is satisfied by more healthy instances than asked for (a group that scaled out meanwhile)", async () => {
        groupInstances("i-01", "i-02", "i-03", "i-04");
        elb.on(DescribeTargetHealthCommand).resolves(
            targets({ "i-01": "healthy", "i-02": "healthy", "i-03": "healthy", "i-04": "healthy" }),
        );
        await waitForHealthyCapacity(clients, CAPACITY, FAST);
        assert.strictEqual(polls().length, 1);
    });

    it("does not count draining, initial or unhealthy instances", async () => {
        groupInstances("i-01", "i-02", "i-03", "i-04");
        elb.on(DescribeTargetHealthCommand).resolves(
            targets({ "i-01": "healthy", "i-02": "draining", "i-03": "initial", "i-04": "unhealthy" }),
        );
        await assert.rejects(waitForHealthyCapacity(clients, { ...CAPACITY, healthyTargets: 2 }, BRIEF), {
            message: `Auto Scaling group ${GROUP} did not reach 2 healthy instance(s) in ${TG_ARN} within 0.1 s; last seen: 1 of its instances healthy`,
        });
    });

    it("keeps retrying throttling, and reports it when it outlasts the wait", async () => {
        groupInstances("i-01");
        elb.on(DescribeTargetHealthCommand).rejects(awsError("Throttling", "Rate exceeded"));
        await assert.rejects(waitForHealthyCapacity(clients, { ...CAPACITY, healthyTargets: 1 }, BRIEF), {
            message: `Auto Scaling group ${GROUP} did not reach 1 healthy instance(s) in ${TG_ARN} within 0.1 s; last seen: Throttling: Rate exceeded`,
        });
        assert.ok(polls().length > 1, `retried ${polls().length} times`);
    });

    const unhealing: [string, "autoscaling" | "elb", string, string][] = [
        ["DescribeTargetHealth", "elb", "AccessDenied", "User is not authorized to perform: elasticloadbalancing:DescribeTargetHealth"],
        ["DescribeTargetHealth", "elb", "CredentialsProviderError", "Could not load credentials from any providers"],
        ["DescribeTargetHealth", "elb", "TargetGroupNotFoundException", "One or more target groups not found"],
        [
            "DescribeAutoScalingGroups",
            "autoscaling",
            "AccessDenied",
            "User is not authorized to perform: autoscaling:DescribeAutoScalingGroups",
        ],
    ];
    for (const [operation, service, name, message] of unhealing) {
        it(`stops at the first ${name} of ${operation}, naming the group and the permissions`, async () => {
            if (service === "elb") {
                groupInstances("i-01");
                elb.on(DescribeTargetHealthCommand).rejects(awsError(name, message));
            } else {
                asg.on(DescribeAutoScalingGroupsCommand).rejects(awsError(name, message));
            }
            await assert.rejects(waitForHealthyCapacity(clients, { ...CAPACITY, healthyTargets: 2 }, { ...FAST, maxWaitSeconds: 2 }), {
                message:
                    `Auto Scaling group ${GROUP} will not reach 2 healthy instance(s) in ${TG_ARN}: ${name}: ${message} ` +
                    "(check the stack's aws:profile and the autoscaling:DescribeAutoScalingGroups and elasticloadbalancing:DescribeTargetHealth permissions)",
            });
            assert.strictEqual(asg.commandCalls(DescribeAutoScalingGroupsCommand).length, 1);
            assert.strictEqual(polls().length, service === "elb" ? 1 : 0);
        });
    }

    describe("the hook", () => {
        /** The hook arguments Pulumi passes after creating an Auto Scaling group. */
        function createArgs(state: Record<string, unknown>): pulumi.ResourceHookArgs {
            return {
                urn: "urn:pulumi:staging::api-cluster::api-cluster:index:ApiCluster$aws:autoscaling/group:Group::api-group",
                id: GROUP,
                name: "api-group",
                type: "aws:autoscaling/group:Group",
                newInputs: state,
                newOutputs: { ...state, id: GROUP },
            };
        }

        it("waits for the desired capacity the group was created with, in its target group's region, as the stack's profile", async () => {
            groupInstances("i-01", "i-02");
            elb.on(DescribeTargetHealthCommand)
                .resolvesOnce(targets({ "i-01": "healthy", "i-02": "initial" }))
                .resolves(targets({ "i-01": "healthy", "i-02": "healthy" }));
            const connections: ElbConnection[] = [];
            const callback = groupInServiceCallback(
                {
                    elb: (connection) => (connections.push(connection), clients.elb),
                    autoScaling: (connection) => (connections.push(connection), clients.autoScaling),
                },
                FAST,
                { profile: "deploy" },
            );
            await callback(createArgs({ name: GROUP, targetGroupArns: [TG_ARN], desiredCapacity: 2, minSize: 1, maxSize: 4 }));
            assert.deepStrictEqual(connections, [
                { region: "us-east-1", profile: "deploy" },
                { region: "us-east-1", profile: "deploy" },
            ]);
            assert.strictEqual(polls().length, 2);
        });

        it("reads the group's name, target groups and desired capacity from the state, failing when one is missing", () => {
            assert.deepStrictEqual(groupCapacity({ name: GROUP, targetGroupArns: [TG_ARN], desiredCapacity: 3 }), [CAPACITY]);
            for (const state of [
                { targetGroupArns: [TG_ARN], desiredCapacity: 3 },
                { name: GROUP, targetGroupArns: [], desiredCapacity: 3 },
                { name: GROUP, targetGroupArns: [TG_ARN] },
                { name: GROUP, targetGroupArns: [7], desiredCapacity: 3 },
            ]) {
                assert.throws(() => groupCapacity(state), {
                    message: `an Auto Scaling group's state needs name, targetGroupArns and desiredCapacity; got ${JSON.stringify(state)}`,
                });
            }
        });

        it("is named after the cluster and runs on up only, never during preview", async () => {
            let hook: pulumi.ResourceHook | undefined;
            await runUnderMocks(() => {
                hook = groupInServiceHook("api");
                return {};
            });
            assert.strictEqual(hook?.name, "api-group-in-service");
            assert.strictEqual(hook?.opts, undefined);
        });
    });
});
