/**
 * The cluster's settings: their types, defaults and rules, in one table. The stack config
 * (namespace `api-cluster`, declared in Pulumi.yaml) and `ApiClusterArgs` both follow it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { vpcCidrRule } from "../vpcLayout";
import {
    Rule,
    cookieNameRule,
    instanceTypeRule,
    integerBetween,
    integerOneOf,
    ipv4Cidr,
    javaClassNameRule,
    jvmOptionRule,
    matcherRule,
    matches,
    oneOf,
    subnetIdRule,
    vpcIdRule,
    dnsNameRule,
} from "./rules";

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
export const NetworkMode = {
    /** The account's default VPC and its default subnets; instances get a public IP for egress. */
    DefaultVpc: "default-vpc",
    /** A new VPC from awsx: public subnets for the load balancer, private ones with a NAT gateway per zone. */
    Dedicated: "dedicated",
    /** A VPC someone else owns, given as `existingNetwork`; the cluster creates nothing network-related. */
    Existing: "existing",
} as const;

/** One of the NetworkMode values. */
export type NetworkMode = (typeof NetworkMode)[keyof typeof NetworkMode];

/**
 * A VPC and subnets that someone else owns (`network: existing`). In ApiClusterArgs the ids may be
 * Outputs, e.g. from a StackReference to a network stack; ids known up front are checked before
 * anything is registered, the rest when they resolve.
 */
export interface ExistingNetworkSettings {
    /** The VPC's id, such as vpc-0123456789abcdef0. */
    vpcId: pulumi.Input<string>;
    /** At least 2 distinct subnets of that VPC, each in its own availability zone; public ones for an internet-facing load balancer. */
    loadBalancerSubnetIds: pulumi.Input<string>[];
    /** At least 1 distinct subnet of that VPC for the instances, with outbound access to SSM, S3 and the Image Builder bake; instance i goes to subnet i modulo their number. */
    instanceSubnetIds: pulumi.Input<string>[];
}

/** Where the API that the bake installs comes from. */
export enum AppSource {
    /** A Maven project folder holding a `pom.xml`; built with `mvn -B package`, tests skipped. */
    Maven = "maven",
    /** A runnable jar file, installed as it is. */
    Jar = "jar",
}

/** The Java versions the bake can install (Amazon Corretto). */
export const JAVA_VERSIONS = [17, 21] as const;

/** The API the image runs: what to build, with which Java, and how to start it. */
export interface AppSettings {
    /** `maven` (a Maven project folder) or `jar` (a runnable jar file). Default `maven`. */
    source: AppSource;
    /** The project folder or the jar, relative to the project root (where Pulumi.yaml is) or absolute. Default `app`, the reference API. */
    path: string;
    /** The Amazon Corretto major version the bake installs and runs the API with: 17 or 21. Default 17. */
    javaVersion: number;
    /** Up to 16 JVM options placed before `-jar`, such as `-Xmx512m` or `-Dspring.profiles.active=prod`; never a secret (they are baked into the image). Default none. */
    jvmOptions: string[];
    /** The class to run, for a jar whose manifest has no `Main-Class`; the API then starts with `-cp <jar> <mainClass>`. Default none: `-jar`. */
    mainClass?: string;
}
/** How the API's instances are launched and kept running. */
export enum FleetMode {
    /** N bare `aws.ec2.Instance`s, one target group attachment each; a replacement waits for its target to be healthy. */
    Instances = "instances",
    /** An Auto Scaling group from a launch template: heals itself, scales on load and rolls out a new AMI with an instance refresh. */
    AutoScaling = "autoscaling",
}

