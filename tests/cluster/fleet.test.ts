import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { ApiCluster, ApiClusterArgs } from "../../components/apiCluster";
import { FleetMode } from "../../components/config/schema";
import { renderBootScript } from "../../components/credentials/bootScript";
import { SettingsError } from "../../components/config/validate";
import { resolveSettings } from "../../components/config/validate";
import { CAPACITY_TIMEOUT, GROUP_METRICS, ROOT_DEVICE_NAME, autoScalingFleet } from "../../components/fleet/autoScalingFleet";
import { InstanceLaunch, clusterInstances } from "../../components/instances";
import { OfflineAccount, autoName } from "../../preview/mocks";
import { runUnderMocks } from "../../preview/runUnderMocks";
import { AUTOSCALING_MONITORING, FIXED_WITH_AMI, sumCounts } from "../support/clusterCounts";
import { countByType, named, ofType, onlyOfType } from "../support/resources";
import { STACK_TAG_KEY } from "../../components/stackTag";

const account = new OfflineAccount("us-east-1");
/** A registration's hooks when it binds none. */
const NO_HOOKS = { beforeCreate: [], afterCreate: [], beforeUpdate: [], afterUpdate: [], beforeDelete: [], afterDelete: [], onError: [] };
const AMI = "ami-0123456789abcdef0";

/** Builds one cluster under the offline mocks and returns its outputs and registrations. */
function build(args: ApiClusterArgs) {
    return runUnderMocks(
        () => {
            const cluster = new ApiCluster("api", { amiId: AMI, ...args });
            return {
                instances: cluster.instances,
                targetGroupArn: cluster.targetGroupArn,
                instanceSecurityGroupId: cluster.instanceSecurityGroupId,
                loadBalancerArn: cluster.loadBalancerArn,
                autoScalingGroupName: cluster.autoScalingGroupName,
                launchTemplateId: cluster.launchTemplateId,
                adminPasswordParameterName: cluster.adminPasswordParameterName,
            };
        },
        { stack: "dev", config: { "aws:region": "us-east-1" } },
    );
}

