import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "./shared/policy";
import { loadBalancerTypeProperty, nativeAttribute } from "./shared/native";
import { ANY_LOAD_BALANCER_TOKENS, NATIVE_LOAD_BALANCER_TOKEN } from "./shared/tokens";
import { asObject, isAbsent, isUnknown, show } from "./shared/values";

/** The aws-native load balancer attributes that hold the setting (AWS's ModifyLoadBalancerAttributes keys). */
const ENABLED_ATTRIBUTE = "access_logs.s3.enabled";
const BUCKET_ATTRIBUTE = "access_logs.s3.bucket";

/** Application load balancers write access logs, so every request can be traced after an incident. */
export const albLoadBalancerRequiresAccessLogs: ResourceValidationPolicy = {
    name: "alb-load-balancer-requires-access-logs",
    description:
        "Application load balancers must write access logs to an S3 bucket, so that every request (client, target, " +
        "status, latencies) can be traced after an incident; AWS keeps no record of requests otherwise.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Set accessLogs to { bucket: <a bucket in the load balancer's region, SSE-S3, whose policy lets Elastic Load " +
        "Balancing write>, enabled: true } on the application load balancer (on aws-native, the loadBalancerAttributes " +
        `entries "${ENABLED_ATTRIBUTE}" = "true" and "${BUCKET_ATTRIBUTE}"). api-cluster does so unless accessLogs is false.`,
    validateResource: validateTypes(ANY_LOAD_BALANCER_TOKENS, (props, args, reportViolation) => {
        const type = props[loadBalancerTypeProperty(args.type)];
        if (isUnknown(type) || (!isAbsent(type) && type !== "application")) {
            return;
        }
        if (args.type === NATIVE_LOAD_BALANCER_TOKEN) {
            const enabled = nativeAttribute(props, "loadBalancerAttributes", ENABLED_ATTRIBUTE);
            const bucket = nativeAttribute(props, "loadBalancerAttributes", BUCKET_ATTRIBUTE);
            if (isUnknown(enabled) || isUnknown(bucket)) {
                return;
            }
            if (enabled !== true) {
                const setting = isAbsent(enabled) ? "is not set (AWS leaves access logs off)" : `is ${show(String(enabled))}`;
                reportViolation(`loadBalancerAttributes "${ENABLED_ATTRIBUTE}" ${setting}; set it to "true".`);
            } else if (isAbsent(bucket) || bucket === "") {
                reportViolation(`loadBalancerAttributes "${ENABLED_ATTRIBUTE}" is "true" but "${BUCKET_ATTRIBUTE}" names no bucket.`);
            }
            return;
        }
        const accessLogs = props.accessLogs;
        if (isUnknown(accessLogs)) {
            return;
        }
        const block = asObject(accessLogs);
        if (block === undefined) {
            reportViolation("accessLogs is not set, and AWS leaves access logs off; set accessLogs.enabled to true with a bucket.");
            return;
        }
        if (isUnknown(block.enabled) || isUnknown(block.bucket)) {
            return;
        }
        if (block.enabled !== true) {
            const setting = isAbsent(block.enabled) ? "is not set (it defaults to false, even with a bucket)" : `is ${show(block.enabled)}`;
            reportViolation(`accessLogs.enabled ${setting}; set it to true.`);
        } else if (isAbsent(block.bucket) || block.bucket === "") {
            reportViolation("accessLogs.enabled is true but accessLogs.bucket names no bucket.");
        }
    }),
};
