/**
 * The offline AWS world: Pulumi mocks that answer every invoke this program makes with realistic,
 * deterministic values, and give every resource the computed outputs AWS would give it.
 *
 * The offline preview and the tests both use this module, so what the tests check is what the
 * preview prints. An invoke without an entry in `invokeMocks` fails and names its token.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { specialResourceSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { parseIpv4Cidr, subnetIdRule, vpcIdRule } from "../components/config/rules";

/**
 * Resource hooks under mocks. @pulumi/pulumi 3.270's MockMonitor has no `registerResourceHook`: a
 * hook's registration rejects with "this._monitor.registerResourceHook is not a function" (an
 * unhandled rejection that ends the process) and the resource bound to it never finishes
 * registering (pulumi/pulumi#20874). Hooks never run under mocks anyway
 * (there is no engine to call them back), so the stub accepts every hook and runs none; the hook
 * functions are tested on their own against a mocked AWS SDK client. Which hooks a resource
 * binds still shows: runUnderMocks records each registration's hook names.
 */
(MockMonitor.prototype as unknown as Record<string, unknown>).registerResourceHook = function registerResourceHook(
    _request: unknown,
    callback: (err: Error | null, response: object) => void,
): void {
    callback(null, {});
};

/** The fake account every offline run deploys into. */
export const OFFLINE_ACCOUNT_ID = "123456789012";

/** The role the offline deployer has assumed, as a CI job assumes its deploy role. */
export const OFFLINE_DEPLOYER_ROLE = "api-cluster-deploy";

/** Availability zone letters of the fake region; six, as us-east-1 has. */
const ZONE_LETTERS = ["a", "b", "c", "d", "e", "f"];

/** A deterministic hex string derived from `seed`, `length` characters long. */
export function fakeHex(seed: string, length = 17): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

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

