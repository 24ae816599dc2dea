/**
 * Least-privilege security groups. The load balancer's group admits the listeners' ports from the
 * allowed CIDRs (`port` without TLS; 443 and 80 with TLS) and sends only to the instances' group on the app port. The instances' group
 * admits the app port only from the load balancer's group, SSH only from `sshCidrs`, and sends
 * only HTTPS: the boot script reads the admin password from SSM over it, and the SSM agent needs
 * nothing else for Session Manager (its sessions and port forwards travel over this outbound 443).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings, HTTPS_PORT, HTTP_REDIRECT_PORT, usesTls } from "./config/schema";

/** The two security groups of a cluster. */
export interface ClusterSecurityGroups {
    /** The load balancer's group. */
    loadBalancer: aws.ec2.SecurityGroup;
    /** The instances' group. */
    instances: aws.ec2.SecurityGroup;
}

/** Port and protocol of the instances' only egress: HTTPS to AWS APIs (SSM, Session Manager). */
export const INSTANCE_EGRESS_PORT = 443;

/** A CIDR block as it appears in a resource name: `203.0.113.0/24` becomes `203-0-113-0-24`. */
export function cidrNameSuffix(cidr: string): string {
    return cidr.replace(/[./]/g, "-");
}

/**
 * Options of a rule resource named after its CIDR. The alias is its name before rules were named
 * by CIDR (`<prefix>-<index>`), so the first update after that change keeps each rule in place
 * instead of creating a duplicate that AWS refuses; that holds if the list is left as it was in
 * that update. The alias matches nothing once the state holds the CIDR names.
 */
function cidrRuleOptions(parent: pulumi.Resource, positionalName: string): pulumi.CustomResourceOptions {
    return { parent, aliases: [{ name: positionalName }] };
}

/**
 * Creates both groups and their rules as separate rule resources, one per CIDR and named after
 * it, so removing one CIDR deletes its rule and leaves every other rule's URN, and the rule, as
 * it was. Config validation refuses a repeated CIDR, which would repeat a name.
 */
export function clusterSecurityGroups(
    name: string,
    settings: ClusterSettings,
    vpcId: pulumi.Input<string>,
    parent: pulumi.Resource,
): ClusterSecurityGroups {
    const opts = { parent };
    const loadBalancer = new aws.ec2.SecurityGroup(
        `${name}-alb-sg`,
        { vpcId, description: `Load balancer of ${name}: listener port from allowed CIDRs`, revokeRulesOnDelete: true },
        opts,
    );
    const instances = new aws.ec2.SecurityGroup(
        `${name}-instance-sg`,
        { vpcId, description: `Instances of ${name}: app port from the load balancer only`, revokeRulesOnDelete: true },
        opts,
    );
    const tcp = (port: number) => ({ ipProtocol: "tcp", fromPort: port, toPort: port });

    // The forwarding listener's rule keeps its name with TLS on (its port becomes 443), as the
    // listener does; with TLS, a second rule per CIDR admits the redirect listener on 80.
    const tls = usesTls(settings);
    settings.allowedCidrs.forEach((cidr, i) => {
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-alb-ingress-${cidrNameSuffix(cidr)}`,
            tls
                ? { securityGroupId: loadBalancer.id, cidrIpv4: cidr, description: `HTTPS listener from ${cidr}`, ...tcp(HTTPS_PORT) }
                : { securityGroupId: loadBalancer.id, cidrIpv4: cidr, description: `Listener from ${cidr}`, ...tcp(settings.port) },
            cidrRuleOptions(parent, `${name}-alb-ingress-${i}`),
        );
        if (tls) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-alb-ingress-redirect-${cidrNameSuffix(cidr)}`,
                {
                    securityGroupId: loadBalancer.id,
                    cidrIpv4: cidr,
                    description: `HTTP redirect listener from ${cidr}`,
                    ...tcp(HTTP_REDIRECT_PORT),
                },
                opts,
            );
        }
    });
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-alb-egress-app`,
        {
            securityGroupId: loadBalancer.id,
            referencedSecurityGroupId: instances.id,
            description: "App port to the instances",
            ...tcp(settings.appPort),
        },
        opts,
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-instance-ingress-app`,
        {
            securityGroupId: instances.id,
            referencedSecurityGroupId: loadBalancer.id,
            description: "App port from the load balancer",
            ...tcp(settings.appPort),
        },
        opts,
    );
    settings.sshCidrs.forEach(
        (cidr, i) =>
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-instance-ingress-ssh-${cidrNameSuffix(cidr)}`,
                { securityGroupId: instances.id, cidrIpv4: cidr, description: `SSH from ${cidr}`, ...tcp(22) },
                cidrRuleOptions(parent, `${name}-instance-ingress-ssh-${i}`),
            ),
    );
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-instance-egress-https`,
        {
            securityGroupId: instances.id,
            cidrIpv4: "0.0.0.0/0",
            description: "HTTPS to AWS APIs: SSM at boot, Session Manager",
            ...tcp(INSTANCE_EGRESS_PORT),
        },
        opts,
    );
    return { loadBalancer, instances };
}
