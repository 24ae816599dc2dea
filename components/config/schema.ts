/**
 * The cluster's settings: their types, defaults and rules, in one table. The stack config
 * (namespace `api-cluster`, declared in Pulumi.yaml) and `ApiClusterArgs` both follow it.
 */
import { Rule, cookieNameRule, instanceTypeRule, integerBetween, ipv4Cidr, matcherRule, matches, oneOf } from "./rules";

/** How the target group health-checks each instance. */
export interface HealthCheckSettings {
    /** Path requested on each instance; starts with `/`. Default `/health`, the lesson's Spring Boot endpoint. */
    path: string;
    /** Seconds between checks, 5 to 300. Default 10. */
    intervalSeconds: number;
    /** Seconds before a check times out, 2 to 120 and below `intervalSeconds`. Default 5. */
    timeoutSeconds: number;
    /** Consecutive successes before an instance is healthy, 2 to 10. Default 2. */
    healthyThreshold: number;
    /** Consecutive failures before an instance is unhealthy, 2 to 10. Default 2. */
    unhealthyThreshold: number;
    /** HTTP codes that count as healthy, within 200 to 499: `"200"`, `"200-299"` or `"200,204"`. Default `"200"`. */
    matcher: string;
}

/** The two kinds of sticky session an application load balancer offers. */
export type StickinessType = "lb_cookie" | "app_cookie";

/** Sticky sessions: whether a client keeps reaching the instance that first answered it. */
export interface StickinessSettings {
    /** Turns stickiness on. Default false: a stateless API needs none. */
    enabled: boolean;
    /** `lb_cookie` (the load balancer's AWSALB cookie) or `app_cookie` (follows the API's own cookie). Default `lb_cookie`. */
    type: StickinessType;
    /** The API's cookie to follow; required for `app_cookie`, not allowed for `lb_cookie`; must not start with AWSALB, AWSALBAPP or AWSALBTG. */
    cookieName?: string;
    /** Seconds a client stays on its instance, 1 to 604800 (7 days). Default 86400 (1 day). */
    durationSeconds: number;
}

/** Where the cluster's network comes from. */
export type NetworkMode = "default-vpc" | "dedicated";

/** Every setting of a cluster, with defaults applied. */
export interface ClusterSettings {
    /** Number of API instances, 1 to 100. Default 2. */
    instanceCount: number;
    /** EC2 instance type of every instance. Default `t3.micro`. */
    instanceType: string;
    /** The listener's port, 1 to 65535. Default 8082, as in the lesson. */
    port: number;
    /** The port the API listens on, 1 to 65535. Default: the same as `port`. */
    appPort: number;
    /** The target group's health check. */
    healthCheck: HealthCheckSettings;
    /** The target group's sticky sessions. Default off. */
    stickiness: StickinessSettings;
    /** Seconds a deregistering instance keeps draining in-flight requests, 0 to 3600. Default 30. */
    deregistrationDelaySeconds: number;
    /** IPv4 CIDR blocks allowed to reach the listener. Default `["0.0.0.0/0"]`. */
    allowedCidrs: string[];
    /** Availability zones the load balancer and instances span, 2 to 6. Default 2. */
    availabilityZoneCount: number;
    /** `default-vpc` (the account's default VPC) or `dedicated` (a new VPC with private subnets). Default `default-vpc`. */
    network: NetworkMode;
    /** CIDR block of the dedicated VPC, /16 to /24. Default `10.0.0.0/16`. Ignored with `default-vpc`. */
    vpcCidr: string;
    /** Turns on the load balancer's deletion protection. Default false; on in prod. */
    deletionProtection: boolean;
    /** IPv4 CIDR blocks allowed to reach port 22; never 0.0.0.0/0. Default none: no SSH rule at all. */
    sshCidrs: string[];
    /** EC2 key pair for SSH. Default none. */
    keyName?: string;
    /** HTTP Basic username of the API's admin user. Default `admin@fake.com`, as in the lesson. */
    adminUsername: string;
    /** An existing AMI to launch instead of baking one. Default none: bake with EC2 Image Builder. */
    amiId?: string;
    /** ACM certificate ARN; when set, the listener speaks HTTPS. Default none: HTTP. */
    certificateArn?: string;
}

