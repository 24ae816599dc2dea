/**
 * The cluster's settings: their types, defaults and rules, in one table. The stack config
 * (namespace `api-cluster`, declared in Pulumi.yaml), `ApiClusterArgs` and README.md's
 * configuration table all follow it; tests/package/settingsAgreement.test.ts holds them together.
 *
 * The `*Args` interfaces below are the documented ones: their doc comments become the
 * descriptions in every language's SDK (Pulumi infers the component's schema from them), so
 * they use only shapes that inference reads: plain interfaces, `as const` choice objects
 * declared before their type, `pulumi.Input<T>` for values known only at deploy time.
 */
import * as pulumi from "@pulumi/pulumi";
import { Rule, cookieNameRule, instanceTypeRule, integerBetween, ipv4Cidr, matcherRule, matches } from "./rules";

/** The two kinds of sticky session an application load balancer offers. */
export const StickinessType = {
    /** The load balancer's own cookie, AWSALB. */
    LbCookie: "lb_cookie",
    /** Follows the API's own cookie, named by `cookieName`. */
    AppCookie: "app_cookie",
} as const;
/** The two kinds of sticky session an application load balancer offers. */
export type StickinessType = (typeof StickinessType)[keyof typeof StickinessType];

/** Where the cluster's network comes from. */
export const NetworkMode = {
    /** The account's default VPC. */
    DefaultVpc: "default-vpc",
    /** A new VPC with public subnets for the load balancer and private ones for the instances. */
    Dedicated: "dedicated",
} as const;
/** Where the cluster's network comes from. */
export type NetworkMode = (typeof NetworkMode)[keyof typeof NetworkMode];

/** How the target group health-checks each instance; each field left out takes its default. */
export interface HealthCheck {
    /** Path requested on each instance; starts with `/`. Default `/health`, the lesson's Spring Boot endpoint. */
    path?: string;
    /** Seconds between checks, an integer from 5 to 300. Default 10. */
    intervalSeconds?: number;
    /** Seconds before a check times out, an integer from 2 to 120 and below `intervalSeconds`. Default 5. */
    timeoutSeconds?: number;
    /** Consecutive successes before an instance is healthy, an integer from 2 to 10. Default 2. */
    healthyThreshold?: number;
    /** Consecutive failures before an instance is unhealthy, an integer from 2 to 10. Default 2. */
    unhealthyThreshold?: number;
    /** HTTP codes that count as healthy, within 200 to 499: `"200"`, `"200-299"` or `"200,204"`. Default `"200"`. */
    matcher?: string;
}

/** Sticky sessions: whether a client keeps reaching the instance that first answered it; each field left out takes its default. */
export interface Stickiness {
    /** Turns stickiness on. Default false: a stateless API needs none. The block is always sent, since removing it leaves stickiness on in AWS. */
    enabled?: boolean;
    /** `lb_cookie` (the load balancer's AWSALB cookie) or `app_cookie` (follows the API's own cookie). Default `lb_cookie`. */
    type?: StickinessType;
    /** The API's cookie to follow; required for `app_cookie`, refused for `lb_cookie`; must not start with AWSALB, AWSALBAPP or AWSALBTG. Default none. */
    cookieName?: string;
    /** Seconds a client stays on its instance, an integer from 1 to 604800 (7 days). Default 86400 (1 day). */
    durationSeconds?: number;
}

/**
 * Every setting of a cluster, each optional with the default its doc comment names. Settings
 * that shape the resources (counts, modes, ports, lists) are plain values, validated when the
 * cluster is declared; the `pulumi.Input` ones may come from other resources or be secret and
 * are validated once their value is known.
 */
