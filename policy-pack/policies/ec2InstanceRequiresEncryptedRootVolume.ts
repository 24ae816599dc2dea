import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { INSTANCE_TOKENS, LAUNCH_TEMPLATE_TOKENS } from "./shared/tokens";
import { Props, asArray, asObject, isAbsent, isUnknown, show } from "./shared/values";

type Report = (message: string) => void;

/** Reports an instance whose root block device is not encrypted. */
function checkInstance(props: Props, reportViolation: Report): void {
    const value = props.rootBlockDevice;
    if (isUnknown(value)) {
        return;
    }
    const device = asObject(value);
    if (!device) {
        reportViolation(
            "rootBlockDevice is not set, so the root volume is encrypted only if the account defaults to it; set rootBlockDevice.encrypted to true.",
        );
        return;
    }
    const encrypted = device.encrypted;
    if (isUnknown(encrypted) || encrypted === true) {
        return;
    }
    reportViolation(
        isAbsent(encrypted)
            ? "rootBlockDevice.encrypted is not set; set it to true."
            : `rootBlockDevice.encrypted is ${show(encrypted)}; set it to true.`,
    );
}

/**
 * Reports each EBS volume of a launch template that is not encrypted. @pulumi/aws 7.48 (types/input.d.ts
 * LaunchTemplateBlockDeviceMappingEbs) types `ebs.encrypted` as a string, "true" or "false", as the
 * Terraform provider does; a boolean true is accepted too. A mapping without `ebs` (an instance store or
 * `noDevice`) holds no EBS volume. With no mapping at all, the volumes are the AMI's, encrypted only if
 * its snapshots or the account's default are.
 */
function checkLaunchTemplate(props: Props, reportViolation: Report): void {
    const value = props.blockDeviceMappings;
    if (isUnknown(value)) {
        return;
    }
    const mappings = asArray(value) ?? [];
    if (mappings.length === 0) {
        reportViolation(
            "blockDeviceMappings is not set, so the volumes are encrypted only if the AMI's snapshots or the account default are; " +
                'add the root device with ebs.encrypted "true".',
        );
        return;
    }
    mappings.forEach((item, position) => {
        const ebs = asObject(item)?.ebs;
        if (isUnknown(ebs) || isAbsent(ebs)) {
            return;
        }
        const encrypted = asObject(ebs)?.encrypted;
        if (isUnknown(encrypted) || encrypted === "true" || encrypted === true) {
            return;
        }
        const property = `blockDeviceMappings[${position}].ebs.encrypted`;
        reportViolation(
            isAbsent(encrypted) ? `${property} is not set; set it to "true".` : `${property} is ${show(encrypted)}; set it to "true".`,
        );
    });
}

/** Instances encrypt their root volumes, and launch templates every EBS volume they map. */
export const ec2InstanceRequiresEncryptedRootVolume: ResourceValidationPolicy = {
    name: "ec2-instance-requires-encrypted-root-volume",
    description:
        "EC2 instances must encrypt their root volumes, and launch templates every EBS volume they map, so that data " +
        "at rest and snapshots of the volumes are encrypted whatever the account's default encryption setting is.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        'Set rootBlockDevice: { encrypted: true, volumeType: "gp3" } on the instance, or blockDeviceMappings: [{ deviceName: "/dev/xvda", ' +
        'ebs: { encrypted: "true", volumeType: "gp3" } }] on the launch template (add kmsKeyId for a customer-managed key).',
    validateResource: validateTypes(new Set([...INSTANCE_TOKENS, ...LAUNCH_TEMPLATE_TOKENS]), (props, args, reportViolation) => {
        if (LAUNCH_TEMPLATE_TOKENS.has(args.type)) {
            checkLaunchTemplate(props, reportViolation);
        } else {
            checkInstance(props, reportViolation);
        }
    }),
};