/** An IPv4 address as a dotted string. */
function dotted(address: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

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

type Inputs = Record<string, any>;
type InvokeMock = (inputs: Inputs, account: OfflineAccount) => Inputs;
type OutputMock = (name: string, inputs: Inputs, account: OfflineAccount) => Inputs;

/** Every invoke the program may make, by token. */
export const invokeMocks: Record<string, InvokeMock> = {
    "aws:index/getPartition:getPartition": () => ({
        id: "aws",
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
    }),
    "aws:index/getRegion:getRegion": (_inputs, account) => ({
        id: account.region,
        name: account.region,
        region: account.region,
        endpoint: `ec2.${account.region}.amazonaws.com`,
        description: account.region,
    }),
    // The deployer: an assumed role, as a CI job's OIDC session is.
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: OFFLINE_ACCOUNT_ID,
        accountId: OFFLINE_ACCOUNT_ID,
        arn: `arn:aws:sts::${OFFLINE_ACCOUNT_ID}:assumed-role/${OFFLINE_DEPLOYER_ROLE}/offline-preview`,
        userId: "AROAOFFLINEDEPLOYER:offline-preview",
    }),
    "aws:iam/getSessionContext:getSessionContext": (inputs) => {
        const assumed = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(String(inputs.arn));
        if (!assumed) {
            return { id: inputs.arn, arn: inputs.arn, issuerArn: inputs.arn, issuerId: "", issuerName: "", sessionName: "" };
        }
        return {
            id: inputs.arn,
            arn: inputs.arn,
            issuerArn: `arn:aws:iam::${assumed[1]}:role/${assumed[2]}`,
            issuerId: "AROAOFFLINEDEPLOYER",
            issuerName: assumed[2],
            sessionName: assumed[3],
        };
    },
    // Zones in the state asked for (`available` leaves out the impaired ones), or every zone when no state is given.
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs, account) => {
        const state = (zone: string) => (account.impairedZones.includes(zone) ? "impaired" : "available");
        const zones = account.zoneNames.filter((zone) => inputs.state === undefined || state(zone) === inputs.state);
        return {
            id: account.region,
            names: zones,
            zoneIds: zones.map((zone) => `use1-az${account.zoneNames.indexOf(zone) + 1}`),
            groupNames: [account.region],
            state: inputs.state,
        };
    },
    "aws:ec2/getVpc:getVpc": (inputs, account) => {
        if (inputs.default !== true) {
            throw new Error("only the default VPC ({ default: true }) is known");
        }
        return {
            id: account.defaultVpcId,
            arn: account.arn("ec2", `vpc/${account.defaultVpcId}`),
            cidrBlock: "172.31.0.0/16",
            default: true,
            state: "available",
        };
    },
    "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": (inputs, account) => {
        const filter = (inputs.filters ?? []) as { name: string; values: string[] }[];
        const types = filter.find((f) => f.name === "instance-type")?.values;
        if (inputs.locationType !== "availability-zone" || !types || filter.length !== 1) {
            throw new Error(`only locationType availability-zone with one instance-type filter is known; got ${JSON.stringify(inputs)}`);
        }
        const offerings = types.flatMap((type) => account.zonesOffering(type).map((zone) => ({ type, zone })));
        return {
            id: account.region,
            instanceTypes: offerings.map((offering) => offering.type),
            locations: offerings.map((offering) => offering.zone),
            locationTypes: offerings.map(() => "availability-zone"),
            region: account.region,
        };
    },
    "aws:ec2/getSubnet:getSubnet": (inputs, account) => {
        if (typeof inputs.id === "string") {
            const subnet = account.subnet(inputs.id);
            return {
                id: inputs.id,
                arn: account.arn("ec2", `subnet/${inputs.id}`),
                availabilityZone: subnet.zone,
                cidrBlock: subnet.cidrBlock,
                defaultForAz: subnet.vpcId === account.defaultVpcId,
                mapPublicIpOnLaunch: subnet.vpcId === account.defaultVpcId,
                vpcId: subnet.vpcId,
            };
        }
        const index =
            inputs.defaultForAz === true && inputs.vpcId === account.defaultVpcId ? account.zoneNames.indexOf(inputs.availabilityZone) : -1;
        if (index < 0) {
            throw new Error(`only subnets by id, or default subnets by zone, are known; got ${JSON.stringify(inputs)}`);
        }
        const id = account.defaultSubnetIds[index];
        return {
            id,
            arn: account.arn("ec2", `subnet/${id}`),
            availabilityZone: account.zoneNames[index],
            cidrBlock: account.subnet(id).cidrBlock,
            defaultForAz: true,
            mapPublicIpOnLaunch: true,
            vpcId: account.defaultVpcId,
        };
    },
    // --- Route tables (the network helper's part): what aws.ec2.getRouteTables and getRouteTable answer. ---
    // getRouteTables by an explicit subnet association (`association.subnet-id`), optionally within a VPC:
    // the ids, an empty list when the subnet has none (the provider's plural data source does not fail).
    "aws:ec2/getRouteTables:getRouteTables": (inputs, account) => {
        const filters = (inputs.filters ?? []) as { name: string; values: string[] }[];
        const subnetIds = filters.find((filter) => filter.name === "association.subnet-id")?.values;
        if (filters.length !== 1 || subnetIds?.length !== 1) {
            throw new Error(`only one association.subnet-id filter of one subnet is known; got ${JSON.stringify(inputs)}`);
        }
        const subnet = account.subnet(subnetIds[0]);
        const ids = account
            .routeTablesAssociatedWith(subnetIds[0])
            .filter((id) => inputs.vpcId === undefined || account.routeTable(id).vpcId === inputs.vpcId);
        return { id: account.region, ids, vpcId: inputs.vpcId ?? subnet.vpcId, filters, tags: {} };
    },
    // getRouteTable by id, or a VPC's main table (vpcId and `association.main` true). Every route
    // field the provider reports is present, empty when unset, and the local route is left out, as
    // the provider's data source does (terraform-provider-aws, vpc_route_table_data_source.go).
    "aws:ec2/getRouteTable:getRouteTable": (inputs, account) => {
        const filters = (inputs.filters ?? []) as { name: string; values: string[] }[];
        const mainFilter = filters.length === 1 && filters[0].name === "association.main" && filters[0].values.join() === "true";
        let id: string;
        if (typeof inputs.routeTableId === "string" && filters.length === 0) {
            id = inputs.routeTableId;
        } else if (typeof inputs.vpcId === "string" && mainFilter) {
            [id] = account.mainRouteTable(inputs.vpcId);
        } else {
            throw new Error(`only a route table by id, or a VPC's main table, is known; got ${JSON.stringify(inputs)}`);
        }
        const table = account.routeTable(id);
        const emptyRoute = {
            carrierGatewayId: "",
            cidrBlock: "",
            coreNetworkArn: "",
            destinationPrefixListId: "",
            egressOnlyGatewayId: "",
            gatewayId: "",
            instanceId: "",
            ipv6CidrBlock: "",
            localGatewayId: "",
            natGatewayId: "",
            networkInterfaceId: "",
            odbNetworkArn: "",
            transitGatewayId: "",
            vpcEndpointId: "",
            vpcPeeringConnectionId: "",
        };
        const routes = table.defaultRoute
            ? [{ ...emptyRoute, cidrBlock: "0.0.0.0/0", [table.defaultRoute.field]: table.defaultRoute.id }]
            : [];
        const associations = [
            ...(table.main
                ? [
                      {
                          gatewayId: "",
                          main: true,
                          routeTableAssociationId: `rtbassoc-${fakeHex(`main/${id}`)}`,
                          routeTableId: id,
                          subnetId: "",
                      },
                  ]
                : []),
            ...table.subnetIds.map((subnetId) => ({
                gatewayId: "",
                main: false,
                routeTableAssociationId: `rtbassoc-${fakeHex(`${id}/${subnetId}`)}`,
                routeTableId: id,
                subnetId,
            })),
        ];
        return {
            id,
            routeTableId: id,
            arn: account.arn("ec2", `route-table/${id}`),
            ownerId: OFFLINE_ACCOUNT_ID,
            vpcId: table.vpcId,
            routes,
            associations,
            tags: {},
        };
    },
    // --- End of the route tables. ---
};