/** Describes one setting: its JavaScript type, rule and default. */
export type SettingSpec =
    | { kind: "integer"; rule: Rule<number>; default?: number }
    | { kind: "string"; rule: Rule<string>; default?: string }
    | { kind: "boolean"; default: boolean }
    | { kind: "stringList"; itemRule: Rule<string>; default: string[] }
    | { kind: "object"; fields: Record<string, SettingSpec> };

/** Rules and defaults of the health check's fields. */
export const HEALTH_CHECK_FIELDS: Record<keyof HealthCheckSettings, SettingSpec> = {
    path: { kind: "string", rule: matches(/^\/[\x21-\x7e]{0,1023}$/, "a path that starts with / such as /health"), default: "/health" },
    intervalSeconds: { kind: "integer", rule: integerBetween(5, 300), default: 10 },
    timeoutSeconds: { kind: "integer", rule: integerBetween(2, 120), default: 5 },
    healthyThreshold: { kind: "integer", rule: integerBetween(2, 10), default: 2 },
    unhealthyThreshold: { kind: "integer", rule: integerBetween(2, 10), default: 2 },
    matcher: { kind: "string", rule: matcherRule, default: "200" },
};

/** Rules and defaults of the stickiness fields. */
export const STICKINESS_FIELDS: Record<keyof StickinessSettings, SettingSpec> = {
    enabled: { kind: "boolean", default: false },
    type: { kind: "string", rule: oneOf(["lb_cookie", "app_cookie"]), default: "lb_cookie" },
    cookieName: { kind: "string", rule: cookieNameRule },
    durationSeconds: { kind: "integer", rule: integerBetween(1, 604800), default: 86400 },
};

/**
 * Every setting. A setting without a default is optional and stays unset; `appPort` has no
 * default here because it defaults to `port` (see `applyDefaults`).
 */
export const SETTINGS: Record<keyof ClusterSettings, SettingSpec> = {
    instanceCount: { kind: "integer", rule: integerBetween(1, 100), default: 2 },
    instanceType: { kind: "string", rule: instanceTypeRule, default: "t3.micro" },
    port: { kind: "integer", rule: integerBetween(1, 65535), default: 8082 },
    appPort: { kind: "integer", rule: integerBetween(1, 65535) },
    healthCheck: { kind: "object", fields: HEALTH_CHECK_FIELDS },
    stickiness: { kind: "object", fields: STICKINESS_FIELDS },
    deregistrationDelaySeconds: { kind: "integer", rule: integerBetween(0, 3600), default: 30 },
    allowedCidrs: { kind: "stringList", itemRule: ipv4Cidr(), default: ["0.0.0.0/0"] },
    availabilityZoneCount: { kind: "integer", rule: integerBetween(2, 6), default: 2 },
    network: { kind: "string", rule: oneOf(["default-vpc", "dedicated"]), default: "default-vpc" },
    vpcCidr: { kind: "string", rule: ipv4Cidr(16, 24), default: "10.0.0.0/16" },
    deletionProtection: { kind: "boolean", default: false },
    sshCidrs: { kind: "stringList", itemRule: ipv4Cidr(), default: [] },
    keyName: { kind: "string", rule: matches(/^[\x20-\x7e]{1,255}$/, "an EC2 key pair name of 1 to 255 printable characters") },
    adminUsername: {
        kind: "string",
        rule: matches(/^[^:\s]{1,128}$/, "1 to 128 characters with no colon or whitespace, such as admin@fake.com"),
        default: "admin@fake.com",
    },
    amiId: { kind: "string", rule: matches(/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/, "an AMI id such as ami-0123456789abcdef0") },
    certificateArn: {
        kind: "string",
        rule: matches(
            /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
            "an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>",
        ),
    },
};

/** Config keys that are not settings: the admin password, a secret read on its own. */
export const SECRET_KEYS = ["adminPassword"] as const;

/** Fewest characters an admin password may have. */
export const MIN_PASSWORD_LENGTH = 12;

/** Every key the `api-cluster` config namespace accepts. */
export const KNOWN_KEYS: readonly string[] = [...Object.keys(SETTINGS), ...SECRET_KEYS];
