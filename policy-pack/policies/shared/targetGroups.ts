/**
 * What the target group, listener and health check policies share: protocols, forward targets and the
 * health-check rules. AWS accepts protocols in any case and stores them upper-cased, so comparisons are
 * on upper-cased values.
 */
import { KeyedResources, StackIndex, follow } from "./links";
import { awsShapedTargetGroup, nativeHealthCheckNames } from "./native";
import { StackResource } from "./policy";
import { ANY_LISTENER_RULE_TOKENS, NATIVE_TARGET_GROUP_TOKEN } from "./tokens";
import { Props, asArray, asObject, isAbsent, isUnknown, show } from "./values";

/** The protocols that route at the HTTP layer. */
export const HTTP_PROTOCOLS: ReadonlySet<string> = new Set(["HTTP", "HTTPS"]);

/** Marks a property whose value is unknown during preview. */
export const UNKNOWN = Symbol("unknown");

/** A protocol property upper-cased: UNKNOWN, undefined when unset, or the protocol. */
export function protocolOf(value: unknown): string | undefined | typeof UNKNOWN {
    if (isUnknown(value)) {
        return UNKNOWN;
    }
    if (isAbsent(value) || value === "") {
        return undefined;
    }
    return String(value).toUpperCase();
}

/** Whether a target group's targets are Lambda functions: true, false, or UNKNOWN. */
export function isLambdaTargetGroup(props: Props): boolean | typeof UNKNOWN {
    const targetType = props.targetType;
    if (isUnknown(targetType)) {
        return UNKNOWN;
    }
    return targetType === "lambda";
}

/**
 * Whether a target group serves HTTP or HTTPS: true, false, or UNKNOWN. A Lambda target group has no
 * protocol and is not one.
 */
export function isHttpTargetGroup(props: Props): boolean | typeof UNKNOWN {
    const lambda = isLambdaTargetGroup(props);
    if (lambda !== false) {
        return lambda === UNKNOWN ? UNKNOWN : false;
    }
    const protocol = protocolOf(props.protocol);
    if (protocol === UNKNOWN) {
        return UNKNOWN;
    }
    return protocol !== undefined && HTTP_PROTOCOLS.has(protocol);
}

/**
 * The target group ARNs that listener actions forward to: each action's `targetGroupArn` and each of a
 * weighted `forward`'s `targetGroups[].arn`. Values are returned as found, unknowns included; an action
 * list or block that is itself unknown yields one unknown value.
 */
function forwardTargetArns(actions: unknown): unknown[] {
    if (isUnknown(actions)) {
        return [actions];
    }
    const result: unknown[] = [];
    for (const item of asArray(actions) ?? []) {
        if (isUnknown(item)) {
            result.push(item);
            continue;
        }
        const action = asObject(item);
        if (!action) {
            continue;
        }
        if (!isAbsent(action.targetGroupArn)) {
            result.push(action.targetGroupArn);
        }
        // A weighted forward: @pulumi/aws's `forward.targetGroups[].arn`, aws-native's `forwardConfig.targetGroups[].targetGroupArn`.
        const native = !isAbsent(action.forwardConfig);
        const forward = native ? action.forwardConfig : action.forward;
        if (isUnknown(forward)) {
            result.push(forward);
            continue;
        }
        const targetGroups = asObject(forward)?.targetGroups;
        if (isUnknown(targetGroups)) {
            result.push(targetGroups);
            continue;
        }
        for (const entry of asArray(targetGroups) ?? []) {
            const arn = isUnknown(entry) ? entry : asObject(entry)?.[native ? "targetGroupArn" : "arn"];
            if (!isAbsent(arn)) {
                result.push(arn);
            }
        }
    }
    return result;
}

/**
 * The target groups in the stack that a listener's `defaultActions` or a listener rule's `actions`
 * forward to, weighted forwards included, found by ARN or by property dependency; @pulumi/aws and
 * aws-native alike.
 */
export function forwardedTargetGroups(index: StackIndex, listener: StackResource, targetGroups: KeyedResources): StackResource[] {
    const property = ANY_LISTENER_RULE_TOKENS.has(listener.type) ? "actions" : "defaultActions";
    return follow(index, listener, property, forwardTargetArns(listener.props[property]), targetGroups).linked;
}

/** How a target group spells each health check setting, for messages. */
export interface HealthCheckNames {
    /** The block that holds the settings (`healthCheck`), or undefined when they are flat (aws-native). */
    readonly block: string | undefined;
    readonly enabled: string;
    readonly protocol: string;
    readonly path: string;
    readonly matcher: string;
    readonly interval: string;
    readonly timeout: string;
    readonly healthyThreshold: string;
    readonly unhealthyThreshold: string;
}