/** The physical name Pulumi's auto-naming gives: the logical name, a dash and 7 random hex digits. */
export function autoName(logicalName: string): string {
    return `${logicalName}-${fakeHex(`autoname/${logicalName}`, 7)}`;
}

/** A private IPv4 address inside a subnet, past the 4 addresses AWS reserves at its start, derived from the resource name. */
function fakePrivateIp(cidrBlock: string, name: string): string {
    const cidr = parseIpv4Cidr(cidrBlock);
    if (!cidr) {
        throw new Error(`offline mocks: ${cidrBlock} is not a CIDR block`);
    }
    const usable = 2 ** (32 - cidr.prefix) - 5;
    return dotted(cidr.address + 4 + (parseInt(fakeHex(name, 6), 16) % usable));
}

/** One subnet spec of an awsx VPC, as its inputs give it. */
interface AwsxSubnetSpec {
    type: string;
    name?: string;
    cidrMask?: number;
}

/**
 * awsx's "Auto" subnet allocation (awsx/ec2/subnetDistributorNew.ts): zone i gets the i-th block of
 * `availabilityZoneCidrMask` (by default the VPC's prefix plus the bits the zone count needs), and
 * each spec in turn gets the next block of its mask inside it (by default an equal share).
 */
export function awsxAutoLayout(vpcCidr: string, zoneCount: number, zoneMask: number | undefined, specs: AwsxSubnetSpec[]): string[][] {
    const vpc = parseIpv4Cidr(vpcCidr);
    if (!vpc) {
        throw new Error(`offline mocks: ${vpcCidr} is not a CIDR block`);
    }
    const bits = (count: number) => (count <= 1 ? 0 : Math.ceil(Math.log2(count)));
    const azMask = zoneMask ?? vpc.prefix + bits(zoneCount);
    const defaultMask = azMask + bits(specs.length);
    return Array.from({ length: zoneCount }, (_unused, zone) => {
        let cursor = vpc.address + zone * 2 ** (32 - azMask);
        return specs.map((spec) => {
            const mask = spec.cidrMask ?? defaultMask;
            const size = 2 ** (32 - mask);
            cursor = Math.ceil(cursor / size) * size;
            const block = `${dotted(cursor)}/${mask}`;
            cursor += size;
            return block;
        });
    });
}

/**
 * A route of a mocked awsx VPC, as awsx returns it in the VPC's `routes` output: a resource
 * reference. awsx (awsx/ec2/vpc.ts) gives each public and private subnet spec, zone by zone, a
 * route table and its 0.0.0.0/0 route (public to the internet gateway, private to a NAT gateway),
 * both named `<vpc>-<spec name>-<zone number>`, the route a child of the table. Under mocks the
 * program rehydrates a reference by asking the monitor for the resource (the SDK's getResource
 * invoke, which MockMonitor answers from the resources it has registered), so the route is
 * recorded there, with a URN as MockMonitor forms one (its parent's type, then its own). The VPC
 * stays one resource in the plan, as a remote component is in the program: its children are
 * registered by awsx, not by the program.
 */
function awsxRouteReference(name: string): Record<string, string> {
    const urn = `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::aws:ec2/routeTable:RouteTable$aws:ec2/route:Route::${name}`;
    // The AWS provider's id for a route: r-, the route table's id, and a hash of the destination ("0.0.0.0/0").
    const id = `r-rtb-${fakeHex(`route-table/${name}`)}1080289494`;
    const monitor = getMonitor() as unknown as { resources: Map<string, { urn: string; id: string; state: Inputs }> };
    monitor.resources.set(urn, { urn, id, state: { id, destinationCidrBlock: "0.0.0.0/0" } });
    return { [specialSigKey]: specialResourceSig, urn, id, packageVersion: "" };
}

