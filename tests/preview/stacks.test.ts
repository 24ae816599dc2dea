import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderResult } from "../../preview/cli";
import { OfflinePreviewResult, PROJECT_DIR, offlinePreview } from "../../preview/offlinePreview";
import { SECRET_DISPLAY } from "../../preview/plan";
import { SECRET_PLACEHOLDER, listStacks } from "../../preview/stackFiles";
import { countByType } from "../support/resources";

/** Resources of the AMI bake (its security group, rule and lifecycle policy included) and the admin credential (Session Manager on), in every stack that bakes. */
const BAKE_AND_CREDENTIAL = {
    "api-cluster:credentials:AdminCredential": 1,
    "api-cluster:image:ApiImage": 1,
    "aws:ec2/securityGroup:SecurityGroup": 1,
    "aws:iam/instanceProfile:InstanceProfile": 2,
    "aws:iam/role:Role": 3,
    "aws:iam/rolePolicy:RolePolicy": 4,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 2,
    "aws:imagebuilder/component:Component": 1,
    "aws:imagebuilder/image:Image": 1,
    "aws:imagebuilder/imageRecipe:ImageRecipe": 1,
    "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration": 1,
    "aws:imagebuilder/lifecyclePolicy:LifecyclePolicy": 1,
    "aws:kms/key:Key": 1,
    "aws:s3/bucket:Bucket": 1,
    "aws:s3/bucketObjectv2:BucketObjectv2": 1,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
    "aws:s3/bucketPolicy:BucketPolicy": 1,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
    "aws:ssm/parameter:Parameter": 1,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 1,
    "random:index/randomPassword:RandomPassword": 1,
};

/** The sum of resource counts by type. */
function sum(...parts: Record<string, number>[]): Record<string, number> {
    const total: Record<string, number> = {};
    for (const part of parts) {
        for (const [type, count] of Object.entries(part)) {
            total[type] = (total[type] ?? 0) + count;
        }
    }
    return Object.fromEntries(Object.entries(total).sort(([a], [b]) => a.localeCompare(b)));
}

/** Resources of the load balancer and security groups, in every stack. */
const LOAD_BALANCER = {
    "api-cluster:index:ApiCluster": 1,
    "aws:ec2/securityGroup:SecurityGroup": 2,
    "aws:lb/listener:Listener": 1,
    "aws:lb/loadBalancer:LoadBalancer": 1,
    "aws:lb/targetGroup:TargetGroup": 1,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 2,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 2,
    "pulumi:pulumi:Stack": 1,
};

/** Resources of the cluster itself with fleet `instances` of `instances` instances. */
function instancesFleet(instances: number): Record<string, number> {
    return {
        ...LOAD_BALANCER,
        "aws:ec2/instance:Instance": instances,
        "aws:lb/targetGroupAttachment:TargetGroupAttachment": instances,
    };
}

/** Resources of the cluster itself with fleet `autoscaling`, whatever its size: no instance, no attachment. */
const AUTOSCALING_FLEET = {
    ...LOAD_BALANCER,
    "aws:autoscaling/group:Group": 1,
    "aws:autoscaling/policy:Policy": 1,
    "aws:ec2/launchTemplate:LaunchTemplate": 1,
};

/** What a stack must plan. */
interface Expected {
    /** Planned resources by type. */
    counts: Record<string, number>;
    /** The zones the load balancer, and the instances or the group, span. */
    zones: string[];
    deletionProtection: boolean;
    instanceType: string;
    /** The Auto Scaling group's min, desired and max sizes; undefined with fleet `instances`. */
    groupSizes?: [number, number, number];
    /** Config overrides, as `--config key=value`. */
    config?: Record<string, string>;
}

/** What each stack file must plan. */
const EXPECTED: Record<string, Expected> = {
    dev: {
        counts: sum(BAKE_AND_CREDENTIAL, instancesFleet(2)),
        zones: ["us-east-1a", "us-east-1b"],
        deletionProtection: false,
        instanceType: "t3.micro",
    },
    staging: {
        counts: sum(BAKE_AND_CREDENTIAL, AUTOSCALING_FLEET, { "awsx:ec2:Vpc": 1 }),
        zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
        deletionProtection: true,
        instanceType: "t3.small",
        groupSizes: [3, 3, 6],
    },
    prod: {
        counts: sum(BAKE_AND_CREDENTIAL, AUTOSCALING_FLEET, { "awsx:ec2:Vpc": 1 }),
        zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
        deletionProtection: true,
        instanceType: "t3.medium",
        groupSizes: [3, 3, 6],
    },
};

/** Stack files previewed with overrides: dev with the autoscaling fleet. */
const VARIANTS: Record<string, Expected & { stack: string }> = {
    "dev with --config api-cluster:fleet=autoscaling": {
        stack: "dev",
        config: { "api-cluster:fleet": "autoscaling" },
        counts: sum(BAKE_AND_CREDENTIAL, AUTOSCALING_FLEET),
        zones: ["us-east-1a", "us-east-1b"],
        deletionProtection: false,
        instanceType: "t3.micro",
        groupSizes: [2, 2, 4],
    },
};

/** Count of planned resources by type. */
function counts(result: OfflinePreviewResult): Record<string, number> {
    return countByType(result.plan.steps.map((step) => step.newState));
}

