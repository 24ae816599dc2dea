/**
 * The `autoscaling` fleet: a launch template with everything the bare instances have (AMI, type,
 * IMDSv2 with hop limit 1, encrypted gp3 root volume, instance profile, security group, boot
 * script), an Auto Scaling group across the instance subnets registered with the target group
 * through its inline `targetGroupArns`, and a target-tracking policy on the requests each target
 * receives.
 *
 * The group replaces an instance the load balancer marks unhealthy (`healthCheckType: "ELB"`), and
 * a new launch template version (a new AMI or boot script) starts an instance refresh that launches
 * replacements before it terminates anything (min 100 %, max 200 % healthy).
 *
 * The provider's capacity wait is off (`waitForCapacityTimeout: "0"`): on an update that changes
 * `minSize` it wants *exactly* max(minSize, desired) healthy instances (terraform-provider-aws
 * resourceGroupUpdate), which a group that has scaled out, or is refreshing, never has. The first
 * `pulumi up` still ends only when the group serves: its `afterCreate` hook waits for the desired
 * capacity to be healthy behind the load balancer (fleet/groupCapacityWait.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings } from "../config/schema";
import { InstanceLaunch } from "../instances";
import { GroupClientFactories, groupInServiceHook } from "./targetHealthHooks";

/** Root device of Amazon Linux 2023, the baked image's parent. */
export const ROOT_DEVICE_NAME = "/dev/xvda";

/** The provider's capacity wait, off on create and on update: the group's `afterCreate` hook waits instead. */
export const CAPACITY_TIMEOUT = "0";

/** Healthy capacity an instance refresh keeps: never below the desired size (launch before terminate). */
export const REFRESH_MIN_HEALTHY_PERCENTAGE = 100;
/** Capacity an instance refresh may reach: up to twice the desired size while replacements warm up. */
export const REFRESH_MAX_HEALTHY_PERCENTAGE = 200;
/**
 * The group metrics collected (metrics collection, `enabledMetrics`): in service and desired for the
 * alarm and the dashboard, with the other sizes beside them for a reader of the console.
 */
export const GROUP_METRICS: aws.types.enums.autoscaling.Metric[] = [
    "GroupInServiceInstances",
    "GroupDesiredCapacity",
    "GroupMinSize",
    "GroupMaxSize",
    "GroupPendingInstances",
    "GroupTerminatingInstances",
    "GroupTotalInstances",
];

/** What the scaling policy measures: the load balancer and target group, by ARN suffix. */
export interface ScalingMetricSource {
    /** The load balancer's ARN suffix (`app/<name>/<id>`). */
    loadBalancerArnSuffix: pulumi.Input<string>;
    /** The target group's ARN suffix (`targetgroup/<name>/<id>`). */
    targetGroupArnSuffix: pulumi.Input<string>;
    /** The listener that forwards to the target group; the metric exists only once it does. */
    listener: pulumi.Resource;
}

/** The autoscaling fleet's resources. */
export interface AutoScalingFleet {
    /** The launch template every instance starts from. */
    launchTemplate: aws.ec2.LaunchTemplate;
    /** The Auto Scaling group. */
    group: aws.autoscaling.Group;
    /** The target-tracking policy on ALBRequestCountPerTarget. */
    scalingPolicy: aws.autoscaling.Policy;
}

/** The boot script as a launch template wants it: base64. */
function base64(text: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(text).apply((value) => Buffer.from(value, "utf8").toString("base64"));
}

/**
 * Creates the launch template, the Auto Scaling group and its scaling policy for cluster `name`.
 * `clientsFor` makes the AWS clients of the group's `afterCreate` hook; default the SDK's.
 */
export function autoScalingFleet(
    name: string,
    settings: ClusterSettings,
    launch: InstanceLaunch,
    metric: ScalingMetricSource,
    parent: pulumi.Resource,
    clientsFor: GroupClientFactories = {},
): AutoScalingFleet {
    const launchTemplate = new aws.ec2.LaunchTemplate(
        `${name}-launch-template`,
        {
            imageId: launch.imageId,
            instanceType: settings.instanceType,
            keyName: settings.keyName,
            iamInstanceProfile: { name: launch.instanceProfileName },
            networkInterfaces: [
                {
                    deviceIndex: 0,
                    associatePublicIpAddress: String(launch.assignPublicIp),
                    securityGroups: [launch.securityGroupId],
                    deleteOnTermination: "true",
                },
            ],
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [
                { deviceName: ROOT_DEVICE_NAME, ebs: { encrypted: "true", volumeType: "gp3", deleteOnTermination: "true" } },
            ],
            userData: base64(launch.userData),
            updateDefaultVersion: true,
        },
        { parent },
    );

    const group = new aws.autoscaling.Group(
        `${name}-group`,
        {
            vpcZoneIdentifiers: launch.subnetIds,
            desiredCapacity: settings.instanceCount,
            minSize: settings.minInstanceCount,
            maxSize: settings.maxInstanceCount,
            // Registered inline, never through aws.autoscaling.Attachment: the two fight over the
            // registration, and only the inline list drains an instance before it terminates.
            targetGroupArns: [launch.targetGroupArn],
            healthCheckType: "ELB",
            // Group metrics, every minute (free at this granularity): the in-service alarm and the dashboard read them.
            metricsGranularity: "1Minute",
            enabledMetrics: GROUP_METRICS,
            healthCheckGracePeriod: settings.healthCheckGracePeriodSeconds,
            defaultInstanceWarmup: settings.instanceWarmupSeconds,
            // A pinned version: with $Latest or $Default a new template version starts no refresh.
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            instanceRefresh: {
                strategy: "Rolling",
                preferences: {
                    minHealthyPercentage: REFRESH_MIN_HEALTHY_PERCENTAGE,
                    maxHealthyPercentage: REFRESH_MAX_HEALTHY_PERCENTAGE,
                    instanceWarmup: String(settings.instanceWarmupSeconds),
                },
            },
            // No provider wait, on create or update; the first `pulumi up` waits in the hook below.
            waitForCapacityTimeout: CAPACITY_TIMEOUT,
            tags: [{ key: "Name", value: `${name}-api`, propagateAtLaunch: true }],
        },
        // Scaling moves the desired capacity; on the Group itself (on a component it would be ignored).
        {
            parent,
            ignoreChanges: ["desiredCapacity"],
            dependsOn: launch.dependsOn,
            hooks: { afterCreate: [groupInServiceHook(name, clientsFor)] },
        },
    );

    const scalingPolicy = new aws.autoscaling.Policy(
        `${name}-requests-per-target`,
        {
            autoscalingGroupName: group.name,
            policyType: "TargetTrackingScaling",
            targetTrackingConfiguration: {
                predefinedMetricSpecification: {
                    predefinedMetricType: "ALBRequestCountPerTarget",
                    resourceLabel: pulumi.interpolate`${metric.loadBalancerArnSuffix}/${metric.targetGroupArnSuffix}`,
                },
                targetValue: settings.targetRequestsPerMinute,
            },
        },
        { parent, dependsOn: [metric.listener] },
    );

    return { launchTemplate, group, scalingPolicy };
}
