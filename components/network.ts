/**
 * The cluster's network: the account's default VPC, a dedicated VPC from awsx, or an existing VPC
 * someone else owns. The load balancer gets one subnet per availability zone, instance i lands in
 * instance subnet i modulo their number, and the image bake gets a subnet with outbound access.
 * Zones are chosen among those that offer `instanceType` (t3 types are missing from a us-east-1
 * zone, for one).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings, ExistingNetworkSettings, NetworkMode } from "./config/schema";
import { subnetCidrMask, zoneCidrMask } from "./vpcLayout";

/** Subnets and VPC the cluster runs in. */
export interface ClusterNetwork {
    /** The VPC's id. */
    vpcId: pulumi.Output<string>;
    /** One subnet per availability zone for the load balancer, in zone order. */
    loadBalancerSubnetIds: pulumi.Output<string>[];
    /** The instances' subnets; instance i goes to subnet i modulo their number. */
    instanceSubnetIds: pulumi.Output<string>[];
    /** The instance subnets with their zones, in the same order, for placing the image bake (see bakeSubnetId). */
    instanceSubnets: pulumi.Output<SubnetPlacement[]>;
    /**
     * Whether instances get a public IPv4 address. True in the default VPC, which has no NAT: the
     * instances need it to reach SSM at boot. Their security group still admits nothing from the
     * internet. False in a dedicated or existing VPC, whose instance subnets reach out through NAT.
     */
    assignPublicIp: boolean;
}

/** A subnet and its availability zone. */
export interface SubnetPlacement {
    /** The subnet's id. */
    id: string;
    /** Its availability zone. */
    availabilityZone: string;
}

