import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { INSTANCE_TOKENS } from "./shared/tokens";
import { asObject, isAbsent, isUnknown, show } from "./shared/values";

/** Instances encrypt their root volumes. */
export const ec2InstanceRequiresEncryptedRootVolume: ResourceValidationPolicy = {
    name: "ec2-instance-requires-encrypted-root-volume",
    description:
        "EC2 instances must encrypt their root volumes, so that data at rest and snapshots of the volume are " +
        "encrypted whatever the account's default encryption setting is.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        'Set rootBlockDevice: { encrypted: true, volumeType: "gp3" } on the instance (add kmsKeyId for a customer-managed key).',
    validateResource: validateTypes(INSTANCE_TOKENS, (props, _args, reportViolation) => {
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
    }),
};
