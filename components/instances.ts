/**
 * The `instances` fleet: bare API instances, round-robin across the availability zones, each
 * registered with the target group. IMDSv2 is required and the root volume is encrypted.
 *
 * A replaced instance keeps serving until its replacement does: each attachment's `afterCreate`
 * hook waits until the new target is healthy, Pulumi deletes the replaced attachments and
 * instances only after every create, each attachment's `beforeDelete` hook refuses to deregister
 * the last healthy target (so a re-run after a failed rollout keeps an old instance serving), and
 * its `afterDelete` hook waits until the old target has drained before its instance is terminated
 * (see fleet/targetHealthHooks.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings } from "./config/schema";
import { ElbClientFactory, targetHealthHooks } from "./fleet/targetHealthHooks";

/** What every instance is launched from and into, in either fleet mode. */
export interface InstanceLaunch {
    /** The AMI: baked by Image Builder or given as `amiId`. */
    imageId: pulumi.Input<string>;
    /** One subnet per availability zone; instance i goes to subnet i modulo their number. */
    subnetIds: pulumi.Input<string>[];
    /** Whether instances get a public IPv4 address (see ClusterNetwork.assignPublicIp). */
    assignPublicIp: boolean;
    /** The instances' security group. */
    securityGroupId: pulumi.Input<string>;
    /** Instance profile allowed to read the admin password (and, with `sessionManager`, to use Session Manager). */
    instanceProfileName: pulumi.Input<string>;
    /** Boot script; holds no secret. */
    userData: pulumi.Input<string>;
    /** Target group every instance registers with. */
    targetGroupArn: pulumi.Input<string>;
    /**
     * Resources every instance (or the Auto Scaling group) waits for, besides its inputs: the policies of the instance role
     * (AdminCredential.instancePermissions), so no instance boots before it may read the password.
     */
    dependsOn?: pulumi.Resource[];
}

/**
 * Instance properties that the provider changes in place by stopping the instance (terraform-provider-aws
 * resourceInstanceUpdate: instance_type, user_data, user_data_base64 go through
 * modifyInstanceAttributeWithStopStart): each would stop every instance at once, outside the hooks.
 * Pulumi replaces the instance instead, create before delete, and its attachment (whose target id
 * changes) with it, hooks and all. `userData` is also covered by `userDataReplaceOnChange`; it is
 * listed here too so that removing that flag cannot bring the stop back.
 */
export const REPLACE_ON_CHANGES: readonly string[] = ["instanceType", "userData"];

/** The instances and their target group registrations. */
export interface ClusterInstances {
    /** The instances, in order. */
    instances: aws.ec2.Instance[];
    /** One target group attachment per instance, in the same order. */
    attachments: aws.lb.TargetGroupAttachment[];
}

/**
 * Launches `instanceCount` instances and registers each with the target group on the app port,
 * through attachments whose hooks wait for the target's health (`elbClient` makes their AWS client;
 * default the SDK's, with the stack's `aws:profile`).
 */
export function clusterInstances(
    name: string,
    settings: ClusterSettings,
    launch: InstanceLaunch,
    parent: pulumi.Resource,
    elbClient?: ElbClientFactory,
): ClusterInstances {
    const opts = { parent };
    const instanceOpts: pulumi.CustomResourceOptions = { parent, dependsOn: launch.dependsOn, replaceOnChanges: [...REPLACE_ON_CHANGES] };
    const hooks = targetHealthHooks(name, settings.deregistrationDelaySeconds, elbClient);
    const instances = Array.from(
        { length: settings.instanceCount },
        (_unused, i) =>
            new aws.ec2.Instance(
                `${name}-api-${i}`,
                {
                    ami: launch.imageId,
                    instanceType: settings.instanceType,
                    subnetId: launch.subnetIds[i % launch.subnetIds.length],
                    vpcSecurityGroupIds: [launch.securityGroupId],
                    associatePublicIpAddress: launch.assignPublicIp,
                    iamInstanceProfile: launch.instanceProfileName,
                    userData: launch.userData,
                    userDataReplaceOnChange: true,
                    keyName: settings.keyName,
                    metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
                    rootBlockDevice: { encrypted: true, volumeType: "gp3", deleteOnTermination: true },
                    tags: { Name: `${name}-api-${i}` },
                },
                instanceOpts,
            ),
    );
    const attachments = instances.map(
        (instance, i) =>
            new aws.lb.TargetGroupAttachment(
                `${name}-api-${i}-attachment`,
                { targetGroupArn: launch.targetGroupArn, targetId: instance.id, port: settings.appPort },
                {
                    ...opts,
                    hooks: { afterCreate: [hooks.inService], beforeDelete: [hooks.lastHealthyTarget], afterDelete: [hooks.drained] },
                },
            ),
    );
    return { instances, attachments };
}
