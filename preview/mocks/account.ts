/**
 * The fake account's network: its id and deployer role, the fake region's availability zones,
 * subnets, route tables and the networks it adopts (OfflineAccount).
 */
import { parseIpv4Cidr, subnetIdRule, vpcIdRule } from "../../components/config/rules";
import { dotted, fakeHex } from "./fakeValues";

/** The fake account every offline run deploys into. */
export const OFFLINE_ACCOUNT_ID = "123456789012";

/** The role the offline deployer has assumed, as a CI job assumes its deploy role. */
export const OFFLINE_DEPLOYER_ROLE = "api-cluster-deploy";

/** Availability zone letters of the fake region; six, as us-east-1 has. */
const ZONE_LETTERS = ["a", "b", "c", "d", "e", "f"];

/** A subnet the fake account knows: its VPC, zone and IPv4 block. */
export interface OfflineSubnet {
    /** The VPC it belongs to. */
    vpcId: string;
    /** The availability zone. */
    zone: string;
    /** The subnet's CIDR block. */
    cidrBlock: string;
    /** Whether the account adopted it from the ids it was given (see OfflineAccount.adoptNetwork). */
    adopted?: boolean;
}

// --- Network of the fake account (route tables, adopted networks): the network helper's part. ---

/** Where a route table sends 0.0.0.0/0: the route's target field, as aws.ec2.getRouteTable reports it, and the target's id. */
export interface OfflineDefaultRoute {
    /** The field of the route that names the target, such as `natGatewayId` or `gatewayId`. */
    field: "gatewayId" | "natGatewayId" | "transitGatewayId" | "networkInterfaceId" | "vpcPeeringConnectionId";
    /** The target's id, such as nat-… or igw-…. */
    id: string;
}

/** A route table of the fake account. */
export interface OfflineRouteTable {
    /** The VPC it belongs to. */
    vpcId: string;
    /** Whether it is the VPC's main route table, which serves every subnet without an explicit association. */
    main: boolean;
    /** Subnets explicitly associated with it. */
    subnetIds: string[];
    /** Its 0.0.0.0/0 route; none when it has only the local route. */
    defaultRoute?: OfflineDefaultRoute;
}

/** The zones adopted subnets take, in turn: the zone without t3 types last, so up to five subnets all offer them. */
const ADOPTION_ZONE_ORDER = [0, 1, 2, 3, 5, 4];

// --- End of the network's types. ---

/** Instance type families the fake region's fifth zone lacks, as us-east-1e lacks every t3 type. */
const FAMILIES_MISSING_FROM_FIFTH_ZONE = ["t3", "t3a"];

/**
 * The fake region's default VPC with one default subnet per availability zone, a VPC another team
 * owns (for `network: existing`) with a public and a private subnet in each of the first three
 * zones, the route tables that serve them, the subnets mocked VPCs create, and the networks it
 * adopts (see adoptNetwork).
 */
export class OfflineAccount {
    /** Region the fake account lives in. */
    readonly region: string;
    /** Availability zone names, in order. */
    readonly zoneNames: string[];
    /** Zones whose state is `impaired`: getAvailabilityZones with `state: available` leaves them out. Default none. */
    impairedZones: string[] = [];
    /** Id of the default VPC. */
    readonly defaultVpcId: string;
    /** Default subnet id for each availability zone, in zone order. */
    readonly defaultSubnetIds: string[];
    /** Id of the VPC another team owns, 10.99.0.0/16. */
    readonly sharedVpcId: string;
    /** Its public subnets in zones a, b and c. */
    readonly sharedPublicSubnetIds: string[];
    /** Its private subnets (behind NAT) in zones a, b and c. */
    readonly sharedPrivateSubnetIds: string[];
    /** Every subnet by id: the default ones and those a mocked VPC created. */
    private readonly subnets = new Map<string, OfflineSubnet>();
    /** Every route table by id. */
    private readonly routeTables = new Map<string, OfflineRouteTable>();
    /** The IPv4 block of each VPC the account knows, by id. */
    private readonly vpcCidrs = new Map<string, string>();

