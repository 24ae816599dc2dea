import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { UNKNOWN, isHttpTargetGroup, isLambdaTargetGroup } from "./shared/targetGroups";
import { TARGET_GROUP_TOKENS } from "./shared/tokens";
import { asObject, isAbsent, isUnknown, show } from "./shared/values";

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
    validateResource: validateTypes(TARGET_GROUP_TOKENS, (props, _args, reportViolation) => {
        const stickiness = asObject(props.stickiness);
        if (!stickiness || isLambdaTargetGroup(props) !== false) {
            return;
        }
        const type = stickiness.type;
        if (!isUnknown(type)) {
            const http = isHttpTargetGroup(props);
            const allowed = http === true ? HTTP_STICKINESS_TYPES : ALL_STICKINESS_TYPES;
            if (http !== UNKNOWN && (typeof type !== "string" || !allowed.has(type))) {
                reportViolation(
                    `stickiness.type ${isAbsent(type) ? "is not set" : `is ${show(type)}`}; ` +
                        `${http ? "an HTTP or HTTPS target group" : "a target group"} ` +
                        `accepts ${orList([...allowed])}.`,
                );
            }
        }
        const cookieName = stickiness.cookieName;
        if (type === "app_cookie" && (isAbsent(cookieName) || cookieName === "")) {
            reportViolation("stickiness.cookieName is not set; app_cookie stickiness needs the application's cookie name.");
        }
        if (typeof cookieName === "string" && !isUnknown(cookieName) && /^AWSALB/i.test(cookieName)) {
            reportViolation(`stickiness.cookieName ${show(cookieName)} is reserved by AWS (AWSALB, AWSALBAPP, AWSALBTG).`);
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
                    `stickiness.cookieDuration is ${show(duration)}; AWS allows whole numbers from ${COOKIE_DURATION.min} to ${COOKIE_DURATION.max} seconds.`,
                );
            }
        }
    }),
};