/** Computed outputs AWS gives a resource of each type, on top of its inputs. */
export const outputMocks: Record<string, OutputMock> = {
    "aws:ec2/securityGroup:SecurityGroup": (name, _inputs, account) => {
        const id = `sg-${fakeHex(name)}`;
        return { id, arn: account.arn("ec2", `security-group/${id}`), ownerId: OFFLINE_ACCOUNT_ID };
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (name) => ({ id: `sgr-${fakeHex(name)}` }),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (name) => ({ id: `sgr-${fakeHex(name)}` }),
    // A tag on any EC2 resource: the provider's id is the resource id and the key, comma-separated.
    "aws:ec2/tag:Tag": (_name, inputs) => ({ id: `${inputs.resourceId},${inputs.key}` }),
    "aws:ec2/instance:Instance": (name, inputs, account) => {
        const id = `i-${fakeHex(name)}`;
        const subnet = account.subnet(inputs.subnetId);
        const privateIp = fakePrivateIp(subnet.cidrBlock, name);
        return {
            id,
            arn: account.arn("ec2", `instance/${id}`),
            availabilityZone: subnet.zone,
            privateIp,
            privateDns: `ip-${privateIp.replace(/\./g, "-")}.ec2.internal`,
            instanceState: "running",
        };
    },
    "aws:lb/loadBalancer:LoadBalancer": (name, inputs, account) => {
        const lbName = inputs.name ?? autoName(name);
        const suffix = fakeHex(`lb/${name}`, 16);
        const arn = account.arn("elasticloadbalancing", `loadbalancer/app/${lbName}/${suffix}`);
        return {
            id: arn,
            arn,
            arnSuffix: `app/${lbName}/${suffix}`,
            name: lbName,
            dnsName: `${lbName}-${parseInt(fakeHex(name, 8), 16)}.${account.region}.elb.amazonaws.com`,
            zoneId: "Z35SXDOTRQ7X7K",
        };
    },
    "aws:lb/targetGroup:TargetGroup": (name, inputs, account) => {
        const tgName = inputs.name ?? autoName(name);
        const arn = account.arn("elasticloadbalancing", `targetgroup/${tgName}/${fakeHex(`tg/${name}`, 16)}`);
        return { id: arn, arn, arnSuffix: arn.split(":").pop(), name: tgName };
    },
    "aws:lb/listener:Listener": (name, _inputs, account) => {
        const arn = account.arn("elasticloadbalancing", `listener/app/${name}/${fakeHex(`listener/${name}`, 16)}`);
        return { id: arn, arn };
    },
    // The autoscaling fleet (components/fleet): a template's first version is 1; a group autonames.
    "aws:ec2/launchTemplate:LaunchTemplate": (name, _inputs, account) => {
        const id = `lt-${fakeHex(name)}`;
        return { id, arn: account.arn("ec2", `launch-template/${id}`), latestVersion: 1, defaultVersion: 1, name: autoName(name) };
    },
    "aws:autoscaling/group:Group": (name, inputs, account) => {
        const groupName: string = inputs.name ?? autoName(name);
        return {
            id: groupName,
            name: groupName,
            arn: account.arn(
                "autoscaling",
                `autoScalingGroup:${fakeHex(`asg/${name}`, 8)}-0000-4000-8000-${fakeHex(`asg-id/${name}`, 12)}:autoScalingGroupName/${groupName}`,
            ),
            availabilityZones: (inputs.vpcZoneIdentifiers as string[]).map((subnetId) => account.subnet(subnetId).zone),
            serviceLinkedRoleArn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
        };
    },
    "aws:autoscaling/policy:Policy": (name, inputs, account) => ({
        id: name,
        name,
        arn: account.arn(
            "autoscaling",
            `scalingPolicy:${fakeHex(`policy/${name}`, 8)}:autoScalingGroupName/${inputs.autoscalingGroupName}:policyName/${name}`,
        ),
    }),
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": (name) => ({
        id: `attachment-${fakeHex(name, 12)}`,
    }),
    "awsx:ec2:Vpc": (name, inputs, account) => {
        // awsx's Auto strategy with explicit subnet specs, the only way this program uses it.
        if (inputs.subnetStrategy !== "Auto" || !Array.isArray(inputs.subnetSpecs)) {
            throw new Error(
                `offline mocks: awsx:ec2:Vpc is mocked for subnetStrategy Auto with subnetSpecs only; got ${JSON.stringify(inputs)}`,
            );
        }
        if (inputs.availabilityZoneNames !== undefined && inputs.numberOfAvailabilityZones !== undefined) {
            throw new Error("Only one of [availabilityZoneNames] and [numberOfAvailabilityZones] can be specified");
        }
        const zones: string[] = inputs.availabilityZoneNames ?? account.zoneNames.slice(0, inputs.numberOfAvailabilityZones ?? 3);
        const specs = inputs.subnetSpecs as AwsxSubnetSpec[];
        const layout = awsxAutoLayout(inputs.cidrBlock ?? "10.0.0.0/16", zones.length, inputs.availabilityZoneCidrMask, specs);
        const vpcId = `vpc-${fakeHex(name)}`;
        const subnetIds = (type: string) =>
            zones.map((zone, i) => {
                const spec = specs.findIndex((candidate) => candidate.type === type);
                return account.addSubnet(`subnet-${fakeHex(`${name}/${type}/${i + 1}`)}`, vpcId, zone, layout[i][spec]);
            });
        const routes = zones.flatMap((_zone, i) =>
            specs.map((spec) => awsxRouteReference(`${name}-${spec.name ?? spec.type.toLowerCase()}-${i + 1}`)),
        );
        return { vpcId, privateSubnetIds: subnetIds("Private"), publicSubnetIds: subnetIds("Public"), routes };
    },
    "random:index/randomPassword:RandomPassword": (name) => ({
        id: "none",
        result: `offline-${fakeHex(`password/${name}`, 24)}`,
    }),
    // Artifact bucket of the image bake (components/image): S3 autonames a bucket from its logical name.
    "aws:s3/bucket:Bucket": (name, inputs, account) => {
        const bucket: string = inputs.bucket ?? `${inputs.bucketPrefix ?? name}-${fakeHex(`bucket/${name}`, 7)}`;
        return {
            id: bucket,
            bucket,
            arn: `arn:aws:s3:::${bucket}`,
            bucketDomainName: `${bucket}.s3.amazonaws.com`,
            bucketRegionalDomainName: `${bucket}.s3.${account.region}.amazonaws.com`,
            hostedZoneId: "Z3AQBSTGFYJSTF",
            region: account.region,
        };
    },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (_name, inputs) => ({ id: inputs.bucket }),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (_name, inputs) => ({
        id: inputs.bucket,
    }),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (_name, inputs) => ({ id: inputs.bucket }),
    "aws:s3/bucketPolicy:BucketPolicy": (_name, inputs) => ({ id: inputs.bucket }),
    "aws:s3/bucketObjectv2:BucketObjectv2": (name, inputs) => ({
        id: `${inputs.bucket}/${inputs.key}`,
        arn: `arn:aws:s3:::${inputs.bucket}/${inputs.key}`,
        etag: fakeHex(`etag/${name}/${inputs.key}`, 32),
        versionId: "",
        storageClass: "STANDARD",
        serverSideEncryption: "AES256",
    }),
    // IAM: roles and instance profiles autoname from their logical names.
    "aws:iam/role:Role": (name, inputs) => {
        const roleName: string = inputs.name ?? `${name}-${fakeHex(`role/${name}`, 7)}`;
        return {
            id: roleName,
            name: roleName,
            arn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:role/${roleName}`,
            uniqueId: `AROA${fakeHex(`role-id/${name}`, 17).toUpperCase()}`,
            createDate: "2025-01-01T00:00:00Z",
        };
    },
    "aws:iam/rolePolicy:RolePolicy": (name, inputs) => {
        const policyName: string = inputs.name ?? `${name}-${fakeHex(`role-policy/${name}`, 7)}`;
        return { id: `${inputs.role}:${policyName}`, name: policyName };
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (name, inputs) => ({
        id: `${inputs.role}-${fakeHex(`attachment/${name}`, 8)}`,
    }),
    "aws:iam/instanceProfile:InstanceProfile": (name, inputs) => {
        const profileName: string = inputs.name ?? `${name}-${fakeHex(`instance-profile/${name}`, 7)}`;
        return {
            id: profileName,
            name: profileName,
            arn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:instance-profile/${profileName}`,
            uniqueId: `AIPA${fakeHex(`instance-profile-id/${name}`, 17).toUpperCase()}`,
            createDate: "2025-01-01T00:00:00Z",
        };
    },
    // The admin password's KMS key (components/credentials): a key id is a UUID.
    "aws:kms/key:Key": (name, _inputs, account) => {
        const hex = fakeHex(`kms-key/${name}`, 32);
        const keyId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
        return { id: keyId, keyId, arn: account.arn("kms", `key/${keyId}`), keyUsage: "ENCRYPT_DECRYPT", multiRegion: false };
    },
    // The admin password's SecureString (components/credentials); a path name gives parameter/<path>.
    "aws:ssm/parameter:Parameter": (name, inputs, account) => {
        const parameterName: string = inputs.name ?? name;
        const path = parameterName.startsWith("/") ? parameterName : `/${parameterName}`;
        return {
            id: parameterName,
            name: parameterName,
            arn: account.arn("ssm", `parameter${path}`),
            version: 1,
            tier: inputs.tier ?? "Standard",
            dataType: inputs.dataType ?? "text",
            keyId: inputs.keyId ?? "alias/aws/ssm",
        };
    },
    // EC2 Image Builder (components/image): ARNs carry the lower-cased name and the version.
    "aws:imagebuilder/component:Component": (_name, inputs, account) => {
        const arn = account.arn("imagebuilder", `component/${String(inputs.name).toLowerCase()}/${inputs.version}/1`);
        return {
            id: arn,
            arn,
            dateCreated: "2025-01-01T00:00:00.000Z",
            encrypted: true,
            owner: OFFLINE_ACCOUNT_ID,
            type: "BUILD",
        };
    },
    "aws:imagebuilder/imageRecipe:ImageRecipe": (_name, inputs, account) => {
        const arn = account.arn("imagebuilder", `image-recipe/${String(inputs.name).toLowerCase()}/${inputs.version}`);
        return { id: arn, arn, dateCreated: "2025-01-01T00:00:00.000Z", owner: OFFLINE_ACCOUNT_ID, platform: "Linux" };
    },
    "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration": (_name, inputs, account) => {
        const arn = account.arn("imagebuilder", `infrastructure-configuration/${String(inputs.name).toLowerCase()}`);
        return { id: arn, arn, dateCreated: "2025-01-01T00:00:00.000Z" };
    },
    "aws:imagebuilder/lifecyclePolicy:LifecyclePolicy": (_name, inputs, account) => {
        const arn = account.arn("imagebuilder", `lifecycle-policy/${String(inputs.name).toLowerCase()}`);
        return { id: arn, arn, status: inputs.status ?? "ENABLED" };
    },
    "aws:imagebuilder/image:Image": (name, inputs, account) => {
        const recipe = /image-recipe\/([^/]+)\/([^/]+)$/.exec(String(inputs.imageRecipeArn ?? ""));
        const imageName = recipe?.[1] ?? name;
        const version = recipe?.[2] ?? "1.0.0";
        const arn = account.arn("imagebuilder", `image/${imageName}/${version}/1`);
        return {
            id: arn,
            arn,
            name: imageName,
            version,
            platform: "Linux",
            osVersion: "Amazon Linux 2023",
            dateCreated: "2025-01-01T00:00:00.000Z",
            executionRole: "",
            outputResources: [
                {
                    amis: [
                        {
                            accountId: OFFLINE_ACCOUNT_ID,
                            description: `${imageName} ${version}`,
                            image: `ami-${fakeHex(`ami/${name}/${version}`)}`,
                            name: `${imageName} ${version}/1`,
                            region: account.region,
                        },
                    ],
                    containers: [],
                },
            ],
        };
    },
};

