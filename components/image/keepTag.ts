/**
 * The tag that keeps an AMI from the image lifecycle policy. A stack that runs an AMI it did not
 * bake (`amiId`, e.g. prod running what staging baked) tags it, so the lifecycle policy of the stack
 * that baked it never deletes it while the tag is there; destroying the stack removes the tag.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Tag on an AMI that the lifecycle policy's exclusion rule matches: such an AMI is never deleted. */
export const KEEP_TAG = { key: "api-cluster:keep", value: "true" } as const;

/** Tags `amiId` with KEEP_TAG, as a resource named `name`. */
export function keepAmi(name: string, amiId: pulumi.Input<string>, parent: pulumi.Resource): aws.ec2.Tag {
    return new aws.ec2.Tag(name, { resourceId: amiId, key: KEEP_TAG.key, value: KEEP_TAG.value }, { parent });
}
