/**
 * Deterministic fake values for the offline AWS world: hex strings derived from a seed, dotted
 * IPv4 addresses, and the physical names Pulumi's auto-naming gives.
 */
import { createHash } from "crypto";

/** A deterministic hex string derived from `seed`, `length` characters long. */
export function fakeHex(seed: string, length = 17): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** An IPv4 address as a dotted string. */
export function dotted(address: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** The physical name Pulumi's auto-naming gives: the logical name, a dash and 7 random hex digits. */
export function autoName(logicalName: string): string {
    return `${logicalName}-${fakeHex(`autoname/${logicalName}`, 7)}`;
}
