/**
 * The cluster's network: the account's default VPC, a dedicated VPC from awsx, or an existing VPC
 * someone else owns. The load balancer gets one subnet per availability zone, instance i lands in
 * instance subnet i modulo their number, and the image bake gets a subnet with outbound access.
 * Zones are chosen once and kept (see launchZones), among those that offer `instanceType` (t3
 * types are missing from a us-east-1 zone, for one). Instances never get a public IP outside the
 * default VPC, so an existing network's instance subnets must route 0.0.0.0/0 to a NAT, checked at
 * deploy time, and a dedicated VPC's users wait for its routes.
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

/** Zones that need no opt-in: the region's own, not Local Zones or Wavelength Zones. */
const REGION_ZONES = [{ name: "opt-in-status", values: ["opt-in-not-required"] }];

/** The region's zones that need no opt-in, in name order; only those in `state` when it is given. */
function regionZones(state: "available" | undefined, parent: pulumi.Resource): pulumi.Output<string[]> {
    return aws.getAvailabilityZonesOutput({ state, filters: REGION_ZONES }, { parent }).names.apply((names) => [...names].sort());
}

/** Zones of the region that offer `instanceType` (whatever their state). */
function zonesOfferingType(instanceType: string, parent: pulumi.Resource): pulumi.Output<string[]> {
    return aws.ec2.getInstanceTypeOfferingsOutput(
        { locationType: "availability-zone", filters: [{ name: "instance-type", values: [instanceType] }] },
        { parent },
    ).locations;
}

/**
 * The first `count` of the recorded zones that offer `instanceType`, in the recorded order;
 * failing with both keys named when fewer do.
 */
export function chooseZones(recorded: string[], offered: string[], count: number, instanceType: string): string[] {
    const zones = recorded.filter((zone) => offered.includes(zone));
    if (zones.length < count) {
        throw new pulumi.RunError(
            `api-cluster:availabilityZoneCount asks for ${count} availability zones, but only ${zones.length} zones of the region offer ` +
                `api-cluster:instanceType ${instanceType} (${zones.join(", ") || "none"}); lower availabilityZoneCount or choose another instanceType`,
        );
    }
    return zones.slice(0, count);
}

/**
 * What is wrong with the zones of `availabilityZones` once the region's zones and the instance
 * type's offerings are known: a zone the region does not have, or one without the instance type.
 */
export function givenZoneProblems(given: string[], regionZoneNames: string[], offered: string[], instanceType: string): string[] {
    return given.flatMap((zone, i) => {
        const key = `api-cluster:availabilityZones[${i}] ${zone}`;
        if (!regionZoneNames.includes(zone)) {
            return [`${key} is not a zone of the region (${regionZoneNames.join(", ")})`];
        }
        return offered.includes(zone) ? [] : [`${key} does not offer api-cluster:instanceType ${instanceType}`];
    });
}

/**
 * The zones the cluster runs in (with `default-vpc` and `dedicated`), chosen once and kept.
 *
 * - `availabilityZones` set: those zones, in that order, checked at deploy time against the region
 *   (whatever their state: the choice is yours) and the instance type's offerings.
 * - Otherwise the region's available zones, in name order, are recorded in a Stash (`<name>-zones`)
 *   on its first deployment, and the cluster runs in the first `availabilityZoneCount` recorded
 *   zones that offer `instanceType`. The engine keeps a Stash's recorded output on every later
 *   update, whatever its input (pulumi pkg/resource/deploy/builtins.go: Create sets output to the
 *   input, Update keeps the old output), so a zone that turns impaired, or a zone AWS adds, moves
 *   no subnet and no instance; `pulumi up --replace` of the Stash records the zones available then.
 */
function launchZones(name: string, settings: ClusterSettings, parent: pulumi.Resource): pulumi.Output<string[]> {
    const offered = zonesOfferingType(settings.instanceType, parent);
    const given = settings.availabilityZones;
    if (given !== undefined) {
        return pulumi.all([regionZones(undefined, parent), offered]).apply(([names, offers]) => {
            const problems = givenZoneProblems(given, names, offers, settings.instanceType);
            if (problems.length > 0) {
                throw new pulumi.RunError(problems.join("\n"));
            }
            return given;
        });
    }
    const record = new pulumi.Stash(`${name}-zones`, { input: regionZones("available", parent) }, { parent });
    return pulumi
        .all([record.output as pulumi.Output<string[]>, offered])
        .apply(([recorded, offers]) => chooseZones(recorded, offers, settings.availabilityZoneCount, settings.instanceType));
}

