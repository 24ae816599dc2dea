import { StackValidationPolicy } from "@pulumi/policy";
import { elbHealthCheckProblem } from "./autoscalingGroupRequiresElbHealthCheck";
import { StackIndex, follow } from "./shared/links";
import { validateStackResources } from "./shared/policy";
import { AUTOSCALING_ATTACHMENT_TOKEN, AUTOSCALING_GROUP_TOKENS, AUTOSCALING_TRAFFIC_SOURCE_ATTACHMENT_TOKEN } from "./shared/tokens";

/** The resources that register an Auto Scaling group with a load balancer from outside the group. */
const ATTACHMENT_TOKENS = [AUTOSCALING_ATTACHMENT_TOKEN, AUTOSCALING_TRAFFIC_SOURCE_ATTACHMENT_TOKEN];

/**
 * The same rule as autoscaling-group-requires-elb-health-check, for a group registered with a load
 * balancer by an `aws.autoscaling.Attachment` or `TrafficSourceAttachment` rather than by its own
 * `targetGroupArns`: only the stack shows that the group is load-balanced.
 */
export const autoscalingGroupAttachedRequiresElbHealthCheck: StackValidationPolicy = {
    name: "autoscaling-group-attached-requires-elb-health-check",
    description:
        "An Auto Scaling group that an attachment registers with a load balancer must use the load balancer's health " +
        'checks (healthCheckType "ELB"); with the default "EC2" it never replaces an instance that the load balancer ' +
        "has stopped sending traffic to.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Set healthCheckType: "ELB" and a healthCheckGracePeriod that covers the API\'s boot on the attached Auto Scaling group.',
    validateStack: validateStackResources([...AUTOSCALING_GROUP_TOKENS, ...ATTACHMENT_TOKENS], (resources, _args, reportViolation) => {
        const index = new StackIndex(resources);
        const groups = index.keyed(AUTOSCALING_GROUP_TOKENS, "name");
        const reported = new Set<string>();
        for (const attachment of index.ofTypes(ATTACHMENT_TOKENS)) {
            const { linked } = follow(index, attachment, "autoscalingGroupName", [attachment.props.autoscalingGroupName], groups);
            for (const group of linked) {
                const problem = elbHealthCheckProblem(group.props.healthCheckType);
                if (problem && !reported.has(group.urn)) {
                    reported.add(group.urn);
                    reportViolation(`Auto Scaling group "${group.name}" is registered by "${attachment.name}": ${problem}`, group.urn);
                }
            }
        }
    }),
};
