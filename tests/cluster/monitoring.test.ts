/**
 * The cluster's monitoring as planned under the offline mocks (components/monitoring): the alarms with
 * their exact metric, statistic, dimensions, threshold and actions; the alarm topic, its key and policy;
 * the access log bucket with its policy and lifecycle and the load balancer's accessLogs; the dashboard's
 * exact widgets; the outputs.
 *
 * What the provider does (node_modules/@pulumi/aws/*.d.ts and the AWS docs): a MetricAlarm is one
 * PutMetricAlarm, updated in place on every change but its name; a metric-math alarm sets
 * metricQueries and no metricName, namespace or statistic (AWS refuses both at once). An SNS topic's
 * kmsMasterKeyId and policy update in place; a new name replaces it. A Dashboard's body updates in
 * place (PutDashboard overwrites). S3 sub-resources (encryption, public access block, ownership,
 * lifecycle, policy) each update in place; ELB refuses to turn access logs on until the bucket policy
 * lets it write, hence the load balancer's dependency on the policy. An email subscription stays
 * pending until confirmed; Pulumi's state then holds "pending confirmation".
 */
import * as assert from "assert";
import { ApiCluster, ApiClusterArgs } from "../../components/apiCluster";
import { FleetMode } from "../../components/config/schema";
import { KEY_ADMINISTRATION_ACTIONS } from "../../components/credentials/adminCredential";
import { GROUP_METRICS } from "../../components/fleet/autoScalingFleet";
import { SERVER_ERROR_RATE_EXPRESSION } from "../../components/monitoring/alarms";
import { emailSubscriptionName } from "../../components/monitoring/alarmTopic";
import { LOG_DELIVERY_SERVICE_PRINCIPAL } from "../../components/monitoring/logDelivery";
import { REFRESH_FAILED_DETAIL_TYPES } from "../../components/monitoring/refreshFailure";
import { MAX_COMPONENT_NAME_LENGTH } from "../../components/naming";
import { STACK_TAG_KEY } from "../../components/stackTag";
import { OFFLINE_DEPLOYER_ROLE } from "../../preview/mocks";
import { runUnderMocks } from "../../preview/runUnderMocks";
import { named, ofType, onlyOfType } from "../support/resources";

const AMI = "ami-0123456789abcdef0";
const ACCOUNT = "123456789012";
const DEV_TAGS = { [STACK_TAG_KEY]: "dev" };
const PREFIX = "api-cluster-dev-api";

/** Builds one cluster under the offline mocks in `region`. */
function build(args: ApiClusterArgs = {}, region = "us-east-1") {
    return runUnderMocks(
        () => {
            const cluster = new ApiCluster("api", { amiId: AMI, ...args });
            return {
                alarmTopicArn: cluster.alarmTopicArn,
                dashboardUrl: cluster.dashboardUrl,
                accessLogBucketName: cluster.accessLogBucketName,
                loadBalancerArn: cluster.loadBalancerArn,
                targetGroupArn: cluster.targetGroupArn,
                autoScalingGroupName: cluster.autoScalingGroupName,
            };
        },
        { stack: "dev", config: { "aws:region": region } },
    );
}

/** The CloudWatch dimension values of the load balancer and target group, from their ARNs. */
function suffixes(outputs: { loadBalancerArn: string; targetGroupArn: string }) {
    return {
        loadBalancer: outputs.loadBalancerArn.split(":loadbalancer/")[1],
        targetGroup: outputs.targetGroupArn.split(":").pop() as string,
    };
}

