/**
 * The deploy role's policy in docs/delivery.md covers what the program creates: every resource
 * type that any stack's offline plan registers (both fleets, with and without a bake) is listed
 * here with the IAM action that creates it, and the policy allows that action. A new resource type
 * fails here until it is listed, and so until the policy is checked for it.
 *
 * And it cannot reach beyond its stack or escalate: roles only with the permissions boundary (whose
 * document is beside it), passed only to EC2 and Image Builder; EC2, load balancer, Auto Scaling,
 * KMS and ACM creates only with the stack's tag in the request (aws:RequestTag/api-cluster:stack),
 * and changes only to resources that carry it (aws:ResourceTag/api-cluster:stack), never on a `*`
 * resource. Which actions take which condition keys: the IAM service authorization reference
 * (Actions, resources and condition keys for Amazon EC2, Elastic Load Balancing V2, Amazon EC2 Auto
 * Scaling, AWS KMS, IAM, ACM, Route 53); the reads it lists without resource types take `*`.
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
    // The zones' record: state the engine keeps (components/network.ts), no AWS call.
    "pulumi:index:Stash": undefined,
    "awsx:ec2:Vpc": "ec2:CreateVpc",
    "aws:acm/certificate:Certificate": "acm:RequestCertificate",
    // No AWS resource: creating it waits on DescribeCertificate until ACM has issued the certificate.
    "aws:acm/certificateValidation:CertificateValidation": "acm:DescribeCertificate",
    "aws:route53/record:Record": "route53:ChangeResourceRecordSets",
    "aws:autoscaling/group:Group": "autoscaling:CreateAutoScalingGroup",
    "aws:autoscaling/policy:Policy": "autoscaling:PutScalingPolicy",
    "aws:cloudwatch/dashboard:Dashboard": "cloudwatch:PutDashboard",
    "aws:cloudwatch/eventRule:EventRule": "events:PutRule",
    "aws:cloudwatch/eventTarget:EventTarget": "events:PutTargets",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "cloudwatch:PutMetricAlarm",
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
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
    "aws:s3/bucketObjectv2:BucketObjectv2": "s3:PutObject",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "s3:PutBucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy": "s3:PutBucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "s3:PutEncryptionConfiguration",
    "aws:sns/topic:Topic": "sns:CreateTopic",
    "aws:sns/topicPolicy:TopicPolicy": "sns:SetTopicAttributes",
    "aws:sns/topicSubscription:TopicSubscription": "sns:Subscribe",
    "aws:ssm/parameter:Parameter": "ssm:PutParameter",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "ec2:AuthorizeSecurityGroupEgress",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "ec2:AuthorizeSecurityGroupIngress",
};

/** Every stack, both fleets, a stack that launches a given AMI instead of baking one, and one with alarm emails. */
const PLANS: { stack: string; config: Record<string, string> }[] = [
    { stack: "dev", config: {} },
    { stack: "dev", config: { "api-cluster:alarmEmails": '["oncall@example.com"]' } },
    { stack: "dev", config: { "api-cluster:fleet": "autoscaling" } },
    { stack: "staging", config: {} },
    { stack: "prod", config: { "api-cluster:amiId": "ami-0123456789abcdef0" } },
];