/** @pulumi/aws's names: a `healthCheck` block. */
export const AWS_HEALTH_CHECK_NAMES: HealthCheckNames = {
    block: "healthCheck",
    enabled: "healthCheck.enabled",
    protocol: "healthCheck.protocol",
    path: "healthCheck.path",
    matcher: "healthCheck.matcher",
    interval: "healthCheck.interval",
    timeout: "healthCheck.timeout",
    healthyThreshold: "healthCheck.healthyThreshold",
    unhealthyThreshold: "healthCheck.unhealthyThreshold",
};

/** A target group as the checks read it: properties in @pulumi/aws's shape, and the names to report. */
export interface TargetGroupView {
    readonly props: Props;
    readonly names: HealthCheckNames;
}

/** A target group of either family (@pulumi/aws or aws-native) in @pulumi/aws's shape. */
export function targetGroupView(type: string, props: Props): TargetGroupView {
    return type === NATIVE_TARGET_GROUP_TOKEN
        ? { props: awsShapedTargetGroup(props), names: nativeHealthCheckNames(props) }
        : { props, names: AWS_HEALTH_CHECK_NAMES };
}

/** AWS's ranges for a target group's health check settings (ModifyTargetGroup). */
const HEALTH_CHECK_RANGES = {
    interval: { min: 5, max: 300, unit: " seconds" },
    timeout: { min: 2, max: 120, unit: " seconds" },
    healthyThreshold: { min: 2, max: 10, unit: "" },
    unhealthyThreshold: { min: 2, max: 10, unit: "" },
} as const;

/** The codes a matcher may name: 200 to 499 for HTTP, 0 to 99 for gRPC (AWS's ranges). */
const HTTP_MATCHER_RANGE = { min: 200, max: 499, label: "200 to 499" };
const GRPC_MATCHER_RANGE = { min: 0, max: 99, label: "0 to 99 for gRPC" };

/** A health check setting, by its @pulumi/aws name inside the block (`block` is the block itself). */
export type HealthCheckSetting = keyof HealthCheckNames;

/** One way a health check falls short. */
export interface HealthCheckProblem {
    /** The setting at fault. */
    readonly setting: HealthCheckSetting;
    /** The property at fault as the resource spells it, such as `healthCheck.path` or `healthCheckPath`. */
    readonly property: string;
    /** What is wrong and how to fix it, in a sentence. */
    readonly message: string;
}

/** The settings whose problems mean the target group is not health-checked at all. */
const ESSENTIAL_SETTINGS: ReadonlySet<HealthCheckSetting> = new Set(["block", "enabled", "protocol", "path"]);

function checkMatcher(matcher: string, grpc: boolean, names: HealthCheckNames, problems: HealthCheckProblem[]): void {
    const range = grpc ? GRPC_MATCHER_RANGE : HTTP_MATCHER_RANGE;
    const property = names.matcher;
    let outside = false;
    for (const part of matcher.split(",")) {
        const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
        if (!match || (match[2] !== undefined && Number(match[2]) < Number(match[1]))) {
            problems.push({
                setting: "matcher",
                property,
                message: `${property} ${show(matcher)} is not a list of codes or ranges, such as "200" or "200-299".`,
            });
            return;
        }
        const low = Number(match[1]);
        const high = match[2] === undefined ? low : Number(match[2]);
        outside = outside || low < range.min || high > range.max;
    }
    if (outside) {
        problems.push({ setting: "matcher", property, message: `${property} ${show(matcher)} reaches outside ${range.label}.` });
    }
}

function checkRange(
    healthCheck: Props,
    key: keyof typeof HEALTH_CHECK_RANGES,
    names: HealthCheckNames,
    problems: HealthCheckProblem[],
): void {
    const value = healthCheck[key];
    if (isAbsent(value) || isUnknown(value)) {
        return;
    }
    const { min, max, unit } = HEALTH_CHECK_RANGES[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        problems.push({
            setting: key,
            property: names[key],
            message: `${names[key]} is ${show(value)}; AWS allows whole numbers from ${min} to ${max}${unit}.`,
        });
    }
}

/**
 * Every way an HTTP or HTTPS target group's health check falls short, skipping values unknown during
 * preview: it must be declared and not disabled, use HTTP or HTTPS, name an explicit path starting with
 * "/" (`requiredPath` when set), keep its matcher within 200 to 499 (0 to 99 for gRPC) and its interval,
 * timeout and thresholds within AWS's ranges, with the timeout below the interval. Messages name the
 * properties as the target group's family spells them.
 */
