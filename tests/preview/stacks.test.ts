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
    "aws:iam/rolePolicy:RolePolicy": 2,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 4,
    "aws:imagebuilder/component:Component": 1,
    "aws:imagebuilder/image:Image": 1,
    "aws:imagebuilder/imageRecipe:ImageRecipe": 1,
    "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration": 1,
    "aws:imagebuilder/lifecyclePolicy:LifecyclePolicy": 1,
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

/** Resources of the cluster itself for `instances` instances. */
function cluster(instances: number): Record<string, number> {
    return {
        "api-cluster:index:ApiCluster": 1,
        "aws:ec2/instance:Instance": instances,
        "aws:ec2/securityGroup:SecurityGroup": 2,
        "aws:lb/listener:Listener": 1,
        "aws:lb/loadBalancer:LoadBalancer": 1,
        "aws:lb/targetGroup:TargetGroup": 1,
        "aws:lb/targetGroupAttachment:TargetGroupAttachment": instances,
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 2,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 2,
        "pulumi:pulumi:Stack": 1,
    };
}

/** What each stack file must plan. */
const EXPECTED: Record<string, { counts: Record<string, number>; zones: string[]; deletionProtection: boolean; instanceType: string }> = {
    dev: {
        counts: sum(BAKE_AND_CREDENTIAL, cluster(2)),
        zones: ["us-east-1a", "us-east-1b"],
        deletionProtection: false,
        instanceType: "t3.micro",
    },
    staging: {
        counts: sum(BAKE_AND_CREDENTIAL, cluster(3), { "awsx:ec2:Vpc": 1 }),
        zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
        deletionProtection: true,
        instanceType: "t3.small",
    },
    prod: {
        counts: sum(BAKE_AND_CREDENTIAL, cluster(3), { "awsx:ec2:Vpc": 1 }),
        zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
        deletionProtection: true,
        instanceType: "t3.medium",
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

    for (const [stack, expected] of Object.entries(EXPECTED)) {
        describe(stack, () => {
            let result: OfflinePreviewResult;
            before(async () => {
                result = await offlinePreview({ stack, policyConfigFile: path.join(PROJECT_DIR, "policy-pack", "config.json") });
            });

            it("plans exactly the expected resources by type", () => {
                assert.deepStrictEqual(counts(result), expected.counts);
                assert.deepStrictEqual(result.plan.changeSummary, { create: result.plan.steps.length });
            });

            it("passes every policy of the pack", () => {
                assert.deepStrictEqual(result.policyViolations, []);
            });

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

            it("sets deletion protection as the stack file says", () => {
                const [lb] = inputsOf(result, "aws:lb/loadBalancer:LoadBalancer");
                assert.strictEqual(lb.enableDeletionProtection, expected.deletionProtection);
                assert.strictEqual((lb.subnets as string[]).length, expected.zones.length);
            });
        });
    }

    describe("a secure value", () => {
        let result: OfflinePreviewResult;
        before(async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-secret-"));
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