/** Availability zones of the region that offer `instanceType`, in name order. */
function zonesOffering(instanceType: string, parent: pulumi.Resource): pulumi.Output<string[]> {
    const zones = aws.getAvailabilityZonesOutput(
        { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
        { parent },
    );
    const offerings = aws.ec2.getInstanceTypeOfferingsOutput(
        { locationType: "availability-zone", filters: [{ name: "instance-type", values: [instanceType] }] },
        { parent },
    );
    return pulumi
        .all([zones.names, offerings.locations])
        .apply(([names, offered]) => [...names].sort().filter((zone) => offered.includes(zone)));
}

/**
 * The first `availabilityZoneCount` zones that offer `instanceType`, failing at deploy time with
 * both keys named when the region has fewer.
 */
export function launchZones(settings: ClusterSettings, parent: pulumi.Resource): pulumi.Output<string[]> {
    const count = settings.availabilityZoneCount;
    return zonesOffering(settings.instanceType, parent).apply((zones) => {
        if (zones.length < count) {
            throw new pulumi.RunError(
                `api-cluster:availabilityZoneCount asks for ${count} availability zones, but only ${zones.length} zones of the region offer ` +
                    `api-cluster:instanceType ${settings.instanceType} (${zones.join(", ") || "none"}); lower availabilityZoneCount or choose another instanceType`,
            );
        }
        return zones.slice(0, count);
    });
}

/** One Output per element of a list that is known to have `count` elements. */
function spread<T>(list: pulumi.Output<T[]>, count: number): pulumi.Output<T>[] {
    return Array.from({ length: count }, (_unused, i) => list.apply((items) => items[i]));
}

/** The default VPC and its default subnet in each chosen zone. */
function defaultVpcNetwork(settings: ClusterSettings, parent: pulumi.Resource): ClusterNetwork {
    const vpc = aws.ec2.getVpcOutput({ default: true }, { parent });
    const zones = spread(launchZones(settings, parent), settings.availabilityZoneCount);
    const subnetIds = zones.map(
        (zone) => aws.ec2.getSubnetOutput({ vpcId: vpc.id, availabilityZone: zone, defaultForAz: true }, { parent }).id,
    );
    const instanceSubnets = pulumi
        .all([pulumi.all(zones), pulumi.all(subnetIds)])
        .apply(([names, ids]) => ids.map((id, i) => ({ id, availabilityZone: names[i] })));
    return { vpcId: vpc.id, loadBalancerSubnetIds: subnetIds, instanceSubnetIds: subnetIds, instanceSubnets, assignPublicIp: true };
}

/** The arguments of the dedicated VPC in the chosen zones (see vpcLayout.ts for the address plan). */
function dedicatedVpcArgs(settings: ClusterSettings, zones: string[]): import("@pulumi/awsx").ec2.VpcArgs {
    const subnetMask = subnetCidrMask(settings.vpcCidr);
    return {
        cidrBlock: settings.vpcCidr,
        // awsx takes either the zone names or their number, not both.
        availabilityZoneNames: zones,
        availabilityZoneCidrMask: zoneCidrMask(settings.vpcCidr),
        natGateways: { strategy: "OnePerAz" },
        subnetStrategy: "Auto",
        subnetSpecs: [
            { type: "Public", name: "public", cidrMask: subnetMask },
            { type: "Private", name: "private", cidrMask: subnetMask },
        ],
        enableDnsHostnames: true,
    };
}

/**
 * A dedicated VPC: public subnets for the load balancer, private ones with a NAT gateway per zone.
 * awsx's `availabilityZoneNames` is a plain input (its provider reads it as a list of strings), so
 * the VPC is declared once the zone lookup has resolved; lookups resolve in previews as well, so
 * every preview still shows the VPC.
 */
function dedicatedNetwork(name: string, settings: ClusterSettings, parent: pulumi.Resource): ClusterNetwork {
    // Loaded only here: awsx costs about 0.3 s to load, and the other networks do not need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const awsx: typeof import("@pulumi/awsx") = require("@pulumi/awsx");
    const zones = launchZones(settings, parent);
    const vpc = zones.apply((names) => new awsx.ec2.Vpc(`${name}-vpc`, dedicatedVpcArgs(settings, names), { parent }));
    const count = settings.availabilityZoneCount;
    const privateSubnetIds = spread(
        vpc.apply((v) => v.privateSubnetIds),
        count,
    );
    const instanceSubnets = pulumi
        .all([zones, pulumi.all(privateSubnetIds)])
        .apply(([names, ids]) => ids.map((id, i) => ({ id, availabilityZone: names[i] })));
    return {
        vpcId: vpc.apply((v) => v.vpcId),
        loadBalancerSubnetIds: spread(
            vpc.apply((v) => v.publicSubnetIds),
            count,
        ),
        instanceSubnetIds: privateSubnetIds,
        instanceSubnets,
        assignPublicIp: false,
    };
}

/** A subnet as the lookup reports it. */
interface SubnetFacts {
    /** The subnet's id. */
    id: string;
    /** The VPC it belongs to. */
    vpcId: string;
    /** Its availability zone. */
    availabilityZone: string;
}

/**
 * What is wrong with an existing network once its subnets are looked up: a subnet outside the
 * VPC, two load balancer subnets in one zone, a subnet listed twice, an instance subnet in a zone
 * that does not offer the instance type. Empty when nothing is.
 */
export function existingNetworkProblems(
    vpcId: string,
    loadBalancerSubnets: SubnetFacts[],
    instanceSubnets: SubnetFacts[],
    instanceType: string,
    zonesOfferingType: string[],
): string[] {
    const key = (field: string, i: number) => `api-cluster:existingNetwork.${field}[${i}]`;
    const problems: string[] = [];
    const lists: [string, SubnetFacts[]][] = [
        ["loadBalancerSubnetIds", loadBalancerSubnets],
        ["instanceSubnetIds", instanceSubnets],
    ];
    for (const [field, subnets] of lists) {
        subnets.forEach((subnet, i) => {
            if (subnet.vpcId !== vpcId) {
                problems.push(`${key(field, i)} ${subnet.id} is in ${subnet.vpcId}, not in existingNetwork.vpcId ${vpcId}`);
            }
            const first = subnets.findIndex((other) => other.id === subnet.id);
            if (first < i) {
                problems.push(`${key(field, i)} ${subnet.id} repeats ${key(field, first)}`);
            }
        });
    }
    loadBalancerSubnets.forEach((subnet, i) => {
        const first = loadBalancerSubnets.findIndex((other) => other.availabilityZone === subnet.availabilityZone);
        if (first < i && loadBalancerSubnets[first].id !== subnet.id) {
            problems.push(
                `${key("loadBalancerSubnetIds", i)} ${subnet.id} is in ${subnet.availabilityZone}, as ${key("loadBalancerSubnetIds", first)} ` +
                    `${loadBalancerSubnets[first].id} is; the load balancer needs each subnet in its own availability zone`,
            );
        }
    });
    instanceSubnets.forEach((subnet, i) => {
        if (!zonesOfferingType.includes(subnet.availabilityZone)) {
            problems.push(
                `${key("instanceSubnetIds", i)} ${subnet.id} is in ${subnet.availabilityZone}, which does not offer api-cluster:instanceType ${instanceType}`,
            );
        }
    });
    return problems;
}

/**
 * An existing VPC: nothing is created. Each subnet is looked up by id, and the deployment fails
 * with every problem named (see existingNetworkProblems) before anything uses them.
 */
function existingNetwork(given: ExistingNetworkSettings, settings: ClusterSettings, parent: pulumi.Resource): ClusterNetwork {
    const lookup = (id: pulumi.Input<string>) =>
        aws.ec2
            .getSubnetOutput({ id }, { parent })
            .apply((subnet) => ({ id: subnet.id, vpcId: subnet.vpcId, availabilityZone: subnet.availabilityZone }));
    const loadBalancerLookups = pulumi.all(given.loadBalancerSubnetIds.map(lookup));
    const instanceLookups = pulumi.all(given.instanceSubnetIds.map(lookup));
    const checked = pulumi
        .all([given.vpcId, loadBalancerLookups, instanceLookups, zonesOffering(settings.instanceType, parent)])
        .apply(([vpcId, balancerFacts, instanceFacts, offered]) => {
            const problems = existingNetworkProblems(vpcId, balancerFacts, instanceFacts, settings.instanceType, offered);
            if (problems.length > 0) {
                throw new pulumi.RunError(`invalid existing network:\n  - ${problems.join("\n  - ")}`);
            }
            return { vpcId, loadBalancerSubnetIds: balancerFacts.map((s) => s.id), instanceSubnets: instanceFacts };
        });
    const instanceSubnets = checked.apply((network) =>
        network.instanceSubnets.map(({ id, availabilityZone }) => ({ id, availabilityZone })),
    );
    return {
        vpcId: checked.apply((network) => network.vpcId),
        loadBalancerSubnetIds: spread(
            checked.apply((network) => network.loadBalancerSubnetIds),
            given.loadBalancerSubnetIds.length,
        ),
        instanceSubnetIds: spread(
            instanceSubnets.apply((subnets) => subnets.map((subnet) => subnet.id)),
            given.instanceSubnetIds.length,
        ),
        instanceSubnets,
        assignPublicIp: false,
    };
}

/**
 * Where Image Builder launches the bake's build and test instances: the first instance subnet (it
 * has outbound access) whose zone offers `buildInstanceType`, failing at deploy time when none does.
 */
export function bakeSubnetId(network: ClusterNetwork, buildInstanceType: string, parent: pulumi.Resource): pulumi.Output<string> {
    return pulumi.all([network.instanceSubnets, zonesOffering(buildInstanceType, parent)]).apply(([subnets, offered]) => {
        const usable = subnets.find((subnet) => offered.includes(subnet.availabilityZone));
        if (!usable) {
            throw new pulumi.RunError(
                `the image bake's instance type ${buildInstanceType} is not offered in the zone of any instance subnet ` +
                    `(${subnets.map((subnet) => `${subnet.id} in ${subnet.availabilityZone}`).join(", ")}); add an instance subnet in another zone, or set api-cluster:amiId`,
            );
        }
        return usable.id;
    });
}

/** Builds or looks up the network the settings ask for. */
export function clusterNetwork(name: string, settings: ClusterSettings, parent: pulumi.Resource): ClusterNetwork {
    switch (settings.network) {
        case NetworkMode.Dedicated:
            return dedicatedNetwork(name, settings, parent);
        case NetworkMode.Existing:
            if (settings.existingNetwork === undefined) {
                throw new Error("clusterNetwork: network existing without existingNetwork (validation should have refused it)");
            }
            return existingNetwork(settings.existingNetwork, settings, parent);
        case NetworkMode.DefaultVpc:
            return defaultVpcNetwork(settings, parent);
    }
}
