/**
 * The cluster's CloudWatch alarms, each notifying the alarm topic when it fires (alarmActions) and
 * when it recovers (okActions). Every alarm looks at one-minute periods and fires after
 * `alarmEvaluationMinutes` breaching periods in a row (datapointsToAlarm equal to evaluationPeriods).
 *
 * treatMissingData, per metric (docs/operations.md says the same):
 * - UnHealthyHostCount: `notBreaching`. The load balancer reports it every minute while the target
 *   group is in use; a gap means no report, not an unhealthy host, and the healthy-hosts alarm
 *   already fires on that gap, so one failure pages once.
 * - HealthyHostCount: `breaching`. No report means nothing vouches for a healthy host: the target
 *   group left the load balancer, or the load balancer is gone.
 * - 5xx rate: `notBreaching`. FILL turns a minute without 5xx into 0 and a minute without requests
 *   into a rate of 0, so the expression always has a value; a gap can only come from CloudWatch.
 * - TargetResponseTime p99: `notBreaching`. No request in a minute publishes no latency: an idle
 *   API is not a slow one.
 * - GroupInServiceInstances: `breaching`. With metrics collection on, the group reports every
 *   minute; a gap means the collection stopped or the group is gone.
 *
 * A MetricAlarm updates in place on every change but its name (PutMetricAlarm replaces the
 * definition); a new name creates the new alarm before the old one is deleted.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings } from "../config/schema";

/** Seconds of each period every alarm evaluates. */
export const ALARM_PERIOD_SECONDS = 60;

/** The namespace of application load balancer metrics. */
export const ALB_NAMESPACE = "AWS/ApplicationELB";
/** The namespace of Auto Scaling group metrics (published only with metrics collection on). */
export const AUTO_SCALING_NAMESPACE = "AWS/AutoScaling";

/** The metric math of the 5xx-rate alarm: the targets' and the load balancer's 5xx as a percentage of RequestCount. */
export const SERVER_ERROR_RATE_EXPRESSION = "(FILL(targetErrors, 0) + FILL(balancerErrors, 0)) / FILL(requests, 1) * 100";

/** What the alarms watch. */
export interface AlarmSubjects {
    /** The load balancer's ARN suffix (`app/<name>/<id>`), CloudWatch's `LoadBalancer` dimension. */
    loadBalancerArnSuffix: pulumi.Input<string>;
    /** The target group's ARN suffix (`targetgroup/<name>/<id>`), CloudWatch's `TargetGroup` dimension. */
    targetGroupArnSuffix: pulumi.Input<string>;
    /** Fewest healthy hosts the fleet should have: `instanceCount` with fleet `instances`, the group's minimum with `autoscaling`. */
    minimumHosts: number;
    /** The Auto Scaling group's name with fleet `autoscaling`; undefined with `instances`. */
    autoScalingGroupName?: pulumi.Input<string>;
}

/** The cluster's alarms by what they watch. */
export interface ClusterAlarms {
    unhealthyHosts: aws.cloudwatch.MetricAlarm;
    healthyHosts: aws.cloudwatch.MetricAlarm;
    serverErrorRate: aws.cloudwatch.MetricAlarm;
    latencyP99: aws.cloudwatch.MetricAlarm;
    /** With fleet `autoscaling` only. */
    inServiceInstances?: aws.cloudwatch.MetricAlarm;
}

