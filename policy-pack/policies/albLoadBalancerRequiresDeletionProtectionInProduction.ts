import { ResourceValidationPolicy } from "@pulumi/policy";
import { readConfig, validateTypes } from "./shared/policy";
import { nativeAttribute } from "./shared/native";
import { ANY_LOAD_BALANCER_TOKENS, NATIVE_LOAD_BALANCER_TOKEN } from "./shared/tokens";
import { isAbsent, isUnknown, show } from "./shared/values";

/** This policy's options. */
export interface DeletionProtectionConfig {
    /** The stack tag that names the environment. */
    stackTag: string;
    /** Values of that tag, compared without regard to case, that mark a production stack. */
    productionValues: string[];
}

/** Defaults, used when the pack runs with no config file. */
export const DELETION_PROTECTION_DEFAULTS: DeletionProtectionConfig = {
    stackTag: "environment",
    productionValues: ["production", "prod"],
};

/** The aws-native load balancer attribute that holds the setting (AWS's ModifyLoadBalancerAttributes key). */
const PROTECTION_ATTRIBUTE = "deletion_protection.enabled";

/** In a stack tagged as production, a load balancer cannot be deleted by accident. */
export const albLoadBalancerRequiresDeletionProtectionInProduction: ResourceValidationPolicy = {
    name: "alb-load-balancer-requires-deletion-protection-in-production",
    description:
        "Load balancers in stacks tagged as production must enable deletion protection, so that a mistaken " +
        "replacement or destroy cannot take the API offline. A stack counts as production when its environment " +
        "stack tag names production.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Set enableDeletionProtection to true on the load balancer in production stacks, for example from stack " +
        "config. Tag the stack with `pulumi stack tag set environment production` so this policy knows it.",
    configSchema: {
        properties: {
            stackTag: {
                type: "string",
                description: "The stack tag that names the environment.",
                minLength: 1,
                default: DELETION_PROTECTION_DEFAULTS.stackTag,
            },
            productionValues: {
                type: "array",
                description: "Values of the stack tag, compared without regard to case, that mark a production stack.",
                items: { type: "string", minLength: 1 },
                minItems: 1,
                default: DELETION_PROTECTION_DEFAULTS.productionValues,
            },
        },
    },
    validateResource: validateTypes(ANY_LOAD_BALANCER_TOKENS, (props, args, reportViolation) => {
        const { stackTag, productionValues } = readConfig(args, DELETION_PROTECTION_DEFAULTS);
        const environment = args.stackTags.get(stackTag);
        if (environment === undefined || !productionValues.some((value) => value.toLowerCase() === environment.toLowerCase())) {
            return;
        }
        const native = args.type === NATIVE_LOAD_BALANCER_TOKEN;
        const protection = native ? nativeAttribute(props, "loadBalancerAttributes", PROTECTION_ATTRIBUTE) : props.enableDeletionProtection;
        if (isUnknown(protection) || protection === true) {
            return;
        }
        const [name, wanted] = native
            ? [`loadBalancerAttributes "${PROTECTION_ATTRIBUTE}"`, '"true"']
            : ["enableDeletionProtection", "true"];
        const shown = native && typeof protection === "boolean" ? String(protection) : protection;
        const setting = isAbsent(protection) ? "is not set (AWS defaults it to false)" : `is ${show(shown)}`;
        reportViolation(`The stack is tagged ${stackTag}=${show(environment)}, and ${name} ${setting}; set it to ${wanted}.`);
    }),
};
