/**
 * The cluster's settings: their types, defaults and rules, in one table. The stack config
 * (namespace `api-cluster`, declared in Pulumi.yaml), `ApiClusterArgs` and README.md's
 * configuration table all follow it; tests/package/settingsAgreement.test.ts holds them together.
 *
 * The interfaces below (ClusterSettingsArgs and its nested types) are the documented ones: their
 * doc comments become the descriptions in every language's SDK (Pulumi infers the component's
 * schema from them), so they use only shapes that inference reads: plain interfaces with optional
 * properties, `as const` choice objects declared before their type, `pulumi.Input<T>` for values
 * that may be known only at deploy time.
 */
import * as pulumi from "@pulumi/pulumi";
import { vpcCidrRule } from "../vpcLayout";
import {
    Rule,
    availabilityZoneRule,
    cookieNameRule,
    dnsNameRule,
    hostedZoneIdRule,
    instanceTypeRule,
    integerBetween,
    integerOneOf,
    ipv4Cidr,
    javaClassNameRule,
    jvmOptionRule,
    matcherRule,
    matches,
    emailAddressRule,
    subnetIdRule,
    vpcIdRule,
} from "./rules";

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
    /** The account's default VPC and its default subnets; instances get a public IP for egress. */
    DefaultVpc: "default-vpc",
    /** A new VPC from awsx: public subnets for the load balancer, private ones with a NAT gateway per zone. */
    Dedicated: "dedicated",
    /** A VPC someone else owns, given as `existingNetwork`; the cluster creates nothing network-related. */
    Existing: "existing",
} as const;
/** Where the cluster's network comes from. */
export type NetworkMode = (typeof NetworkMode)[keyof typeof NetworkMode];

/** Where the API that the bake installs comes from. */
export const AppSource = {
    /** A Maven project folder holding a `pom.xml`; built with `mvn -B package`, tests skipped. */
    Maven: "maven",
    /** A runnable jar file, installed as it is. */
    Jar: "jar",
} as const;
/** Where the API that the bake installs comes from. */
export type AppSource = (typeof AppSource)[keyof typeof AppSource];

/** How the API's instances are launched and kept running. */
export const FleetMode = {
    /** N bare EC2 instances, one target group attachment each; a replacement waits for its target to be healthy. */
    Instances: "instances",
    /** An Auto Scaling group from a launch template: heals itself, scales on load and rolls out a new AMI with an instance refresh. */
    AutoScaling: "autoscaling",
} as const;
/** How the API's instances are launched and kept running. */
export type FleetMode = (typeof FleetMode)[keyof typeof FleetMode];

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
 * A VPC and subnets that someone else owns (`network: existing`). The ids may be Outputs, such as
 * a StackReference's; ids known up front are checked before anything is registered, the rest
 * when they resolve. Every field is required when the object is given.
 */
export interface ExistingNetwork {
    /** The VPC's id, such as vpc-0123456789abcdef0; required with `network: existing`. */
    vpcId?: pulumi.Input<string>;
    /** At least 2 distinct subnets of that VPC, each in its own availability zone, public for an internet-facing load balancer; required with `network: existing`. */
    loadBalancerSubnetIds?: pulumi.Input<string>[];
    /** At least 1 distinct subnet of that VPC for the instances, whose route table sends 0.0.0.0/0 to a NAT gateway (or a transit gateway), checked at deploy time: instances get no public IP, and they and the Image Builder bake reach SSM, S3 and package repositories through it; instance i goes to subnet i modulo their number; required with `network: existing`. */
    instanceSubnetIds?: pulumi.Input<string>[];
}