// ---------------------------------------------------------------------------------------------
// TLS by name (components/domain.ts): Route 53 hosted zones, ACM certificates and their DNS
// validation, and records. Route 53 is global, so these zones belong to no region.
// ---------------------------------------------------------------------------------------------

/** A hosted zone the fake account holds. */
export interface OfflineHostedZone {
    /** The zone's id, as Route 53 gives it without `/hostedzone/`. */
    id: string;
    /** The zone's name, without a trailing dot. */
    name: string;
    /** Whether the zone is private to VPCs. */
    privateZone: boolean;
}

/** The id the fake account gives the zone of `name`: Z and 20 uppercase hex digits. */
export function offlineZoneId(name: string, privateZone = false): string {
    return `Z${fakeHex(`hosted-zone/${privateZone ? "private" : "public"}/${name}`, 20).toUpperCase()}`;
}

/** The zones the fake account holds: the public example.com the stack files use, and a private zone. */
export const OFFLINE_HOSTED_ZONES: readonly OfflineHostedZone[] = [
    { id: offlineZoneId("example.com"), name: "example.com", privateZone: false },
    { id: offlineZoneId("internal.example.com", true), name: "internal.example.com", privateZone: true },
];

/** A hosted zone as aws:route53/getZone:getZone returns it. */
function zoneResult(zone: OfflineHostedZone): Inputs {
    const servers = ["ns-1.awsdns-00.com", "ns-2.awsdns-00.net", "ns-3.awsdns-00.org", "ns-4.awsdns-00.co.uk"];
    return {
        id: zone.id,
        zoneId: zone.id,
        name: zone.name,
        arn: `arn:aws:route53:::hostedzone/${zone.id}`,
        privateZone: zone.privateZone,
        callerReference: fakeHex(`caller/${zone.id}`, 12),
        comment: "",
        linkedServiceDescription: "",
        linkedServicePrincipal: "",
        nameServers: zone.privateZone ? [] : servers,
        primaryNameServer: zone.privateZone ? "" : servers[0],
        resourceRecordSetCount: 2,
        tags: {},
    };
}