export interface ClusterSettingsArgs {
    /** Number of API instances, an integer from 1 to 100, spread round-robin across the availability zones. Default 2. */
    instanceCount?: number;
    /** EC2 instance type of every API instance, such as t3.micro or m7i.large. Default `t3.micro`. */
    instanceType?: string;
    /** Port of the load balancer's listener, an integer from 1 to 65535. Default 8082, as in the lesson. */
    port?: number;
    /** Port the API listens on inside each instance, an integer from 1 to 65535. Default: the same as `port`. */
    appPort?: number;
    /** The target group's health check. */
    healthCheck?: HealthCheck;
    /** The target group's sticky sessions. Default off. */
    stickiness?: Stickiness;
    /** Seconds the target group keeps draining a deregistering instance's in-flight requests, an integer from 0 to 3600. Default 30. */
    deregistrationDelaySeconds?: number;
    /** IPv4 CIDR blocks (host bits zero) allowed to reach the listener. Default `["0.0.0.0/0"]`. */
    allowedCidrs?: string[];
    /** Number of availability zones the load balancer and the instances span, an integer from 2 to 6. Default 2. */
    availabilityZoneCount?: number;
    /** Where the cluster runs: `default-vpc` (the account's default VPC; instances get a public IP for egress, but their security group admits nothing from the internet) or `dedicated` (a new VPC with public subnets for the load balancer, private ones for the instances and a NAT gateway per zone). Default `default-vpc`. */
    network?: NetworkMode;
    /** IPv4 CIDR block of the dedicated VPC, a /16 to /24; ignored with `default-vpc`. Default `10.0.0.0/16`. */
    vpcCidr?: string;
    /** Turns on the load balancer's deletion protection. Default false; on in staging and prod. */
    deletionProtection?: boolean;
    /** IPv4 CIDR blocks allowed to reach port 22 on the instances; never 0.0.0.0/0. Default none: no SSH rule at all. */
    sshCidrs?: string[];
    /** EC2 key pair for SSH. Default none. */
    keyName?: pulumi.Input<string>;
    /** HTTP Basic username of the API's admin user, 1 to 128 characters without colon or whitespace. Default `admin@fake.com`, as in the lesson. */
    adminUsername?: string;
    /** An existing AMI (`ami-…`) to launch instead of baking one, such as the image staging tested. Default none: bake with EC2 Image Builder. */
    amiId?: pulumi.Input<string>;
    /** ACM certificate ARN; when set, the listener speaks HTTPS with ELBSecurityPolicy-TLS13-1-2-2021-06. Default none: HTTP. */
    certificateArn?: pulumi.Input<string>;
}

/** Settings the table gives no default: they stay unset unless given. */
export type UnsetByDefault = "keyName" | "amiId" | "certificateArn";

/** The health check with every default applied. */
export type HealthCheckSettings = Required<HealthCheck>;

/** Stickiness with every default applied; `cookieName` stays unset unless given. */
export type StickinessSettings = Required<Omit<Stickiness, "cookieName">> & Pick<Stickiness, "cookieName">;

/**
 * Every setting with its default applied: what validation returns and the building blocks read.
 * Documented on ClusterSettingsArgs.
 */
export type ClusterSettings = Required<Omit<ClusterSettingsArgs, UnsetByDefault | "healthCheck" | "stickiness">> &
    Pick<ClusterSettingsArgs, UnsetByDefault> & {
        healthCheck: HealthCheckSettings;
        stickiness: StickinessSettings;
    };

/**
 * Describes one setting: its JavaScript type, rule and default. `choice` takes one value of an
 * `as const` object; `acceptsOutput` marks a setting typed `pulumi.Input` in the args, which
 * may arrive as an Output and is then checked when its value is known.
 */
export type SettingSpec =
    | { kind: "integer"; rule: Rule<number>; default?: number }
    | { kind: "string"; rule: Rule<string>; default?: string; acceptsOutput?: true }
    | { kind: "choice"; choices: readonly string[]; default?: string }
    | { kind: "boolean"; default: boolean }
    | { kind: "stringList"; itemRule: Rule<string>; default: string[] }
    | { kind: "object"; fields: Record<string, SettingSpec> };

