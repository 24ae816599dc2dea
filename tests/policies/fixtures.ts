/**
 * Compliant resources in the shapes api-cluster registers them (through @pulumi/aws v7), for the policy
 * tests to change one property at a time. The stack fixtures carry the outputs the offline mocks
 * compute (`arn`, `id`) and the property dependencies the SDK records, as the offline preview passes them.
 */
import type { AnalyzedResource } from "../../policy-pack/analyzeInProcess";
import { changed, resource, urnOf } from "./harness";

/** The cluster's load balancer ARN, as the mocks compute it. */
export const LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api-alb/50dc6c495c0c9188";
/** The cluster's target group ARN, as the mocks compute it. */
export const TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-tg/73e2d6bc24d8a067";
const LISTENER_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/api-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";

/** An application load balancer's inputs. */
export function loadBalancerInputs(): Record<string, unknown> {
    return {
        loadBalancerType: "application",
        dropInvalidHeaderFields: true,
        enableDeletionProtection: true,
        internal: false,
        securityGroups: ["sg-alb"],
        subnets: ["subnet-a", "subnet-b"],
        accessLogs: { bucket: "api-access-logs-21ff809", enabled: true },
    };
}

/** An HTTP listener's inputs, forwarding to the target group. */
export function listenerInputs(): Record<string, unknown> {
    return {
        loadBalancerArn: LB_ARN,
        port: 8082,
        protocol: "HTTP",
        defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }],
    };
}

/** A listener rule's inputs, forwarding to the target group. */
export function listenerRuleInputs(): Record<string, unknown> {
    return {
        listenerArn: LISTENER_ARN,
        priority: 10,
        actions: [{ type: "forward", targetGroupArn: TG_ARN }],
        conditions: [{ pathPattern: { values: ["/api/*"] } }],
    };
}

/** An HTTP target group's inputs, health-checked on /health. */
export function targetGroupInputs(): Record<string, unknown> {
    return {
        port: 8082,
        protocol: "HTTP",
        targetType: "instance",
        vpcId: "vpc-1",
        deregistrationDelay: 30,
        healthCheck: {
            enabled: true,
            path: "/health",
            protocol: "HTTP",
            port: "traffic-port",
            interval: 10,
            timeout: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 2,
            matcher: "200",
        },
        stickiness: { enabled: false, type: "lb_cookie", cookieDuration: 86400 },
    };
}

/** A classic load balancer's inputs, HTTP on both sides, health-checked on HTTP:8082/health. */
export function classicLoadBalancerInputs(): Record<string, unknown> {
    return {
        availabilityZones: ["us-east-1a", "us-east-1b"],
        listeners: [{ instancePort: 8082, instanceProtocol: "HTTP", lbPort: 80, lbProtocol: "HTTP" }],
        healthCheck: { target: "HTTP:8082/health", interval: 10, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
    };
}

/** An instance's inputs: IMDSv2 required, encrypted gp3 root volume. */
export function instanceInputs(): Record<string, unknown> {
    return {
        ami: "ami-0123456789abcdef0",
        instanceType: "t3.micro",
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
        rootBlockDevice: { encrypted: true, volumeType: "gp3" },
        vpcSecurityGroupIds: ["sg-instances"],
        subnetId: "subnet-a",
    };
}

/**
 * A launch template's inputs as fleet `autoscaling` registers them (components/fleet/autoScalingFleet.ts), in
 * @pulumi/aws 7.48's shapes (types/input.d.ts): LaunchTemplateMetadataOptions (httpTokens, httpEndpoint,
 * httpPutResponseHopLimit), LaunchTemplateBlockDeviceMapping (`ebs.encrypted` is a string, "true" or
 * "false", as in the Terraform provider), LaunchTemplateNetworkInterface (`securityGroups`: ids).
 */
export function launchTemplateInputs(): Record<string, unknown> {
    return {
        imageId: "ami-0123456789abcdef0",
        instanceType: "t3.micro",
        networkInterfaces: [
            { deviceIndex: 0, associatePublicIpAddress: "true", securityGroups: ["sg-instances"], deleteOnTermination: "true" },
        ],
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeType: "gp3", deleteOnTermination: "true" } }],
        updateDefaultVersion: true,
    };
}

/** An Auto Scaling group's inputs as fleet `autoscaling` registers them: ELB health checks, a pinned template version. */
export function autoScalingGroupInputs(): Record<string, unknown> {
    return {
        vpcZoneIdentifiers: ["subnet-a", "subnet-b"],
        desiredCapacity: 2,
        minSize: 2,
        maxSize: 4,
        targetGroupArns: [TG_ARN],
        healthCheckType: "ELB",
        healthCheckGracePeriod: 300,
        launchTemplate: { id: "lt-0123456789abcdef0", version: "1" },
        instanceRefresh: {
            strategy: "Rolling",
            preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "180" },
        },
    };
}

