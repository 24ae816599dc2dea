/**
 * Cross-checks of the CIDR lists: what sshCidrs cover together, and blocks of allowedCidrs or
 * sshCidrs that another block of the same list already covers.
 */
import {
    AddressRange,
    CidrBlock,
    IpFamily,
    blockSize,
    coversWholeInternet,
    formatAddress,
    parseCidr,
    publicRanges,
    widestPublicRange,
} from "../../../policy-pack/policies/shared/cidr";
import { parseIpv4Cidr } from "../rules";
import { Label, show } from "../valueCheck";

/** The widest run of public addresses the SSH rules may cover together: a /16, 65,536 addresses. */
export const MAX_SSH_PUBLIC_PREFIX = 16;

/** The valid IPv4 blocks of a list, each with its index; the item rule reports the others. */
function listedBlocks(cidrs: unknown): { index: number; text: string; block: CidrBlock }[] {
    if (!Array.isArray(cidrs)) {
        return [];
    }
    return cidrs.flatMap((text, index) => {
        const block = typeof text === "string" && parseIpv4Cidr(text) !== undefined ? parseCidr(text) : undefined;
        return block ? [{ index, text: text as string, block }] : [];
    });
}

/**
 * The SSH rule judged by the addresses its blocks cover together, not by their text: never the
 * whole internet (`0.0.0.0/0`, or split as `0.0.0.0/1` + `128.0.0.0/1`), and no contiguous run of
 * public addresses wider than a /16. Private ranges (10.0.0.0/8, …) count for nothing.
 */
export function sshCoverageProblems(cidrs: unknown, label: Label): string[] {
    const blocks = listedBlocks(cidrs).map(({ block }) => block);
    if (blocks.length === 0) {
        return [];
    }
    if (coversWholeInternet(blocks, IpFamily.V4)) {
        return [`${label("sshCidrs")} must not cover the whole internet, in one block or split into several; got ${show(cidrs)}`];
    }
    const limit = blockSize(IpFamily.V4, MAX_SSH_PUBLIC_PREFIX);
    const widest = widestPublicRange(blocks, IpFamily.V4);
    if (widest <= limit) {
        return [];
    }
    const run = publicRanges(blocks, IpFamily.V4).find((range) => range.last - range.first + 1n === widest) as AddressRange;
    return [
        `${label("sshCidrs")} must cover no public address range wider than a /${MAX_SSH_PUBLIC_PREFIX} (${limit} addresses) ` +
            `together; got ${show(cidrs)}, which covers the ${widest} public addresses ` +
            `${formatAddress(run.first, IpFamily.V4)} to ${formatAddress(run.last, IpFamily.V4)}`,
    ];
}

/**
 * A problem for each CIDR block that another block of the same list already covers: a repeat (as
 * networks, so `10.0.0.0/8` and `010.0.0.0/8` match) or a block inside a wider one. Each block
 * names its own security group rule, so a repeat would register two rules with one name (AWS
 * refuses a duplicate rule), and a block inside another adds a rule that admits no one new. Two
 * CIDR blocks are either disjoint or one holds the other, so comparing them in pairs finds every
 * block that the others cover.
 */
export function coveredCidrs(key: string, cidrs: unknown, label: Label): string[] {
    const listed = listedBlocks(cidrs);
    const problems: string[] = [];
    for (const item of listed) {
        const same = listed.find(
            (other) => other.index < item.index && other.block.first === item.block.first && other.block.prefix === item.block.prefix,
        );
        if (same) {
            problems.push(
                `${label(`${key}[${item.index}]`)} repeats ${key}[${same.index}]; each CIDR block may appear once; got ${show(item.text)}`,
            );
            continue;
        }
        const wider = listed.find(
            (other) =>
                other.block.prefix < item.block.prefix && other.block.first <= item.block.first && item.block.last <= other.block.last,
        );
        if (wider) {
            problems.push(
                `${label(`${key}[${item.index}]`)} lies within ${key}[${wider.index}] (${wider.text}), which already allows every address of it; ` +
                    `list each address once; got ${show(item.text)}`,
            );
        }
    }
    return problems;
}