/** Rules and defaults of the health check's fields. */
export const HEALTH_CHECK_FIELDS: Record<keyof HealthCheck, SettingSpec> = {
    path: { kind: "string", rule: matches(/^\/[\x21-\x7e]{0,1023}$/, "a path that starts with / such as /health"), default: "/health" },
    intervalSeconds: { kind: "integer", rule: integerBetween(5, 300), default: 10 },
    timeoutSeconds: { kind: "integer", rule: integerBetween(2, 120), default: 5 },
    healthyThreshold: { kind: "integer", rule: integerBetween(2, 10), default: 2 },
    unhealthyThreshold: { kind: "integer", rule: integerBetween(2, 10), default: 2 },
    matcher: { kind: "string", rule: matcherRule, default: "200" },
};

/** Rules and defaults of the stickiness fields. */
export const STICKINESS_FIELDS: Record<keyof Stickiness, SettingSpec> = {
    enabled: { kind: "boolean", default: false },
    type: { kind: "choice", choices: Object.values(StickinessType), default: StickinessType.LbCookie },
    cookieName: { kind: "string", rule: cookieNameRule },
    durationSeconds: { kind: "integer", rule: integerBetween(1, 604800), default: 86400 },
};

/**
 * Every setting. A setting without a default is optional and stays unset; `appPort` has no
 * default here because it defaults to `port` (see `resolveSettings`).
 */
export const SETTINGS: Record<keyof ClusterSettingsArgs, SettingSpec> = {
    instanceCount: { kind: "integer", rule: integerBetween(1, 100), default: 2 },
    instanceType: { kind: "string", rule: instanceTypeRule, default: "t3.micro" },
    port: { kind: "integer", rule: integerBetween(1, 65535), default: 8082 },
    appPort: { kind: "integer", rule: integerBetween(1, 65535) },
    healthCheck: { kind: "object", fields: HEALTH_CHECK_FIELDS },
    stickiness: { kind: "object", fields: STICKINESS_FIELDS },
    deregistrationDelaySeconds: { kind: "integer", rule: integerBetween(0, 3600), default: 30 },
    allowedCidrs: { kind: "stringList", itemRule: ipv4Cidr(), default: ["0.0.0.0/0"] },
    availabilityZoneCount: { kind: "integer", rule: integerBetween(2, 6), default: 2 },
    network: { kind: "choice", choices: Object.values(NetworkMode), default: NetworkMode.DefaultVpc },
    vpcCidr: { kind: "string", rule: ipv4Cidr(16, 24), default: "10.0.0.0/16" },
    deletionProtection: { kind: "boolean", default: false },
    sshCidrs: { kind: "stringList", itemRule: ipv4Cidr(), default: [] },
    keyName: {
        kind: "string",
        rule: matches(/^[\x20-\x7e]{1,255}$/, "an EC2 key pair name of 1 to 255 printable characters"),
        acceptsOutput: true,
    },
    adminUsername: {
        kind: "string",
        rule: matches(/^[^:\s]{1,128}$/, "1 to 128 characters with no colon or whitespace, such as admin@fake.com"),
        default: "admin@fake.com",
    },
    amiId: {
        kind: "string",
        rule: matches(/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/, "an AMI id such as ami-0123456789abcdef0"),
        acceptsOutput: true,
    },
    certificateArn: {
        kind: "string",
        rule: matches(
            /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
            "an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>",
        ),
        acceptsOutput: true,
    },
};

/** Config keys that are not settings: the admin password, a secret read on its own. */
export const SECRET_KEYS = ["adminPassword"] as const;

/** Fewest characters an admin password may have. */
export const MIN_PASSWORD_LENGTH = 12;

/** Every key the `api-cluster` config namespace accepts. */
export const KNOWN_KEYS: readonly string[] = [...Object.keys(SETTINGS), ...SECRET_KEYS];
