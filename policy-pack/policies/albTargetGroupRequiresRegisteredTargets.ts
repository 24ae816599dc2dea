import { StackValidationPolicy } from "@pulumi/policy";
import { StackIndex, follow } from "./shared/links";
import { arnProperty } from "./shared/native";
import { StackResource, validateStackResources } from "./shared/policy";
import { forwardedTargetGroups } from "./shared/targetGroups";
import {
    AUTOSCALING_ATTACHMENT_TOKEN,
    AUTOSCALING_GROUP_TOKEN,
    AUTOSCALING_TRAFFIC_SOURCE_ATTACHMENT_TOKEN,
    ANY_FORWARDING_TOKENS,
    ANY_TARGET_GROUP_TOKENS,
    ECS_SERVICE_TOKEN,
    NATIVE_TARGET_GROUP_TOKEN,
    TARGET_GROUP_ATTACHMENT_TOKENS,
} from "./shared/tokens";
import { asArray, asObject, isUnknown, listValues } from "./shared/values";

/** Values of `property` of each element of an array property (`loadBalancers[].targetGroupArn`). */
function elementValues(list: unknown, property: string): unknown[] {
    return listValues(list).map((item) => (isUnknown(item) ? item : asObject(item)?.[property]));
}

/** Where each kind of registering resource names its target groups: top-level property and values. */
function registrationReferences(resource: StackResource): [string, unknown[]][] {
    const props = resource.props;
    if (TARGET_GROUP_ATTACHMENT_TOKENS.has(resource.type)) {
        return [["targetGroupArn", [props.targetGroupArn]]];
    }
    switch (resource.type) {
        case AUTOSCALING_GROUP_TOKEN:
            return [
                ["targetGroupArns", listValues(props.targetGroupArns)],
                ["trafficSources", elementValues(props.trafficSources, "identifier")],
            ];
        case AUTOSCALING_ATTACHMENT_TOKEN:
            return [["lbTargetGroupArn", [props.lbTargetGroupArn]]];
        case AUTOSCALING_TRAFFIC_SOURCE_ATTACHMENT_TOKEN: {
            const source = props.trafficSource;
            return [["trafficSource", [isUnknown(source) ? source : asObject(source)?.identifier]]];
        }
        case ECS_SERVICE_TOKEN:
            return [["loadBalancers", elementValues(props.loadBalancers, "targetGroupArn")]];
        default:
            return [];
    }
}

const REGISTERING_TOKENS = [
    ...TARGET_GROUP_ATTACHMENT_TOKENS,
    AUTOSCALING_GROUP_TOKEN,
    AUTOSCALING_ATTACHMENT_TOKEN,
    AUTOSCALING_TRAFFIC_SOURCE_ATTACHMENT_TOKEN,
    ECS_SERVICE_TOKEN,
];

/** A target group that a listener forwards to has targets to forward to. */
export const albTargetGroupRequiresRegisteredTargets: StackValidationPolicy = {
    name: "alb-target-group-requires-registered-targets",
    description:
        "A target group that a listener forwards to should have at least one registered target, through a target " +
        "group attachment, an Auto Scaling group, an ECS service or (aws-native) its own targets list; otherwise every " +
        "request it receives fails with 503.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Register the instances with aws.lb.TargetGroupAttachment (targetGroupArn, targetId, port), or list the " +
        "target group in an Auto Scaling group's targetGroupArns or an ECS service's loadBalancers.",
    validateStack: validateStackResources(
        [...ANY_FORWARDING_TOKENS, ...ANY_TARGET_GROUP_TOKENS, ...REGISTERING_TOKENS],
        (resources, _args, reportViolation) => {
            const index = new StackIndex(resources);
            const targetGroups = index.keyed(ANY_TARGET_GROUP_TOKENS, arnProperty);
            const forwarded = new Map<string, StackResource>();
            for (const listener of index.ofTypes(ANY_FORWARDING_TOKENS)) {
                for (const targetGroup of forwardedTargetGroups(index, listener, targetGroups)) {
                    forwarded.set(targetGroup.urn, targetGroup);
                }
            }
            if (forwarded.size === 0) {
                return;
            }
            const registered = new Set<string>();
            let complete = true;
            // An aws-native target group can list its targets itself (`targets[]`, pulumi/pulumi-aws-native
            // sdk/nodejs/elasticloadbalancingv2/targetGroup.ts).
            for (const targetGroup of index.ofTypes([NATIVE_TARGET_GROUP_TOKEN])) {
                const targets = targetGroup.props.targets;
                if (isUnknown(targets)) {
                    complete = false;
                } else if ((asArray(targets)?.length ?? 0) > 0) {
                    registered.add(targetGroup.urn);
                }
            }
            for (const resource of index.ofTypes(REGISTERING_TOKENS)) {
                for (const [property, values] of registrationReferences(resource)) {
                    const links = follow(index, resource, property, values, targetGroups);
                    for (const targetGroup of links.linked) {
                        registered.add(targetGroup.urn);
                    }
                    complete = complete && links.complete;
                }
            }
            if (!complete) {
                // Some registration cannot be placed during this preview: it may be for any target group.
                return;
            }
            for (const targetGroup of forwarded.values()) {
                if (!registered.has(targetGroup.urn)) {
                    reportViolation(
                        `Target group "${targetGroup.name}" receives traffic from a listener but has no registered targets; ` +
                            "attach instances, an Auto Scaling group or an ECS service.",
                        targetGroup.urn,
                    );
                }
            }
        },
    ),
};