/** The resource `r` with the input at `path` set to `value` (or deleted with `DELETE`). */
export function withInput(r: AnalyzedResource, path: string, value: unknown): AnalyzedResource {
    return { ...r, inputs: changed(r.inputs, path, value) };
}

/** The resource `r` with its property dependencies replaced. */
export function withDependencies(r: AnalyzedResource, propertyDependencies: Record<string, string[]>): AnalyzedResource {
    return { ...r, propertyDependencies, dependencies: [...new Set(Object.values(propertyDependencies).flat())] };
}

/** Which type token each resource of the cluster uses. */
export interface ClusterTokens {
    loadBalancer?: string;
    listener?: string;
    targetGroup?: string;
    attachment?: string;
}

/** A compliant cluster: the load balancer, listener, target group, instance, their security groups. */
export interface Cluster {
    albSecurityGroup: AnalyzedResource;
    albIngress: AnalyzedResource;
    loadBalancer: AnalyzedResource;
    targetGroup: AnalyzedResource;
    listener: AnalyzedResource;
    instanceSecurityGroup: AnalyzedResource;
    instanceIngress: AnalyzedResource;
    instance: AnalyzedResource;
    attachment: AnalyzedResource;
    /** The alarm on the target group's UnHealthyHostCount, as components/monitoring/alarms.ts registers it. */
    unhealthyAlarm?: AnalyzedResource;
}

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

/** A compliant cluster, with outputs and property dependencies as the offline preview passes them. */
export function cluster(tokens: ClusterTokens = {}): Cluster {
    const lbType = tokens.loadBalancer ?? "aws:lb/loadBalancer:LoadBalancer";
    const listenerType = tokens.listener ?? "aws:lb/listener:Listener";
    const tgType = tokens.targetGroup ?? "aws:lb/targetGroup:TargetGroup";
    const attachmentType = tokens.attachment ?? "aws:lb/targetGroupAttachment:TargetGroupAttachment";
    const albSecurityGroup = resource(SG, "api-alb-sg", { vpcId: "vpc-1", description: "load balancer", id: "sg-alb" });
    const instanceSecurityGroup = resource(SG, "api-instance-sg", { vpcId: "vpc-1", description: "instances", id: "sg-instances" });
    const loadBalancer = resource(
        lbType,
        "api-alb",
        { ...loadBalancerInputs(), arn: LB_ARN, id: LB_ARN },
        { securityGroups: [albSecurityGroup.urn] },
    );
    const targetGroup = resource(tgType, "api-tg", { ...targetGroupInputs(), arn: TG_ARN, id: TG_ARN, arnSuffix: TG_ARN.split(":").pop() });
    const instance = resource(
        "aws:ec2/instance:Instance",
        "api-0",
        { ...instanceInputs(), id: "i-0123" },
        {
            vpcSecurityGroupIds: [instanceSecurityGroup.urn],
        },
    );
    return {
        albSecurityGroup,
        albIngress: resource(
            INGRESS,
            "api-alb-ingress",
            { securityGroupId: "sg-alb", ipProtocol: "tcp", fromPort: 8082, toPort: 8082, cidrIpv4: "0.0.0.0/0", id: "sgr-alb" },
            { securityGroupId: [albSecurityGroup.urn] },
        ),
        loadBalancer,
        targetGroup,
        listener: resource(
            listenerType,
            "api-listener",
            { ...listenerInputs(), arn: LISTENER_ARN, id: LISTENER_ARN },
            {
                loadBalancerArn: [loadBalancer.urn],
                defaultActions: [targetGroup.urn],
            },
        ),
        instanceSecurityGroup,
        instanceIngress: resource(
            INGRESS,
            "api-instance-ingress",
            {
                securityGroupId: "sg-instances",
                ipProtocol: "tcp",
                fromPort: 8082,
                toPort: 8082,
                referencedSecurityGroupId: "sg-alb",
                id: "sgr-inst",
            },
            { securityGroupId: [instanceSecurityGroup.urn], referencedSecurityGroupId: [albSecurityGroup.urn] },
        ),
        instance,
        attachment: resource(
            attachmentType,
            "api-0-attachment",
            { targetGroupArn: TG_ARN, targetId: "i-0123", port: 8082, id: "attachment-1" },
            { targetGroupArn: [targetGroup.urn], targetId: [instance.urn] },
        ),
        unhealthyAlarm: resource(
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "api-unhealthy-hosts",
            {
                namespace: "AWS/ApplicationELB",
                metricName: "UnHealthyHostCount",
                statistic: "Maximum",
                dimensions: { TargetGroup: TG_ARN.split(":").pop(), LoadBalancer: LB_ARN.split(":loadbalancer/")[1] },
                period: 60,
                evaluationPeriods: 3,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                alarmActions: ["arn:aws:sns:us-east-1:123456789012:api-cluster-test-api-alarms"],
            },
            { dimensions: [targetGroup.urn, loadBalancer.urn] },
        ),
    };
}