/** Creates the alarms; `prefix` begins every alarm's name (names.ts), `topicArn` is where they notify. */
export function clusterAlarms(
    name: string,
    prefix: string,
    settings: ClusterSettings,
    subjects: AlarmSubjects,
    topicArn: pulumi.Input<string>,
    parent: pulumi.Resource,
): ClusterAlarms {
    const opts = { parent };
    const minutes = settings.alarmEvaluationMinutes;
    const common = {
        period: ALARM_PERIOD_SECONDS,
        evaluationPeriods: minutes,
        datapointsToAlarm: minutes,
        alarmActions: [topicArn],
        okActions: [topicArn],
    };
    const targetDimensions = { TargetGroup: subjects.targetGroupArnSuffix, LoadBalancer: subjects.loadBalancerArnSuffix };
    const balancerDimensions = { LoadBalancer: subjects.loadBalancerArnSuffix };
    const inMinutes = `for ${minutes} minute${minutes === 1 ? "" : "s"}`;

    const unhealthyHosts = new aws.cloudwatch.MetricAlarm(
        `${name}-unhealthy-hosts`,
        {
            ...common,
            name: `${prefix}-unhealthy-hosts`,
            alarmDescription: `A target of the API failed its health check ${inMinutes}. See docs/operations.md#unhealthy-hosts.`,
            namespace: ALB_NAMESPACE,
            metricName: "UnHealthyHostCount",
            statistic: "Maximum",
            dimensions: targetDimensions,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            treatMissingData: "notBreaching",
        },
        opts,
    );
    const healthyHosts = new aws.cloudwatch.MetricAlarm(
        `${name}-healthy-hosts`,
        {
            ...common,
            name: `${prefix}-healthy-hosts`,
            alarmDescription: `Fewer than ${subjects.minimumHosts} healthy targets ${inMinutes}. See docs/operations.md#healthy-hosts.`,
            namespace: ALB_NAMESPACE,
            metricName: "HealthyHostCount",
            statistic: "Minimum",
            dimensions: targetDimensions,
            comparisonOperator: "LessThanThreshold",
            threshold: subjects.minimumHosts,
            treatMissingData: "breaching",
        },
        opts,
    );
    const count = (id: string, metricName: string) => ({
        id,
        returnData: false,
        metric: { namespace: ALB_NAMESPACE, metricName, stat: "Sum", period: ALARM_PERIOD_SECONDS, dimensions: balancerDimensions },
    });
    // A metric-math alarm: the period lives in each metric query, and AWS refuses a top-level period,
    // namespace, metric name or statistic beside metricQueries.
    const serverErrorRate = new aws.cloudwatch.MetricAlarm(
        `${name}-5xx-rate`,
        {
            evaluationPeriods: minutes,
            datapointsToAlarm: minutes,
            alarmActions: [topicArn],
            okActions: [topicArn],
            name: `${prefix}-5xx-rate`,
            alarmDescription: `More than ${settings.alarmServerErrorPercent}% of requests got a 5xx ${inMinutes}. See docs/operations.md#5xx-rate.`,
            metricQueries: [
                count("targetErrors", "HTTPCode_Target_5XX_Count"),
                count("balancerErrors", "HTTPCode_ELB_5XX_Count"),
                count("requests", "RequestCount"),
                { id: "rate", label: "5xx % of requests", expression: SERVER_ERROR_RATE_EXPRESSION, returnData: true },
            ],
            comparisonOperator: "GreaterThanThreshold",
            threshold: settings.alarmServerErrorPercent,
            treatMissingData: "notBreaching",
        },
        opts,
    );
    const latencyP99 = new aws.cloudwatch.MetricAlarm(
        `${name}-latency-p99`,
        {
            ...common,
            name: `${prefix}-latency-p99`,
            alarmDescription: `The targets' p99 response time was above ${settings.alarmLatencyP99Milliseconds} ms ${inMinutes}. See docs/operations.md#latency-p99.`,
            namespace: ALB_NAMESPACE,
            metricName: "TargetResponseTime",
            extendedStatistic: "p99",
            dimensions: balancerDimensions,
            comparisonOperator: "GreaterThanThreshold",
            // TargetResponseTime is in seconds.
            threshold: settings.alarmLatencyP99Milliseconds / 1000,
            treatMissingData: "notBreaching",
        },
        opts,
    );
    const groupName = subjects.autoScalingGroupName;
    const inServiceInstances =
        groupName === undefined
            ? undefined
            : new aws.cloudwatch.MetricAlarm(
                  `${name}-in-service-instances`,
                  {
                      ...common,
                      name: `${prefix}-in-service-instances`,
                      alarmDescription: `The Auto Scaling group had fewer than ${subjects.minimumHosts} instances in service ${inMinutes}. See docs/operations.md#in-service-instances.`,
                      namespace: AUTO_SCALING_NAMESPACE,
                      metricName: "GroupInServiceInstances",
                      statistic: "Minimum",
                      dimensions: { AutoScalingGroupName: groupName },
                      comparisonOperator: "LessThanThreshold",
                      threshold: subjects.minimumHosts,
                      treatMissingData: "breaching",
                  },
                  opts,
              );
    return { unhealthyHosts, healthyHosts, serverErrorRate, latencyP99, inServiceInstances };
}
