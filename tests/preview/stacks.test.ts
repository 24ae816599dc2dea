import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderResult } from "../../preview/cli";
import { OfflinePreviewResult, PROJECT_DIR, offlinePreview } from "../../preview/offlinePreview";
import { SECRET_DISPLAY } from "../../preview/plan";
import { SECRET_PLACEHOLDER, listStacks } from "../../cli/stackFiles";
import { AUTOSCALING_MONITORING, MONITORING, sumCounts } from "../support/clusterCounts";
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

/** Resources of the load balancer and security groups, in every stack, and the record of the zones chosen (a Stash). */
const LOAD_BALANCER = {
    "pulumi:index:Stash": 1,
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

/**
 * TLS by name (staging and prod): the certificate, its validation record and validation, the alias
 * record, the redirect listener on 80 and its ingress rule, on top of LOAD_BALANCER.
 */
const TLS_BY_NAME = {
    "aws:acm/certificate:Certificate": 1,
    "aws:acm/certificateValidation:CertificateValidation": 1,
    "aws:lb/listener:Listener": 1,
    "aws:route53/record:Record": 2,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
};

/** A listener as [port, protocol, default action types], the way the TLS test compares them. */
type ListenerShape = [number, string, string[]];

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
    /** The listeners, sorted by port. */
    listeners: ListenerShape[];
    /** The url output. */
    url: string | RegExp;
}

/** The lesson's one listener: plain HTTP on 8082, forwarding. */
const LESSON_LISTENERS: ListenerShape[] = [[8082, "HTTP", ["forward"]]];
/** TLS: plain HTTP on 80 only redirects; HTTPS on 443 forwards. */
const TLS_LISTENERS: ListenerShape[] = [
    [80, "HTTP", ["redirect"]],
    [443, "HTTPS", ["forward"]],
];
/** The lesson's url: the load balancer's name on 8082. */
const LESSON_URL = /^http:\/\/api-alb-[0-9a-f]{7}-\d+\.us-east-1\.elb\.amazonaws\.com:8082$/;

/** What each stack file must plan. */
const EXPECTED: Record<string, Expected> = {
    dev: {
        counts: sumCounts(BAKE_AND_CREDENTIAL, instancesFleet(2), MONITORING),
        zones: ["us-east-1a", "us-east-1b"],
        deletionProtection: false,
        instanceType: "t3.micro",
        listeners: LESSON_LISTENERS,
        url: LESSON_URL,
    },
    staging: {
        counts: sumCounts(BAKE_AND_CREDENTIAL, AUTOSCALING_FLEET, MONITORING, AUTOSCALING_MONITORING, TLS_BY_NAME, { "awsx:ec2:Vpc": 1 }),
        zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
        deletionProtection: true,
        instanceType: "t3.small",
        groupSizes: [3, 3, 6],
        listeners: TLS_LISTENERS,
        url: "https://api.staging.example.com",
    },
    prod: {
        counts: sumCounts(BAKE_AND_CREDENTIAL, AUTOSCALING_FLEET, MONITORING, AUTOSCALING_MONITORING, TLS_BY_NAME, { "awsx:ec2:Vpc": 1 }),
        zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
        deletionProtection: true,
        instanceType: "t3.medium",
        groupSizes: [3, 3, 6],
        listeners: TLS_LISTENERS,
        url: "https://api.example.com",
    },
};

