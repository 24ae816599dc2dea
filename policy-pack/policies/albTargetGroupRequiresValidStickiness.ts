import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { UNKNOWN, isHttpTargetGroup, isLambdaTargetGroup } from "./shared/targetGroups";
import { nativeAttribute } from "./shared/native";
import { ANY_TARGET_GROUP_TOKENS, NATIVE_TARGET_GROUP_TOKEN } from "./shared/tokens";
import { Props, asObject, isAbsent, isUnknown, show } from "./shared/values";

/** Stickiness types an HTTP or HTTPS target group (behind an application load balancer) accepts. */
const HTTP_STICKINESS_TYPES: ReadonlySet<string> = new Set(["lb_cookie", "app_cookie"]);
/** Every stickiness type AWS knows; the source_ip kinds are for network and gateway load balancers. */
const ALL_STICKINESS_TYPES: ReadonlySet<string> = new Set([
    "lb_cookie",
    "app_cookie",
    "source_ip",
    "source_ip_dest_ip",
    "source_ip_dest_ip_proto",
]);
/** "a, b or c". */
function orList(items: readonly string[]): string {
    return items.length > 1 ? `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}` : items.join("");
}

/** AWS's range for `cookieDuration`, in seconds: one second to seven days. */
const COOKIE_DURATION = { min: 1, max: 604800 };

/** A target group's stickiness settings in @pulumi/aws's shape, and the names to report them by. */
interface StickinessView {
    readonly stickiness: Props;
    readonly names: { readonly type: string; readonly cookieName: string; readonly cookieDuration: string };
}

/**
 * The stickiness a target group declares, or undefined when it declares none: @pulumi/aws's `stickiness`
 * block, or aws-native's `targetGroupAttributes` entries `stickiness.type`,
 * `stickiness.app_cookie.cookie_name` and `stickiness.<type>.duration_seconds` (string values; AWS's
 * ModifyTargetGroupAttributes keys), read as numbers where AWS wants one.
 */
function stickinessOf(type: string, props: Props): StickinessView | undefined {
    if (type !== NATIVE_TARGET_GROUP_TOKEN) {
        const stickiness = asObject(props.stickiness);
        return stickiness
            ? {
                  stickiness,
                  names: { type: "stickiness.type", cookieName: "stickiness.cookieName", cookieDuration: "stickiness.cookieDuration" },
              }
            : undefined;
    }
    const attribute = (key: string) => nativeAttribute(props, "targetGroupAttributes", key);
    const stickinessType = attribute("stickiness.type");
    if (isAbsent(attribute("stickiness.enabled")) && isAbsent(stickinessType)) {
        return undefined;
    }
    const durationKey = `stickiness.${stickinessType === "app_cookie" ? "app_cookie" : "lb_cookie"}.duration_seconds`;
    const duration = attribute(durationKey);
    const name = (key: string) => `targetGroupAttributes "${key}"`;
    return {
        stickiness: {
            type: stickinessType,
            cookieName: attribute("stickiness.app_cookie.cookie_name"),
            cookieDuration: typeof duration === "string" && /^\d+$/.test(duration) ? Number(duration) : duration,
        },
        names: { type: name("stickiness.type"), cookieName: name("stickiness.app_cookie.cookie_name"), cookieDuration: name(durationKey) },
    };
}

/** A target group's stickiness, when declared, is one AWS accepts and one that works. */
export const albTargetGroupRequiresValidStickiness: ResourceValidationPolicy = {
    name: "alb-target-group-requires-valid-stickiness",
    description:
        "A target group's stickiness configuration must be valid. Application load balancer target groups use " +
        "lb_cookie or app_cookie stickiness, app_cookie stickiness needs the application's cookie name, cookie " +
        "names starting with AWSALB are reserved by AWS, and the cookie duration lies within one second to seven days.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
        'Use stickiness { enabled, type: "lb_cookie", cookieDuration } or { enabled, type: "app_cookie", cookieName, ' +
        "cookieDuration } with the application's own cookie name (not AWSALB, AWSALBAPP or AWSALBTG), and a " +
        "cookieDuration from 1 to 604800 seconds. A stateless API can leave stickiness disabled.",
    validateResource: validateTypes(ANY_TARGET_GROUP_TOKENS, (props, args, reportViolation) => {
        const view = stickinessOf(args.type, props);
        if (!view || isLambdaTargetGroup(props) !== false) {
            return;
        }
        const { stickiness, names } = view;
        const type = stickiness.type;
        if (!isUnknown(type)) {
            const http = isHttpTargetGroup(props);
            const allowed = http === true ? HTTP_STICKINESS_TYPES : ALL_STICKINESS_TYPES;
            if (http !== UNKNOWN && (typeof type !== "string" || !allowed.has(type))) {
                reportViolation(
                    `${names.type} ${isAbsent(type) ? "is not set" : `is ${show(type)}`}; ` +
                        `${http ? "an HTTP or HTTPS target group" : "a target group"} ` +
                        `accepts ${orList([...allowed])}.`,
                );
            }
        }
        const cookieName = stickiness.cookieName;
        if (type === "app_cookie" && (isAbsent(cookieName) || cookieName === "")) {
            reportViolation(`${names.cookieName} is not set; app_cookie stickiness needs the application's cookie name.`);
        }
        if (typeof cookieName === "string" && !isUnknown(cookieName) && /^AWSALB/i.test(cookieName)) {
            reportViolation(`${names.cookieName} ${show(cookieName)} is reserved by AWS (AWSALB, AWSALBAPP, AWSALBTG).`);
        }
        const duration = stickiness.cookieDuration;
        if (!isAbsent(duration) && !isUnknown(duration)) {
            if (
                typeof duration !== "number" ||
                !Number.isInteger(duration) ||
                duration < COOKIE_DURATION.min ||
                duration > COOKIE_DURATION.max
            ) {
                reportViolation(
                    `${names.cookieDuration} is ${show(duration)}; AWS allows whole numbers from ${COOKIE_DURATION.min} to ${COOKIE_DURATION.max} seconds.`,
                );
            }
        }
    }),
};
