import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { HTTP_PROTOCOLS, UNKNOWN, isLambdaTargetGroup, protocolOf } from "./shared/targetGroups";
import { ANY_TARGET_GROUP_TOKENS } from "./shared/tokens";
import { show } from "./shared/values";

/** Target groups speak HTTP or HTTPS to their targets; Lambda target groups have no protocol. */
export const albTargetGroupRequiresHttpProtocol: ResourceValidationPolicy = {
    name: "alb-target-group-requires-http-protocol",
    description:
        "Target groups must use HTTP or HTTPS, so that the load balancer talks to its targets at the HTTP layer. " +
        "A Lambda target group has no protocol and is exempt.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Set the target group\'s protocol to "HTTP" (or "HTTPS" when the instances terminate TLS) and its port to ' +
        "the port the application listens on.",
    validateResource: validateTypes(ANY_TARGET_GROUP_TOKENS, (props, _args, reportViolation) => {
        if (isLambdaTargetGroup(props) !== false) {
            return;
        }
        const protocol = protocolOf(props.protocol);
        if (protocol === UNKNOWN || (protocol !== undefined && HTTP_PROTOCOLS.has(protocol))) {
            return;
        }
        reportViolation(
            protocol === undefined
                ? "protocol is not set; a target group of instances or IP addresses needs HTTP or HTTPS."
                : `protocol is ${show(props.protocol)}; use HTTP or HTTPS.`,
        );
    }),
};
