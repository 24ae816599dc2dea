import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { UNKNOWN, protocolOf } from "./shared/targetGroups";
import { CLASSIC_LOAD_BALANCER_TOKENS } from "./shared/tokens";
import { asArray, asObject, isAbsent, isUnknown, show } from "./shared/values";

/** The classic ELB protocols that route below the HTTP layer. */
const LAYER4_PROTOCOLS: ReadonlySet<string> = new Set(["TCP", "SSL"]);

/** A classic ELB, if there is one, forwards HTTP or HTTPS on both sides of every listener. */
export const elbLoadBalancerDisallowsTcpSslListeners: ResourceValidationPolicy = {
    name: "elb-load-balancer-disallows-tcp-ssl-listeners",
    description:
        "Classic load balancer listeners must use HTTP or HTTPS on both the load balancer and the instance side, " +
        "so that requests are routed at the HTTP layer. TCP and SSL listeners are violations.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Set every listener\'s lbProtocol and instanceProtocol to "HTTP" or "HTTPS", or better, replace the classic ' +
        "load balancer with an application load balancer (aws.lb.LoadBalancer) and an HTTP or HTTPS listener.",
    validateResource: validateTypes(CLASSIC_LOAD_BALANCER_TOKENS, (props, _args, reportViolation) => {
        const listeners = asArray(props.listeners) ?? [];
        listeners.forEach((item, index) => {
            const listener = asObject(item);
            if (!listener) {
                return;
            }
            for (const side of ["lbProtocol", "instanceProtocol"] as const) {
                const protocol = protocolOf(listener[side]);
                if (protocol !== UNKNOWN && protocol !== undefined && LAYER4_PROTOCOLS.has(protocol)) {
                    const port = side === "lbProtocol" ? listener.lbPort : listener.instancePort;
                    const portText = isUnknown(port) || isAbsent(port) ? "" : ` (port ${show(port)})`;
                    reportViolation(`listeners[${index}].${side} is ${show(listener[side])}${portText}; use HTTP or HTTPS.`);
                }
            }
        });
    }),
};