/** The API the image runs: what to build, with which Java, and how to start it; each field left out takes its default. */
export interface App {
    /** `maven` (a Maven project folder) or `jar` (a runnable jar file). Default `maven`. */
    source?: AppSource;
    /** The project folder or the jar, relative to the project root (where Pulumi.yaml is) or absolute. Default `app`, the reference API. */
    path?: string;
    /** The Amazon Corretto major version the bake installs and runs the API with: 17 or 21. Default 17. */
    javaVersion?: number;
    /** Up to 16 JVM options placed before `-jar`, such as `-Xmx512m` or `-Dspring.profiles.active=prod`; never a secret (they are baked into the image). Default none. */
    jvmOptions?: string[];
    /** The class to run, for a jar whose manifest has no `Main-Class`; the API then starts with `-cp <jar> <mainClass>`. Default none: `-jar`. */
    mainClass?: string;
    /** Path of the API's instance-identity endpoint: a GET with the admin's credentials answers 200 with a JSON object whose `instanceId` names the instance that answered; `npm run smoke` counts the instances behind the load balancer with it. `none`: the API has none, and that check is skipped. Default `/api/instance`, the reference API's. */
    instanceEndpoint?: string;
    /** Path of an endpoint behind the admin's HTTP Basic credentials: a GET without them answers 401, with them 200; `npm run smoke` checks both. `none`: the API has none, and those checks are skipped. Default `/api/instance`, the reference API's. */
    protectedEndpoint?: string;
    /** Path of an endpoint that counts requests in the caller's session: a GET answers 200 with a JSON object holding `instanceId` and `count`, the requests so far in the session its cookies name; `npm run smoke` checks stickiness with it. `none`: the API has none, and that check is skipped. Default `/api/session/counter`, the reference API's. */
    sessionEndpoint?: string;
}

/**
 * Every setting of a cluster, each optional with the default its doc comment names. Settings
 * that shape the resources (counts, modes, ports, lists) are plain values, validated when the
 * cluster is declared; the `pulumi.Input` ones may come from other resources or be secret and
 * are validated once their value is known.
 */