/**
 * The zone lookup as the provider does it (terraform-provider-aws internal/service/route53/
 * zone_data_source.go): by id, GetHostedZone, which fails for an id the account lacks; by name,
 * every zone of that name and privacy (public unless `privateZone`), which must be exactly one.
 * A public zone by a name the fake account lacks is answered too, with an id derived from its name
 * (the same on every lookup), so a stack file naming its own zone previews offline.
 */
function getZone(inputs: Inputs): Inputs {
    if (inputs.zoneId !== undefined && inputs.name !== undefined) {
        throw new Error('offline mocks: getZone takes "zoneId" or "name", not both');
    }
    if (typeof inputs.zoneId === "string") {
        const zone = OFFLINE_HOSTED_ZONES.find((candidate) => candidate.id === inputs.zoneId);
        if (!zone) {
            throw new Error(
                `offline mocks: no hosted zone ${inputs.zoneId} in the fake account (NoSuchHostedZone); it holds ` +
                    `${OFFLINE_HOSTED_ZONES.map((known) => `${known.id} (${known.name})`).join(", ")}; add yours to OFFLINE_HOSTED_ZONES in preview/mocks.ts`,
            );
        }
        return zoneResult(zone);
    }
    if (typeof inputs.name === "string") {
        const name = inputs.name.replace(/\.$/, "");
        const privateZone = inputs.privateZone === true;
        const zone = OFFLINE_HOSTED_ZONES.find((candidate) => candidate.name === name && candidate.privateZone === privateZone);
        if (zone) {
            return zoneResult(zone);
        }
        if (privateZone) {
            throw new Error(`offline mocks: no private hosted zone named ${name} in the fake account`);
        }
        return zoneResult({ id: offlineZoneId(name), name, privateZone: false });
    }
    throw new Error(`offline mocks: getZone needs "zoneId" or "name"; got ${JSON.stringify(inputs)}`);
}