export function healthCheckProblems(view: TargetGroupView, requiredPath?: string): HealthCheckProblem[] {
    const { props, names } = view;
    const problems: HealthCheckProblem[] = [];
    const value = props.healthCheck;
    if (isUnknown(value)) {
        return problems;
    }
    const healthCheck = asObject(value);
    if (!healthCheck) {
        problems.push({
            setting: "block",
            property: names.block ?? "healthCheck",
            message: `The target group declares no healthCheck; add one with an explicit path, such as "${requiredPath ?? "/health"}".`,
        });
        return problems;
    }
    if (healthCheck.enabled === false) {
        problems.push({
            setting: "enabled",
            property: names.enabled,
            message: `${names.enabled} is false; health checks must stay on.`,
        });
    }
    const protocol = protocolOf(healthCheck.protocol);
    if (protocol !== UNKNOWN && protocol !== undefined && !HTTP_PROTOCOLS.has(protocol)) {
        problems.push({
            setting: "protocol",
            property: names.protocol,
            message: `${names.protocol} is ${show(healthCheck.protocol)}; use HTTP or HTTPS.`,
        });
    }
    const path = healthCheck.path;
    if (!isUnknown(path)) {
        const problem = (message: string) => problems.push({ setting: "path", property: names.path, message });
        if (isAbsent(path) || path === "") {
            problem(`${names.path} is not set; set it explicitly, such as "${requiredPath ?? "/health"}".`);
        } else if (typeof path !== "string" || !path.startsWith("/")) {
            problem(`${names.path} ${show(path)} does not start with "/".`);
        } else if (requiredPath !== undefined && path !== requiredPath) {
            problem(`${names.path} is ${show(path)}; this pack's configuration requires ${show(requiredPath)}.`);
        }
    }
    const matcher = healthCheck.matcher;
    if (!isAbsent(matcher) && !isUnknown(matcher) && matcher !== "") {
        const protocolVersion = props.protocolVersion;
        if (!isUnknown(protocolVersion)) {
            const grpc = typeof protocolVersion === "string" && protocolVersion.toUpperCase() === "GRPC";
            checkMatcher(String(matcher), grpc, names, problems);
        }
    }
    checkRange(healthCheck, "interval", names, problems);
    checkRange(healthCheck, "timeout", names, problems);
    checkRange(healthCheck, "healthyThreshold", names, problems);
    checkRange(healthCheck, "unhealthyThreshold", names, problems);
    const { interval, timeout } = healthCheck;
    if (typeof interval === "number" && typeof timeout === "number" && timeout >= interval) {
        problems.push({
            setting: "timeout",
            property: names.timeout,
            message: `${names.timeout} (${timeout}) must be less than ${names.interval} (${interval}).`,
        });
    }
    return problems;
}

/**
 * Why a target group that a listener forwards to is not health-checked, or undefined when it is (or
 * cannot be judged during preview). An HTTP or HTTPS group needs an enabled HTTP or HTTPS health check
 * with an explicit path; a Lambda group needs its health check enabled (`healthCheck.enabled: true`),
 * since AWS leaves a Lambda group's health check off by default; a group of any other protocol only
 * needs its health check not disabled, since AWS health-checks it when it declares no healthCheck.
 */
export function notHealthChecked(view: TargetGroupView): string | undefined {
    const { props, names } = view;
    const lambda = isLambdaTargetGroup(props);
    if (lambda === UNKNOWN) {
        return undefined;
    }
    if (lambda) {
        const healthCheck = props.healthCheck;
        if (isUnknown(healthCheck)) {
            return undefined;
        }
        const enabled = asObject(healthCheck)?.enabled;
        if (isUnknown(enabled) || enabled === true) {
            return undefined;
        }
        return `its Lambda health check is not enabled (${names.enabled} must be true)`;
    }
    const http = isHttpTargetGroup(props);
    if (http === UNKNOWN) {
        return undefined;
    }
    const problems = healthCheckProblems(view).filter((problem) => ESSENTIAL_SETTINGS.has(problem.setting));
    if (!http) {
        // AWS health-checks such a group by default: only an explicitly disabled health check falls short.
        const disabled = problems.find((p) => p.setting === "enabled");
        return disabled ? lowerFirst(disabled.message) : undefined;
    }
    return problems.length > 0 ? lowerFirst(problems[0].message) : undefined;
}

function lowerFirst(text: string): string {
    return text.startsWith("The ") ? "t" + text.slice(1) : text;
}