/** The cluster's resources as a stack, with the stack resource (a component) first. */
export function stackOf(c: Cluster, ...extra: AnalyzedResource[]): AnalyzedResource[] {
    const stack: AnalyzedResource = {
        urn: urnOf("pulumi:pulumi:Stack", "api-cluster-test"),
        type: "pulumi:pulumi:Stack",
        name: "api-cluster-test",
        custom: false,
        inputs: {},
        dependencies: [],
        propertyDependencies: {},
    };
    return [stack, ...Object.values(c), ...extra];
}

// aws-native shapes, from pulumi/pulumi-aws-native sdk/nodejs/elasticloadbalancingv2/{loadBalancer,listener,
// targetGroup}.ts (CloudFormation's AWS::ElasticLoadBalancingV2::*, camel-cased): a load balancer's `type`;
// a listener's `protocol` and `defaultActions[]` (`targetGroupArn`, `forwardConfig.targetGroups[]
// .targetGroupArn`, `redirectConfig`); a target group's flat health check settings and `matcher.httpCode`;
// and each resource's ARN as its own output (`loadBalancerArn`, `listenerArn`, `targetGroupArn`).

/** The aws-native load balancer token. */
export const NATIVE_LB = "aws-native:elasticloadbalancingv2:LoadBalancer";
/** The aws-native listener token. */
export const NATIVE_LISTENER = "aws-native:elasticloadbalancingv2:Listener";
/** The aws-native target group token. */
export const NATIVE_TG = "aws-native:elasticloadbalancingv2:TargetGroup";

/** An aws-native application load balancer's inputs. */
export function nativeLoadBalancerInputs(): Record<string, unknown> {
    return { type: "application", scheme: "internet-facing", securityGroups: ["sg-alb"], subnets: ["subnet-a", "subnet-b"] };
}

/** An aws-native HTTP listener's inputs, forwarding to the target group. */
export function nativeListenerInputs(): Record<string, unknown> {
    return { loadBalancerArn: LB_ARN, port: 8082, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }] };
}

/** An aws-native HTTP target group's inputs, health-checked on /health. */
export function nativeTargetGroupInputs(): Record<string, unknown> {
    return {
        port: 8082,
        protocol: "HTTP",
        targetType: "instance",
        vpcId: "vpc-1",
        healthCheckEnabled: true,
        healthCheckProtocol: "HTTP",
        healthCheckPath: "/health",
        healthCheckPort: "traffic-port",
        healthCheckIntervalSeconds: 10,
        healthCheckTimeoutSeconds: 5,
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 2,
        matcher: { httpCode: "200" },
    };
}

/** An aws-native load balancer, listener and target group, with their ARN outputs and property dependencies. */
export interface NativeCluster {
    loadBalancer: AnalyzedResource;
    targetGroup: AnalyzedResource;
    listener: AnalyzedResource;
}

/** A compliant aws-native cluster front. */
export function nativeCluster(): NativeCluster {
    const loadBalancer = resource(NATIVE_LB, "api-alb", { ...nativeLoadBalancerInputs(), loadBalancerArn: LB_ARN, id: LB_ARN });
    const targetGroup = resource(NATIVE_TG, "api-tg", { ...nativeTargetGroupInputs(), targetGroupArn: TG_ARN, id: TG_ARN });
    const listener = resource(
        NATIVE_LISTENER,
        "api-listener",
        { ...nativeListenerInputs(), listenerArn: LISTENER_ARN, id: LISTENER_ARN },
        { loadBalancerArn: [loadBalancer.urn], defaultActions: [targetGroup.urn] },
    );
    return { loadBalancer, targetGroup, listener };
}

/** The aws-native cluster's resources as a stack. */
export function nativeStackOf(c: NativeCluster, ...extra: AnalyzedResource[]): AnalyzedResource[] {
    return [...Object.values(c), ...extra];
}
