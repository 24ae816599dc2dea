import { StackValidationPolicy } from "@pulumi/policy";
import { StackIndex, follow } from "./shared/links";
import { arnProperty, isNativeType } from "./shared/native";
import { StackResource, validateStackResources } from "./shared/policy";
import { UNKNOWN, protocolOf } from "./shared/targetGroups";
import { ANY_LISTENER_RULE_TOKENS, ANY_LISTENER_TOKENS } from "./shared/tokens";
import { asObject, isUnknown, listValues, show } from "./shared/values";

/**
 * What an action of a plain-HTTP listener does instead of redirecting to HTTPS, or undefined when it
 * redirects to HTTPS or cannot be judged during preview. The redirect block is `redirect` in @pulumi/aws
 * (lb/listener: `defaultActions[].redirect.protocol`) and `redirectConfig` in aws-native
 * (ListenerAction.redirectConfig.protocol); an unset redirect protocol keeps `#{protocol}`, plain HTTP.
 */
function notHttpsRedirect(action: unknown, native: boolean): string | undefined {
    const block = asObject(action);
    if (isUnknown(action) || !block || isUnknown(block.type)) {
        return undefined;
    }
    const type = typeof block.type === "string" ? block.type.toLowerCase() : block.type;
    if (type === "forward") {
        return "forwards to a target group in plain HTTP";
    }
    if (type === "fixed-response") {
        return "answers with a fixed response in plain HTTP";
    }
    if (type !== "redirect") {
        return `is an action of type ${show(block.type)}, which serves plain HTTP`;
    }
    const key = native ? "redirectConfig" : "redirect";
    const redirect = block[key];
    if (isUnknown(redirect)) {
        return undefined;
    }
    const protocol = protocolOf(asObject(redirect)?.protocol);
    if (protocol === UNKNOWN || protocol === "HTTPS") {
        return undefined;
    }
    return protocol === undefined
        ? `redirects without ${key}.protocol "HTTPS", so it keeps plain HTTP`
        : `redirects to ${show(asObject(redirect)?.protocol)}, not "HTTPS"`;
}

/** Whether a listener speaks plain HTTP: true, false, or undefined when unknown. An unset protocol is HTTP. */
function speaksPlainHttp(listener: StackResource): boolean | undefined {
    const protocol = protocolOf(listener.props.protocol);
    if (protocol === UNKNOWN) {
        return undefined;
    }
    return protocol === undefined || protocol === "HTTP";
}

/** A listener that speaks plain HTTP only redirects to HTTPS: no forward, no page, no rule that forwards. */
export const albListenerRedirectsHttpToHttps: StackValidationPolicy = {
    name: "alb-listener-redirects-http-to-https",
    description:
        "A listener that speaks plain HTTP must only redirect to HTTPS, so that requests and the API's credentials never " +
        "cross the internet unencrypted: every default action, and every action of its listener rules, is a redirect " +
        'with protocol "HTTPS". An unset listener protocol is HTTP.',
    enforcementLevel: "advisory",
    severity: "high",
    remediationSteps:
        'Serve the API on an HTTPS listener (protocol "HTTPS", a certificateArn and an sslPolicy), and give the HTTP listener ' +
        'one default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } } ' +
        "(redirectConfig on aws-native), with no listener rules of its own.",
    validateStack: validateStackResources([...ANY_LISTENER_TOKENS, ...ANY_LISTENER_RULE_TOKENS], (resources, _args, reportViolation) => {
        const index = new StackIndex(resources);
        const listeners = index.keyed(ANY_LISTENER_TOKENS, arnProperty);
        const check = (resource: StackResource, property: string, prefix: string): void => {
            listValues(resource.props[property]).forEach((action, position) => {
                const problem = notHttpsRedirect(action, isNativeType(resource.type));
                if (problem !== undefined) {
                    reportViolation(`${prefix}: ${property}[${position}] ${problem}; it must only redirect to HTTPS.`, resource.urn);
                }
            });
        };
        for (const listener of index.ofTypes(ANY_LISTENER_TOKENS)) {
            if (speaksPlainHttp(listener) === true) {
                const port = listener.props.port;
                const portText = typeof port === "number" ? ` on port ${port}` : "";
                check(listener, "defaultActions", `Listener "${listener.name}" speaks plain HTTP${portText}`);
            }
        }
        for (const rule of index.ofTypes(ANY_LISTENER_RULE_TOKENS)) {
            const { linked } = follow(index, rule, "listenerArn", [rule.props.listenerArn], listeners);
            for (const listener of linked.filter((candidate) => speaksPlainHttp(candidate) === true)) {
                check(rule, "actions", `Listener rule "${rule.name}" belongs to plain-HTTP listener "${listener.name}"`);
            }
        }
    }),
};