export interface ClusterSettingsArgs {
    /** Number of API instances, an integer from 1 to 100, spread round-robin across the availability zones; with fleet `autoscaling`, the group's desired size. Default 2. */
    instanceCount?: number;
    /** EC2 instance type of every API instance, such as t3.micro or m7i.large. Default `t3.micro`. */
    instanceType?: string;
    /** Port of the load balancer's plain HTTP listener, an integer from 1 to 65535. Default 8082, as in the lesson. With TLS (`certificateArn`, `hostedZoneId` or `hostedZoneName`) it must stay 8082: the load balancer then listens on 443 (HTTPS) and 80 (a redirect to HTTPS), and 8082 remains the default of `appPort`. */
    port?: number;
    /** Port the API listens on inside each instance, an integer from 1 to 65535. Default: the same as `port`. */
    appPort?: number;
    /** The target group's health check. */
    healthCheck?: HealthCheck;
    /** The target group's sticky sessions. Default off. */
    stickiness?: Stickiness;
    /** Seconds the target group keeps draining a deregistering instance's in-flight requests, an integer from 0 to 3600. Default 30. */
    deregistrationDelaySeconds?: number;
    /** IPv4 CIDR blocks (host bits zero) allowed to reach the listener, each address once: a block equal to or inside another listed one is refused, naming both. Default `["0.0.0.0/0"]`. */
    allowedCidrs?: string[];
    /** Number of availability zones the load balancer and the instances span, an integer from 2 to 6; only zones that offer `instanceType` are chosen. Default 2. */
    availabilityZoneCount?: number;
    /** The availability zones to run in, such as `["us-east-1a", "us-east-1b"]`: exactly `availabilityZoneCount` distinct zones of the stack's region, each offering `instanceType`, in the order zones take the VPC's address blocks; not used with `existing`. Default none: the zones recorded on the first deployment (see docs/network.md). */
    availabilityZones?: string[];
    /** Where the cluster runs: `default-vpc` (the account's default VPC; instances get a public IP for egress, but their security group admits nothing from the internet), `dedicated` (a new VPC with public subnets for the load balancer, private ones for the instances and a NAT gateway per zone) or `existing` (the VPC and subnets of `existingNetwork`). Default `default-vpc`. */
    network?: NetworkMode;
    /** IPv4 CIDR block of the dedicated VPC, a /16 to /23: each zone gets an eighth of it, halved into a public and a private subnet, and a load balancer subnet needs at least a /27; used only with `dedicated`. Default `10.0.0.0/16`. */
    vpcCidr?: string;
    /** Turns on the load balancer's deletion protection. Default false; on in staging and prod. */
    deletionProtection?: boolean;
    /** IPv4 CIDR blocks allowed to reach port 22 on the instances, judged by the addresses they cover together: never the whole internet (0.0.0.0/0, or split as 0.0.0.0/1 and 128.0.0.0/1), no run of public addresses wider than a /16 (private ranges count for nothing), and no block inside another listed one; refused with `dedicated`, whose instances have no public address. Default none: no SSH rule at all. */
    sshCidrs?: string[];
    /** EC2 key pair for SSH. Default none. */
    keyName?: pulumi.Input<string>;
    /** HTTP Basic username of the API's admin user, 1 to 128 characters without colon or whitespace. Default `admin@fake.com`, as in the lesson. */
    adminUsername?: string;
    /** An existing AMI (`ami-…`) to launch instead of baking one, such as the image staging tested. Default none: bake with EC2 Image Builder. */
    amiId?: pulumi.Input<string>;
    /** ACM certificate ARN of a certificate made elsewhere; when set, the load balancer speaks HTTPS on 443 with ELBSecurityPolicy-TLS13-1-2-2021-06 and redirects HTTP on 80 to it, and `domainName` should name what the certificate covers. With a hosted zone, the cluster uses it instead of requesting one. Default none: HTTP, or a certificate the cluster requests with a hosted zone. */
    certificateArn?: pulumi.Input<string>;
    /** How many of its newest baked AMIs (with their snapshots) the image lifecycle policy keeps, an integer from 1 to 50; older ones are deleted, unless launched in the last 14 days or tagged to keep. Default 3. */
    imageRetentionCount?: number;
    /** The VPC and subnets to run in; required with `network: existing`, refused otherwise. Default none. */
    existingNetwork?: ExistingNetwork;
    /** The API the bake builds and installs. Default: the reference Maven project in `app/`, on Java 17; ignored with `amiId`. */
    app?: App;
    /** Gives the instance role a policy of its own for the Systems Manager agent (ssm:UpdateInstanceInformation, the ssmmessages and ec2messages channels, nothing that reads parameters), so each instance registers with Systems Manager and can be reached through a Session Manager port forward over its outbound HTTPS, with no inbound rule. Default true. */
    sessionManager?: boolean;
    /** The DNS name clients use for the API, such as `api.example.com`; with a hosted zone (required then), the cluster points it at the load balancer with an alias record and requests its certificate; otherwise point it at `loadBalancerDnsName` yourself, and with `certificateArn` use a name the certificate covers. The `url` output then uses it. Default none: the load balancer's DNS name. */
    domainName?: string;
    /** The public Route 53 hosted zone that holds `domainName`, by id such as Z0123456789ABCDEFGHIJ: the cluster requests an ACM certificate for `domainName` validated by DNS in that zone (unless `certificateArn` is given), adds an alias A record to the load balancer, and turns TLS on. Not with `hostedZoneName`. Default none. */
    hostedZoneId?: string;
    /** The same public hosted zone by name, such as `example.com`: `domainName` must be that name or end with `.` and that name. Not with `hostedZoneId`. Default none. */
    hostedZoneName?: string;
    /** `instances` (bare EC2 instances, one target group attachment each) or `autoscaling` (an Auto Scaling group that heals itself, scales on load and rolls out a new AMI with an instance refresh). Default `instances`. */
    fleet?: FleetMode;
    /** Fewest instances the Auto Scaling group scales in to, an integer from 1 up to `instanceCount`; used only with fleet `autoscaling`. Default: `instanceCount`. */
    minInstanceCount?: number;
    /** Most instances the Auto Scaling group scales out to, an integer from `instanceCount` up to 100; used only with fleet `autoscaling`. Default: twice `instanceCount`, at most 100. */
    maxInstanceCount?: number;
    /** Requests a minute each instance should carry, an integer from 1 to 1000000; the group scales to hold `ALBRequestCountPerTarget` there; used only with fleet `autoscaling`. Default 1000. */
    targetRequestsPerMinute?: number;
    /** Seconds after launch before the Auto Scaling group acts on a failing load balancer health check, an integer from 0 to 7200; used only with fleet `autoscaling`. Default 300. */
    healthCheckGracePeriodSeconds?: number;
    /** Seconds a new instance warms up before it counts as in service, for scaling and instance refresh, an integer from 0 to 3600; used only with fleet `autoscaling`. Default 180. */
    instanceWarmupSeconds?: number;
    /** ARN of an IAM managed policy set as the permissions boundary of every role the cluster creates (instances, image build, image lifecycle), such as the boundary a deploy role requires on the roles it creates (see docs/delivery.md). Default none: no boundary. */
    permissionsBoundaryArn?: string;
    /** Creates the CloudWatch alarms (unhealthy and too few healthy hosts, the 5xx rate, p99 latency; with fleet `autoscaling`, too few in-service instances and a failed instance refresh) and the encrypted SNS topic they notify, on alarm and on recovery (see docs/operations.md). Default true. */
    alarms?: boolean;
    /** Email addresses the alarm topic sends to, each once (compared without regard to case); each address must confirm the subscription from the email AWS sends. Refused with `alarms` false. Default none: subscribe your pager to the `alarmTopicArn` output. */
    alarmEmails?: string[];
    /** Consecutive one-minute periods a condition must hold before its alarm fires, an integer from 1 to 60; every alarm uses it. Default 3. */
    alarmEvaluationMinutes?: number;
    /** Percentage of requests answered with a 5xx (the targets' and the load balancer's own, over `RequestCount`) that fires the 5xx-rate alarm, an integer from 1 to 100. Default 5. */
    alarmServerErrorPercent?: number;
    /** Milliseconds of the targets' p99 response time (`TargetResponseTime`) above which the latency alarm fires, an integer from 10 to 60000. Default 1000. */
    alarmLatencyP99Milliseconds?: number;
    /** Writes the load balancer's access logs to an S3 bucket of the cluster's own (SSE-S3, public access blocked, owner-enforced; see docs/operations.md). Default true. */
    accessLogs?: boolean;
    /** Days the access log bucket keeps each log object before its lifecycle rule deletes it, an integer from 1 to 3650. Default 30. */
    accessLogRetentionDays?: number;
}

