import { StackValidationPolicy } from "@pulumi/policy";
import { StackIndex } from "./shared/links";
import { validateStackResources } from "./shared/policy";
import { arnProperty } from "./shared/native";
import { forwardedTargetGroups, notHealthChecked, targetGroupView } from "./shared/targetGroups";
import { ANY_FORWARDING_TOKENS, ANY_LISTENER_RULE_TOKENS, ANY_TARGET_GROUP_TOKENS } from "./shared/tokens";

/** Every target group a listener or listener rule forwards to, weighted forwards included, is health-checked. */
export const albListenerForwardsToHealthCheckedTargetGroup: StackValidationPolicy = {
    name: "alb-listener-forwards-to-health-checked-target-group",
    description:
        "Every target group that a listener or listener rule forwards to, weighted forwards included, must " +
        "health-check its targets, so that the load balancer stops sending requests to an instance that is down.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Give each forwarded-to target group an enabled HTTP or HTTPS healthCheck with an explicit path, such as " +
        '{ enabled: true, protocol: "HTTP", path: "/health" }; a Lambda target group needs healthCheck.enabled set to true.',
    validateStack: validateStackResources([...ANY_FORWARDING_TOKENS, ...ANY_TARGET_GROUP_TOKENS], (resources, _args, reportViolation) => {
        const index = new StackIndex(resources);
        const targetGroups = index.keyed(ANY_TARGET_GROUP_TOKENS, arnProperty);
        for (const listener of index.ofTypes(ANY_FORWARDING_TOKENS)) {
            const isRule = ANY_LISTENER_RULE_TOKENS.has(listener.type);
            for (const targetGroup of forwardedTargetGroups(index, listener, targetGroups)) {
                const reason = notHealthChecked(targetGroupView(targetGroup.type, targetGroup.props));
                if (reason !== undefined) {
                    reportViolation(
                        `${isRule ? "Listener rule" : "Listener"} "${listener.name}" forwards to target group ` +
                            `"${targetGroup.name}", which is not health-checked: ${reason}`,
                        listener.urn,
                    );
                }
            }
        }
    }),
};
