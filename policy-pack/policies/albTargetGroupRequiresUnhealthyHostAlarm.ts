import { StackValidationPolicy } from "@pulumi/policy";
import { StackIndex } from "./shared/links";
import { StackResource, validateStackResources } from "./shared/policy";
import { arnProperty } from "./shared/native";
import { forwardedTargetGroups } from "./shared/targetGroups";
import { ANY_FORWARDING_TOKENS, ANY_TARGET_GROUP_TOKENS, METRIC_ALARM_TOKENS, NATIVE_TARGET_GROUP_TOKEN } from "./shared/tokens";
import { asArray, asObject, isAbsent, isUnknown, knownString } from "./shared/values";

/** The metric an application load balancer publishes per target group for targets failing their health check. */
const UNHEALTHY_METRIC = "UnHealthyHostCount";
/** Its namespace. */
const ALB_NAMESPACE = "AWS/ApplicationELB";

/** The target group's CloudWatch dimension value (`targetgroup/<name>/<id>`): @pulumi/aws's `arnSuffix`, aws-native's `targetGroupFullName`. */
function dimensionValue(targetGroup: StackResource): unknown {
    return targetGroup.props[targetGroup.type === NATIVE_TARGET_GROUP_TOKEN ? "targetGroupFullName" : "arnSuffix"];
}

/** One metric an alarm watches: its namespace, name, the TargetGroup dimension, and the property the dimensions sit in. */
interface WatchedMetric {
    namespace: unknown;
    metricName: unknown;
    targetGroup: unknown;
    /** The alarm's top-level property the metric came from, whose property dependencies name the target group. */
    property: "dimensions" | "metricQueries";
}

/** The metrics an alarm watches: its own metric and each metric of its `metricQueries`; `"unknown"` for a query or list unknown during preview. */
function watchedMetrics(alarm: StackResource): (WatchedMetric | "unknown")[] {
    const props = alarm.props;
    const queries = props.metricQueries;
    if (isUnknown(queries)) {
        return ["unknown"];
    }
    const metrics: (WatchedMetric | "unknown")[] = [];
    if (!isAbsent(props.metricName)) {
        const dimensions = props.dimensions;
        metrics.push({
            namespace: props.namespace,
            metricName: props.metricName,
            targetGroup: isUnknown(dimensions) ? dimensions : asObject(dimensions)?.TargetGroup,
            property: "dimensions",
        });
    }
    for (const query of asArray(queries) ?? []) {
        if (isUnknown(query)) {
            metrics.push("unknown");
            continue;
        }
        const metric = asObject(query)?.metric;
        if (isUnknown(metric)) {
            metrics.push("unknown");
            continue;
        }
        const shape = asObject(metric);
        if (shape === undefined) {
            continue;
        }
        const dimensions = shape.dimensions;
        metrics.push({
            namespace: shape.namespace,
            metricName: shape.metricName,
            targetGroup: isUnknown(dimensions) ? dimensions : asObject(dimensions)?.TargetGroup,
            property: "metricQueries",
        });
    }
    return metrics;
}

/** Whether `metric` may be UnHealthyHostCount of the application load balancer namespace: "yes", "no", or "maybe" when unknown. */
function isUnhealthyMetric(metric: WatchedMetric): "yes" | "no" | "maybe" {
    if (isUnknown(metric.metricName) || isUnknown(metric.namespace)) {
        return "maybe";
    }
    return metric.metricName === UNHEALTHY_METRIC && metric.namespace === ALB_NAMESPACE ? "yes" : "no";
}

/**
 * Whether an alarm tells anyone when it fires: its actions are not turned off (`actionsEnabled`) and
 * it has at least one alarm action; "maybe" while either is unknown during preview.
 */
function alarmNotifies(alarm: StackResource): "yes" | "no" | "maybe" {
    const { actionsEnabled, alarmActions } = alarm.props;
    if (isUnknown(actionsEnabled) || isUnknown(alarmActions)) {
        return "maybe";
    }
    if (actionsEnabled === false) {
        return "no";
    }
    return (asArray(alarmActions) ?? []).length > 0 ? "yes" : "no";
}