/** Settings the table gives no default: they stay unset unless given. */
export type UnsetByDefault =
    | "keyName"
    | "amiId"
    | "certificateArn"
    | "domainName"
    | "hostedZoneId"
    | "hostedZoneName"
    | "availabilityZones"
    | "permissionsBoundaryArn";

/** The health check with every default applied. */
export type HealthCheckSettings = Required<HealthCheck>;

/** Stickiness with every default applied; `cookieName` stays unset unless given. */
export type StickinessSettings = Required<Omit<Stickiness, "cookieName">> & Pick<Stickiness, "cookieName">;

/** The app's endpoints that only `npm run smoke` reads; what builds and bakes the app may leave them out (appEndpoints applies their defaults). */
export type AppEndpointKey = "instanceEndpoint" | "protectedEndpoint" | "sessionEndpoint";

/** The app with every default applied; `mainClass` stays unset unless given, and the endpoints may be left out. */
export type AppSettings = Required<Omit<App, "mainClass" | AppEndpointKey>> & Pick<App, "mainClass" | AppEndpointKey>;

/** An existing network as validation returns it: every field present. */
export type ExistingNetworkSettings = Required<ExistingNetwork>;

/**
 * Every setting with its default applied: what validation returns and the building blocks read.
 * Documented on ClusterSettingsArgs.
 */
export type ClusterSettings = Required<
    Omit<ClusterSettingsArgs, UnsetByDefault | "healthCheck" | "stickiness" | "app" | "existingNetwork">
> &
    Pick<ClusterSettingsArgs, UnsetByDefault> & {
        healthCheck: HealthCheckSettings;
        stickiness: StickinessSettings;
        app: AppSettings;
        existingNetwork?: ExistingNetworkSettings;
    };

/**
 * Whether the load balancer speaks TLS: with a certificate made elsewhere (`certificateArn`) or a
 * hosted zone the cluster requests one in (`hostedZoneId`, `hostedZoneName`). It then listens on
 * HTTPS_PORT and redirects HTTP_REDIRECT_PORT to it; without, it listens on `port` over plain HTTP.
 */
export function usesTls(settings: Pick<ClusterSettingsArgs, "certificateArn" | "hostedZoneId" | "hostedZoneName">): boolean {
    return settings.certificateArn !== undefined || settings.hostedZoneId !== undefined || settings.hostedZoneName !== undefined;
}

/** The HTTPS listener's port with TLS: the port browsers and clients use for `https://` without one. */
export const HTTPS_PORT = 443;
/** The port of the listener that only redirects plain HTTP to HTTPS, with TLS: `http://`'s own. */
export const HTTP_REDIRECT_PORT = 80;
/** The lesson's port: the plain HTTP listener's without TLS, and the API's inside each instance unless `appPort` says otherwise. */
export const LESSON_PORT = 8082;

