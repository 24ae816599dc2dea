/**
 * The deploy role's policy sketch in docs/delivery.md covers what the program creates: every
 * resource type that any stack's offline plan registers (both fleets, with and without a bake) is
 * listed here with the IAM action that creates it, and the policy allows that action. A new
 * resource type fails here until it is listed, and so until the sketch is checked for it.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { offlinePreview } from "../../preview/offlinePreview";
import { REPO_ROOT } from "./workflowFiles";

/** The IAM action that creates each resource type; undefined for types AWS never sees. */
const CREATING_ACTION: Record<string, string | undefined> = {
    "pulumi:pulumi:Stack": undefined,
    "api-cluster:index:ApiCluster": undefined,
    "api-cluster:credentials:AdminCredential": undefined,
    "api-cluster:image:ApiImage": undefined,
    "random:index/randomPassword:RandomPassword": undefined,
    "awsx:ec2:Vpc": "ec2:CreateVpc",
    "aws:autoscaling/group:Group": "autoscaling:CreateAutoScalingGroup",
    "aws:autoscaling/policy:Policy": "autoscaling:PutScalingPolicy",
    "aws:ec2/instance:Instance": "ec2:RunInstances",
    "aws:ec2/launchTemplate:LaunchTemplate": "ec2:CreateLaunchTemplate",
    "aws:ec2/securityGroup:SecurityGroup": "ec2:CreateSecurityGroup",
    "aws:ec2/tag:Tag": "ec2:CreateTags",
    "aws:iam/instanceProfile:InstanceProfile": "iam:CreateInstanceProfile",
    "aws:iam/role:Role": "iam:CreateRole",
    "aws:iam/rolePolicy:RolePolicy": "iam:PutRolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "iam:AttachRolePolicy",
    "aws:imagebuilder/component:Component": "imagebuilder:CreateComponent",
    "aws:imagebuilder/image:Image": "imagebuilder:CreateImage",
    "aws:imagebuilder/imageRecipe:ImageRecipe": "imagebuilder:CreateImageRecipe",
    "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration": "imagebuilder:CreateInfrastructureConfiguration",
    "aws:imagebuilder/lifecyclePolicy:LifecyclePolicy": "imagebuilder:CreateLifecyclePolicy",
    "aws:kms/key:Key": "kms:CreateKey",
    "aws:lb/listener:Listener": "elasticloadbalancing:CreateListener",
    "aws:lb/loadBalancer:LoadBalancer": "elasticloadbalancing:CreateLoadBalancer",
    "aws:lb/targetGroup:TargetGroup": "elasticloadbalancing:CreateTargetGroup",
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": "elasticloadbalancing:RegisterTargets",
    "aws:s3/bucket:Bucket": "s3:CreateBucket",
    "aws:s3/bucketObjectv2:BucketObjectv2": "s3:PutObject",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "s3:PutBucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy": "s3:PutBucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "s3:PutEncryptionConfiguration",
    "aws:ssm/parameter:Parameter": "ssm:PutParameter",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "ec2:AuthorizeSecurityGroupEgress",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "ec2:AuthorizeSecurityGroupIngress",
};

/** Every stack, both fleets, and a stack that launches a given AMI instead of baking one. */
const PLANS: { stack: string; config: Record<string, string> }[] = [
    { stack: "dev", config: {} },
    { stack: "dev", config: { "api-cluster:fleet": "autoscaling" } },
    { stack: "staging", config: {} },
    { stack: "prod", config: { "api-cluster:amiId": "ami-0123456789abcdef0" } },
];

/** The Allow actions of the deploy role's policy: the JSON block in docs/delivery.md with the statement `Ec2InTheStackRegion`. */
function deployRoleActions(): string[] {
    const text = fs.readFileSync(path.join(REPO_ROOT, "docs", "delivery.md"), "utf8");
    const blocks = [...text.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map(
        (match) => JSON.parse(match[1]) as { Statement: { Sid?: string; Effect: string; Action: string | string[] }[] },
    );
    const policy = blocks.find((document) => document.Statement.some((statement) => statement.Sid === "Ec2InTheStackRegion"));
    assert.ok(policy, "docs/delivery.md has the deploy role's policy");
    return policy.Statement.filter((statement) => statement.Effect === "Allow").flatMap((statement) =>
        Array.isArray(statement.Action) ? statement.Action : [statement.Action],
    );
}

/** Whether an IAM action pattern (`ec2:Create*`, `autoscaling:*`) matches an action, case-insensitively as IAM does. */
function allows(pattern: string, action: string): boolean {
    const regex = new RegExp(
        `^${pattern
            .split("*")
            .map((part) => part.replace(/[.?+^$()[\]{}|\\]/g, "\\$&"))
            .join(".*")}$`,
        "i",
    );
    return regex.test(action);
}

describe("the deploy role's policy in docs/delivery.md", function () {
    let planned: string[];

    before(async () => {
        const types = new Set<string>();
        for (const { stack, config } of PLANS) {
            const result = await offlinePreview({ stack, configOverrides: config });
            result.plan.steps.forEach((step) => types.add(step.newState.type));
        }
        planned = [...types].sort();
    });

    it("knows the creating action of every resource type the stacks plan, and of no other", () => {
        assert.deepStrictEqual(planned, Object.keys(CREATING_ACTION).sort());
    });

    it("allows each of those actions", () => {
        const actions = deployRoleActions();
        const missing = Object.values(CREATING_ACTION).filter(
            (action): action is string => action !== undefined && !actions.some((pattern) => allows(pattern, action)),
        );
        assert.deepStrictEqual(missing, []);
    });

    it("matches action patterns as IAM does", () => {
        assert.ok(allows("autoscaling:*", "autoscaling:CreateAutoScalingGroup"));
        assert.ok(allows("s3:Put*", "s3:PutBucketPolicy"));
        assert.ok(!allows("s3:Put*", "s3:CreateBucket"));
        assert.ok(!allows("ec2:CreateVpc", "ec2:CreateVpcEndpoint"));
    });
});
