/**
 * The cluster's CloudWatch dashboard: requests, 5xx, latency p50 and p99, healthy and unhealthy
 * hosts per availability zone, and with fleet `autoscaling` the group's in-service and desired
 * capacity. dashboardBody builds the body as a plain object, so the exact widgets are testable; a
 * change to the body updates the dashboard in place (PutDashboard overwrites it), a new name replaces it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALB_NAMESPACE, AUTO_SCALING_NAMESPACE } from "./alarms";

/** What the dashboard shows. */
export interface DashboardSubjects {
    /** The stack's region, where every widget's metrics live. */
    region: string;
    /** The load balancer's ARN suffix (the `LoadBalancer` dimension). */
    loadBalancer: string;
    /** The target group's ARN suffix (the `TargetGroup` dimension). */
    targetGroup: string;
    /** The availability zones the instances run in, one line each in the host widgets. */
    zones: string[];
    /** The Auto Scaling group's name with fleet `autoscaling`; undefined with `instances`. */
    autoScalingGroupName?: string;
}

/** One metric widget of a dashboard body (CloudWatch "Dashboard body structure and syntax"). */
export interface MetricWidget {
    type: "metric";
    x: number;
    y: number;
    width: number;
    height: number;
    properties: {
        title: string;
        region: string;
        view: "timeSeries";
        stat?: string;
        period: number;
        metrics: (string | Record<string, string>)[][];
    };
}

/** Seconds per datapoint of every widget. */
export const WIDGET_PERIOD_SECONDS = 60;
/** Each widget takes half the dashboard's 24 columns. */
const WIDTH = 12;
const HEIGHT = 6;

/** The dashboard body: one widget per concern, two a row. */
export function dashboardBody(subjects: DashboardSubjects): { widgets: MetricWidget[] } {
    const { region, loadBalancer, targetGroup, zones } = subjects;
    /** One line per zone of a target group metric, labelled with the zone. */
    const perZone = (metricName: string) =>
        zones.map((zone) => [
            ALB_NAMESPACE,
            metricName,
            "TargetGroup",
            targetGroup,
            "LoadBalancer",
            loadBalancer,
            "AvailabilityZone",
            zone,
            { label: zone },
        ]);
    const graphs: Omit<MetricWidget["properties"], "region" | "view" | "period">[] = [
        { title: "Requests", stat: "Sum", metrics: [[ALB_NAMESPACE, "RequestCount", "LoadBalancer", loadBalancer]] },
        {
            title: "5xx responses",
            stat: "Sum",
            metrics: [
                [ALB_NAMESPACE, "HTTPCode_Target_5XX_Count", "LoadBalancer", loadBalancer, { label: "from targets" }],
                [ALB_NAMESPACE, "HTTPCode_ELB_5XX_Count", "LoadBalancer", loadBalancer, { label: "from the load balancer" }],
            ],
        },
        {
            title: "Target response time p50 / p99 (seconds)",
            metrics: [
                [ALB_NAMESPACE, "TargetResponseTime", "LoadBalancer", loadBalancer, { stat: "p50", label: "p50" }],
                [ALB_NAMESPACE, "TargetResponseTime", "LoadBalancer", loadBalancer, { stat: "p99", label: "p99" }],
            ],
        },
        {
            title: "Healthy hosts per zone",
            stat: "Minimum",
            metrics: perZone("HealthyHostCount"),
        },
        {
            title: "Unhealthy hosts per zone",
            stat: "Maximum",
            metrics: perZone("UnHealthyHostCount"),
        },
    ];
    const group = subjects.autoScalingGroupName;
    if (group !== undefined) {
        graphs.push({
            title: "Auto Scaling group: in service and desired",
            stat: "Minimum",
            metrics: [
                [AUTO_SCALING_NAMESPACE, "GroupInServiceInstances", "AutoScalingGroupName", group, { label: "in service" }],
                [AUTO_SCALING_NAMESPACE, "GroupDesiredCapacity", "AutoScalingGroupName", group, { label: "desired" }],
            ],
        });
    }
    return {
        widgets: graphs.map((graph, i) => ({
            type: "metric",
            x: (i % 2) * WIDTH,
            y: Math.floor(i / 2) * HEIGHT,
            width: WIDTH,
            height: HEIGHT,
            properties: {
                title: graph.title,
                region,
                view: "timeSeries",
                ...(graph.stat ? { stat: graph.stat } : {}),
                period: WIDGET_PERIOD_SECONDS,
                metrics: graph.metrics,
            },
        })),
    };
}

/** The console address of a dashboard. */
export function dashboardUrl(region: string, dashboardName: string): string {
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${dashboardName}`;
}

/** The dashboard resource and its console address. */
export interface ClusterDashboard {
    dashboard: aws.cloudwatch.Dashboard;
    url: pulumi.Output<string>;
}

/** Inputs of the dashboard, any of them known only at deploy time. */
export interface DashboardInputs {
    loadBalancer: pulumi.Input<string>;
    targetGroup: pulumi.Input<string>;
    zones: pulumi.Input<string[]>;
    autoScalingGroupName?: pulumi.Input<string>;
}

/** Creates the dashboard named `dashboardName`. */
export function clusterDashboard(name: string, dashboardName: string, inputs: DashboardInputs, parent: pulumi.Resource): ClusterDashboard {
    const region = aws.getRegionOutput({}, { parent }).region;
    const body = pulumi
        .all([region, inputs.loadBalancer, inputs.targetGroup, inputs.zones, inputs.autoScalingGroupName])
        .apply(([regionName, loadBalancer, targetGroup, zones, autoScalingGroupName]) =>
            JSON.stringify(dashboardBody({ region: regionName, loadBalancer, targetGroup, zones, autoScalingGroupName })),
        );
    const dashboard = new aws.cloudwatch.Dashboard(`${name}-dashboard`, { dashboardName, dashboardBody: body }, { parent });
    return {
        dashboard,
        url: pulumi.all([region, dashboard.dashboardName]).apply(([regionName, createdName]) => dashboardUrl(regionName, createdName)),
    };
}