/** One statement of an IAM policy. */
interface Statement {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document. */
interface PolicyDocument {
    Version: string;
    Statement: Statement[];
}

/** The stack, account and boundary the sketch is written for. */
const STACK = "prod";
const BOUNDARY_ARN = "arn:aws:iam::123456789012:policy/api-cluster-prod-boundary";
const STACK_TAG = "api-cluster:stack";

/** Every JSON block of docs/delivery.md, parsed (a block that does not parse fails here). */
function docJsonBlocks(): PolicyDocument[] {
    const text = fs.readFileSync(path.join(REPO_ROOT, "docs", "delivery.md"), "utf8");
    return [...text.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((match) => JSON.parse(match[1]) as PolicyDocument);
}

/** The policy in docs/delivery.md that has a statement with this Sid. */
function policyWith(sid: string): PolicyDocument {
    const policy = docJsonBlocks().find((document) => document.Statement?.some((statement) => statement.Sid === sid));
    assert.ok(policy, `docs/delivery.md has a policy with the statement ${sid}`);
    return policy;
}

/** The deploy role's policy: the block with the statement `ReadsThatTakeNoResource`. */
function deployPolicy(): PolicyDocument {
    return policyWith("ReadsThatTakeNoResource");
}

/** The permissions boundary: the block with the statement `BoundaryReadsThisStacksPassword`. */
function boundaryPolicy(): PolicyDocument {
    return policyWith("BoundaryReadsThisStacksPassword");
}

const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

/** The Allow actions of the deploy role's policy. */
function deployRoleActions(): string[] {
    return deployPolicy()
        .Statement.filter((statement) => statement.Effect === "Allow")
        .flatMap((statement) => list(statement.Action));
}

/** The Allow statements of the deploy policy that allow `action`. */
function allowing(action: string): Statement[] {
    return deployPolicy().Statement.filter(
        (statement) => statement.Effect === "Allow" && list(statement.Action).some((pattern) => allows(pattern, action)),
    );
}

/** The value a statement's condition requires of a key with StringEquals, or undefined. */
function stringEquals(statement: Statement, key: string): string | string[] | undefined {
    return statement.Condition?.StringEquals?.[key];
}

/** Changes to existing EC2, load balancer and Auto Scaling resources: each must be fenced to the stack's tag. */
const CHANGE_ACTIONS = [
    "ec2:TerminateInstances",
    "ec2:StopInstances",
    "ec2:StartInstances",
    "ec2:RebootInstances",
    "ec2:ModifyInstanceAttribute",
    "ec2:ModifyInstanceMetadataOptions",
    "ec2:DeleteSecurityGroup",
    "ec2:RevokeSecurityGroupIngress",
    "ec2:RevokeSecurityGroupEgress",
    "ec2:ModifySecurityGroupRules",
    "ec2:DeleteVpc",
    "ec2:DeleteSubnet",
    "ec2:DeleteNatGateway",
    "ec2:ReleaseAddress",
    "ec2:DeleteRouteTable",
    "ec2:DeleteLaunchTemplate",
    "ec2:ModifyLaunchTemplate",
    "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:ModifyLoadBalancerAttributes",
    "elasticloadbalancing:DeleteTargetGroup",
    "elasticloadbalancing:ModifyTargetGroup",
    "elasticloadbalancing:RegisterTargets",
    "elasticloadbalancing:DeleteListener",
    "elasticloadbalancing:ModifyListener",
    "autoscaling:UpdateAutoScalingGroup",
    "autoscaling:DeleteAutoScalingGroup",
    "autoscaling:StartInstanceRefresh",
    "autoscaling:TerminateInstanceInAutoScalingGroup",
    "autoscaling:PutScalingPolicy",
    "iam:DeleteRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:DeleteInstanceProfile",
    "iam:AddRoleToInstanceProfile",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "acm:DeleteCertificate",
    "events:DeleteRule",
    "events:PutTargets",
    "events:RemoveTargets",
];

/** Resource types a create names without creating them (the AMI, the default VPC and its subnets, …), which carry no stack tag. */
const REFERENCED_EC2_RESOURCES =
    /^arn:aws:ec2:us-east-1:(123456789012)?:(image|vpc|subnet|key-pair|network-interface|volume|security-group|elastic-ip)\/\*$/;

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

    it("is JSON that parses, with the boundary policy beside the role's policy", () => {
        assert.strictEqual(deployPolicy().Version, "2012-10-17");
        assert.strictEqual(boundaryPolicy().Version, "2012-10-17");
        const sids = deployPolicy().Statement.map((statement) => statement.Sid);
        assert.strictEqual(new Set(sids).size, sids.length, "every statement has its own Sid");
    });

    it("lets the role create and change roles, their inline and managed policies and their boundary only on roles that carry the boundary", () => {
        for (const action of [
            "iam:CreateRole",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
            "iam:PutRolePermissionsBoundary",
        ]) {
            const statements = allowing(action);
            assert.ok(statements.length > 0, `${action} is allowed`);
            for (const statement of statements) {
                assert.strictEqual(stringEquals(statement, "iam:PermissionsBoundary"), BOUNDARY_ARN, `${statement.Sid}: ${action}`);
                assert.ok(!list(statement.Resource).includes("*"), `${statement.Sid}: ${action} on *`);
            }
        }
        assert.strictEqual(stringEquals(allowing("iam:CreateRole")[0], `aws:RequestTag/${STACK_TAG}`), STACK);
        const never = deployPolicy().Statement.find((statement) => statement.Sid === "NeverLiftTheBoundaryOrTheStackTag");
        assert.deepStrictEqual(never && [never.Effect, list(never.Action), list(never.Resource)], [
            "Deny",
            ["iam:DeleteRolePermissionsBoundary", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"],
            ["arn:aws:iam::123456789012:role/api-*", BOUNDARY_ARN],
        ]);
    });

    it("passes only the stack's own roles, and only to EC2 and Image Builder", () => {
        const statements = allowing("iam:PassRole");
        assert.strictEqual(statements.length, 1);
        assert.deepStrictEqual(statements[0].Resource, "arn:aws:iam::123456789012:role/api-*");
        assert.deepStrictEqual(statements[0].Condition, {
            StringEquals: {
                "iam:PassedToService": ["ec2.amazonaws.com", "imagebuilder.amazonaws.com"],
                [`aws:ResourceTag/${STACK_TAG}`]: STACK,
            },
        });
    });

    it("terminates, stops, modifies and deletes only resources tagged with the stack, never on a * resource", () => {
        for (const action of CHANGE_ACTIONS) {
            const statements = allowing(action);
            assert.ok(statements.length > 0, `${action} is allowed`);
            for (const statement of statements) {
                assert.strictEqual(stringEquals(statement, `aws:ResourceTag/${STACK_TAG}`), STACK, `${statement.Sid}: ${action}`);
                assert.ok(!list(statement.Resource).includes("*"), `${statement.Sid}: ${action} on *`);
            }
        }
    });

    it("tags and untags images only with the keep tag, and never removes the stack tag from anything", () => {
        for (const action of ["ec2:CreateTags", "ec2:DeleteTags"]) {
            const onImages = allowing(action).filter((statement) =>
                list(statement.Resource).some((resource) => resource.includes(":image/")),
            );
            assert.deepStrictEqual(
                onImages.map((statement) => [statement.Resource, statement.Condition]),
                [["arn:aws:ec2:us-east-1::image/*", { "ForAllValues:StringEquals": { "aws:TagKeys": ["api-cluster:keep"] } }]],
                action,
            );
            const imageSids = onImages.map((statement) => statement.Sid);
            for (const statement of allowing(action).filter((candidate) => !imageSids.includes(candidate.Sid))) {
                const fence =
                    stringEquals(statement, `aws:ResourceTag/${STACK_TAG}`) ?? stringEquals(statement, `aws:RequestTag/${STACK_TAG}`);
                assert.strictEqual(fence, STACK, `${statement.Sid}: ${action}`);
            }
        }
        const never = deployPolicy().Statement.find((statement) => statement.Sid === "NeverRemoveTheStackTag");
        assert.deepStrictEqual(never && [never.Effect, never.Condition], [
            "Deny",
            { "ForAnyValue:StringEquals": { "aws:TagKeys": [STACK_TAG] } },
        ]);
    });

    it("creates EC2, load balancer, Auto Scaling, KMS and instance profile resources only with the stack's tag in the request", () => {
        const creates = Object.values(CREATING_ACTION).filter(
            // ec2:CreateTags is the keep tag on a promoted AMI, which tags an image the stack did not create.
            (action): action is string =>
                action !== undefined &&
                action !== "ec2:CreateTags" &&
                /^(ec2:(Create|RunInstances|Allocate)|elasticloadbalancing:Create|autoscaling:Create|kms:CreateKey|iam:CreateInstanceProfile)/.test(
                    action,
                ),
        );
        assert.ok(creates.length >= 6, creates.join(", "));
        for (const action of [...creates, "acm:RequestCertificate"]) {
            const statements = allowing(action);
            const tagged = statements.filter((statement) => stringEquals(statement, `aws:RequestTag/${STACK_TAG}`) === STACK);
            assert.ok(tagged.length > 0, `${action} with aws:RequestTag`);
            // Any other statement allowing it is fenced to what the stack already has (the load balancer a
            // listener goes on), or names only what the create references, never what it creates.
            const others = statements.filter(
                (candidate) => !tagged.includes(candidate) && stringEquals(candidate, `aws:ResourceTag/${STACK_TAG}`) !== STACK,
            );
            for (const statement of others) {
                for (const resource of list(statement.Resource)) {
                    assert.match(resource, REFERENCED_EC2_RESOURCES, `${statement.Sid}: ${action}`);
                }
            }
        }
    });

    it("lets events:PutRule, which creates and also updates a rule, create only an untagged one: another stack's rule is changed by no statement", () => {
        // PutRule on an existing rule replaces its pattern and state without touching its tags, so the request's
        // tag alone would let this role rewrite any rule named api-*; the create statement also needs the rule to
        // carry no stack tag yet (Null), and the change statement needs it to carry this stack's.
        const statements = allowing("events:PutRule");
        assert.deepStrictEqual(
            statements.map((statement) => [statement.Sid, statement.Condition]),
            [
                [
                    "RefreshRuleCreatedTaggedWithTheStack",
                    { StringEquals: { [`aws:RequestTag/${STACK_TAG}`]: STACK }, Null: { [`aws:ResourceTag/${STACK_TAG}`]: "true" } },
                ],
                ["RefreshRuleChangesOnlyToTheStacks", { StringEquals: { [`aws:ResourceTag/${STACK_TAG}`]: STACK } }],
            ],
        );
    });

    it("takes * as a resource only for reads, key and certificate requests, service-linked roles and zone lookups", () => {
        const star = deployPolicy()
            .Statement.filter((statement) => statement.Effect === "Allow" && list(statement.Resource).includes("*"))
            .map((statement) => statement.Sid);
        assert.deepStrictEqual(star, [
            "ReadsThatTakeNoResource",
            "KmsKeyCreatedTaggedWithTheStack",
            "RequestOnlyTheApiCertificateByDns",
            "ServiceLinkedRolesOnFirstUse",
            "TlsCertificateTaggedWithTheStack",
            "DnsZoneLookups",
        ]);
        const reads = deployPolicy().Statement.find((statement) => statement.Sid === "ReadsThatTakeNoResource");
        for (const action of list(reads?.Action ?? [])) {
            assert.match(action, /:(Describe|List)/, action);
        }
    });

    it("allows what TLS by name needs: the certificate in ACM and its validation records in the hosted zone", () => {
        for (const action of [
            "acm:RequestCertificate",
            "acm:DescribeCertificate",
            "acm:DeleteCertificate",
            "acm:AddTagsToCertificate",
            "acm:ListTagsForCertificate",
            "route53:ChangeResourceRecordSets",
            "route53:GetChange",
            "route53:ListResourceRecordSets",
            "route53:GetHostedZone",
            "route53:ListHostedZones",
            "route53:ListHostedZonesByName",
        ]) {
            assert.ok(allowing(action).length > 0, action);
        }
        // prod's hosted zone (Pulumi.prod.yaml's hostedZoneId), and in it only the API's A record and its validation CNAMEs.
        assert.deepStrictEqual(
            allowing("route53:ChangeResourceRecordSets").map((statement) => [statement.Resource, statement.Condition]),
            [
                [
                    "arn:aws:route53:::hostedzone/Z2679CB0E4B292D5322E8",
                    {
                        "ForAllValues:StringLike": {
                            "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["api.example.com", "_*.api.example.com"],
                        },
                        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["A", "CNAME"] },
                    },
                ],
            ],
        );
        // A certificate only for the API's name, validated by DNS, tagged with the stack.
        assert.deepStrictEqual(
            allowing("acm:RequestCertificate").map((statement) => statement.Condition),
            [
                {
                    StringEquals: { "acm:ValidationMethod": "DNS", "aws:RequestTag/api-cluster:stack": "prod" },
                    "ForAllValues:StringEquals": { "acm:DomainNames": ["api.example.com"] },
                },
            ],
        );
    });

    it("bounds the program's roles to their stack's password and what the agent, the bake and the lifecycle need", () => {
        const boundary = boundaryPolicy();
        assert.ok(boundary.Statement.every((statement) => statement.Effect === "Allow"));
        const reads = boundary.Statement.filter((statement) => list(statement.Action).some((action) => /^ssm:GetParameter/.test(action)));
        assert.deepStrictEqual(
            reads.map((statement) => [statement.Action, statement.Resource]),
            [["ssm:GetParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/api-cluster/prod/*"]],
        );
        const decrypt = boundary.Statement.filter((statement) => list(statement.Action).includes("kms:Decrypt"));
        assert.deepStrictEqual(
            decrypt.map((statement) => statement.Condition),
            [{ StringEquals: { "kms:ViaService": ["ssm.us-east-1.amazonaws.com", "imagebuilder.us-east-1.amazonaws.com"] } }],
        );
        for (const statement of boundary.Statement) {
            for (const action of list(statement.Action)) {
                assert.doesNotMatch(action, /^(iam|sts|kms:(Create|Put|Encrypt))|^\*$|:\*$/, `${statement.Sid}: ${action}`);
            }
        }
    });

    it("matches action patterns as IAM does", () => {
        assert.ok(allows("autoscaling:*", "autoscaling:CreateAutoScalingGroup"));
        assert.ok(allows("s3:Put*", "s3:PutBucketPolicy"));
        assert.ok(!allows("s3:Put*", "s3:CreateBucket"));
        assert.ok(!allows("ec2:CreateVpc", "ec2:CreateVpcEndpoint"));
    });
});
