import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { CLASSIC_LOAD_BALANCER_TOKENS } from "./shared/tokens";

/** A classic ELB at all is worth a warning: an application load balancer does the job better. */
export const elbLoadBalancerPrefersApplicationLoadBalancer: ResourceValidationPolicy = {
    name: "elb-load-balancer-prefers-application-load-balancer",
    description:
        "Classic load balancers should be replaced by application load balancers, which route on HTTP paths " +
        "and hosts, health-check target groups and support HTTP/2.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Replace the aws.elb.LoadBalancer with an aws.lb.LoadBalancer of type application, an HTTP or HTTPS " +
        "aws.lb.Listener, and an aws.lb.TargetGroup with a health check, then move the instances to the target group.",
    validateResource: validateTypes(CLASSIC_LOAD_BALANCER_TOKENS, (_props, _args, reportViolation) => {
        reportViolation("This is a classic load balancer; use an application load balancer instead.");
    }),
};
