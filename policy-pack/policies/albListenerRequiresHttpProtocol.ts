import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { HTTP_PROTOCOLS, UNKNOWN, protocolOf } from "./shared/targetGroups";
import { ANY_LISTENER_TOKENS } from "./shared/tokens";
import { show } from "./shared/values";

/** Listeners speak HTTP or HTTPS, never TCP, TLS, UDP or TCP_UDP. */
export const albListenerRequiresHttpProtocol: ResourceValidationPolicy = {
    name: "alb-listener-requires-http-protocol",
    description:
        "Load balancer listeners must use HTTP or HTTPS, so that requests are routed at the HTTP layer. " +
        "TCP, TLS, UDP and TCP_UDP listeners are violations; an unset protocol is HTTP on an application load balancer.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Set the listener\'s protocol to "HTTP" or "HTTPS" (HTTPS needs a certificateArn and an sslPolicy), ' +
        "and attach it to an application load balancer.",
    validateResource: validateTypes(ANY_LISTENER_TOKENS, (props, _args, reportViolation) => {
        const protocol = protocolOf(props.protocol);
        if (protocol === UNKNOWN || protocol === undefined || HTTP_PROTOCOLS.has(protocol)) {
            return;
        }
        reportViolation(`protocol is ${show(props.protocol)}; use HTTP or HTTPS.`);
    }),
};