/** Inputs of every planned resource of `type`. */
function inputsOf(result: OfflinePreviewResult, type: string): Record<string, unknown>[] {
    return result.plan.steps.filter((step) => step.newState.type === type).map((step) => step.newState.inputs);
}

describe("the offline preview of each stack file", () => {
    it("covers exactly the stack files in the repository", () => {
        assert.deepStrictEqual(listStacks(PROJECT_DIR), Object.keys(EXPECTED).sort());
    });

    const cases = [
        ...Object.entries(EXPECTED).map(([stack, expected]) => [stack, { ...expected, stack }] as const),
        ...Object.entries(VARIANTS),
    ];
    for (const [title, expected] of cases) {
        describe(title, () => {
            let result: OfflinePreviewResult;
            before(async () => {
                result = await offlinePreview({
                    stack: expected.stack,
                    configOverrides: expected.config,
                    policyConfigFile: path.join(PROJECT_DIR, "policy-pack", "config.json"),
                });
            });

            it("plans exactly the expected resources by type", () => {
                assert.deepStrictEqual(counts(result), expected.counts);
                assert.deepStrictEqual(result.plan.changeSummary, { create: result.plan.steps.length });
            });

            it("passes every policy of the pack", () => {
                assert.deepStrictEqual(result.policyViolations, []);
            });

            if (expected.groupSizes === undefined) {
                it("spreads its instances one per zone, from the baked image", () => {
                    const instances = result.plan.outputs.instances as { availabilityZone: string }[];
                    assert.deepStrictEqual(
                        instances.map((instance) => instance.availabilityZone),
                        expected.zones.slice(0, instances.length),
                    );
                    for (const instance of inputsOf(result, "aws:ec2/instance:Instance")) {
                        assert.strictEqual(instance.instanceType, expected.instanceType);
                        assert.strictEqual(instance.ami, result.plan.outputs.imageId);
                    }
                });
            } else {
                const [min, desired, max] = expected.groupSizes;
                it(`runs a group of ${min} to ${max} (${desired} desired) across every zone, from a template of the baked image`, () => {
                    const [template] = inputsOf(result, "aws:ec2/launchTemplate:LaunchTemplate");
                    assert.strictEqual(template.instanceType, expected.instanceType);
                    assert.strictEqual(template.imageId, result.plan.outputs.imageId);
                    const [group] = inputsOf(result, "aws:autoscaling/group:Group");
                    assert.deepStrictEqual([group.minSize, group.desiredCapacity, group.maxSize], expected.groupSizes);
                    assert.strictEqual(group.healthCheckType, "ELB");
                    assert.deepStrictEqual(group.targetGroupArns, [result.plan.outputs.targetGroupArn]);
                    const groupSubnets = group.vpcZoneIdentifiers as string[];
                    const [lb] = inputsOf(result, "aws:lb/loadBalancer:LoadBalancer");
                    assert.strictEqual(new Set(groupSubnets).size, expected.zones.length);
                    if (expected.stack === "dev") {
                        // The default VPC: the instances share the load balancer's default subnets.
                        assert.deepStrictEqual(groupSubnets, lb.subnets);
                    } else {
                        // A dedicated VPC: the instances sit in the private subnets, none of the load balancer's public ones.
                        assert.deepStrictEqual(
                            groupSubnets.filter((subnet) => (lb.subnets as string[]).includes(subnet)),
                            [],
                        );
                    }
                    assert.deepStrictEqual(result.plan.outputs.instances, []);
                    assert.match(String(result.plan.outputs.autoScalingGroupName), /^api-group-[0-9a-f]{7}$/);
                    assert.match(String(result.plan.outputs.launchTemplateId), /^lt-[0-9a-f]{17}$/);
                });
            }

            it("sets deletion protection as the stack file says", () => {
                const [lb] = inputsOf(result, "aws:lb/loadBalancer:LoadBalancer");
                assert.strictEqual(lb.enableDeletionProtection, expected.deletionProtection);
                assert.strictEqual((lb.subnets as string[]).length, expected.zones.length);
            });
        });
    }

    describe("a secure value", () => {
        let result: OfflinePreviewResult;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-secret-"));
        after(() => fs.rmSync(dir, { recursive: true, force: true }));
        before(async () => {
            fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
            fs.writeFileSync(
                path.join(dir, "Pulumi.secret.yaml"),
                "config:\n  api-cluster:adminPassword:\n    secure: v1:c2VjcmV0:bm90IHJlYWxseSBlbmNyeXB0ZWQ=\n",
            );
            result = await offlinePreview({ stack: "secret", projectDir: dir, program: path.join(PROJECT_DIR, "index.ts") });
        });

        it("is replaced by a placeholder that stays secret in the plan", () => {
            assert.deepStrictEqual(result.placeholderKeys, ["api-cluster:adminPassword"]);
            const [parameter] = inputsOf(result, "aws:ssm/parameter:Parameter");
            assert.strictEqual(parameter.value, SECRET_DISPLAY);
            assert.strictEqual(JSON.stringify(result.plan).includes(SECRET_PLACEHOLDER), false);
            assert.strictEqual(counts(result)["random:index/randomPassword:RandomPassword"], undefined);
        });

        it("is announced in the human output", () => {
            assert.match(
                renderResult(result),
                /^note: api-cluster:adminPassword is a secure value that cannot be decrypted offline; a placeholder stands in for it, still marked secret$/m,
            );
        });
    });
});
