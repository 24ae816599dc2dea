import { StackValidationPolicy } from "@pulumi/policy";
import { StackIndex, follow } from "./shared/links";
import { validateStackResources } from "./shared/policy";
import { arnProperty, loadBalancerTypeProperty } from "./shared/native";
import { ANY_LISTENER_TOKENS, ANY_LOAD_BALANCER_TOKENS } from "./shared/tokens";
import { isAbsent, isUnknown } from "./shared/values";

/** Every application load balancer in the stack has a listener. */
export const albLoadBalancerRequiresListener: StackValidationPolicy = {
    name: "alb-load-balancer-requires-listener",
    description:
        "Every application load balancer must have at least one listener; without one it accepts no connections " +
        "and the API behind it is unreachable.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Add an aws.lb.Listener with loadBalancerArn set to the load balancer\'s arn, protocol "HTTP" or "HTTPS", ' +
        "and a default action that forwards to a health-checked target group.",
    validateStack: validateStackResources([...ANY_LOAD_BALANCER_TOKENS, ...ANY_LISTENER_TOKENS], (resources, _args, reportViolation) => {
        const index = new StackIndex(resources);
        const loadBalancers = index.keyed(ANY_LOAD_BALANCER_TOKENS, arnProperty);
        const listened = new Set<string>();
        let complete = true;
        for (const listener of index.ofTypes(ANY_LISTENER_TOKENS)) {
            const links = follow(index, listener, "loadBalancerArn", [listener.props.loadBalancerArn], loadBalancers);
            for (const loadBalancer of links.linked) {
                listened.add(loadBalancer.urn);
            }
            complete = complete && links.complete;
        }
        if (!complete) {
            // Some listener's load balancer cannot be placed during this preview: it may be any of them.
            return;
        }
        for (const loadBalancer of index.ofTypes(ANY_LOAD_BALANCER_TOKENS)) {
            const type = loadBalancer.props[loadBalancerTypeProperty(loadBalancer.type)];
            const application = !isUnknown(type) && (isAbsent(type) || type === "application");
            if (application && !listened.has(loadBalancer.urn)) {
                reportViolation(
                    `Application load balancer "${loadBalancer.name}" has no listener; add an HTTP or HTTPS listener.`,
                    loadBalancer.urn,
                );
            }
        }
    }),
};
