/**
 * Least-privilege security groups. The load balancer's group admits the listener port from the
 * allowed CIDRs and sends only to the instances' group on the app port. The instances' group
 * admits the app port only from the load balancer's group, SSH only from `sshCidrs`, and sends
 * only HTTPS, which the boot script needs to read the admin password from SSM.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings } from "./config/schema";

/** The two security groups of a cluster. */
export interface ClusterSecurityGroups {
    /** The load balancer's group. */
    loadBalancer: aws.ec2.SecurityGroup;
    /** The instances' group. */
    instances: aws.ec2.SecurityGroup;
}

/** Port and protocol of the instances' only egress: HTTPS to AWS APIs (SSM). */
export const INSTANCE_EGRESS_PORT = 443;

/**
 * Creates both groups and their rules as separate rule resources, one per CIDR, so a change to
 * one CIDR replaces one rule, not the group.
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

    settings.allowedCidrs.forEach(
        (cidr, i) =>
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-alb-ingress-${i}`,
                { securityGroupId: loadBalancer.id, cidrIpv4: cidr, description: `Listener from ${cidr}`, ...tcp(settings.port) },
                opts,
            ),
    );
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
                `${name}-instance-ingress-ssh-${i}`,
                { securityGroupId: instances.id, cidrIpv4: cidr, description: `SSH from ${cidr}`, ...tcp(22) },
                opts,
            ),
    );
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-instance-egress-https`,
        {
            securityGroupId: instances.id,
            cidrIpv4: "0.0.0.0/0",
            description: "HTTPS to AWS APIs (SSM) at boot",
            ...tcp(INSTANCE_EGRESS_PORT),
        },
        opts,
    );
    return { loadBalancer, instances };
}
