import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { loadBalancerTypeProperty, nativeAttribute } from "./shared/native";
import { ANY_LOAD_BALANCER_TOKENS, NATIVE_LOAD_BALANCER_TOKEN } from "./shared/tokens";
import { isAbsent, isUnknown, show } from "./shared/values";

/** The aws-native load balancer attribute that holds the setting (AWS's ModifyLoadBalancerAttributes key). */
const DROP_ATTRIBUTE = "routing.http.drop_invalid_header_fields.enabled";

/** Application load balancers drop header fields that are not valid HTTP, rather than forward them. */
export const albLoadBalancerDropsInvalidHeaderFields: ResourceValidationPolicy = {
    name: "alb-load-balancer-drops-invalid-header-fields",
    description:
        "Application load balancers should drop HTTP header fields with invalid names instead of forwarding them " +
        "to the instances, which closes a route for request smuggling and header injection.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Set dropInvalidHeaderFields to true on the application load balancer (on aws-native, the loadBalancerAttributes " +
        `entry { key: "${DROP_ATTRIBUTE}", value: "true" }).`,
    validateResource: validateTypes(ANY_LOAD_BALANCER_TOKENS, (props, args, reportViolation) => {
        const type = props[loadBalancerTypeProperty(args.type)];
        if (isUnknown(type) || (!isAbsent(type) && type !== "application")) {
            return;
        }
        const native = args.type === NATIVE_LOAD_BALANCER_TOKEN;
        const drop = native ? nativeAttribute(props, "loadBalancerAttributes", DROP_ATTRIBUTE) : props.dropInvalidHeaderFields;
        if (isUnknown(drop) || drop === true) {
            return;
        }
        const [setting, wanted] = native ? [`loadBalancerAttributes "${DROP_ATTRIBUTE}"`, '"true"'] : ["dropInvalidHeaderFields", "true"];
        reportViolation(
            isAbsent(drop)
                ? `${setting} is not set, and AWS defaults it to false; set it to ${wanted}.`
                : `${setting} is ${show(native && typeof drop === "boolean" ? String(drop) : drop)}; set it to ${wanted}.`,
        );
    }),
};