/** Fewest instances the Auto Scaling group may run; the lower bound of `minInstanceCount`. */
export const FLEET_SIZE_FLOOR = 1;
/** Most instances the Auto Scaling group may run; the upper bound of `maxInstanceCount`, as of `instanceCount`. */
export const FLEET_SIZE_CEILING = 100;
/** `maxInstanceCount` defaults to this many times `instanceCount` (at most FLEET_SIZE_CEILING): room to scale out on load. */
export const DEFAULT_MAX_INSTANCE_FACTOR = 2;
/** Default load each instance should carry: 1,000 requests a minute (about 17 a second), well within a t3.micro JVM. */
export const DEFAULT_TARGET_REQUESTS_PER_MINUTE = 1000;
/** Default seconds the Auto Scaling group ignores a new instance's load balancer health: a JVM boot with margin. */
export const DEFAULT_HEALTH_CHECK_GRACE_SECONDS = 300;
/** Default seconds a new instance warms up before its metrics count, in scaling and in an instance refresh: a JVM's start and JIT. */
export const DEFAULT_INSTANCE_WARMUP_SECONDS = 180;

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
    /** `default-vpc` (the account's default VPC), `dedicated` (a new VPC with private subnets) or `existing` (`existingNetwork`). Default `default-vpc`. */
    network: NetworkMode;
    /** CIDR block of the dedicated VPC, /16 to /23: each zone gets an eighth of it, halved into a public and a private subnet, and a load balancer subnet needs at least a /27. Default `10.0.0.0/16`. Ignored unless `network` is `dedicated`. */
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
    /**
     * ACM certificate ARN; when set, the listener speaks HTTPS. Default none: HTTP. The certificate
     * cannot cover the load balancer's own `*.elb.amazonaws.com` name: set `domainName` too.
     */
    certificateArn?: string;
    /** How many of its newest baked AMIs (with their snapshots) the image lifecycle policy keeps, 1 to 50; older ones are deleted. Default 3. Unused with `amiId`. */
    imageRetentionCount: number;
    /** The VPC and subnets to run in; required with `network: existing`, refused otherwise. Default none. */
    existingNetwork?: ExistingNetworkSettings;
    /** The API the bake builds and installs. Default: the reference Maven project in `app/`, on Java 17. Ignored with `amiId`. */
    app: AppSettings;
    /**
     * Gives the instance role AWS's managed policy AmazonSSMManagedInstanceCore, so each instance
     * registers with Systems Manager and can be reached through a Session Manager session or port
     * forward, over the instances' outbound HTTPS only, with no inbound rule. Default true.
     */
    sessionManager: boolean;
    /**
     * The DNS name clients use for the API, such as `api.example.com`, which you point at the load
     * balancer (a CNAME or an alias record to `loadBalancerDnsName`); with `certificateArn`, one the
     * certificate covers. The `url` output then uses it. Default none: the load balancer's DNS name.
     */
    domainName?: string;
    /** `instances` (bare instances, one target group attachment each) or `autoscaling` (an Auto Scaling group). Default `instances`. */
    fleet: FleetMode;
    /** Fewest instances the Auto Scaling group scales in to, 1 up to `instanceCount`. Default: `instanceCount`. Used only with fleet `autoscaling`. */
    minInstanceCount: number;
    /** Most instances the Auto Scaling group scales out to, `instanceCount` up to 100. Default: twice `instanceCount`, at most 100. Used only with fleet `autoscaling`. */
    maxInstanceCount: number;
    /** Requests a minute each instance should carry; the group scales to hold `ALBRequestCountPerTarget` there, 1 to 1000000. Default 1000. Used only with fleet `autoscaling`. */
    targetRequestsPerMinute: number;
    /** Seconds after launch before the group acts on a failing load balancer health check, 0 to 7200. Default 300. Used only with fleet `autoscaling`. */
    healthCheckGracePeriodSeconds: number;
    /** Seconds a new instance warms up before it counts as in service, for scaling and instance refresh, 0 to 3600. Default 180. Used only with fleet `autoscaling`. */
    instanceWarmupSeconds: number;
}

/** Describes one setting: its JavaScript type, rule and default. */
export type SettingSpec =
    | { kind: "integer"; rule: Rule<number>; default?: number }
    | { kind: "string"; rule: Rule<string>; default?: string; acceptsOutputs?: boolean }
    | { kind: "boolean"; default: boolean }
    | { kind: "stringList"; itemRule: Rule<string>; default?: string[]; acceptsOutputs?: boolean; maxItems?: number }
    | { kind: "object"; fields: Record<string, SettingSpec>; optional?: boolean };

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

/** Rules and defaults of the app's fields. */
export const APP_FIELDS: Record<keyof AppSettings, SettingSpec> = {
    source: { kind: "string", rule: oneOf(Object.values(AppSource)), default: AppSource.Maven },
    path: { kind: "string", rule: matches(/^[^\u0000-\u001f\u007f]{1,1024}$/, "a path of 1 to 1024 characters"), default: "app" },
    javaVersion: { kind: "integer", rule: integerOneOf(JAVA_VERSIONS), default: 17 },
    jvmOptions: { kind: "stringList", itemRule: jvmOptionRule, default: [], maxItems: 16 },
    mainClass: { kind: "string", rule: javaClassNameRule },
};

