/**
 * The HTTP layer: an application load balancer, its health-checked target group with the
 * sticky-session block, and the listener that forwards to it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings } from "./config/schema";

/** TLS policy of the HTTPS listener: TLS 1.3 with 1.2 fallback, AWS's recommended policy. */
export const HTTPS_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The load balancer's three resources. */
export interface ClusterLoadBalancer {
    /** The application load balancer. */
    loadBalancer: aws.lb.LoadBalancer;
    /** The target group the instances register with. */
    targetGroup: aws.lb.TargetGroup;
    /** The listener on `port`. */
    listener: aws.lb.Listener;
}

/** Where the load balancer lives. */
export interface LoadBalancerPlacement {
    /** The VPC of the target group. */
    vpcId: pulumi.Input<string>;
    /** One public subnet per availability zone. */
    subnetIds: pulumi.Input<string>[];
    /** The load balancer's security group. */
    securityGroupId: pulumi.Input<string>;
}

/** The target group's stickiness block: always emitted, because dropping it leaves stickiness on in AWS. */
export function stickinessBlock(settings: ClusterSettings): aws.types.input.lb.TargetGroupStickiness {
    const { enabled, type, cookieName, durationSeconds } = settings.stickiness;
    return {
        enabled,
        type,
        cookieDuration: durationSeconds,
        ...(type === "app_cookie" ? { cookieName } : {}),
    };
}

/** Creates the load balancer, target group and listener. Names are auto-generated (see naming.ts). */
export function clusterLoadBalancer(
    name: string,
    settings: ClusterSettings,
    placement: LoadBalancerPlacement,
    parent: pulumi.Resource,
): ClusterLoadBalancer {
    const opts = { parent };
    const health = settings.healthCheck;
    const loadBalancer = new aws.lb.LoadBalancer(
        `${name}-alb`,
        {
            internal: false,
            subnets: placement.subnetIds,
            securityGroups: [placement.securityGroupId],
            dropInvalidHeaderFields: true,
            enableDeletionProtection: settings.deletionProtection,
            // Owned by the component, so set last: this is an HTTP-layer load balancer.
            loadBalancerType: "application",
        },
        opts,
    );
    const targetGroup = new aws.lb.TargetGroup(
        `${name}-tg`,
        {
            vpcId: placement.vpcId,
            port: settings.appPort,
            protocol: "HTTP",
            targetType: "instance",
            deregistrationDelay: settings.deregistrationDelaySeconds,
            healthCheck: {
                enabled: true,
                protocol: "HTTP",
                port: "traffic-port",
                path: health.path,
                interval: health.intervalSeconds,
                timeout: health.timeoutSeconds,
                healthyThreshold: health.healthyThreshold,
                unhealthyThreshold: health.unhealthyThreshold,
                matcher: health.matcher,
            },
            stickiness: stickinessBlock(settings),
        },
        opts,
    );
    const https = settings.certificateArn !== undefined;
    const listener = new aws.lb.Listener(
        `${name}-listener`,
        {
            loadBalancerArn: loadBalancer.arn,
            port: settings.port,
            protocol: https ? "HTTPS" : "HTTP",
            ...(https ? { certificateArn: settings.certificateArn, sslPolicy: HTTPS_SSL_POLICY } : {}),
            defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        },
        opts,
    );
    return { loadBalancer, targetGroup, listener };
}
