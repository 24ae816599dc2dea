/**
 * CIDR blocks judged by the addresses they cover, not by their text: `0.0.0.0/1` plus `128.0.0.0/1`
 * is the whole internet as surely as `0.0.0.0/0` is, and `10.0.0.0/8` covers no public address.
 *
 * The one CIDR helper of the project: the policy pack's ingress policies and the component's
 * config rules (components/config/rules.ts) both read it. It lives in the pack because the pack is
 * published on its own (`pulumi policy publish` packs only policy-pack/), and it imports nothing.
 */

/** An IP address family. */
export const IpFamily = {
    /** IPv4: 32-bit addresses. */
    V4: 4,
    /** IPv6: 128-bit addresses. */
    V6: 6,
} as const;

/** An IP address family: 4 or 6. */
export type IpFamily = (typeof IpFamily)[keyof typeof IpFamily];

/** A CIDR block as the range of addresses it covers. */
export interface CidrBlock {
    /** The address family. */
    readonly family: IpFamily;
    /** The first address covered (the network address, host bits cleared). */
    readonly first: bigint;
    /** The last address covered. */
    readonly last: bigint;
    /** The prefix length. */
    readonly prefix: number;
    /** Whether the text had host bits set (`10.0.0.1/8`), which AWS refuses in most places. */
    readonly hostBitsSet: boolean;
}

