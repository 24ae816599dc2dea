/**
 * A failed instance refresh, with fleet `autoscaling`: an EventBridge rule on the group's refresh
 * events that failed ("EC2 Auto Scaling Instance Refresh Failed", and "… Rollback Failed" when the
 * automatic rollback after it failed too; Amazon EC2 Auto Scaling user guide, "Instance refresh
 * example events and patterns"), sent to the alarm topic. No metric says a refresh failed, so no
 * alarm can; the event is delivered best effort, as AWS says of every Auto Scaling event.
 *
 * The rule is created before the topic, whose key and policy admit EventBridge for this rule's ARN
 * only; the target joins the two. Both update in place (PutRule, PutTargets).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The detail types of a failed instance refresh, as Auto Scaling sends them to EventBridge. */
export const REFRESH_FAILED_DETAIL_TYPES = [
    "EC2 Auto Scaling Instance Refresh Failed",
    "EC2 Auto Scaling Instance Refresh Rollback Failed",
];

/** The event pattern of a failed refresh of the group `groupName`. */
export function refreshFailedPattern(groupName: string): Record<string, unknown> {
    return { source: ["aws.autoscaling"], "detail-type": REFRESH_FAILED_DETAIL_TYPES, detail: { AutoScalingGroupName: [groupName] } };
}

/** Creates the rule that matches a failed refresh of the group. */
export function refreshFailedRule(name: string, groupName: pulumi.Input<string>, parent: pulumi.Resource): aws.cloudwatch.EventRule {
    return new aws.cloudwatch.EventRule(
        `${name}-refresh-failed`,
        {
            description:
                "api-cluster: an instance refresh of the cluster's Auto Scaling group failed; see docs/operations.md#instance-refresh-failed",
            eventPattern: pulumi.output(groupName).apply((group) => JSON.stringify(refreshFailedPattern(group))),
        },
        { parent },
    );
}

/** Sends the rule's events to the alarm topic. */
export function refreshFailedTarget(
    name: string,
    rule: aws.cloudwatch.EventRule,
    topicArn: pulumi.Input<string>,
    parent: pulumi.Resource,
): aws.cloudwatch.EventTarget {
    return new aws.cloudwatch.EventTarget(`${name}-refresh-failed-topic`, { rule: rule.name, arn: topicArn }, { parent });
}
