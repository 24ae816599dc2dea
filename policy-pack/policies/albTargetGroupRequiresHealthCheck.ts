import { ResourceValidationPolicy } from "@pulumi/policy";
import { readConfig, validateTypes } from "./shared/policy";
import { healthCheckProblems, isHttpTargetGroup, targetGroupView } from "./shared/targetGroups";
import { ANY_TARGET_GROUP_TOKENS } from "./shared/tokens";

/** This policy's options. */
export interface TargetGroupHealthCheckConfig {
    /** A path every health check must use, such as "/health"; empty means any explicit path. */
    requiredPath: string;
}

/** Defaults, used when the pack runs with no config file. */
export const TARGET_GROUP_HEALTH_CHECK_DEFAULTS: TargetGroupHealthCheckConfig = { requiredPath: "" };

/** Every HTTP or HTTPS target group health-checks its targets, on a path and within AWS's ranges. */
export const albTargetGroupRequiresHealthCheck: ResourceValidationPolicy = {
    name: "alb-target-group-requires-health-check",
    description:
        "HTTP and HTTPS target groups must health-check their targets. The health check must be enabled, use HTTP " +
        'or HTTPS, and name an explicit path that starts with "/"; a matcher, when given, must lie within 200 to 499; ' +
        "the interval, timeout and thresholds must lie within AWS's ranges. An aws-native target group's flat healthCheck* settings are held to the same rules.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Give the target group a healthCheck block such as { enabled: true, protocol: "HTTP", path: "/health", ' +
        'matcher: "200", interval: 10, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 2 }, with the path ' +
        "the application answers on (and the one this policy's requiredPath option names, if set).",
    configSchema: {
        properties: {
            requiredPath: {
                type: "string",
                description: 'A path every health check must use, such as "/health" or "/actuator/health". Empty allows any explicit path.',
                pattern: "^(/.*)?$",
                default: TARGET_GROUP_HEALTH_CHECK_DEFAULTS.requiredPath,
            },
        },
    },
    validateResource: validateTypes(ANY_TARGET_GROUP_TOKENS, (props, args, reportViolation) => {
        const view = targetGroupView(args.type, props);
        if (isHttpTargetGroup(view.props) !== true) {
            return;
        }
        const { requiredPath } = readConfig(args, TARGET_GROUP_HEALTH_CHECK_DEFAULTS);
        for (const problem of healthCheckProblems(view, requiredPath === "" ? undefined : requiredPath)) {
            reportViolation(problem.message);
        }
    }),
};
