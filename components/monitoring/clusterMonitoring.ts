/**
 * The cluster's monitoring, wired together: with `alarms` (on by default), the refresh rule (fleet
 * `autoscaling`), the encrypted alarm topic with its email subscriptions, the alarms and the rule's
 * target; always, the dashboard. The access log bucket (accessLogBucket.ts) is created earlier,
 * before the load balancer that writes to it.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings } from "../config/schema";
import { AlarmTopic, alarmTopic } from "./alarmTopic";
import { ClusterAlarms, clusterAlarms } from "./alarms";
import { clusterDashboard } from "./dashboard";
import { monitoringPrefix } from "./names";
import { refreshFailedRule, refreshFailedTarget } from "./refreshFailure";

/** What is watched. */
export interface MonitoredCluster {
    /** The load balancer's ARN suffix. */
    loadBalancerArnSuffix: pulumi.Input<string>;
    /** The target group's ARN suffix. */
    targetGroupArnSuffix: pulumi.Input<string>;
    /** The instances' availability zones. */
    zones: pulumi.Input<string[]>;
    /** The Auto Scaling group's name with fleet `autoscaling`; undefined with `instances`. */
    autoScalingGroupName?: pulumi.Input<string>;
}

/** The monitoring's resources and outputs. */
export interface ClusterMonitoring {
    /** The alarm topic and its key; undefined with `alarms` false. */
    topic?: AlarmTopic;
    /** The alarms; undefined with `alarms` false. */
    alarms?: ClusterAlarms;
    /** The dashboard's console address. */
    dashboardUrl: pulumi.Output<string>;
}

/** Creates the monitoring of the cluster `name`. */
export function clusterMonitoring(
    name: string,
    settings: ClusterSettings,
    cluster: MonitoredCluster,
    parent: pulumi.Resource,
): ClusterMonitoring {
    const prefix = monitoringPrefix(name);
    const dashboard = clusterDashboard(
        name,
        prefix,
        {
            loadBalancer: cluster.loadBalancerArnSuffix,
            targetGroup: cluster.targetGroupArnSuffix,
            zones: cluster.zones,
            autoScalingGroupName: cluster.autoScalingGroupName,
        },
        parent,
    );
    if (!settings.alarms) {
        return { dashboardUrl: dashboard.url };
    }
    const groupName = cluster.autoScalingGroupName;
    const rule = groupName === undefined ? undefined : refreshFailedRule(name, groupName, parent);
    const topic = alarmTopic(name, `${prefix}-alarms`, settings.alarmEmails, { alarmPrefix: prefix, refreshRuleArn: rule?.arn }, parent);
    const alarms = clusterAlarms(
        name,
        prefix,
        settings,
        {
            loadBalancerArnSuffix: cluster.loadBalancerArnSuffix,
            targetGroupArnSuffix: cluster.targetGroupArnSuffix,
            minimumHosts: groupName === undefined ? settings.instanceCount : settings.minInstanceCount,
            autoScalingGroupName: groupName,
        },
        topic.topic.arn,
        parent,
    );
    if (rule !== undefined) {
        refreshFailedTarget(name, rule, topic.topic.arn, parent);
    }
    return { topic, alarms, dashboardUrl: dashboard.url };
}
