import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { loadBalancerTypeProperty } from "./shared/native";
import { ANY_LOAD_BALANCER_TOKENS } from "./shared/tokens";
import { isAbsent, isUnknown, show } from "./shared/values";

/** Load balancers route at the HTTP layer: application, never network or gateway. */
export const albLoadBalancerRequiresApplicationType: ResourceValidationPolicy = {
    name: "alb-load-balancer-requires-application-type",
    description:
        "Load balancers must be application load balancers, so that requests are routed at the HTTP layer. " +
        "An unset loadBalancerType (type on aws-native) counts as application; network and gateway load balancers are violations.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Set loadBalancerType to "application" (or leave it unset) on the load balancer, give it HTTP or HTTPS ' +
        "listeners, and replace any network or gateway load balancer with an application load balancer.",
    validateResource: validateTypes(ANY_LOAD_BALANCER_TOKENS, (props, args, reportViolation) => {
        const property = loadBalancerTypeProperty(args.type);
        const type = props[property];
        if (isUnknown(type) || isAbsent(type) || type === "application") {
            return;
        }
        reportViolation(`${property} is ${show(type)}; only "application" routes at the HTTP layer.`);
    }),
};