describe("monitoring", () => {
    describe("alarms with fleet instances", () => {
        it("plans the four alarms, each with its exact metric, statistic, dimensions, threshold and both actions", async () => {
            const { resources, outputs } = await build({ instanceCount: 3 });
            const { loadBalancer, targetGroup } = suffixes(outputs);
            const topic = [outputs.alarmTopicArn];
            const periods = { period: 60, evaluationPeriods: 3, datapointsToAlarm: 3, alarmActions: topic, okActions: topic };
            assert.deepStrictEqual(
                // Registration order follows when each alarm's inputs resolve: compared in name order.
                ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm")
                    .map((alarm) => [alarm.name, alarm.inputs])
                    .sort(([a], [b]) => String(a).localeCompare(String(b))),
                [
                    [
                        "api-5xx-rate",
                        {
                            evaluationPeriods: 3,
                            datapointsToAlarm: 3,
                            alarmActions: topic,
                            okActions: topic,
                            name: `${PREFIX}-5xx-rate`,
                            alarmDescription: "More than 5% of requests got a 5xx for 3 minutes. See docs/operations.md#5xx-rate.",
                            metricQueries: [
                                ["targetErrors", "HTTPCode_Target_5XX_Count"],
                                ["balancerErrors", "HTTPCode_ELB_5XX_Count"],
                                ["requests", "RequestCount"],
                            ]
                                .map(([id, metricName]) => ({
                                    id,
                                    returnData: false,
                                    metric: {
                                        namespace: "AWS/ApplicationELB",
                                        metricName,
                                        stat: "Sum",
                                        period: 60,
                                        dimensions: { LoadBalancer: loadBalancer },
                                    },
                                }))
                                .concat([
                                    {
                                        id: "rate",
                                        label: "5xx % of requests",
                                        expression: "(FILL(targetErrors, 0) + FILL(balancerErrors, 0)) / FILL(requests, 1) * 100",
                                        returnData: true,
                                    } as never,
                                ]),
                            comparisonOperator: "GreaterThanThreshold",
                            threshold: 5,
                            treatMissingData: "notBreaching",
                            tags: DEV_TAGS,
                        },
                    ],
                    [
                        "api-healthy-hosts",
                        {
                            ...periods,
                            name: `${PREFIX}-healthy-hosts`,
                            alarmDescription: "Fewer than 3 healthy targets for 3 minutes. See docs/operations.md#healthy-hosts.",
                            namespace: "AWS/ApplicationELB",
                            metricName: "HealthyHostCount",
                            statistic: "Minimum",
                            dimensions: { TargetGroup: targetGroup, LoadBalancer: loadBalancer },
                            comparisonOperator: "LessThanThreshold",
                            threshold: 3,
                            treatMissingData: "breaching",
                            tags: DEV_TAGS,
                        },
                    ],
                    [
                        "api-latency-p99",
                        {
                            ...periods,
                            name: `${PREFIX}-latency-p99`,
                            alarmDescription:
                                "The targets' p99 response time was above 1000 ms for 3 minutes. See docs/operations.md#latency-p99.",
                            namespace: "AWS/ApplicationELB",
                            metricName: "TargetResponseTime",
                            extendedStatistic: "p99",
                            dimensions: { LoadBalancer: loadBalancer },
                            comparisonOperator: "GreaterThanThreshold",
                            threshold: 1,
                            treatMissingData: "notBreaching",
                            tags: DEV_TAGS,
                        },
                    ],
                    [
                        "api-unhealthy-hosts",
                        {
                            ...periods,
                            name: `${PREFIX}-unhealthy-hosts`,
                            alarmDescription:
                                "A target of the API failed its health check for 3 minutes. See docs/operations.md#unhealthy-hosts.",
                            namespace: "AWS/ApplicationELB",
                            metricName: "UnHealthyHostCount",
                            statistic: "Maximum",
                            dimensions: { TargetGroup: targetGroup, LoadBalancer: loadBalancer },
                            comparisonOperator: "GreaterThanOrEqualToThreshold",
                            threshold: 1,
                            treatMissingData: "notBreaching",
                            tags: DEV_TAGS,
                        },
                    ],
                ],
            );
            assert.strictEqual(SERVER_ERROR_RATE_EXPRESSION, "(FILL(targetErrors, 0) + FILL(balancerErrors, 0)) / FILL(requests, 1) * 100");
            assert.deepStrictEqual(ofType(resources, "aws:cloudwatch/eventRule:EventRule"), []);
        });

        it("takes its thresholds and minutes from the keys", async () => {
            const { resources } = await build({ alarmEvaluationMinutes: 1, alarmServerErrorPercent: 20, alarmLatencyP99Milliseconds: 250 });
            const rate = named(resources, "api-5xx-rate").inputs;
            const latency = named(resources, "api-latency-p99").inputs;
            assert.deepStrictEqual(
                [rate.threshold, rate.evaluationPeriods, latency.threshold, latency.evaluationPeriods, latency.alarmDescription],
                [20, 1, 0.25, 1, "The targets' p99 response time was above 250 ms for 1 minute. See docs/operations.md#latency-p99."],
            );
        });

        it("plans no alarm, topic, key or subscription with alarms false, and an empty alarmTopicArn", async () => {
            const { resources, outputs } = await build({ alarms: false });
            for (const type of ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy"]) {
                assert.deepStrictEqual(ofType(resources, type), [], type);
            }
            assert.strictEqual(ofType(resources, "aws:kms/key:Key").length, 1);
            assert.strictEqual(outputs.alarmTopicArn, "");
            assert.strictEqual(ofType(resources, "aws:cloudwatch/dashboard:Dashboard").length, 1);
        });
    });

    describe("alarms with fleet autoscaling", () => {
        it("alarms below the group's minimum, collects the group's metrics and sends a failed refresh to the topic", async () => {
            const { resources, outputs } = await build({ fleet: FleetMode.AutoScaling, instanceCount: 4, minInstanceCount: 2 });
            const group = onlyOfType(resources, "aws:autoscaling/group:Group").inputs;
            assert.deepStrictEqual([group.metricsGranularity, group.enabledMetrics], ["1Minute", GROUP_METRICS]);
            assert.strictEqual(named(resources, "api-healthy-hosts").inputs.threshold, 2);
            const topic = [outputs.alarmTopicArn];
            assert.deepStrictEqual(named(resources, "api-in-service-instances").inputs, {
                period: 60,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                alarmActions: topic,
                okActions: topic,
                name: `${PREFIX}-in-service-instances`,
                alarmDescription:
                    "The Auto Scaling group had fewer than 2 instances in service for 3 minutes. See docs/operations.md#in-service-instances.",
                namespace: "AWS/AutoScaling",
                metricName: "GroupInServiceInstances",
                statistic: "Minimum",
                dimensions: { AutoScalingGroupName: outputs.autoScalingGroupName },
                comparisonOperator: "LessThanThreshold",
                threshold: 2,
                treatMissingData: "breaching",
                tags: DEV_TAGS,
            });
            const rule = onlyOfType(resources, "aws:cloudwatch/eventRule:EventRule");
            assert.deepStrictEqual(JSON.parse(rule.inputs.eventPattern as string), {
                source: ["aws.autoscaling"],
                "detail-type": ["EC2 Auto Scaling Instance Refresh Failed", "EC2 Auto Scaling Instance Refresh Rollback Failed"],
                detail: { AutoScalingGroupName: [outputs.autoScalingGroupName] },
            });
            assert.deepStrictEqual(REFRESH_FAILED_DETAIL_TYPES, [
                "EC2 Auto Scaling Instance Refresh Failed",
                "EC2 Auto Scaling Instance Refresh Rollback Failed",
            ]);
            assert.deepStrictEqual(onlyOfType(resources, "aws:cloudwatch/eventTarget:EventTarget").inputs, {
                rule: rule.outputs.name,
                arn: outputs.alarmTopicArn,
            });
            const topicPolicy = JSON.parse(onlyOfType(resources, "aws:sns/topicPolicy:TopicPolicy").inputs.policy as string);
            assert.deepStrictEqual(topicPolicy.Statement[2], {
                Sid: "RefreshRulePublishes",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish",
                Resource: outputs.alarmTopicArn,
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnEquals: { "aws:SourceArn": rule.outputs.arn } },
            });
            // The key admits EventBridge without a condition: EventBridge's KMS requests carry no aws:SourceArn
            // or aws:SourceAccount (EventBridge user guide, encrypted SNS targets), so one would drop every
            // notification; the topic policy above narrows publishing to the rule.
            const keyPolicy = JSON.parse(named(resources, "api-alarms-key").inputs.policy as string);
            assert.deepStrictEqual(
                keyPolicy.Statement.find((statement: { Sid: string }) => statement.Sid === "RefreshRulePublishesEncrypted"),
                {
                    Sid: "RefreshRulePublishesEncrypted",
                    Effect: "Allow",
                    Principal: { Service: "events.amazonaws.com" },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                    Resource: "*",
                },
            );
        });
    });

    describe("the alarm topic", () => {
        it("is encrypted with a key of its own whose policy admits only this cluster's alarms and the deployer through SNS", async () => {
            const { resources, outputs } = await build();
            const key = named(resources, "api-alarms-key");
            const topic = onlyOfType(resources, "aws:sns/topic:Topic");
            assert.deepStrictEqual(topic.inputs, { name: `${PREFIX}-alarms`, kmsMasterKeyId: key.outputs.arn, tags: DEV_TAGS });
            assert.strictEqual(outputs.alarmTopicArn, `arn:aws:sns:us-east-1:${ACCOUNT}:${PREFIX}-alarms`);
            const alarmArns = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${PREFIX}-*`;
            const fromAlarms = { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": alarmArns } };
            assert.deepStrictEqual(JSON.parse(key.inputs.policy as string).Statement, [
                {
                    Sid: "AccountAdministersTheKey",
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                    Action: KEY_ADMINISTRATION_ACTIONS,
                    Resource: "*",
                },
                {
                    Sid: "ClusterAlarmsPublishEncrypted",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                    Resource: "*",
                    Condition: fromAlarms,
                },
                {
                    Sid: "DeployerPublishesThroughSns",
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/${OFFLINE_DEPLOYER_ROLE}` },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                    Resource: "*",
                    Condition: { StringEquals: { "kms:ViaService": "sns.us-east-1.amazonaws.com" } },
                },
            ]);
            assert.deepStrictEqual([key.inputs.enableKeyRotation, key.inputs.deletionWindowInDays], [true, 30]);
            assert.deepStrictEqual(JSON.parse(onlyOfType(resources, "aws:sns/topicPolicy:TopicPolicy").inputs.policy as string).Statement, [
                {
                    Sid: "AccountOwnsTheTopic",
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                    Action: [
                        "sns:GetTopicAttributes",
                        "sns:SetTopicAttributes",
                        "sns:AddPermission",
                        "sns:RemovePermission",
                        "sns:DeleteTopic",
                        "sns:Subscribe",
                        "sns:ListSubscriptionsByTopic",
                        "sns:Publish",
                    ],
                    Resource: outputs.alarmTopicArn,
                },
                {
                    Sid: "ClusterAlarmsPublish",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: outputs.alarmTopicArn,
                    Condition: fromAlarms,
                },
            ]);
        });

        it("subscribes each alarm email, named by the address's hash", async () => {
            const { resources, outputs } = await build({ alarmEmails: ["oncall@example.com", "Team.Lead+api@example.org"] });
            assert.deepStrictEqual(
                ofType(resources, "aws:sns/topicSubscription:TopicSubscription").map((subscription) => [
                    subscription.name,
                    subscription.inputs,
                ]),
                [
                    [
                        emailSubscriptionName("api", "oncall@example.com"),
                        { topic: outputs.alarmTopicArn, protocol: "email", endpoint: "oncall@example.com" },
                    ],
                    [
                        emailSubscriptionName("api", "Team.Lead+api@example.org"),
                        { topic: outputs.alarmTopicArn, protocol: "email", endpoint: "Team.Lead+api@example.org" },
                    ],
                ],
            );
            assert.match(emailSubscriptionName("api", "oncall@example.com"), /^api-alarm-email-[0-9a-f]{8}$/);
            assert.strictEqual(emailSubscriptionName("api", "ONCALL@example.com"), emailSubscriptionName("api", "oncall@example.com"));
        });
    });

    describe("access logs", () => {
        it("plans the bucket with SSE-S3, all four public access blocks, owner-enforced objects and a lifecycle, and turns the load balancer's logs on", async () => {
            const { resources, outputs } = await build({ accessLogRetentionDays: 90 });
            const bucket = named(resources, "api-access-logs");
            assert.deepStrictEqual(bucket.inputs, { forceDestroy: true, tags: DEV_TAGS });
            assert.match(outputs.accessLogBucketName, /^api-access-logs-[0-9a-f]{7}$/);
            assert.strictEqual(bucket.outputs.bucket, outputs.accessLogBucketName);
            const id = outputs.accessLogBucketName;
            assert.deepStrictEqual(named(resources, "api-access-logs-encryption").inputs, {
                bucket: id,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
            });
            assert.deepStrictEqual(named(resources, "api-access-logs-public-access").inputs, {
                bucket: id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            assert.deepStrictEqual(named(resources, "api-access-logs-ownership").inputs, {
                bucket: id,
                rule: { objectOwnership: "BucketOwnerEnforced" },
            });
            assert.deepStrictEqual(named(resources, "api-access-logs-expiry").inputs, {
                bucket: id,
                rules: [{ id: "expire-access-logs", status: "Enabled", filter: { prefix: "AWSLogs/" }, expiration: { days: 90 } }],
            });
            const lb = onlyOfType(resources, "aws:lb/loadBalancer:LoadBalancer");
            assert.deepStrictEqual(lb.inputs.accessLogs, { bucket: id, enabled: true });
            assert.ok(
                lb.dependencies.includes(named(resources, "api-access-logs-policy").urn),
                "the load balancer waits for the bucket policy",
            );
        });

        it("names the bucket within S3's 63 lowercase characters for the longest component name", async () => {
            const name = "a".repeat(MAX_COMPONENT_NAME_LENGTH);
            const { resources } = await runUnderMocks(() => {
                new ApiCluster(name, { amiId: AMI });
                return {};
            });
            const bucket = String(named(resources, `${name}-access-logs`).outputs.bucket);
            assert.strictEqual(bucket.length, MAX_COMPONENT_NAME_LENGTH + "-access-logs-".length + 7);
            assert.ok(bucket.length <= 63, bucket);
            assert.match(bucket, /^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
        });

        it("keeps its logs on destroy with deletion protection: no forceDestroy", async () => {
            const { resources } = await build({ deletionProtection: true });
            assert.deepStrictEqual(named(resources, "api-access-logs").inputs, { forceDestroy: false, tags: DEV_TAGS });
        });

        it("lets us-east-1's Elastic Load Balancing account 127311923021 write under AWSLogs/<account>/, and only over TLS", async () => {
            const { resources, outputs } = await build();
            const arn = `arn:aws:s3:::${outputs.accessLogBucketName}`;
            assert.deepStrictEqual(JSON.parse(named(resources, "api-access-logs-policy").inputs.policy as string), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "LoadBalancerWritesAccessLogs",
                        Effect: "Allow",
                        Principal: { AWS: "arn:aws:iam::127311923021:root" },
                        Action: "s3:PutObject",
                        Resource: `${arn}/AWSLogs/${ACCOUNT}/*`,
                    },
                    {
                        Sid: "OnlyOverTls",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [arn, `${arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            });
        });

        it("lets the log delivery service principal write in ap-southeast-4, a region launched after August 2022", async () => {
            const { resources, outputs } = await build({}, "ap-southeast-4");
            const statement = JSON.parse(named(resources, "api-access-logs-policy").inputs.policy as string).Statement[0];
            assert.deepStrictEqual(statement, {
                Sid: "LoadBalancerWritesAccessLogs",
                Effect: "Allow",
                Principal: { Service: LOG_DELIVERY_SERVICE_PRINCIPAL },
                Action: "s3:PutObject",
                Resource: `arn:aws:s3:::${outputs.accessLogBucketName}/AWSLogs/${ACCOUNT}/*`,
            });
            assert.strictEqual(LOG_DELIVERY_SERVICE_PRINCIPAL, "logdelivery.elasticloadbalancing.amazonaws.com");
        });

        it("plans no bucket and no accessLogs block with accessLogs false, and an empty accessLogBucketName", async () => {
            const { resources, outputs } = await build({ accessLogs: false });
            assert.deepStrictEqual(ofType(resources, "aws:s3/bucket:Bucket"), []);
            assert.deepStrictEqual(ofType(resources, "aws:s3/bucketPolicy:BucketPolicy"), []);
            assert.strictEqual(onlyOfType(resources, "aws:lb/loadBalancer:LoadBalancer").inputs.accessLogs, undefined);
            assert.strictEqual(outputs.accessLogBucketName, "");
        });
    });

    describe("the dashboard", () => {
        it("shows requests, 5xx, latency p50/p99 and hosts per zone, and its console address is an output", async () => {
            const { resources, outputs } = await build({ instanceCount: 3, availabilityZoneCount: 3 });
            const { loadBalancer, targetGroup } = suffixes(outputs);
            const dashboard = onlyOfType(resources, "aws:cloudwatch/dashboard:Dashboard");
            assert.strictEqual(dashboard.inputs.dashboardName, PREFIX);
            const lb = ["LoadBalancer", loadBalancer];
            const perZone = (metric: string) =>
                ["us-east-1a", "us-east-1b", "us-east-1c"].map((zone) => [
                    "AWS/ApplicationELB",
                    metric,
                    "TargetGroup",
                    targetGroup,
                    ...lb,
                    "AvailabilityZone",
                    zone,
                    { label: zone },
                ]);
            const common = { region: "us-east-1", view: "timeSeries" };
            assert.deepStrictEqual(JSON.parse(dashboard.inputs.dashboardBody as string), {
                widgets: [
                    {
                        type: "metric",
                        x: 0,
                        y: 0,
                        width: 12,
                        height: 6,
                        properties: {
                            title: "Requests",
                            ...common,
                            stat: "Sum",
                            period: 60,
                            metrics: [["AWS/ApplicationELB", "RequestCount", ...lb]],
                        },
                    },
                    {
                        type: "metric",
                        x: 12,
                        y: 0,
                        width: 12,
                        height: 6,
                        properties: {
                            title: "5xx responses",
                            ...common,
                            stat: "Sum",
                            period: 60,
                            metrics: [
                                ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...lb, { label: "from targets" }],
                                ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", ...lb, { label: "from the load balancer" }],
                            ],
                        },
                    },
                    {
                        type: "metric",
                        x: 0,
                        y: 6,
                        width: 12,
                        height: 6,
                        properties: {
                            title: "Target response time p50 / p99 (seconds)",
                            ...common,
                            period: 60,
                            metrics: [
                                ["AWS/ApplicationELB", "TargetResponseTime", ...lb, { stat: "p50", label: "p50" }],
                                ["AWS/ApplicationELB", "TargetResponseTime", ...lb, { stat: "p99", label: "p99" }],
                            ],
                        },
                    },
                    {
                        type: "metric",
                        x: 12,
                        y: 6,
                        width: 12,
                        height: 6,
                        properties: {
                            title: "Healthy hosts per zone",
                            ...common,
                            stat: "Minimum",
                            period: 60,
                            metrics: perZone("HealthyHostCount"),
                        },
                    },
                    {
                        type: "metric",
                        x: 0,
                        y: 12,
                        width: 12,
                        height: 6,
                        properties: {
                            title: "Unhealthy hosts per zone",
                            ...common,
                            stat: "Maximum",
                            period: 60,
                            metrics: perZone("UnHealthyHostCount"),
                        },
                    },
                ],
            });
            assert.strictEqual(
                outputs.dashboardUrl,
                `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/${PREFIX}`,
            );
        });

        it("adds the group's in-service and desired capacity with fleet autoscaling", async () => {
            const { resources, outputs } = await build({ fleet: FleetMode.AutoScaling });
            const body = JSON.parse(onlyOfType(resources, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody as string);
            assert.strictEqual(body.widgets.length, 6);
            assert.deepStrictEqual(body.widgets[5], {
                type: "metric",
                x: 12,
                y: 12,
                width: 12,
                height: 6,
                properties: {
                    title: "Auto Scaling group: in service and desired",
                    region: "us-east-1",
                    view: "timeSeries",
                    stat: "Minimum",
                    period: 60,
                    metrics: [
                        [
                            "AWS/AutoScaling",
                            "GroupInServiceInstances",
                            "AutoScalingGroupName",
                            outputs.autoScalingGroupName,
                            { label: "in service" },
                        ],
                        [
                            "AWS/AutoScaling",
                            "GroupDesiredCapacity",
                            "AutoScalingGroupName",
                            outputs.autoScalingGroupName,
                            { label: "desired" },
                        ],
                    ],
                },
            });
        });
    });
});