/**
 * An ACM certificate's DNS validation for one name, as ACM words it: a CNAME named
 * `_<token>.<name>.` whose value is `_<token>.<token>.acm-validations.aws.`.
 */
function domainValidationOption(certificateName: string, domainName: string): Inputs {
    return {
        domainName,
        resourceRecordName: `_${fakeHex(`acm-name/${certificateName}/${domainName}`, 32)}.${domainName}.`,
        resourceRecordType: "CNAME",
        resourceRecordValue: `_${fakeHex(`acm-value/${certificateName}/${domainName}`, 32)}.${fakeHex(`acm-zone/${domainName}`, 10)}.acm-validations.aws.`,
    };
}

/** A DNS name as a record's `fqdn` gives it: without the trailing dot. */
function withoutTrailingDot(name: string): string {
    return name.replace(/\.$/, "");
}

Object.assign(invokeMocks, { "aws:route53/getZone:getZone": getZone } satisfies Record<string, InvokeMock>);

Object.assign(outputMocks, {
    // A requested certificate waits for validation; it lists its domain name as its only alternative name, as ACM does.
    "aws:acm/certificate:Certificate": (name, inputs, account) => {
        const hex = fakeHex(`certificate/${name}`, 32);
        const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
        const arn = account.arn("acm", `certificate/${uuid}`);
        const names: string[] = [inputs.domainName, ...((inputs.subjectAlternativeNames as string[] | undefined) ?? [])];
        return {
            id: arn,
            arn,
            status: "PENDING_VALIDATION",
            type: "AMAZON_ISSUED",
            keyAlgorithm: inputs.keyAlgorithm ?? "RSA_2048",
            subjectAlternativeNames: [...new Set(names)],
            domainValidationOptions: [...new Set(names)].map((domain) => domainValidationOption(name, domain)),
            validationEmails: [],
            renewalEligibility: "INELIGIBLE",
            pendingRenewal: false,
        };
    },
    // Not an AWS resource: the provider's id is the certificate's issue time.
    "aws:acm/certificateValidation:CertificateValidation": () => ({ id: "2025-01-01 00:00:00 +0000 UTC" }),
    // The provider's id joins the zone, the name and the type with underscores.
    "aws:route53/record:Record": (_name, inputs) => ({
        id: `${inputs.zoneId}_${withoutTrailingDot(String(inputs.name))}_${inputs.type}`,
        fqdn: withoutTrailingDot(String(inputs.name)),
    }),
} satisfies Record<string, OutputMock>);

// ---------------------------------------------------------------------------------------------
// End of TLS by name.
// ---------------------------------------------------------------------------------------------

/** One resource as the program registered it, in registration order. */
export interface RegisteredResource {
    /** The resource's URN. */
    urn: string;
    /** The resource's type token. */
    type: string;
    /** The resource's logical name. */
    name: string;
    /** The parent's URN; unset for the stack itself. */
    parent?: string;
    /** Whether a provider manages the resource (false for components). */
    custom: boolean;
    /** Inputs as registered; secret values are kept wrapped so callers can show them as secret. */
    inputs: Inputs;
    /** State the mocks returned: the inputs plus computed outputs such as `arn`; secrets wrapped likewise. */
    outputs: Inputs;
    /** URNs of the resources this one depends on. */
    dependencies: string[];
    /** URNs each input property depends on. */
    propertyDependencies: Record<string, string[]>;
    /** Whether `pulumi destroy` (or a replacement) leaves the cloud resource in place. */
    retainOnDelete: boolean;
    /** Input properties whose changes Pulumi ignores (the `ignoreChanges` option). */
    ignoreChanges: string[];
    /** Input properties whose changes replace the resource rather than update it (the `replaceOnChanges` option). */
    replaceOnChanges: string[];
    /** Whether a replacement deletes the old resource before it creates the new one (the `deleteBeforeReplace` option). */
    deleteBeforeReplace: boolean;
    /** Whether Pulumi refuses to delete the resource (the `protect` option). */
    protect: boolean;
    /** Names of the resource hooks bound to it, by when they run (hooks never run under mocks). */
    hooks: RegisteredHooks;
    /** The aliases the resource was registered with: earlier identities the engine may find it under. */
    aliases: RegisteredAlias[];
}