/**
 * Whether an alarm that notifies someone (alarmNotifies) watches the target group's UnHealthyHostCount: `covered`; `uncovered`; or
 * `undecided` when a value this needs is unknown (a preview of new resources) and no property
 * dependency settles it, in which case the policy stays silent rather than report a false violation.
 * An alarm is linked to the target group by its TargetGroup dimension's value (the target group's
 * ARN suffix) or by a property dependency of its `dimensions` or `metricQueries` on the target group.
 */
function coverage(targetGroup: StackResource, alarms: readonly StackResource[]): "covered" | "uncovered" | "undecided" {
    const dimension = knownString(dimensionValue(targetGroup));
    let undecided = false;
    for (const alarm of alarms) {
        const notifies = alarmNotifies(alarm);
        if (notifies === "no") {
            continue;
        }
        for (const metric of watchedMetrics(alarm)) {
            if (metric === "unknown") {
                undecided = true;
                continue;
            }
            const kind = isUnhealthyMetric(metric);
            if (kind === "no") {
                continue;
            }
            const value = knownString(metric.targetGroup);
            const linked =
                (alarm.propertyDependencies[metric.property] ?? []).includes(targetGroup.urn) ||
                (value !== undefined && dimension !== undefined && value === dimension);
            if (linked && kind === "yes" && notifies === "yes") {
                return "covered";
            }
            if (linked || isUnknown(metric.targetGroup) || (value !== undefined && dimension === undefined)) {
                undecided = true;
            }
        }
    }
    return undecided ? "undecided" : "uncovered";
}

/**
 * Every target group a listener or listener rule forwards to has a CloudWatch alarm on its
 * UnHealthyHostCount, so that someone hears when an instance behind it fails its health check.
 */
export const albTargetGroupRequiresUnhealthyHostAlarm: StackValidationPolicy = {
    name: "alb-target-group-requires-unhealthy-host-alarm",
    description:
        "Every target group that a listener or listener rule forwards to must have a CloudWatch alarm on its " +
        "UnHealthyHostCount (namespace AWS/ApplicationELB, dimension TargetGroup) with an alarm action and its actions on, so that someone is told when an " +
        "instance behind the load balancer fails its health check, rather than finding out from the users.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Add an aws.cloudwatch.MetricAlarm on AWS/ApplicationELB UnHealthyHostCount with the dimensions TargetGroup " +
        "(the target group's arnSuffix) and LoadBalancer (the load balancer's arnSuffix), statistic Maximum, " +
        "GreaterThanOrEqualToThreshold 1, and an alarm action; api-cluster does so unless alarms is false.",
    validateStack: validateStackResources(
        [...ANY_FORWARDING_TOKENS, ...ANY_TARGET_GROUP_TOKENS, ...METRIC_ALARM_TOKENS],
        (resources, _args, reportViolation) => {
            const index = new StackIndex(resources);
            const targetGroups = index.keyed(ANY_TARGET_GROUP_TOKENS, arnProperty);
            const alarms = index.ofTypes(METRIC_ALARM_TOKENS);
            const reported = new Set<string>();
            for (const listener of index.ofTypes(ANY_FORWARDING_TOKENS)) {
                for (const targetGroup of forwardedTargetGroups(index, listener, targetGroups)) {
                    if (reported.has(targetGroup.urn)) {
                        continue;
                    }
                    const verdict = coverage(targetGroup, alarms);
                    if (verdict !== "uncovered") {
                        continue;
                    }
                    reported.add(targetGroup.urn);
                    reportViolation(
                        `Target group "${targetGroup.name}" receives requests from "${listener.name}", but no alarm that notifies anyone watches its ` +
                            `${UNHEALTHY_METRIC}: add a MetricAlarm on ${ALB_NAMESPACE} ${UNHEALTHY_METRIC} with its TargetGroup dimension and an alarm action.`,
                        targetGroup.urn,
                    );
                }
            }
        },
    ),
};