/** The Java versions the bake can install (Amazon Corretto). */
export const JAVA_VERSIONS = [17, 21] as const;

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
/** Newest baked AMIs the image lifecycle policy keeps by default. */
export const DEFAULT_IMAGE_RETENTION_COUNT = 3;
/** Most baked AMIs the image lifecycle policy may be asked to keep. */
export const MAX_IMAGE_RETENTION_COUNT = 50;
/** Default consecutive one-minute periods before an alarm fires: three minutes rides out one failed health check or a deploy's brief dip. */
export const DEFAULT_ALARM_EVALUATION_MINUTES = 3;
/** Default 5xx percentage that fires the 5xx-rate alarm. */
export const DEFAULT_ALARM_SERVER_ERROR_PERCENT = 5;
/** Default p99 target response time, in milliseconds, that fires the latency alarm. */
export const DEFAULT_ALARM_LATENCY_P99_MILLISECONDS = 1000;
/** Default days the access log bucket keeps a log object. */
export const DEFAULT_ACCESS_LOG_RETENTION_DAYS = 30;
/** Fewest load balancer subnets of an existing network: an application load balancer spans at least two zones. */
export const MIN_LOAD_BALANCER_SUBNETS = 2;

/**
 * Describes one setting: its JavaScript type, rule and default. `choice` takes one value of an
 * `as const` object. `acceptsOutputs` marks a setting typed `pulumi.Input` in the args (for a
 * list, its items), which may arrive as an Output and is then checked when its value is known.
 */
export type SettingSpec =
    | { kind: "integer"; rule: Rule<number>; default?: number }
    | { kind: "string"; rule: Rule<string>; default?: string; acceptsOutputs?: true }
    | { kind: "choice"; choices: readonly string[]; default?: string }
    | { kind: "boolean"; default: boolean }
    | { kind: "stringList"; itemRule: Rule<string>; default?: string[]; acceptsOutputs?: true; maxItems?: number }
    | { kind: "object"; fields: Record<string, SettingSpec>; optional?: true };

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

/** The value of an `app.*Endpoint` setting that says the API serves no such endpoint. */
export const NO_ENDPOINT = "none";

/** An `app.*Endpoint` setting: a path such as the health check's, or `none`. */
const endpointRule = matches(/^(none|\/[\x21-\x7e]{0,1023})$/, "a path that starts with / such as /api/instance, or none");

/** Rules and defaults of the app's fields. */
export const APP_FIELDS: Record<keyof App, SettingSpec> = {
    source: { kind: "choice", choices: Object.values(AppSource), default: AppSource.Maven },
    path: { kind: "string", rule: matches(/^[^\u0000-\u001f\u007f]{1,1024}$/, "a path of 1 to 1024 characters"), default: "app" },
    javaVersion: { kind: "integer", rule: integerOneOf(JAVA_VERSIONS), default: 17 },
    jvmOptions: { kind: "stringList", itemRule: jvmOptionRule, default: [], maxItems: 16 },
    mainClass: { kind: "string", rule: javaClassNameRule },
    instanceEndpoint: { kind: "string", rule: endpointRule, default: "/api/instance" },
    protectedEndpoint: { kind: "string", rule: endpointRule, default: "/api/instance" },
    sessionEndpoint: { kind: "string", rule: endpointRule, default: "/api/session/counter" },
};

/**
 * Rules of the existing network's fields. Each is required (crossChecks/existingNetworkRules.ts says so when one is
 * missing); an id given as an Output or a Promise is checked when it resolves, not here.
 */
export const EXISTING_NETWORK_FIELDS: Record<keyof ExistingNetwork, SettingSpec> = {
    vpcId: { kind: "string", rule: vpcIdRule, acceptsOutputs: true },
    loadBalancerSubnetIds: { kind: "stringList", itemRule: subnetIdRule, acceptsOutputs: true },
    instanceSubnetIds: { kind: "stringList", itemRule: subnetIdRule, acceptsOutputs: true },
};

/**
 * Every setting. A setting without a default is optional and stays unset; `appPort`,
 * `minInstanceCount` and `maxInstanceCount` have no default here because theirs derive from
 * another setting (see `resolveSettings`).
 */
