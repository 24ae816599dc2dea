/** The invoke mocks: what every data source the program calls answers in the fake account, by token. */
import { OFFLINE_ACCOUNT_ID, OFFLINE_DEPLOYER_ROLE } from "./account";
import { fakeHex } from "./fakeValues";
import type { InvokeMock } from "./mockTypes";
import { monitoringInvokeMocks } from "./monitoring";
import { tlsInvokeMocks } from "./tls";

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
    ...tlsInvokeMocks,
    ...monitoringInvokeMocks,
};