/** A range of addresses of one family, both ends included. */
export interface AddressRange {
    /** The first address. */
    readonly first: bigint;
    /** The last address. */
    readonly last: bigint;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** Parses dotted-quad IPv4 (`203.0.113.7`); undefined when it is not one. */
function parseIpv4Address(text: string): bigint | undefined {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
    if (!match) {
        return undefined;
    }
    const octets = match.slice(1, 5).map(Number);
    if (octets.some((octet) => octet > 255)) {
        return undefined;
    }
    return octets.reduce((acc, octet) => acc * 256n + BigInt(octet), 0n);
}

/** Parses IPv6 text (`2001:db8::1`, `::`, `::ffff:192.0.2.1`); undefined when it is not one. */
function parseIpv6Address(text: string): bigint | undefined {
    let body = text;
    let tail: bigint[] = [];
    const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(body);
    if (dotted) {
        const v4 = parseIpv4Address(dotted[2]);
        if (v4 === undefined) {
            return undefined;
        }
        tail = [v4 >> 16n, v4 & 0xffffn];
        body = dotted[1].endsWith("::") ? dotted[1] : dotted[1].slice(0, -1);
    }
    const halves = body.split("::");
    if (halves.length > 2) {
        return undefined;
    }
    const group = /^[0-9a-fA-F]{1,4}$/;
    const words = (part: string): bigint[] | undefined => {
        if (part === "") {
            return [];
        }
        const parts = part.split(":");
        return parts.every((p) => group.test(p)) ? parts.map((p) => BigInt(`0x${p}`)) : undefined;
    };
    const head = words(halves[0]);
    const rest = halves.length === 2 ? words(halves[1]) : [];
    if (head === undefined || rest === undefined) {
        return undefined;
    }
    const given = head.length + rest.length + tail.length;
    if (halves.length === 1 ? given !== 8 : given > 7) {
        return undefined;
    }
    const all = [...head, ...Array<bigint>(8 - given).fill(0n), ...rest, ...tail];
    return all.reduce((acc, word) => (acc << 16n) | word, 0n);
}

/** Parses an IPv4 or IPv6 CIDR block (`203.0.113.0/24`, `2001:db8::/32`); undefined when it is not one. */
export function parseCidr(text: string): CidrBlock | undefined {
    const slash = text.lastIndexOf("/");
    if (slash < 0 || !/^\d{1,3}$/.test(text.slice(slash + 1))) {
        return undefined;
    }
    const addressText = text.slice(0, slash);
    const prefix = Number(text.slice(slash + 1));
    const family: IpFamily = addressText.includes(":") ? IpFamily.V6 : IpFamily.V4;
    const address = family === IpFamily.V4 ? parseIpv4Address(addressText) : parseIpv6Address(addressText);
    const bits = BITS[family];
    if (address === undefined || prefix > bits) {
        return undefined;
    }
    const hostMask = (1n << BigInt(bits - prefix)) - 1n;
    const first = address & ~hostMask;
    return { family, first, last: first | hostMask, prefix, hostBitsSet: (address & hostMask) !== 0n };
}

/** The addresses no internet client has: private, loopback, link-local and carrier-grade NAT ranges. */
export const NON_PUBLIC_RANGES: Readonly<Record<IpFamily, readonly string[]>> = {
    4: [
        "10.0.0.0/8", // private (RFC 1918)
        "172.16.0.0/12", // private (RFC 1918)
        "192.168.0.0/16", // private (RFC 1918)
        "127.0.0.0/8", // loopback
        "169.254.0.0/16", // link-local
        "100.64.0.0/10", // carrier-grade NAT (RFC 6598)
    ],
    6: [
        "::1/128", // loopback
        "fe80::/10", // link-local
        "fc00::/7", // unique local, IPv6's private range (RFC 4193)
    ],
};

/** Sorts and merges ranges that overlap or touch. */
function merge(ranges: readonly AddressRange[]): AddressRange[] {
    const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const merged: AddressRange[] = [];
    for (const range of sorted) {
        const previous = merged[merged.length - 1];
        if (previous && range.first <= previous.last + 1n) {
            merged[merged.length - 1] = { first: previous.first, last: range.last > previous.last ? range.last : previous.last };
        } else {
            merged.push(range);
        }
    }
    return merged;
}

/** `ranges` less `removed`, both merged first. */
function subtract(ranges: readonly AddressRange[], removed: readonly AddressRange[]): AddressRange[] {
    let result = merge(ranges);
    for (const cut of merge(removed)) {
        result = result.flatMap((range) => {
            if (cut.last < range.first || cut.first > range.last) {
                return [range];
            }
            const pieces: AddressRange[] = [];
            if (cut.first > range.first) {
                pieces.push({ first: range.first, last: cut.first - 1n });
            }
            if (cut.last < range.last) {
                pieces.push({ first: cut.last + 1n, last: range.last });
            }
            return pieces;
        });
    }
    return result;
}

/** The non-public ranges of each family, parsed once. */
const NON_PUBLIC_PARSED: Readonly<Record<IpFamily, readonly AddressRange[]>> = {
    4: NON_PUBLIC_RANGES[4].map((text) => parseCidr(text) as CidrBlock),
    6: NON_PUBLIC_RANGES[6].map((text) => parseCidr(text) as CidrBlock),
};

function nonPublic(family: IpFamily): readonly AddressRange[] {
    return NON_PUBLIC_PARSED[family];
}

/** The public addresses that `blocks` of `family` cover together, as merged ranges in order. */
export function publicRanges(blocks: readonly CidrBlock[], family: IpFamily): AddressRange[] {
    return subtract(
        blocks.filter((block) => block.family === family),
        nonPublic(family),
    );
}

/** Whether `block` covers at least one public address. */
export function coversPublicAddress(block: CidrBlock): boolean {
    return publicRanges([block], block.family).length > 0;
}

/**
 * Whether `blocks` together cover every public address of `family`: the whole internet, written as
 * `0.0.0.0/0` or split into pieces (`0.0.0.0/1` + `128.0.0.0/1`), with or without the ranges no
 * internet client has.
 */
export function coversWholeInternet(blocks: readonly CidrBlock[], family: IpFamily): boolean {
    const everything: AddressRange = { first: 0n, last: (1n << BigInt(BITS[family])) - 1n };
    const allPublic = subtract([everything], nonPublic(family));
    return subtract(allPublic, publicRanges(blocks, family)).length === 0;
}

/** The number of addresses in the widest contiguous run of public addresses `blocks` cover together. */
export function widestPublicRange(blocks: readonly CidrBlock[], family: IpFamily): bigint {
    return publicRanges(blocks, family).reduce((widest, range) => {
        const size = range.last - range.first + 1n;
        return size > widest ? size : widest;
    }, 0n);
}

/** The number of addresses a block of `prefix` holds in `family`: 65,536 for an IPv4 /16. */
export function blockSize(family: IpFamily, prefix: number): bigint {
    return 1n << BigInt(BITS[family] - prefix);
}

/** An address of `family` as text: dotted quad for IPv4, full lowercase groups for IPv6. */
export function formatAddress(address: bigint, family: IpFamily): string {
    if (family === IpFamily.V4) {
        return [24n, 16n, 8n, 0n].map((shift) => ((address >> shift) & 0xffn).toString()).join(".");
    }
    return [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((address >> shift) & 0xffffn).toString(16)).join(":");
}
