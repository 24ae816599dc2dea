/**
 * The HTTP layer: an application load balancer, its health-checked target group with the
 * sticky-session block, and the listener that forwards to it: plain HTTP on `port` without TLS;
 * with TLS, HTTPS on 443, plus a listener on 80 that only redirects to HTTPS.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings, HTTPS_PORT, HTTP_REDIRECT_PORT } from "./config/schema";

/** TLS policy of the HTTPS listener: TLS 1.3 with 1.2 fallback, AWS's recommended policy. */
export const HTTPS_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The load balancer's resources. */
export interface ClusterLoadBalancer {
    /** The application load balancer. */
    loadBalancer: aws.lb.LoadBalancer;
    /** The target group the instances register with. */
    targetGroup: aws.lb.TargetGroup;
    /** The listener that forwards to the target group: HTTP on `port`, or HTTPS on 443 with a certificate. */
    listener: aws.lb.Listener;
    /** With a certificate, the listener on 80 that only redirects to HTTPS; undefined without. */
    redirectListener?: aws.lb.Listener;
}

/** The redirect of the plain HTTP listener with TLS: permanent, to HTTPS on 443, host, path and query kept. */
export const HTTPS_REDIRECT: aws.types.input.lb.ListenerDefaultActionRedirect = {
    protocol: "HTTPS",
    port: String(HTTPS_PORT),
    statusCode: "HTTP_301",
};

/** Where the load balancer lives. */
export interface LoadBalancerPlacement {
    /** The VPC of the target group. */
    vpcId: pulumi.Input<string>;
    /** One public subnet per availability zone. */
    subnetIds: pulumi.Input<string>[];
    /** The load balancer's security group. */
    securityGroupId: pulumi.Input<string>;
}

/** Where the load balancer writes its access logs. */
export interface AccessLogTarget {
    /** The bucket's name. */
    bucket: pulumi.Input<string>;
    /** What must exist before logging is turned on: ELB checks that it may write to the bucket (its policy). */
    dependsOn: pulumi.Resource[];
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

/**
 * Creates the load balancer, target group and listeners. Names are auto-generated (see naming.ts).
 * `certificateArn` (a certificate made elsewhere, or the one domain.ts requested and validated)
 * turns TLS on; the HTTPS listener keeps the plain listener's name, so turning TLS on updates that
 * listener in place (port, protocol, certificate) rather than replacing it. `accessLogs` turns the
 * load balancer's access logs on (an attribute, updated in place).
 */
export function clusterLoadBalancer(
    name: string,
    settings: ClusterSettings,
    placement: LoadBalancerPlacement,
    certificateArn: pulumi.Input<string> | undefined,
    parent: pulumi.Resource,
    accessLogs?: AccessLogTarget,
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
            // No prefix: ELB writes under AWSLogs/<account>/, which the bucket policy names.
            ...(accessLogs === undefined ? {} : { accessLogs: { bucket: accessLogs.bucket, enabled: true } }),
            // Owned by the component, so set last: this is an HTTP-layer load balancer.
            loadBalancerType: "application",
        },
        accessLogs === undefined ? opts : { parent, dependsOn: accessLogs.dependsOn },
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
    const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];
    const listener = new aws.lb.Listener(
        `${name}-listener`,
        certificateArn === undefined
            ? { loadBalancerArn: loadBalancer.arn, port: settings.port, protocol: "HTTP", defaultActions: forward }
            : {
                  loadBalancerArn: loadBalancer.arn,
                  port: HTTPS_PORT,
                  protocol: "HTTPS",
                  certificateArn,
                  sslPolicy: HTTPS_SSL_POLICY,
                  defaultActions: forward,
              },
        opts,
    );
    const redirectListener =
        certificateArn === undefined
            ? undefined
            : new aws.lb.Listener(
                  `${name}-http-redirect`,
                  {
                      loadBalancerArn: loadBalancer.arn,
                      port: HTTP_REDIRECT_PORT,
                      protocol: "HTTP",
                      defaultActions: [{ type: "redirect", redirect: HTTPS_REDIRECT }],
                  },
                  opts,
              );
    return { loadBalancer, targetGroup, listener, redirectListener };
}