    constructor(region = "us-east-1") {
        this.region = region;
        this.zoneNames = ZONE_LETTERS.map((letter) => `${region}${letter}`);
        this.defaultVpcId = `vpc-${fakeHex(`default-vpc/${region}`)}`;
        this.defaultSubnetIds = this.zoneNames.map((zone, i) =>
            this.addSubnet(`subnet-${fakeHex(`default-subnet/${zone}`)}`, this.defaultVpcId, zone, `172.31.${i * 16}.0/20`),
        );
        this.sharedVpcId = `vpc-${fakeHex(`shared-vpc/${region}`)}`;
        const shared = (kind: string, third: number) =>
            this.zoneNames
                .slice(0, 3)
                .map((zone, i) =>
                    this.addSubnet(`subnet-${fakeHex(`shared-${kind}/${zone}`)}`, this.sharedVpcId, zone, `10.99.${third + i}.0/24`),
                );
        this.sharedPublicSubnetIds = shared("public", 0);
        this.sharedPrivateSubnetIds = shared("private", 10);
        this.vpcCidrs.set(this.defaultVpcId, "172.31.0.0/16");
        this.vpcCidrs.set(this.sharedVpcId, "10.99.0.0/16");
        // The default VPC: default subnets have no explicit association, so its main table serves
        // them, and it routes 0.0.0.0/0 to the internet gateway (instances there get a public IP).
        this.addRouteTable(`rtb-${fakeHex(`default-main/${region}`)}`, {
            vpcId: this.defaultVpcId,
            main: true,
            subnetIds: [],
            defaultRoute: { field: "gatewayId", id: `igw-${fakeHex(`default-igw/${region}`)}` },
        });
        // The shared VPC: a main table with the local route only, a public table to the internet
        // gateway, and a private table per zone to that zone's NAT gateway.
        this.addRouteTable(`rtb-${fakeHex(`shared-main/${region}`)}`, { vpcId: this.sharedVpcId, main: true, subnetIds: [] });
        this.addRouteTable(`rtb-${fakeHex(`shared-public/${region}`)}`, {
            vpcId: this.sharedVpcId,
            main: false,
            subnetIds: [...this.sharedPublicSubnetIds],
            defaultRoute: { field: "gatewayId", id: `igw-${fakeHex(`shared-igw/${region}`)}` },
        });
        this.sharedPrivateSubnetIds.forEach((id, i) =>
            this.addRouteTable(`rtb-${fakeHex(`shared-private/${this.zoneNames[i]}`)}`, {
                vpcId: this.sharedVpcId,
                main: false,
                subnetIds: [id],
                defaultRoute: { field: "natGatewayId", id: `nat-${fakeHex(`shared-nat/${this.zoneNames[i]}`)}` },
            }),
        );
    }

    // --- Network of the fake account: route tables and adopted networks (the network helper's part). ---

    /** Records a route table and returns its id. */
    addRouteTable(id: string, table: OfflineRouteTable): string {
        this.routeTables.set(id, table);
        return id;
    }

    /** Ids of the route tables a subnet is explicitly associated with (none or one, as in AWS). */
    routeTablesAssociatedWith(subnetId: string): string[] {
        return [...this.routeTables].filter(([, table]) => table.subnetIds.includes(subnetId)).map(([id]) => id);
    }

    /** The main route table of a VPC; fails naming the VPC when the account has none. */
    mainRouteTable(vpcId: string): [string, OfflineRouteTable] {
        const found = [...this.routeTables].find(([, table]) => table.vpcId === vpcId && table.main);
        if (!found) {
            throw new Error(`unknown VPC ${vpcId}`);
        }
        return found;
    }

    /** The route table with this id; fails naming the id when the account has none. */
    routeTable(routeTableId: string): OfflineRouteTable {
        const table = this.routeTables.get(routeTableId);
        if (!table) {
            throw new Error(`unknown route table ${routeTableId}`);
        }
        return table;
    }

