/**
 * The API instances, round-robin across the availability zones, each registered with the target
 * group. IMDSv2 is required and the root volume is encrypted.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings } from "./config/schema";

/** What every instance is launched from and into. */
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
     * Resources every instance waits for, besides its inputs: the policies of the instance role
     * (AdminCredential.instancePermissions), so no instance boots before it may read the password.
     */
    dependsOn?: pulumi.Resource[];
}

/** The instances and their target group registrations. */
export interface ClusterInstances {
    /** The instances, in order. */
    instances: aws.ec2.Instance[];
    /** One target group attachment per instance, in the same order. */
    attachments: aws.lb.TargetGroupAttachment[];
}

/** Launches `instanceCount` instances and registers each with the target group on the app port. */
export function clusterInstances(
    name: string,
    settings: ClusterSettings,
    launch: InstanceLaunch,
    parent: pulumi.Resource,
): ClusterInstances {
    const opts = { parent };
    const instanceOpts: pulumi.CustomResourceOptions = { parent, dependsOn: launch.dependsOn };
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
                opts,
            ),
    );
    return { instances, attachments };
}