export const SETTINGS: Record<keyof ClusterSettingsArgs, SettingSpec> = {
    instanceCount: { kind: "integer", rule: integerBetween(FLEET_SIZE_FLOOR, FLEET_SIZE_CEILING), default: 2 },
    instanceType: { kind: "string", rule: instanceTypeRule, default: "t3.micro" },
    port: { kind: "integer", rule: integerBetween(1, 65535), default: LESSON_PORT },
    appPort: { kind: "integer", rule: integerBetween(1, 65535) },
    healthCheck: { kind: "object", fields: HEALTH_CHECK_FIELDS },
    stickiness: { kind: "object", fields: STICKINESS_FIELDS },
    deregistrationDelaySeconds: { kind: "integer", rule: integerBetween(0, 3600), default: 30 },
    allowedCidrs: { kind: "stringList", itemRule: ipv4Cidr(), default: ["0.0.0.0/0"] },
    availabilityZoneCount: { kind: "integer", rule: integerBetween(2, 6), default: 2 },
    availabilityZones: { kind: "stringList", itemRule: availabilityZoneRule },
    network: { kind: "choice", choices: Object.values(NetworkMode), default: NetworkMode.DefaultVpc },
    vpcCidr: { kind: "string", rule: vpcCidrRule, default: "10.0.0.0/16" },
    deletionProtection: { kind: "boolean", default: false },
    sshCidrs: { kind: "stringList", itemRule: ipv4Cidr(), default: [] },
    keyName: {
        kind: "string",
        rule: matches(/^[\x20-\x7e]{1,255}$/, "an EC2 key pair name of 1 to 255 printable characters"),
        acceptsOutputs: true,
    },
    adminUsername: {
        kind: "string",
        rule: matches(/^[^:\s]{1,128}$/, "1 to 128 characters with no colon or whitespace, such as admin@fake.com"),
        default: "admin@fake.com",
    },
    amiId: {
        kind: "string",
        rule: matches(/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/, "an AMI id such as ami-0123456789abcdef0"),
        acceptsOutputs: true,
    },
    certificateArn: {
        kind: "string",
        rule: matches(
            /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
            "an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>",
        ),
        acceptsOutputs: true,
    },
    imageRetentionCount: { kind: "integer", rule: integerBetween(1, MAX_IMAGE_RETENTION_COUNT), default: DEFAULT_IMAGE_RETENTION_COUNT },
    existingNetwork: { kind: "object", fields: EXISTING_NETWORK_FIELDS, optional: true },
    app: { kind: "object", fields: APP_FIELDS },
    sessionManager: { kind: "boolean", default: true },
    domainName: { kind: "string", rule: dnsNameRule },
    hostedZoneId: { kind: "string", rule: hostedZoneIdRule },
    hostedZoneName: { kind: "string", rule: dnsNameRule },
    fleet: { kind: "choice", choices: Object.values(FleetMode), default: FleetMode.Instances },
    minInstanceCount: { kind: "integer", rule: integerBetween(FLEET_SIZE_FLOOR, FLEET_SIZE_CEILING) },
    maxInstanceCount: { kind: "integer", rule: integerBetween(FLEET_SIZE_FLOOR, FLEET_SIZE_CEILING) },
    targetRequestsPerMinute: { kind: "integer", rule: integerBetween(1, 1000000), default: DEFAULT_TARGET_REQUESTS_PER_MINUTE },
    healthCheckGracePeriodSeconds: { kind: "integer", rule: integerBetween(0, 7200), default: DEFAULT_HEALTH_CHECK_GRACE_SECONDS },
    instanceWarmupSeconds: { kind: "integer", rule: integerBetween(0, 3600), default: DEFAULT_INSTANCE_WARMUP_SECONDS },
    permissionsBoundaryArn: {
        kind: "string",
        rule: matches(
            /^arn:aws[a-z-]*:iam::\d{12}:policy\/[\w+=,.@/-]{1,128}$/,
            "an IAM managed policy ARN such as arn:aws:iam::123456789012:policy/api-cluster-prod-boundary",
        ),
    },
    alarms: { kind: "boolean", default: true },
    alarmEmails: { kind: "stringList", itemRule: emailAddressRule, default: [] },
    alarmEvaluationMinutes: { kind: "integer", rule: integerBetween(1, 60), default: DEFAULT_ALARM_EVALUATION_MINUTES },
    alarmServerErrorPercent: { kind: "integer", rule: integerBetween(1, 100), default: DEFAULT_ALARM_SERVER_ERROR_PERCENT },
    alarmLatencyP99Milliseconds: { kind: "integer", rule: integerBetween(10, 60000), default: DEFAULT_ALARM_LATENCY_P99_MILLISECONDS },
    accessLogs: { kind: "boolean", default: true },
    accessLogRetentionDays: { kind: "integer", rule: integerBetween(1, 3650), default: DEFAULT_ACCESS_LOG_RETENTION_DAYS },
};

/** Config keys that are not settings: the admin password, a secret read on its own. */
export const SECRET_KEYS = ["adminPassword"] as const;

/** Fewest characters an admin password may have. */
export const MIN_PASSWORD_LENGTH = 12;

/** Every key the `api-cluster` config namespace accepts. */
export const KNOWN_KEYS: readonly string[] = [...Object.keys(SETTINGS), ...SECRET_KEYS];
