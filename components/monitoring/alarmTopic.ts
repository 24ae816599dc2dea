/**
 * Where the alarms go: an SNS topic per cluster, encrypted with a KMS key of its own, with optional
 * email subscriptions (`alarmEmails`).
 *
 * Why a key of its own: CloudWatch alarms cannot publish to a topic encrypted with the AWS managed
 * key aws/sns, whose policy no one can change to admit cloudwatch.amazonaws.com (SNS developer guide,
 * "Configuring KMS permissions for AWS services"); and the admin password's key (credentials/) admits
 * only SSM for one parameter. So this key's policy lets the account administer it, lets CloudWatch
 * (for this cluster's alarms only: aws:SourceAccount and an aws:SourceArn of this cluster's alarm
 * names) and, with fleet `autoscaling`, EventBridge generate data keys and decrypt, and lets the
 * deployer do the same through SNS only, to send a test message. EventBridge's key statement has no
 * condition: its KMS requests carry no aws:SourceArn or aws:SourceAccount (the EventBridge user guide
 * says these keys are not supported in a key policy for an encrypted SNS target), so a condition there
 * would drop every refresh notification. The topic policy is what narrows it to the refresh rule.
 *
 * The topic policy admits both publishers under their conditions (the alarms by name, the rule by its ARN), and the account (its root, so IAM
 * policies may delegate) the actions SNS's default policy gives the owner. SNS and KMS resources update in place, except the topic's
 * name, which replaces it (subscriptions then need confirming again).
 */
import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KEY_DELETION_WINDOW_DAYS, accountAdministersTheKey } from "../credentials/adminCredential";

/** What a publisher to an encrypted topic needs of its key (SNS developer guide, encryption at rest). */
export const TOPIC_KEY_PUBLISH_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey*"];

/** The actions SNS's default topic policy gives the account that owns the topic. */
export const TOPIC_OWNER_ACTIONS = [
    "sns:GetTopicAttributes",
    "sns:SetTopicAttributes",
    "sns:AddPermission",
    "sns:RemovePermission",
    "sns:DeleteTopic",
    "sns:Subscribe",
    "sns:ListSubscriptionsByTopic",
    "sns:Publish",
];

/** The alarm topic and its key. */
export interface AlarmTopic {
    /** The SNS topic every alarm notifies. */
    topic: aws.sns.Topic;
    /** Its KMS key. */
    key: aws.kms.Key;
}

/** Who publishes to the topic. */
export interface AlarmTopicPublishers {
    /** The AWS name prefix of the cluster's alarms (names.ts): CloudWatch may publish for alarms so named. */
    alarmPrefix: string;
    /** The EventBridge rule of a failed instance refresh (fleet `autoscaling`); undefined without one. */
    refreshRuleArn?: pulumi.Output<string>;
}

/** A subscription's logical name: the address's hash, so removing one address leaves the others alone. */
export function emailSubscriptionName(name: string, email: string): string {
    return `${name}-alarm-email-${createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 8)}`;
}

/** Creates the key, the topic, its policy and one email subscription per address. */
export function alarmTopic(
    name: string,
    topicName: string,
    emails: readonly string[],
    publishers: AlarmTopicPublishers,
    parent: pulumi.Resource,
): AlarmTopic {
    const opts = { parent };
    const partition = aws.getPartitionOutput({}, opts);
    const region = aws.getRegionOutput({}, opts).region;
    const caller = aws.getCallerIdentityOutput({}, opts);
    const deployer = aws.iam.getSessionContextOutput({ arn: caller.arn }, opts).issuerArn;
    const alarmArns = pulumi.interpolate`arn:${partition.partition}:cloudwatch:${region}:${caller.accountId}:alarm:${publishers.alarmPrefix}-*`;
    const fromTheseAlarms = { StringEquals: { "aws:SourceAccount": caller.accountId }, ArnLike: { "aws:SourceArn": alarmArns } };
    const fromTheRule =
        publishers.refreshRuleArn === undefined
            ? undefined
            : { StringEquals: { "aws:SourceAccount": caller.accountId }, ArnEquals: { "aws:SourceArn": publishers.refreshRuleArn } };

    const key = new aws.kms.Key(
        `${name}-alarms-key`,
        {
            description: `api-cluster alarm topic ${topicName}: used only by this cluster's alarms and refresh rule, and the deployer through SNS`,
            enableKeyRotation: true,
            deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
            // In a key policy, Resource "*" means this key and nothing else (a key policy governs only its own key).
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    accountAdministersTheKey(partition.partition, caller.accountId),
                    {
                        Sid: "ClusterAlarmsPublishEncrypted",
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: TOPIC_KEY_PUBLISH_ACTIONS,
                        Resource: "*",
                        Condition: fromTheseAlarms,
                    },
                    ...(fromTheRule === undefined
                        ? []
                        : [
                              {
                                  Sid: "RefreshRulePublishesEncrypted",
                                  Effect: "Allow",
                                  Principal: { Service: "events.amazonaws.com" },
                                  Action: TOPIC_KEY_PUBLISH_ACTIONS,
                                  Resource: "*",
                              },
                          ]),
                    {
                        Sid: "DeployerPublishesThroughSns",
                        Effect: "Allow",
                        Principal: { AWS: deployer },
                        Action: TOPIC_KEY_PUBLISH_ACTIONS,
                        Resource: "*",
                        Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`sns.${region}.${partition.dnsSuffix}` } },
                    },
                ],
            }),
        },
        opts,
    );
    const topic = new aws.sns.Topic(`${name}-alarms`, { name: topicName, kmsMasterKeyId: key.arn }, opts);
    new aws.sns.TopicPolicy(
        `${name}-alarms-policy`,
        {
            arn: topic.arn,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "AccountOwnsTheTopic",
                        Effect: "Allow",
                        Principal: { AWS: pulumi.interpolate`arn:${partition.partition}:iam::${caller.accountId}:root` },
                        Action: TOPIC_OWNER_ACTIONS,
                        Resource: topic.arn,
                    },
                    {
                        Sid: "ClusterAlarmsPublish",
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: fromTheseAlarms,
                    },
                    ...(fromTheRule === undefined
                        ? []
                        : [
                              {
                                  Sid: "RefreshRulePublishes",
                                  Effect: "Allow",
                                  Principal: { Service: "events.amazonaws.com" },
                                  Action: "sns:Publish",
                                  Resource: topic.arn,
                                  Condition: fromTheRule,
                              },
                          ]),
                ],
            }),
        },
        opts,
    );
    for (const email of emails) {
        new aws.sns.TopicSubscription(emailSubscriptionName(name, email), { topic: topic.arn, protocol: "email", endpoint: email }, opts);
    }
    return { topic, key };
}