describe("fleet", () => {
    describe("autoscaling", () => {
        for (const n of [1, 3, 100]) {
            it(`registers one launch template, one group and one scaling policy, and no instance or attachment, for N = ${n}`, async () => {
                const { resources } = await build({ fleet: FleetMode.AutoScaling, instanceCount: n });
                assert.deepStrictEqual(
                    countByType(resources),
                    sumCounts(FIXED_WITH_AMI, AUTOSCALING_MONITORING, {
                        "aws:autoscaling/group:Group": 1,
                        "aws:autoscaling/policy:Policy": 1,
                        "aws:ec2/launchTemplate:LaunchTemplate": 1,
                    }),
                );
            });
        }

        it("launches from a template with everything the instances have: AMI, type, IMDSv2, encrypted gp3, profile, group, base64 boot script", async () => {
            const { resources, outputs } = await build({ fleet: FleetMode.AutoScaling, instanceType: "t3.small" });
            const template = onlyOfType(resources, "aws:ec2/launchTemplate:LaunchTemplate");
            const profile = onlyOfType(resources, "aws:iam/instanceProfile:InstanceProfile").outputs.name;
            const bootScript = Buffer.from(template.inputs.userData as string, "base64").toString("utf8");
            assert.strictEqual(
                bootScript,
                renderBootScript({ parameterName: outputs.adminPasswordParameterName, adminUsername: "admin@fake.com", appPort: 8082 }),
            );
            assert.deepStrictEqual(template.inputs, {
                imageId: AMI,
                instanceType: "t3.small",
                iamInstanceProfile: { name: profile },
                networkInterfaces: [
                    {
                        deviceIndex: 0,
                        associatePublicIpAddress: "true",
                        securityGroups: [outputs.instanceSecurityGroupId],
                        deleteOnTermination: "true",
                    },
                ],
                metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
                blockDeviceMappings: [
                    { deviceName: ROOT_DEVICE_NAME, ebs: { encrypted: "true", volumeType: "gp3", deleteOnTermination: "true" } },
                ],
                userData: template.inputs.userData,
                updateDefaultVersion: true,
                // The stack tag (components/stackTag.ts), on the template and on what it launches.
                tags: { [STACK_TAG_KEY]: "dev" },
                tagSpecifications: [
                    { resourceType: "instance", tags: { [STACK_TAG_KEY]: "dev" } },
                    { resourceType: "volume", tags: { [STACK_TAG_KEY]: "dev" } },
                ],
            });
        });

        it("runs a group across the instance subnets, on the target group, healed by ELB checks, refreshed launch-before-terminate", async () => {
            const { resources, outputs } = await build({
                fleet: FleetMode.AutoScaling,
                instanceCount: 3,
                minInstanceCount: 2,
                maxInstanceCount: 9,
                availabilityZoneCount: 3,
                healthCheckGracePeriodSeconds: 240,
                instanceWarmupSeconds: 120,
            });
            const group = onlyOfType(resources, "aws:autoscaling/group:Group");
            const template = onlyOfType(resources, "aws:ec2/launchTemplate:LaunchTemplate");
            assert.deepStrictEqual(group.inputs, {
                vpcZoneIdentifiers: account.defaultSubnetIds.slice(0, 3),
                desiredCapacity: 3,
                minSize: 2,
                maxSize: 9,
                targetGroupArns: [outputs.targetGroupArn],
                healthCheckType: "ELB",
                metricsGranularity: "1Minute",
                enabledMetrics: GROUP_METRICS,
                healthCheckGracePeriod: 240,
                defaultInstanceWarmup: 120,
                launchTemplate: { id: template.outputs.id, version: "1" },
                instanceRefresh: {
                    strategy: "Rolling",
                    preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "120" },
                },
                waitForCapacityTimeout: CAPACITY_TIMEOUT,
                tags: [
                    { key: "Name", value: "api-api", propagateAtLaunch: true },
                    { key: STACK_TAG_KEY, value: "dev", propagateAtLaunch: true },
                ],
            });
            assert.deepStrictEqual(group.ignoreChanges, ["desiredCapacity"], "scaling owns the desired capacity");
            const permissions = [
                ...ofType(resources, "aws:iam/rolePolicy:RolePolicy"),
                ...ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"),
                // The password's key; the alarm topic's key (api-alarms-key) grants the instances nothing.
                named(resources, "api-admin-key"),
            ];
            assert.strictEqual(permissions.length, 3);
            for (const permission of permissions) {
                assert.ok(group.dependencies.includes(permission.urn), `the group waits for ${permission.name}`);
            }
            const component = onlyOfType(resources, "api-cluster:index:ApiCluster");
            assert.deepStrictEqual(component.ignoreChanges, [], "set on the group itself, not on the component");
            assert.strictEqual(group.outputs.name, autoName("api-group"));
        });

        // The provider's capacity wait (terraform-provider-aws internal/service/autoscaling/group.go):
        // resourceGroupCreate, when wait_for_capacity_timeout parses above 0, waits for *at least*
        // max(min_size, desired_capacity) healthy instances in the group and at least
        // min_elb_capacity (or wait_for_elb_capacity) healthy behind the load balancer.
        // resourceGroupUpdate sets shouldWaitForCapacity on a change of min_size, desired_capacity
        // or desired_capacity_type, and then wants *exactly* max(min_size, desired_capacity) healthy
        // instances ("want exactly 4 healthy instance(s) in Auto Scaling Group, have 5"), where
        // desired_capacity is the state's, since ignoreChanges keeps the old input. A group that has
        // scaled out, or is in an instance refresh (up to 200 %), never has exactly that many, so
        // raising instanceCount (and with it the default minSize) failed after the timeout. Its
        // update sends only the changed fields (MinSize, MaxSize, never DesiredCapacity), and AWS
        // raises the desired capacity to a new minimum above it. A timeout of "0" turns both waits
        // off; the group's afterCreate hook keeps the first deployment's wait, with "at least".
        it("turns the provider's capacity wait off and waits for the first deployment in the group's afterCreate hook", async () => {
            const { resources } = await build({ fleet: FleetMode.AutoScaling, instanceCount: 3 });
            const group = onlyOfType(resources, "aws:autoscaling/group:Group");
            assert.strictEqual(CAPACITY_TIMEOUT, "0");
            assert.strictEqual(group.inputs.waitForCapacityTimeout, "0");
            assert.strictEqual(group.inputs.minElbCapacity, undefined, "no capacity the provider would wait for");
            assert.strictEqual(group.inputs.waitForElbCapacity, undefined, "no exact capacity on update either");
            assert.deepStrictEqual(group.hooks, { ...NO_HOOKS, afterCreate: ["api-group-in-service"] });
        });

        it("tracks requests per target on the load balancer's and target group's ARN suffixes", async () => {
            const { resources } = await build({ fleet: FleetMode.AutoScaling, targetRequestsPerMinute: 600 });
            const policy = onlyOfType(resources, "aws:autoscaling/policy:Policy");
            const lb = named(resources, "api-alb").outputs;
            const tg = named(resources, "api-tg").outputs;
            assert.deepStrictEqual(policy.inputs, {
                autoscalingGroupName: autoName("api-group"),
                policyType: "TargetTrackingScaling",
                targetTrackingConfiguration: {
                    predefinedMetricSpecification: {
                        predefinedMetricType: "ALBRequestCountPerTarget",
                        resourceLabel: `${lb.arnSuffix}/${tg.arnSuffix}`,
                    },
                    targetValue: 600,
                },
            });
            assert.match(
                policy.inputs.targetTrackingConfiguration.predefinedMetricSpecification.resourceLabel,
                /^app\/[^/]+\/[0-9a-f]{16}\/targetgroup\/[^/]+\/[0-9a-f]{16}$/,
            );
            assert.ok(policy.dependencies.includes(named(resources, "api-listener").urn), "the policy waits for the listener");
        });

        it("puts the instances in the dedicated VPC's private subnets without public IPs", async () => {
            const { resources } = await build({
                fleet: FleetMode.AutoScaling,
                network: "dedicated",
                availabilityZoneCount: 3,
                instanceCount: 3,
            });
            const vpc = onlyOfType(resources, "awsx:ec2:Vpc").outputs as { privateSubnetIds: string[] };
            assert.deepStrictEqual(onlyOfType(resources, "aws:autoscaling/group:Group").inputs.vpcZoneIdentifiers, vpc.privateSubnetIds);
            const template = onlyOfType(resources, "aws:ec2/launchTemplate:LaunchTemplate");
            assert.strictEqual(template.inputs.networkInterfaces[0].associatePublicIpAddress, "false");
        });

        it("reports the group's name and the template's id, and no instances", async () => {
            const { resources, outputs } = await build({ fleet: FleetMode.AutoScaling });
            assert.strictEqual(outputs.autoScalingGroupName, autoName("api-group"));
            assert.strictEqual(outputs.launchTemplateId, onlyOfType(resources, "aws:ec2/launchTemplate:LaunchTemplate").outputs.id);
            assert.deepStrictEqual(outputs.instances, []);
        });
    });

    describe("instances", () => {
        it("reports an empty group name and template id", async () => {
            const { outputs } = await build({ fleet: FleetMode.Instances });
            assert.strictEqual(outputs.autoScalingGroupName, "");
            assert.strictEqual(outputs.launchTemplateId, "");
            assert.strictEqual(outputs.instances.length, 2);
        });

        it("binds the in-service hook after create, the last-target guard before delete and the drain hook after delete to every attachment, and no hook elsewhere", async () => {
            const { resources } = await build({ instanceCount: 3 });
            const attachments = ofType(resources, "aws:lb/targetGroupAttachment:TargetGroupAttachment");
            assert.deepStrictEqual(
                attachments.map((attachment) => attachment.hooks),
                Array.from({ length: 3 }, () => ({
                    ...NO_HOOKS,
                    afterCreate: ["api-target-in-service"],
                    beforeDelete: ["api-last-healthy-target"],
                    afterDelete: ["api-target-drained"],
                })),
            );
            for (const other of resources.filter((r) => r.type !== "aws:lb/targetGroupAttachment:TargetGroupAttachment")) {
                assert.deepStrictEqual(other.hooks, NO_HOOKS, other.name);
            }
        });

        // terraform-provider-aws internal/service/ec2/ec2_instance.go, resourceInstanceUpdate:
        // a change of instance_type, user_data or user_data_base64 goes through
        // modifyInstanceAttributeWithStopStart (stop, modify, start), on every instance at once and
        // with no attachment replaced, so no hook runs (and the deploy role needs
        // ec2:StopInstances/StartInstances). user_data_replace_on_change turns the user data change
        // into a replacement (ForceNew); replaceOnChanges makes the engine replace on either, create
        // before delete. internal/service/elbv2/target_group_attachment.go: target_group_arn,
        // target_id and port are all ForceNew and the resource has no Update, so the new instance's
        // id replaces its attachment, whose afterCreate, beforeDelete and afterDelete hooks then run.
        it("replaces an instance, never stops it, when its type or boot script changes, and keeps delete-after-create", async () => {
            const { resources } = await build({ instanceCount: 2 });
            const instances = ofType(resources, "aws:ec2/instance:Instance");
            assert.strictEqual(instances.length, 2);
            for (const instance of instances) {
                assert.deepStrictEqual(instance.replaceOnChanges, ["instanceType", "userData"], instance.name);
                assert.strictEqual(instance.inputs.userDataReplaceOnChange, true, instance.name);
                assert.strictEqual(instance.deleteBeforeReplace, false, `${instance.name} is created before the old one is deleted`);
            }
            const attachments = ofType(resources, "aws:lb/targetGroupAttachment:TargetGroupAttachment");
            assert.deepStrictEqual(
                attachments.map((attachment) => attachment.inputs.targetId),
                instances.map((instance) => instance.outputs.id),
            );
            assert.deepStrictEqual(
                attachments.map((attachment) => attachment.propertyDependencies.targetId),
                instances.map((instance) => [instance.urn]),
                "each attachment's target id comes from its instance, so a new instance replaces the attachment",
            );
            for (const attachment of attachments) {
                assert.strictEqual(attachment.deleteBeforeReplace, false, attachment.name);
            }
        });
    });

    describe("dependsOn", () => {
        /** Launches a fleet of `mode` with a dependsOn resource; returns the URNs each launching resource depends on. */
        async function launchDependencies(mode: FleetMode) {
            const settings = resolveSettings({ fleet: mode, instanceCount: 2 }, String);
            const { resources } = await runUnderMocks(() => {
                const policy = new aws.iam.RolePolicy("instance-role-policy", { role: "role", policy: "{}" });
                const launch: InstanceLaunch = {
                    imageId: AMI,
                    subnetIds: account.defaultSubnetIds.slice(0, 2),
                    assignPublicIp: true,
                    securityGroupId: "sg-1",
                    instanceProfileName: "profile",
                    userData: "#!/bin/bash\n",
                    targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/0123456789abcdef",
                    dependsOn: [policy],
                };
                const listener = new aws.lb.Listener("listener", { loadBalancerArn: "arn", defaultActions: [] });
                if (mode === FleetMode.AutoScaling) {
                    autoScalingFleet(
                        "api",
                        settings,
                        launch,
                        { loadBalancerArnSuffix: "app/a/1", targetGroupArnSuffix: "targetgroup/t/2", listener },
                        listener,
                    );
                } else {
                    clusterInstances("api", settings, launch, listener);
                }
                return {};
            });
            const policyUrn = named(resources, "instance-role-policy").urn;
            return { resources, policyUrn };
        }

        it("makes every instance wait for the given resources in instances mode", async () => {
            const { resources, policyUrn } = await launchDependencies(FleetMode.Instances);
            const instances = ofType(resources, "aws:ec2/instance:Instance");
            assert.strictEqual(instances.length, 2);
            for (const instance of instances) {
                assert.ok(instance.dependencies.includes(policyUrn), instance.name);
            }
        });

        it("makes the group wait for the given resources in autoscaling mode", async () => {
            const { resources, policyUrn } = await launchDependencies(FleetMode.AutoScaling);
            assert.ok(onlyOfType(resources, "aws:autoscaling/group:Group").dependencies.includes(policyUrn));
        });
    });

    describe("validation", () => {
        it("rejects a fleet outside the choices and sizes that do not nest, before registering anything", async () => {
            let error: unknown;
            const { resources } = await runUnderMocks(() => {
                try {
                    new ApiCluster("api", { fleet: "asg" as FleetMode, instanceCount: 3, minInstanceCount: 4, maxInstanceCount: 2 });
                } catch (err) {
                    error = err;
                }
                return {};
            });
            assert.ok(error instanceof SettingsError);
            assert.deepStrictEqual(error.problems, [
                'ApiClusterArgs.fleet must be one of instances, autoscaling; got "asg"',
                "ApiClusterArgs.minInstanceCount must be at most instanceCount (3); got 4",
                "ApiClusterArgs.maxInstanceCount must be at least instanceCount (3); got 2",
            ]);
            assert.deepStrictEqual(
                resources.map((r) => r.type),
                ["pulumi:pulumi:Stack"],
            );
        });
    });
});