/** One Output per element of a list that is known to have `count` elements. */
function spread<T>(list: pulumi.Output<T[]>, count: number): pulumi.Output<T>[] {
    return Array.from({ length: count }, (_unused, i) => list.apply((items) => items[i]));
}

/** The default VPC and its default subnet in each chosen zone. */
function defaultVpcNetwork(name: string, settings: ClusterSettings, parent: pulumi.Resource): ClusterNetwork {
    const vpc = aws.ec2.getVpcOutput({ default: true }, { parent });
    const zones = spread(launchZones(name, settings, parent), settings.availabilityZoneCount);
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
    const zones = launchZones(name, settings, parent);
    const vpc = zones.apply((names) => new awsx.ec2.Vpc(`${name}-vpc`, dedicatedVpcArgs(settings, names), { parent }));
    const count = settings.availabilityZoneCount;
    // awsx's privateSubnetIds depend only on the subnets; the instances, the Auto Scaling group and
    // the bake need the way out as well: each private subnet's NAT route and each public subnet's
    // internet gateway route (the NAT gateway's own way out). Every route's id resolves only once it
    // exists, and the Output that waits for them carries them as dependencies of each use.
    const routesReady = vpc.apply((v) => v.routes).apply((routes) => pulumi.all(routes.map((route) => route.id)));
    const privateSubnetIds = spread(
        pulumi.all([vpc.apply((v) => v.privateSubnetIds), routesReady]).apply(([ids]) => ids),
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

/** A route table as the lookup reports it: its id and its 0.0.0.0/0 route, if it has one. */
export interface RouteTableFacts {
    /** The route table's id. */
    id: string;
    /** Its route for 0.0.0.0/0; undefined when it has none. */
    defaultRoute?: Partial<aws.types.output.ec2.GetRouteTableRoute>;
}

/**
 * Route targets that give an instance without a public IP its way out: a NAT gateway, or a transit
 * gateway (the shared egress VPC pattern, whose NAT the check cannot see past: the network's owner
 * answers for it). Everything else is refused: an internet gateway gives nothing to an instance
 * without a public IP, and a NAT instance or appliance (a network interface), a peering
 * connection or an endpoint is not a NAT the check can trust.
 */
const EGRESS_TARGETS = ["natGatewayId", "transitGatewayId"] as const;

/** What a 0.0.0.0/0 route points to, in words, for a refusal. */
function routeTarget(route: Partial<aws.types.output.ec2.GetRouteTableRoute>): string {
    const gateway = route.gatewayId ?? "";
    const targets: [string | undefined, string][] = [
        [gateway.startsWith("igw-") ? gateway : undefined, `internet gateway ${gateway}`],
        [gateway.startsWith("vgw-") ? gateway : undefined, `virtual private gateway ${gateway}`],
        [gateway || undefined, `gateway ${gateway}`],
        [route.networkInterfaceId, `network interface ${route.networkInterfaceId} (a NAT instance or appliance)`],
        [route.instanceId, `instance ${route.instanceId} (a NAT instance or appliance)`],
        [route.vpcPeeringConnectionId, `VPC peering connection ${route.vpcPeeringConnectionId}`],
        [route.vpcEndpointId, `VPC endpoint ${route.vpcEndpointId}`],
        [route.carrierGatewayId, `carrier gateway ${route.carrierGatewayId}`],
        [route.localGatewayId, `local gateway ${route.localGatewayId}`],
        [route.coreNetworkArn, `core network ${route.coreNetworkArn}`],
    ];
    return targets.find(([id]) => id)?.[1] ?? "no target";
}

/**
 * Why an instance subnet cannot reach SSM, S3 and the bake's package repositories, in one line, or
 * undefined when its 0.0.0.0/0 route goes to a NAT gateway or a transit gateway. Instances in an
 * existing network get no public IP, so an internet gateway route is no way out.
 */
export function instanceEgressProblem(field: string, subnetId: string, table: RouteTableFacts): string | undefined {
    const route = table.defaultRoute;
    if (route && EGRESS_TARGETS.some((target) => route[target])) {
        return undefined;
    }
    const where = route ? `routes 0.0.0.0/0 to ${routeTarget(route)}` : "has no 0.0.0.0/0 route";
    return (
        `api-cluster:existingNetwork.${field} ${subnetId} ${where} (route table ${table.id}), not to a NAT gateway: ` +
        `instances get no public IP there, so they could not reach SSM, S3 or the bake's package repositories; ` +
        `give instance subnets whose 0.0.0.0/0 route goes to a NAT gateway (or a transit gateway to a shared egress VPC)`
    );
}

/**
 * The route table that serves a subnet, as AWS picks it: the table explicitly associated with the
 * subnet, else the VPC's main table. aws.ec2.getRouteTable by `subnetId` fails ("query returned no
 * results") for a subnet without an explicit association, so the plural getRouteTables, which
 * answers an empty list, finds the association first (terraform-provider-aws,
 * vpc_route_table_data_source.go and vpc_route_tables_data_source.go).
 */
function routeTableOf(subnet: SubnetFacts, parent: pulumi.Resource): pulumi.Output<RouteTableFacts> {
    const associated = aws.ec2.getRouteTablesOutput(
        { vpcId: subnet.vpcId, filters: [{ name: "association.subnet-id", values: [subnet.id] }] },
        { parent },
    ).ids;
    return associated.apply((ids) => {
        const table =
            ids.length > 0
                ? aws.ec2.getRouteTableOutput({ routeTableId: ids[0] }, { parent })
                : aws.ec2.getRouteTableOutput(
                      { vpcId: subnet.vpcId, filters: [{ name: "association.main", values: ["true"] }] },
                      { parent },
                  );
        return pulumi.all([table.routeTableId, table.routes]).apply(([id, routes]) => ({
            id,
            defaultRoute: routes.find((route) => route.cidrBlock === "0.0.0.0/0"),
        }));
    });
}

/**
 * An existing VPC: nothing is created. Each subnet is looked up by id, and the deployment fails
 * with every problem named (see existingNetworkProblems) before anything uses them; then each
 * instance subnet's route table is looked up, and the deployment fails with one line per instance
 * subnet whose 0.0.0.0/0 route does not go to a NAT (see instanceEgressProblem).
 */
function existingNetwork(given: ExistingNetworkSettings, settings: ClusterSettings, parent: pulumi.Resource): ClusterNetwork {
    const lookup = (id: pulumi.Input<string>) =>
        aws.ec2
            .getSubnetOutput({ id }, { parent })
            .apply((subnet) => ({ id: subnet.id, vpcId: subnet.vpcId, availabilityZone: subnet.availabilityZone }));
    const loadBalancerLookups = pulumi.all(given.loadBalancerSubnetIds.map(lookup));
    const instanceLookups = pulumi.all(given.instanceSubnetIds.map(lookup));
    const checked = pulumi
        .all([given.vpcId, loadBalancerLookups, instanceLookups, zonesOfferingType(settings.instanceType, parent)])
        .apply(([vpcId, balancerFacts, instanceFacts, offered]) => {
            const problems = existingNetworkProblems(vpcId, balancerFacts, instanceFacts, settings.instanceType, offered);
            if (problems.length > 0) {
                throw new pulumi.RunError(`invalid existing network:\n  - ${problems.join("\n  - ")}`);
            }
            return { vpcId, loadBalancerSubnetIds: balancerFacts.map((s) => s.id), instanceSubnets: instanceFacts };
        })
        .apply((network) =>
            pulumi.all(network.instanceSubnets.map((subnet) => routeTableOf(subnet, parent))).apply((tables) => {
                const problems = network.instanceSubnets
                    .map((subnet, i) => instanceEgressProblem(`instanceSubnetIds[${i}]`, subnet.id, tables[i]))
                    .filter((problem): problem is string => problem !== undefined);
                if (problems.length > 0) {
                    throw new pulumi.RunError(problems.join("\n"));
                }
                return network;
            }),
        );
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
    return pulumi.all([network.instanceSubnets, zonesOfferingType(buildInstanceType, parent)]).apply(([subnets, offered]) => {
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
            return defaultVpcNetwork(name, settings, parent);
    }
}
