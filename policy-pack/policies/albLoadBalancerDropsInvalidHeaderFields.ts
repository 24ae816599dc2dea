import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { LOAD_BALANCER_TOKENS } from "./shared/tokens";
import { isAbsent, isUnknown, show } from "./shared/values";

/** Application load balancers drop header fields that are not valid HTTP, rather than forward them. */
export const albLoadBalancerDropsInvalidHeaderFields: ResourceValidationPolicy = {
    name: "alb-load-balancer-drops-invalid-header-fields",
    description:
        "Application load balancers should drop HTTP header fields with invalid names instead of forwarding them " +
        "to the instances, which closes a route for request smuggling and header injection.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "Set dropInvalidHeaderFields to true on the application load balancer.",
    validateResource: validateTypes(LOAD_BALANCER_TOKENS, (props, _args, reportViolation) => {
        const type = props.loadBalancerType;
        if (isUnknown(type) || (!isAbsent(type) && type !== "application")) {
            return;
        }
        const drop = props.dropInvalidHeaderFields;
        if (isUnknown(drop) || drop === true) {
            return;
        }
        reportViolation(
            isAbsent(drop)
                ? "dropInvalidHeaderFields is not set, and AWS defaults it to false; set it to true."
                : `dropInvalidHeaderFields is ${show(drop)}; set it to true.`,
        );
    }),
};
