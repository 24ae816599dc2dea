import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { AUTOSCALING_GROUP_TOKENS } from "./shared/tokens";
import { asArray, isAbsent, isUnknown, show } from "./shared/values";

/** Whether a list property has at least one element; undefined when it is unknown during preview. */
function nonEmpty(value: unknown): boolean | undefined {
    if (isUnknown(value)) {
        return undefined;
    }
    return (asArray(value)?.length ?? 0) > 0;
}

/**
 * What is wrong with a load-balanced group's `healthCheckType`; undefined when it is `ELB` or not
 * known during preview. Shared with the policy for groups registered by attachment resources.
 */
export function elbHealthCheckProblem(type: unknown): string | undefined {
    if (isUnknown(type) || type === "ELB") {
        return undefined;
    }
    return isAbsent(type)
        ? 'healthCheckType is not set, so it is "EC2" and the load balancer\'s health checks are ignored; set it to "ELB".'
        : `healthCheckType is ${show(type)}, so the load balancer's health checks are ignored; set it to "ELB".`;
}

/**
 * An Auto Scaling group that registers its instances with a target group (`targetGroupArns`,
 * `trafficSources`) or a classic load balancer (`loadBalancers`, names of `aws.elb.LoadBalancer`s in
 * @pulumi/aws 7.48's autoscaling/group.d.ts) replaces the instances the load balancer finds unhealthy,
 * not only those EC2 finds impaired.
 */
export const autoscalingGroupRequiresElbHealthCheck: ResourceValidationPolicy = {
    name: "autoscaling-group-requires-elb-health-check",
    description:
        "An Auto Scaling group registered with a target group or a classic load balancer must use the load balancer's health checks " +
        '(healthCheckType "ELB"); with the default "EC2" it never replaces an instance that the load balancer ' +
        "has stopped sending traffic to.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: 'Set healthCheckType: "ELB" and a healthCheckGracePeriod that covers the API\'s boot on the Auto Scaling group.',
    validateResource: validateTypes(AUTOSCALING_GROUP_TOKENS, (props, _args, reportViolation) => {
        // Target groups (`targetGroupArns`), traffic sources, and classic load balancers by name (`loadBalancers`).
        const registrations = [props.targetGroupArns, props.trafficSources, props.loadBalancers].map(nonEmpty);
        if (registrations.includes(undefined) || !registrations.includes(true)) {
            return;
        }
        const problem = elbHealthCheckProblem(props.healthCheckType);
        if (problem) {
            reportViolation(problem);
        }
    }),
};
