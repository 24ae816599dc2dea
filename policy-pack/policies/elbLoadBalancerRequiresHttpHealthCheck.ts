import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { CLASSIC_LOAD_BALANCER_TOKENS } from "./shared/tokens";
import { Props, asArray, asObject, isAbsent, isUnknown, show } from "./shared/values";

/**
 * A classic ELB's health check, `healthCheck.target` in @pulumi/aws 7.48 (types/input.d.ts,
 * LoadBalancerHealthCheck): "${PROTOCOL}:${PORT}${PATH}", where HTTP and HTTPS need a port and a path
 * and TCP and SSL take a port only. Without a healthCheck block AWS checks TCP on the first listener's
 * instance port, which sees only that a connection opens.
 */
const TARGET = /^([A-Za-z]+):(\d{1,5})(.*)$/;

/** The port a suggested check should use: the target's own, else the first listener's instance port, else 80. */
function suggestedPort(props: Props, target: RegExpExecArray | null): string {
    if (target) {
        return target[2];
    }
    const port = asObject((asArray(props.listeners) ?? [])[0])?.instancePort;
    return typeof port === "number" ? String(port) : "80";
}

/** A classic ELB health-checks its instances at the HTTP layer: HTTP or HTTPS on a path. */
export const elbLoadBalancerRequiresHttpHealthCheck: ResourceValidationPolicy = {
    name: "elb-load-balancer-requires-http-health-check",
    description:
        "A classic load balancer must health-check its instances with an HTTP or HTTPS request on a path, such as " +
        '"HTTP:8082/health", so that an instance whose API stops answering is taken out of service. A TCP or SSL check, ' +
        "or none, only sees that a connection opens.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Give the classic load balancer a healthCheck block such as { target: "HTTP:8082/health", interval: 10, timeout: 5, ' +
        "healthyThreshold: 2, unhealthyThreshold: 2 }, with the instance port and the path the application answers on.",
    validateResource: validateTypes(CLASSIC_LOAD_BALANCER_TOKENS, (props, _args, reportViolation) => {
        const value = props.healthCheck;
        if (isUnknown(value)) {
            return;
        }
        const healthCheck = asObject(value);
        const target = healthCheck?.target;
        if (isUnknown(target)) {
            return;
        }
        const parsed = typeof target === "string" ? TARGET.exec(target) : null;
        const example = `"HTTP:${suggestedPort(props, parsed)}/health"`;
        if (!healthCheck) {
            reportViolation(
                `healthCheck is not set, so AWS only checks that a TCP connection opens; set healthCheck.target to an HTTP or HTTPS path, such as ${example}.`,
            );
            return;
        }
        if (isAbsent(target) || target === "") {
            reportViolation(`healthCheck.target is not set; set it to an HTTP or HTTPS path, such as ${example}.`);
            return;
        }
        if (!parsed) {
            reportViolation(`healthCheck.target ${show(target)} is not PROTOCOL:PORT/PATH; use an HTTP or HTTPS path, such as ${example}.`);
            return;
        }
        const protocol = parsed[1].toUpperCase();
        if (protocol !== "HTTP" && protocol !== "HTTPS") {
            reportViolation(
                `healthCheck.target is ${show(target)}, which only checks that a connection opens; use an HTTP or HTTPS path, such as ${example}.`,
            );
        } else if (!parsed[3].startsWith("/")) {
            reportViolation(`healthCheck.target ${show(target)} names no path; add one, such as ${example}.`);
        }
    }),
};
