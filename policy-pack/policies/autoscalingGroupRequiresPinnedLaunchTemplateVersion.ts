import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { AUTOSCALING_GROUP_TOKENS } from "./shared/tokens";
import { Props, asObject, isAbsent, isUnknown, show } from "./shared/values";

/** Versions that follow the launch template instead of naming one; with them no instance refresh starts. */
const FLOATING_VERSIONS: ReadonlySet<string> = new Set(["$Latest", "$Default"]);

/** The launch template specifications of a group: its own, and its mixed instances policy's. */
function launchTemplates(props: Props): [string, unknown][] {
    const found: [string, unknown][] = [];
    if (!isAbsent(props.launchTemplate)) {
        found.push(["launchTemplate", props.launchTemplate]);
    }
    const mixed = props.mixedInstancesPolicy;
    if (isUnknown(mixed)) {
        found.push(["mixedInstancesPolicy", mixed]);
    } else {
        const template = asObject(mixed)?.launchTemplate;
        if (isUnknown(template)) {
            found.push(["mixedInstancesPolicy.launchTemplate", template]);
        } else if (!isAbsent(template)) {
            const specification = asObject(template)?.launchTemplateSpecification;
            if (!isAbsent(specification)) {
                found.push(["mixedInstancesPolicy.launchTemplate.launchTemplateSpecification", specification]);
            }
        }
    }
    return found;
}

/**
 * A group with an instance refresh names the launch template version it runs, so that a new version
 * changes the group and starts a refresh.
 */
export const autoscalingGroupRequiresPinnedLaunchTemplateVersion: ResourceValidationPolicy = {
    name: "autoscaling-group-requires-pinned-launch-template-version",
    description:
        "An Auto Scaling group with an instance refresh should run a numbered launch template version, such as " +
        'the template\'s latestVersion; with "$Latest" or "$Default" (the default) a new template version changes ' +
        "nothing in the group and no instance refresh starts.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "Set launchTemplate.version to the launch template's latestVersion output.",
    validateResource: validateTypes(AUTOSCALING_GROUP_TOKENS, (props, _args, reportViolation) => {
        if (isAbsent(props.instanceRefresh) || isUnknown(props.instanceRefresh)) {
            return;
        }
        for (const [path, value] of launchTemplates(props)) {
            if (isUnknown(value)) {
                continue;
            }
            const version = asObject(value)?.version;
            if (isUnknown(version)) {
                continue;
            }
            if (isAbsent(version)) {
                reportViolation(
                    `${path}.version is not set, so it is "$Default" and a new template version starts no instance refresh; set it to the template's latestVersion.`,
                );
            } else if (typeof version === "string" && FLOATING_VERSIONS.has(version)) {
                reportViolation(
                    `${path}.version is ${show(version)}, so a new template version starts no instance refresh; set it to the template's latestVersion.`,
                );
            }
        }
    }),
};