/** Stack files previewed with overrides: dev with the autoscaling fleet. */
const VARIANTS: Record<string, Expected & { stack: string }> = {
    "dev with --config api-cluster:fleet=autoscaling": {
        stack: "dev",
        config: { "api-cluster:fleet": "autoscaling" },
        counts: sumCounts(BAKE_AND_CREDENTIAL, AUTOSCALING_FLEET, MONITORING, AUTOSCALING_MONITORING),
        zones: ["us-east-1a", "us-east-1b"],
        deletionProtection: false,
        instanceType: "t3.micro",
        groupSizes: [2, 2, 4],
        listeners: LESSON_LISTENERS,
        url: LESSON_URL,
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

/** Each stack's policy group config, from policy-pack/policyGroups.json (tests/policies/policyGroups.test.ts). */
const POLICY_GROUP_CONFIGS: Record<string, string> = Object.fromEntries(
    Object.values(
        JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policy-pack", "policyGroups.json"), "utf8")) as Record<
            string,
            { stacks: string[]; config: string }
        >,
    ).flatMap((group) => group.stacks.map((stack) => [stack, group.config])),
);

/**
 * The policy verdicts of each stack, as the README shows them: dev keeps the lesson's plain HTTP
 * listener, which the TLS policy reports as advisory in the development group; staging and prod listen
 * on HTTPS and only redirect plain HTTP, so they pass with TLS mandatory.
 */
const POLICY_VERDICTS: Record<string, [string, string, string][]> = {
    dev: [["alb-listener-redirects-http-to-https", "advisory", "api-listener"]],
};

describe("the offline preview of each stack file", () => {
    it("covers the package's three stack files by name; any other stack file is the user's, previewed by preview:all", () => {
        const stacks = listStacks(PROJECT_DIR);
        assert.deepStrictEqual(
            Object.keys(EXPECTED).filter((stack) => !stacks.includes(stack)),
            [],
            "a package stack without its Pulumi.<stack>.yaml",
        );
        assert.deepStrictEqual(Object.keys(EXPECTED), ["dev", "staging", "prod"]);
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
                    policyConfigFile: path.join(PROJECT_DIR, "policy-pack", POLICY_GROUP_CONFIGS[expected.stack]),
                });
            });

            it("plans exactly the expected resources by type", () => {
                assert.deepStrictEqual(counts(result), expected.counts);
                assert.deepStrictEqual(result.plan.changeSummary, { create: result.plan.steps.length });
            });

            it(`gets the verdicts its policy group's config gives: ${JSON.stringify(POLICY_VERDICTS[expected.stack] ?? [])}`, () => {
                assert.deepStrictEqual(
                    result.policyViolations.map((v) => [v.policyName, v.enforcementLevel, v.urn.split("::").pop()]),
                    POLICY_VERDICTS[expected.stack] ?? [],
                );
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

            it(`listens as ${expected.listeners.map(([port, protocol, actions]) => `${protocol} ${port} ${actions.join("+")}`).join(", ")}: no plain HTTP listener forwards unless the stack has no TLS`, () => {
                const listeners = inputsOf(result, "aws:lb/listener:Listener")
                    .map((listener): ListenerShape => [
                        listener.port as number,
                        listener.protocol as string,
                        (listener.defaultActions as { type: string }[]).map((action) => action.type),
                    ])
                    .sort(([a], [b]) => a - b);
                assert.deepStrictEqual(listeners, expected.listeners);
                if (typeof expected.url === "string") {
                    assert.strictEqual(result.plan.outputs.url, expected.url);
                } else {
                    assert.match(String(result.plan.outputs.url), expected.url);
                }
            });

            it("plans the alarms, the topic, the access log bucket and the dashboard, and outputs where they are", () => {
                const outputs = result.plan.outputs;
                const prefix = `api-cluster-${expected.stack}-api`;
                const topic = `arn:aws:sns:us-east-1:123456789012:${prefix}-alarms`;
                const loadBalancer = String(outputs.loadBalancerArn).split(":loadbalancer/")[1];
                const targetGroup = String(outputs.targetGroupArn).split(":").pop();
                const minimum = expected.groupSizes?.[0] ?? (outputs.instances as unknown[]).length;
                const alarms = inputsOf(result, "aws:cloudwatch/metricAlarm:MetricAlarm")
                    .map((alarm) => [
                        alarm.name,
                        alarm.namespace ?? "metric math",
                        alarm.metricName ?? (alarm.metricQueries as { id: string }[]).map((query) => query.id).join(","),
                        alarm.statistic ?? alarm.extendedStatistic ?? null,
                        alarm.dimensions ?? null,
                        alarm.comparisonOperator,
                        alarm.threshold,
                        alarm.alarmActions,
                        alarm.okActions,
                    ])
                    .sort(([a], [b]) => String(a).localeCompare(String(b)));
                const targets = { TargetGroup: targetGroup, LoadBalancer: loadBalancer };
                const expectedAlarms = [
                    [
                        `${prefix}-5xx-rate`,
                        "metric math",
                        "targetErrors,balancerErrors,requests,rate",
                        null,
                        null,
                        "GreaterThanThreshold",
                        5,
                    ],
                    [`${prefix}-healthy-hosts`, "AWS/ApplicationELB", "HealthyHostCount", "Minimum", targets, "LessThanThreshold", minimum],
                    ...(expected.groupSizes === undefined
                        ? []
                        : [
                              [
                                  `${prefix}-in-service-instances`,
                                  "AWS/AutoScaling",
                                  "GroupInServiceInstances",
                                  "Minimum",
                                  { AutoScalingGroupName: outputs.autoScalingGroupName },
                                  "LessThanThreshold",
                                  minimum,
                              ],
                          ]),
                    [
                        `${prefix}-latency-p99`,
                        "AWS/ApplicationELB",
                        "TargetResponseTime",
                        "p99",
                        { LoadBalancer: loadBalancer },
                        "GreaterThanThreshold",
                        1,
                    ],
                    [
                        `${prefix}-unhealthy-hosts`,
                        "AWS/ApplicationELB",
                        "UnHealthyHostCount",
                        "Maximum",
                        targets,
                        "GreaterThanOrEqualToThreshold",
                        1,
                    ],
                ].map((alarm) => [...alarm, [topic], [topic]]);
                assert.deepStrictEqual(alarms, expectedAlarms);
                assert.strictEqual(outputs.alarmTopicArn, topic);
                const [topicInputs] = inputsOf(result, "aws:sns/topic:Topic");
                assert.strictEqual(topicInputs.name, `${prefix}-alarms`);
                assert.match(String(topicInputs.kmsMasterKeyId), /^arn:aws:kms:us-east-1:123456789012:key\//);
                assert.strictEqual(
                    inputsOf(result, "aws:cloudwatch/eventRule:EventRule").length,
                    expected.groupSizes === undefined ? 0 : 1,
                );

                const bucket = String(outputs.accessLogBucketName);
                assert.match(bucket, /^api-access-logs-[0-9a-f]{7}$/);
                const [lb] = inputsOf(result, "aws:lb/loadBalancer:LoadBalancer");
                assert.deepStrictEqual(lb.accessLogs, { bucket, enabled: true });
                const logBucket = result.plan.steps.find((step) => step.urn.endsWith("::api-access-logs"));
                assert.deepStrictEqual(logBucket?.newState.inputs, {
                    forceDestroy: !expected.deletionProtection,
                    tags: { "api-cluster:stack": expected.stack },
                });
                const [policy] = inputsOf(result, "aws:s3/bucketPolicy:BucketPolicy").filter((inputs) => inputs.bucket === bucket);
                assert.deepStrictEqual(JSON.parse(String(policy.policy)).Statement[0], {
                    Sid: "LoadBalancerWritesAccessLogs",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::127311923021:root" },
                    Action: "s3:PutObject",
                    Resource: `arn:aws:s3:::${bucket}/AWSLogs/123456789012/*`,
                });
                assert.deepStrictEqual(inputsOf(result, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"), [
                    {
                        bucket,
                        rules: [{ id: "expire-access-logs", status: "Enabled", filter: { prefix: "AWSLogs/" }, expiration: { days: 30 } }],
                    },
                ]);

                const [dashboard] = inputsOf(result, "aws:cloudwatch/dashboard:Dashboard");
                const widgets = (
                    JSON.parse(String(dashboard.dashboardBody)) as { widgets: { properties: { title: string; metrics: unknown[] } }[] }
                ).widgets;
                assert.deepStrictEqual(
                    widgets.map((widget) => [widget.properties.title, widget.properties.metrics.length]),
                    [
                        ["Requests", 1],
                        ["5xx responses", 2],
                        ["Target response time p50 / p99 (seconds)", 2],
                        ["Healthy hosts per zone", expected.zones.length],
                        ["Unhealthy hosts per zone", expected.zones.length],
                        ...(expected.groupSizes === undefined ? [] : [["Auto Scaling group: in service and desired", 2]]),
                    ],
                );
                assert.strictEqual(
                    outputs.dashboardUrl,
                    `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/${prefix}`,
                );
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
        let dir: string;
        // Made in before(), not when the file loads: a run whose --grep selects none of these tests runs
        // neither hook, and a folder made at load time was left behind.
        after(() => fs.rmSync(dir, { recursive: true, force: true }));
        before(async () => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-secret-"));
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
