import * as assert from "assert";
import { OfflineAccount, fakeHex, invokeMocks } from "../../preview/mocks";

/** What the fake account answers for the route table that serves a subnet, as components/network.ts asks it. */
function defaultRouteOf(account: OfflineAccount, subnetId: string): Record<string, string> | undefined {
    const vpcId = account.subnet(subnetId).vpcId;
    const { ids } = invokeMocks["aws:ec2/getRouteTables:getRouteTables"](
        { vpcId, filters: [{ name: "association.subnet-id", values: [subnetId] }] },
        account,
    );
    const table = invokeMocks["aws:ec2/getRouteTable:getRouteTable"](
        ids.length > 0 ? { routeTableId: ids[0] } : { vpcId, filters: [{ name: "association.main", values: ["true"] }] },
        account,
    );
    const route = (table.routes as Record<string, string>[]).find((candidate) => candidate.cidrBlock === "0.0.0.0/0");
    return route && Object.fromEntries(Object.entries(route).filter(([, value]) => value !== ""));
}

describe("the offline account", () => {
    describe("adopting a network it never saw", () => {
        const vpcId = "vpc-0123456789abcdef0";
        const balancers = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"];
        const instances = [
            "subnet-0bbbbbbbbbbbbbbb1",
            "subnet-0bbbbbbbbbbbbbbb2",
            "subnet-0bbbbbbbbbbbbbbb3",
            "subnet-0bbbbbbbbbbbbbbb4",
            "subnet-0bbbbbbbbbbbbbbb5",
        ];

        it("puts each list's subnets in zones in turn, the zone without t3 types last, each in its own /24", () => {
            const account = new OfflineAccount("us-east-1");
            account.adoptNetwork(vpcId, balancers, instances);
            assert.deepStrictEqual(
                [...balancers, ...instances].map((id) => [account.subnet(id).vpcId, account.subnet(id).zone, account.subnet(id).cidrBlock]),
                [
                    [vpcId, "us-east-1a", "10.100.128.0/24"],
                    [vpcId, "us-east-1b", "10.100.129.0/24"],
                    [vpcId, "us-east-1c", "10.100.130.0/24"],
                    [vpcId, "us-east-1a", "10.100.131.0/24"],
                    [vpcId, "us-east-1b", "10.100.132.0/24"],
                    [vpcId, "us-east-1c", "10.100.133.0/24"],
                    [vpcId, "us-east-1d", "10.100.134.0/24"],
                    [vpcId, "us-east-1f", "10.100.135.0/24"],
                ],
            );
        });

        it("routes the load balancer's subnets to an internet gateway and the instances' to a NAT gateway", () => {
            const account = new OfflineAccount("us-east-1");
            account.adoptNetwork(vpcId, balancers.slice(0, 2), instances.slice(0, 1));
            const igw = `igw-${fakeHex(`adopted-igw/${vpcId}`)}`;
            const nat = `nat-${fakeHex(`adopted-nat/${vpcId}`)}`;
            assert.deepStrictEqual(
                [balancers[0], balancers[1], instances[0]].map((id) => defaultRouteOf(account, id)),
                [
                    { cidrBlock: "0.0.0.0/0", gatewayId: igw },
                    { cidrBlock: "0.0.0.0/0", gatewayId: igw },
                    { cidrBlock: "0.0.0.0/0", natGatewayId: nat },
                ],
            );
        });

        it("keeps what it knows, ignores ids that are not well formed, and joins a known VPC past its own subnets", () => {
            const account = new OfflineAccount("us-east-1");
            const [publicA] = account.sharedPublicSubnetIds;
            account.adoptNetwork(account.sharedVpcId, [publicA, "subnet-1"], [instances[0]]);
            assert.deepStrictEqual([account.subnet(publicA).zone, account.subnet(publicA).cidrBlock], ["us-east-1a", "10.99.0.0/24"]);
            assert.throws(() => account.subnet("subnet-1"), /^Error: unknown subnet subnet-1;/);
            assert.deepStrictEqual(
                [account.subnet(instances[0]).zone, account.subnet(instances[0]).cidrBlock],
                ["us-east-1a", "10.99.128.0/24"],
            );
            assert.deepStrictEqual(defaultRouteOf(account, publicA), {
                cidrBlock: "0.0.0.0/0",
                gatewayId: `igw-${fakeHex("shared-igw/us-east-1")}`,
            });
            account.adoptNetwork("vpc-nothex", [balancers[0]], []);
            assert.throws(() => account.subnet(balancers[0]), /^Error: unknown subnet/);
        });
    });

    describe("route tables", () => {
        it("serves a default subnet from the default VPC's main table, to its internet gateway, with no explicit association", () => {
            const account = new OfflineAccount("us-east-1");
            const [defaultA] = account.defaultSubnetIds;
            assert.deepStrictEqual(
                invokeMocks["aws:ec2/getRouteTables:getRouteTables"](
                    { filters: [{ name: "association.subnet-id", values: [defaultA] }] },
                    account,
                ).ids,
                [],
            );
            assert.deepStrictEqual(defaultRouteOf(account, defaultA), {
                cidrBlock: "0.0.0.0/0",
                gatewayId: `igw-${fakeHex("default-igw/us-east-1")}`,
            });
        });

        it("fails naming what it knows for a lookup it does not model", () => {
            const account = new OfflineAccount("us-east-1");
            assert.throws(
                () => invokeMocks["aws:ec2/getRouteTable:getRouteTable"]({ subnetId: account.defaultSubnetIds[0] }, account),
                /^Error: only a route table by id, or a VPC's main table, is known; got \{"subnetId":"subnet-[0-9a-f]{17}"\}$/,
            );
        });
    });
});