    /**
     * Adopts a network the account has never seen, as `network: existing` names it, so the offline
     * preview runs with your own ids. A VPC id it does not know becomes a VPC of 10.100.0.0/16 with
     * a main route table of the local route only. Each subnet id it does not know joins the VPC:
     * the load balancer subnets take zones in turn (a, b, c, d, f, e) behind a public route table
     * to an internet gateway, the instance subnets likewise behind a private route table to a NAT
     * gateway, each subnet a /24 of its own from the VPC's 128th /24 on, so no two overlap. Ids the
     * account knows keep what they are; ids that are not well formed are left alone (validation
     * refuses them before any lookup).
     */
    adoptNetwork(vpcId: string, loadBalancerSubnetIds: string[], instanceSubnetIds: string[]): void {
        if (vpcIdRule(vpcId) !== undefined) {
            return;
        }
        if (!this.vpcCidrs.has(vpcId)) {
            this.vpcCidrs.set(vpcId, "10.100.0.0/16");
            this.addRouteTable(`rtb-${fakeHex(`adopted-main/${vpcId}`)}`, { vpcId, main: true, subnetIds: [] });
        }
        const vpcBlock = parseIpv4Cidr(this.vpcCidrs.get(vpcId) as string) as { address: number };
        const adopt = (ids: string[], kind: string, defaultRoute: OfflineDefaultRoute) => {
            const fresh = ids.filter((id, i) => subnetIdRule(id) === undefined && !this.subnets.has(id) && ids.indexOf(id) === i);
            if (fresh.length === 0) {
                return;
            }
            fresh.forEach((id, i) => {
                const taken = [...this.subnets.values()].filter((subnet) => subnet.vpcId === vpcId && subnet.adopted).length;
                const zone = this.zoneNames[ADOPTION_ZONE_ORDER[i % ADOPTION_ZONE_ORDER.length]];
                this.subnets.set(id, { vpcId, zone, cidrBlock: `${dotted(vpcBlock.address + (128 + taken) * 256)}/24`, adopted: true });
            });
            this.addRouteTable(`rtb-${fakeHex(`adopted-${kind}/${vpcId}/${fresh.join(",")}`)}`, {
                vpcId,
                main: false,
                subnetIds: fresh,
                defaultRoute,
            });
        };
        adopt(loadBalancerSubnetIds, "public", { field: "gatewayId", id: `igw-${fakeHex(`adopted-igw/${vpcId}`)}` });
        adopt(instanceSubnetIds, "private", { field: "natGatewayId", id: `nat-${fakeHex(`adopted-nat/${vpcId}`)}` });
    }

    // --- End of the network's part. ---

    /** Records a subnet and returns its id. */
    addSubnet(id: string, vpcId: string, zone: string, cidrBlock: string): string {
        this.subnets.set(id, { vpcId, zone, cidrBlock });
        return id;
    }

    /** The zones that offer an instance type: all but the fifth for t3 and t3a types, as in us-east-1. */
    zonesOffering(instanceType: string): string[] {
        const family = instanceType.split(".")[0];
        return this.zoneNames.filter((_zone, i) => !(i === 4 && FAMILIES_MISSING_FROM_FIFTH_ZONE.includes(family)));
    }

    /** The subnet with this id; fails naming the id when the account has none. */
    subnet(subnetId: string): OfflineSubnet {
        const subnet = this.subnets.get(subnetId);
        if (!subnet) {
            throw new Error(
                `unknown subnet ${subnetId}; the offline account adopts the ids of api-cluster:existingNetwork when they are given as config`,
            );
        }
        return subnet;
    }

    /** ARN of a resource in this account. */
    arn(service: string, resource: string): string {
        return `arn:aws:${service}:${this.region}:${OFFLINE_ACCOUNT_ID}:${resource}`;
    }
}
