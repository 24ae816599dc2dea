/** The awsx VPC under mocks: awsx's Auto subnet layout, and the route references its `routes` output holds. */
import * as pulumi from "@pulumi/pulumi";
import { specialResourceSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { parseIpv4Cidr } from "../../components/config/rules";
import { dotted, fakeHex } from "./fakeValues";
import type { Inputs } from "./mockTypes";

/** One subnet spec of an awsx VPC, as its inputs give it. */
export interface AwsxSubnetSpec {
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
export function awsxRouteReference(name: string): Record<string, string> {
    const urn = `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::aws:ec2/routeTable:RouteTable$aws:ec2/route:Route::${name}`;
    // The AWS provider's id for a route: r-, the route table's id, and a hash of the destination ("0.0.0.0/0").
    const id = `r-rtb-${fakeHex(`route-table/${name}`)}1080289494`;
    const monitor = getMonitor() as unknown as { resources: Map<string, { urn: string; id: string; state: Inputs }> };
    monitor.resources.set(urn, { urn, id, state: { id, destinationCidrBlock: "0.0.0.0/0" } });
    return { [specialSigKey]: specialResourceSig, urn, id, packageVersion: "" };
}
