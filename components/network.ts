/**
 * The cluster's network: the account's default VPC, or a dedicated VPC from awsx. Either way the
 * load balancer gets one public subnet in each of `availabilityZoneCount` zones, and instance i
 * lands in zone i modulo that count.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings } from "./config/schema";

/** Subnets and VPC the cluster runs in. */
export interface ClusterNetwork {
    /** The VPC's id. */
    vpcId: pulumi.Output<string>;
    /** One subnet per availability zone for the load balancer, in zone order. */
    loadBalancerSubnetIds: pulumi.Output<string>[];
    /** One subnet per availability zone for the instances, in the same zone order. */
    instanceSubnetIds: pulumi.Output<string>[];
    /**
     * Whether instances get a public IPv4 address. True in the default VPC, which has no NAT: the
     * instances need it to reach SSM at boot. Their security group still admits nothing from the
     * internet. False in a dedicated VPC, whose private subnets reach out through NAT gateways.
     */
    assignPublicIp: boolean;
}

/** The first `count` available zones of the region, failing at deploy time when there are fewer. */
function firstZones(count: number, parent: pulumi.Resource): pulumi.Output<string>[] {
    const zones = aws.getAvailabilityZonesOutput(
        { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
        { parent },
    );
    return Array.from({ length: count }, (_unused, i) =>
        zones.names.apply((names) => {
            if (names.length < count) {
                throw new pulumi.RunError(
                    `api-cluster:availabilityZoneCount asks for ${count} availability zones; region has ${names.length} (${names.join(", ")})`,
                );
            }
            return [...names].sort()[i];
        }),
    );
}

/** The default VPC and its default subnet in each of the first `availabilityZoneCount` zones. */
function defaultVpcNetwork(settings: ClusterSettings, parent: pulumi.Resource): ClusterNetwork {
    const vpc = aws.ec2.getVpcOutput({ default: true }, { parent });
    const subnetIds = firstZones(settings.availabilityZoneCount, parent).map(
        (zone) => aws.ec2.getSubnetOutput({ vpcId: vpc.id, availabilityZone: zone, defaultForAz: true }, { parent }).id,
    );
    return { vpcId: vpc.id, loadBalancerSubnetIds: subnetIds, instanceSubnetIds: subnetIds, assignPublicIp: true };
}

/** A dedicated VPC: public subnets for the load balancer, private ones with a NAT gateway per zone. */
function dedicatedNetwork(name: string, settings: ClusterSettings, parent: pulumi.Resource): ClusterNetwork {
    // Loaded only here: awsx costs about 0.3 s to load, and the default VPC does not need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const awsx: typeof import("@pulumi/awsx") = require("@pulumi/awsx");
    const vpc = new awsx.ec2.Vpc(
        `${name}-vpc`,
        {
            cidrBlock: settings.vpcCidr,
            numberOfAvailabilityZones: settings.availabilityZoneCount,
            natGateways: { strategy: awsx.ec2.NatGatewayStrategy.OnePerAz },
            subnetStrategy: awsx.ec2.SubnetAllocationStrategy.Auto,
            subnetSpecs: [
                { type: awsx.ec2.SubnetType.Public, name: "public" },
                { type: awsx.ec2.SubnetType.Private, name: "private" },
            ],
            enableDnsHostnames: true,
        },
        { parent },
    );
    const pick = (ids: pulumi.Output<string[]>) =>
        Array.from({ length: settings.availabilityZoneCount }, (_unused, i) => ids.apply((all) => all[i]));
    return {
        vpcId: vpc.vpcId,
        loadBalancerSubnetIds: pick(vpc.publicSubnetIds),
        instanceSubnetIds: pick(vpc.privateSubnetIds),
        assignPublicIp: false,
    };
}

/** Builds or looks up the network the settings ask for. */
export function clusterNetwork(name: string, settings: ClusterSettings, parent: pulumi.Resource): ClusterNetwork {
    return settings.network === "dedicated" ? dedicatedNetwork(name, settings, parent) : defaultVpcNetwork(settings, parent);
}
