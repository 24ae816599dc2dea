/**
 * The dedicated VPC's address plan. The VPC's block is cut into eight equal zone blocks, so up to
 * six zones fit, and zone i always gets block i whatever the zone count: adding or removing a zone
 * never moves another zone's subnets (awsx would otherwise size the zone blocks from the count,
 * and a count crossing a power of two would re-plan, and overlap, every subnet: pulumi-awsx#520).
 * Each zone block is halved into a public subnet (load balancer, NAT gateway) and a private one
 * (instances).
 */
import { Rule, ipv4Cidr, parseIpv4Cidr } from "./config/rules";

/** Bits that split the VPC's block into zone blocks: 2^3 = 8 blocks, room for the 6 zones allowed. */
export const ZONE_BLOCK_BITS = 3;

/** Bits that split a zone block into its subnets: a public and a private half. */
export const SUBNET_BITS = 1;

/** The smallest subnet an application load balancer accepts: a /27. */
export const MAX_LOAD_BALANCER_SUBNET_PREFIX = 27;

/** The largest VPC block allowed: AWS's limit, /16. */
export const MIN_VPC_PREFIX = 16;

/** The smallest VPC block whose subnets are still /27 or larger: /23. */
export const MAX_VPC_PREFIX = MAX_LOAD_BALANCER_SUBNET_PREFIX - ZONE_BLOCK_BITS - SUBNET_BITS;

/** The rule of `vpcCidr`: an IPv4 block from /16 to /23, and why /23 is the smallest. */
export const vpcCidrRule: Rule<string> = (value) => {
    const verdict = ipv4Cidr(MIN_VPC_PREFIX, MAX_VPC_PREFIX)(value);
    if (verdict === undefined) {
        return undefined;
    }
    const prefix = parseIpv4Cidr(value)?.prefix;
    return prefix !== undefined && prefix > MAX_VPC_PREFIX && prefix <= 32
        ? `${verdict}: each zone gets an eighth of the block, halved into two subnets, and a load balancer subnet needs at least a /${MAX_LOAD_BALANCER_SUBNET_PREFIX} (a /${prefix} would give /${prefix + ZONE_BLOCK_BITS + SUBNET_BITS} subnets)`
        : verdict;
};

/** The prefix length of each zone's block in a VPC with this CIDR block (valid per vpcCidrRule). */
export function zoneCidrMask(vpcCidr: string): number {
    const cidr = parseIpv4Cidr(vpcCidr);
    if (!cidr) {
        throw new Error(`vpcLayout: ${JSON.stringify(vpcCidr)} is not an IPv4 CIDR block`);
    }
    return cidr.prefix + ZONE_BLOCK_BITS;
}

/** The prefix length of each subnet (public and private alike) in a VPC with this CIDR block. */
export function subnetCidrMask(vpcCidr: string): number {
    return zoneCidrMask(vpcCidr) + SUBNET_BITS;
}