/**
 * Rules of the existing network's fields. Each is required (validate.ts says so when one is
 * missing); an id given as an Output or a Promise is checked when it resolves, not here.
 */
export const EXISTING_NETWORK_FIELDS: Record<keyof ExistingNetworkSettings, SettingSpec> = {
    vpcId: { kind: "string", rule: vpcIdRule, acceptsOutputs: true },
    loadBalancerSubnetIds: { kind: "stringList", itemRule: subnetIdRule, acceptsOutputs: true },
    instanceSubnetIds: { kind: "stringList", itemRule: subnetIdRule, acceptsOutputs: true },
};

/** Newest baked AMIs the image lifecycle policy keeps by default. */
export const DEFAULT_IMAGE_RETENTION_COUNT = 3;

/** Most baked AMIs the image lifecycle policy may be asked to keep. */
export const MAX_IMAGE_RETENTION_COUNT = 50;

/** Fewest load balancer subnets of an existing network: an application load balancer spans at least two zones. */
export const MIN_LOAD_BALANCER_SUBNETS = 2;

/**
 * Every setting. A setting without a default is optional and stays unset; `appPort`,
 * `minInstanceCount` and `maxInstanceCount` have no default here because theirs derive from
 * another setting (see `resolveSettings`).
 */
export const SETTINGS: Record<keyof ClusterSettings, SettingSpec> = {
    instanceCount: { kind: "integer", rule: integerBetween(FLEET_SIZE_FLOOR, FLEET_SIZE_CEILING), default: 2 },
    instanceType: { kind: "string", rule: instanceTypeRule, default: "t3.micro" },
    port: { kind: "integer", rule: integerBetween(1, 65535), default: 8082 },
    appPort: { kind: "integer", rule: integerBetween(1, 65535) },
    healthCheck: { kind: "object", fields: HEALTH_CHECK_FIELDS },
    stickiness: { kind: "object", fields: STICKINESS_FIELDS },
    deregistrationDelaySeconds: { kind: "integer", rule: integerBetween(0, 3600), default: 30 },
    allowedCidrs: { kind: "stringList", itemRule: ipv4Cidr(), default: ["0.0.0.0/0"] },
    availabilityZoneCount: { kind: "integer", rule: integerBetween(2, 6), default: 2 },
    network: { kind: "string", rule: oneOf(Object.values(NetworkMode)), default: NetworkMode.DefaultVpc },
    vpcCidr: { kind: "string", rule: vpcCidrRule, default: "10.0.0.0/16" },
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
    imageRetentionCount: {
        kind: "integer",
        rule: integerBetween(1, MAX_IMAGE_RETENTION_COUNT),
        default: DEFAULT_IMAGE_RETENTION_COUNT,
    },
    existingNetwork: { kind: "object", fields: EXISTING_NETWORK_FIELDS, optional: true },
    app: { kind: "object", fields: APP_FIELDS },
    sessionManager: { kind: "boolean", default: true },
    domainName: { kind: "string", rule: dnsNameRule },
    fleet: { kind: "string", rule: oneOf(Object.values(FleetMode)), default: FleetMode.Instances },
    minInstanceCount: { kind: "integer", rule: integerBetween(FLEET_SIZE_FLOOR, FLEET_SIZE_CEILING) },
    maxInstanceCount: { kind: "integer", rule: integerBetween(FLEET_SIZE_FLOOR, FLEET_SIZE_CEILING) },
    targetRequestsPerMinute: { kind: "integer", rule: integerBetween(1, 1000000), default: DEFAULT_TARGET_REQUESTS_PER_MINUTE },
    healthCheckGracePeriodSeconds: { kind: "integer", rule: integerBetween(0, 7200), default: DEFAULT_HEALTH_CHECK_GRACE_SECONDS },
    instanceWarmupSeconds: { kind: "integer", rule: integerBetween(0, 3600), default: DEFAULT_INSTANCE_WARMUP_SECONDS },
};

/** Config keys that are not settings: the admin password, a secret read on its own. */
export const SECRET_KEYS = ["adminPassword"] as const;

/** Fewest characters an admin password may have. */
export const MIN_PASSWORD_LENGTH = 12;

/** Every key the `api-cluster` config namespace accepts. */
export const KNOWN_KEYS: readonly string[] = [...Object.keys(SETTINGS), ...SECRET_KEYS];
