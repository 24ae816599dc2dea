/**
 * aws-native resources read in @pulumi/aws's shape, so that one check serves both families. aws-native
 * names properties as CloudFormation does, camel-cased; the shapes below are those of
 * pulumi/pulumi-aws-native's sdk/nodejs/elasticloadbalancingv2/{loadBalancer,listener,targetGroup}.ts
 * (AWS::ElasticLoadBalancingV2::*): a load balancer's `type`; a listener's `protocol` and `defaultActions`
 * whose weighted forward is `forwardConfig.targetGroups[].targetGroupArn` and whose redirect is
 * `redirectConfig`; a target group's flat `healthCheckEnabled`, `healthCheckProtocol`, `healthCheckPath`,
 * `healthCheckIntervalSeconds`, `healthCheckTimeoutSeconds`, `healthyThresholdCount`,
 * `unhealthyThresholdCount` and `matcher: { httpCode, grpcCode }`; and each one's ARN as its own output
 * (`loadBalancerArn`, `listenerArn`, `ruleArn`, `targetGroupArn`) where @pulumi/aws has `arn`.
 */
import { NATIVE_LISTENER_RULE_TOKEN, NATIVE_LISTENER_TOKEN, NATIVE_LOAD_BALANCER_TOKEN, NATIVE_TARGET_GROUP_TOKEN } from "./tokens";
import { Props, asObject, isUnknown } from "./values";

/** Whether `type` is an aws-native token. */
export function isNativeType(type: string): boolean {
    return type.startsWith("aws-native:");
}

/** The property that holds an Elastic Load Balancing v2 resource's ARN: `arn`, or aws-native's own name. */
export function arnProperty(type: string): string {
    switch (type) {
        case NATIVE_LOAD_BALANCER_TOKEN:
            return "loadBalancerArn";
        case NATIVE_LISTENER_TOKEN:
            return "listenerArn";
        case NATIVE_LISTENER_RULE_TOKEN:
            return "ruleArn";
        case NATIVE_TARGET_GROUP_TOKEN:
            return "targetGroupArn";
        default:
            return "arn";
    }
}

/** The property that holds a load balancer's type: `loadBalancerType`, or aws-native's `type`. */
export function loadBalancerTypeProperty(type: string): string {
    return type === NATIVE_LOAD_BALANCER_TOKEN ? "type" : "loadBalancerType";
}

/** Whether an aws-native target group speaks gRPC (`protocolVersion: "GRPC"`), whose matcher is `grpcCode`. */
function isGrpc(props: Props): boolean {
    const version = props.protocolVersion;
    return typeof version === "string" && version.toUpperCase() === "GRPC";
}

/** How an aws-native target group spells each health check setting, for messages. */
export function nativeHealthCheckNames(props: Props) {
    return {
        block: undefined,
        enabled: "healthCheckEnabled",
        protocol: "healthCheckProtocol",
        path: "healthCheckPath",
        matcher: isGrpc(props) ? "matcher.grpcCode" : "matcher.httpCode",
        interval: "healthCheckIntervalSeconds",
        timeout: "healthCheckTimeoutSeconds",
        healthyThreshold: "healthyThresholdCount",
        unhealthyThreshold: "unhealthyThresholdCount",
    };
}

/**
 * An aws-native target group's properties in @pulumi/aws's shape: its flat health check settings gathered
 * into a `healthCheck` block. Values unknown during preview stay the unknown sentinel.
 */
export function awsShapedTargetGroup(props: Props): Props {
    const matcher = props.matcher;
    return {
        protocol: props.protocol,
        protocolVersion: props.protocolVersion,
        targetType: props.targetType,
        healthCheck: {
            enabled: props.healthCheckEnabled,
            protocol: props.healthCheckProtocol,
            path: props.healthCheckPath,
            matcher: isUnknown(matcher) ? matcher : asObject(matcher)?.[isGrpc(props) ? "grpcCode" : "httpCode"],
            interval: props.healthCheckIntervalSeconds,
            timeout: props.healthCheckTimeoutSeconds,
            healthyThreshold: props.healthyThresholdCount,
            unhealthyThreshold: props.unhealthyThresholdCount,
        },
    };
}

/**
 * An attribute of an aws-native load balancer or target group (`loadBalancerAttributes`,
 * `targetGroupAttributes`: lists of `{ key, value }` with string values) as the aws-shaped checks read
 * it: true or false for "true" and "false", the value itself otherwise, undefined when it is absent, or
 * the unknown value when the list, or an entry that might hold it, is unknown during preview.
 */
export function nativeAttribute(props: Props, list: string, key: string): unknown {
    const entries = props[list];
    if (isUnknown(entries)) {
        return entries;
    }
    let found: unknown = undefined;
    for (const item of Array.isArray(entries) ? entries : []) {
        if (isUnknown(item) || isUnknown(asObject(item)?.key)) {
            return isUnknown(item) ? item : asObject(item)?.key;
        }
        const entry = asObject(item);
        if (entry?.key === key) {
            found = entry.value;
        }
    }
    return found === "true" ? true : found === "false" ? false : found;
}