/** One alias of a registered resource: a full URN, or the parts of its identity that differ. */
export interface RegisteredAlias {
    /** The alias as a whole URN. */
    urn?: string;
    /** An earlier logical name. */
    name?: string;
    /** An earlier type token. */
    type?: string;
    /** An earlier parent's URN. */
    parentUrn?: string;
    /** The resource had no parent. */
    noParent?: boolean;
}

/** Names of the resource hooks bound to one resource, by when the engine runs them. */
export interface RegisteredHooks {
    /** Hooks that run before the resource is created. */
    beforeCreate: string[];
    /** Hooks that run after the resource is created. */
    afterCreate: string[];
    /** Hooks that run before the resource is updated. */
    beforeUpdate: string[];
    /** Hooks that run after the resource is updated. */
    afterUpdate: string[];
    /** Hooks that run before the resource is deleted; one that fails stops the delete. */
    beforeDelete: string[];
    /** Hooks that run after the resource is deleted. */
    afterDelete: string[];
    /** Hooks that run when a create, update or delete of the resource fails. */
    onError: string[];
}

/**
 * A mock's failure as one line that names what failed (`invoke <token>`, or `<type> <name>` for a
 * resource) and why. The SDK shows an invoke's failure through `details`, as the engine's gRPC
 * errors carry it, and prefixes each property it was serializing to the same Error's message; the
 * offline preview's CLI prints the line without that prefix (see preview/cli.ts).
 */
function offlineMockFailure(what: string, err: unknown): Error {
    const reason = String(err instanceof Error ? err.message : err).replace(/^offline mocks: /, "");
    const message = `offline mocks: ${what}: ${reason.split("\n").join(" ")}`;
    return Object.assign(new Error(message), { details: message });
}

/**
 * Pulumi mocks for the offline AWS world. `resources` fills as the program registers resources,
 * including component resources and the stack, with each one's parent.
 */
export class OfflineMocks implements pulumi.runtime.Mocks {
    /** The fake account's region, VPC and subnets. */
    readonly account: OfflineAccount;
    /** Resources in registration order. */
    readonly resources: RegisteredResource[] = [];

    constructor(region = "us-east-1") {
        this.account = new OfflineAccount(region);
    }

    /**
     * What earlier deployments recorded in Stash resources, by logical name: a Stash named here
     * keeps this output whatever its input, as the engine's builtin provider does on an update
     * (pulumi pkg/resource/deploy/builtins.go: Update keeps the old `output`); any other Stash is
     * created, its output its input. Empty by default: every offline run is a first deployment.
     */
    readonly recordedStashes = new Map<string, unknown>();

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Inputs } {
        try {
            this.adoptConfiguredNetwork();
            if (args.type === "pulumi:index:Stash") {
                const output = this.recordedStashes.has(args.name) ? this.recordedStashes.get(args.name) : args.inputs.input;
                return {
                    id: `${fakeHex(`stash/${args.name}`, 8)}-0000-4000-8000-${fakeHex(`stash-id/${args.name}`, 12)}`,
                    state: { input: args.inputs.input, output },
                };
            }
            const computed = outputMocks[args.type]?.(args.name, args.inputs, this.account) ?? {};
            const id = computed.id ?? (args.custom === false ? undefined : `${args.name}-${fakeHex(args.name, 8)}`);
            return { id, state: { ...args.inputs, ...computed } };
        } catch (err) {
            throw offlineMockFailure(`${args.type} ${args.name}`, err);
        }
    }

    call(args: pulumi.runtime.MockCallArgs): Inputs {
        try {
            this.adoptConfiguredNetwork();
            const mock = invokeMocks[args.token];
            if (!mock) {
                throw new Error("no mock for it; add one to preview/mocks.ts");
            }
            return mock(args.inputs, this.account);
        } catch (err) {
            throw offlineMockFailure(`invoke ${args.token}`, err);
        }
    }

    /** Whether the configured existing network has been adopted (see adoptConfiguredNetwork). */
    private adopted = false;

    /**
     * Adopts the VPC and subnets of `api-cluster:existingNetwork` when the stack's config sets
     * `api-cluster:network` to `existing` (see OfflineAccount.adoptNetwork), once, at the first
     * invoke or resource: the config is set by then, and no lookup has run yet.
     */
    private adoptConfiguredNetwork(): void {
        if (this.adopted) {
            return;
        }
        this.adopted = true;
        const config = new pulumi.Config("api-cluster");
        const given = config.getObject<Record<string, unknown>>("existingNetwork");
        if (config.get("network") !== "existing" || typeof given !== "object" || given === null) {
            return;
        }
        const ids = (value: unknown) => (Array.isArray(value) ? value.filter((id): id is string => typeof id === "string") : []);
        if (typeof given.vpcId === "string") {
            this.account.adoptNetwork(given.vpcId, ids(given.loadBalancerSubnetIds), ids(given.instanceSubnetIds));
        }
    }
}
