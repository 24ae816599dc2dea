/**
 * Content-derived semantic versions for EC2 Image Builder resources.
 *
 * Image Builder components and image recipes are immutable: a given name and version can be
 * created once, and any change to their content needs a new version. Deriving the version from a
 * hash of the content gives exactly that: the same content always yields the same version (so an
 * unchanged program plans no change), and any change yields a new one.
 */
import { createHash } from "crypto";

/** Largest value Image Builder accepts in each of the major, minor and patch nodes: 2^30 - 1. */
export const MAX_VERSION_NODE = 2 ** 30 - 1;

/**
 * A semantic version `major.minor.patch` derived from the SHA-256 of `parts`.
 *
 * Each part is framed by its byte length before hashing, so `("ab", "c")` and `("a", "bc")` give
 * different versions. Each node takes 30 bits of the digest (bytes 0-3, 4-7 and 8-11, masked to
 * 30 bits), which keeps it within Image Builder's limit of 2^30 - 1 per node and leaves 90 bits
 * of the hash in the version.
 */
export function contentVersion(...parts: string[]): string {
    if (parts.length === 0) {
        throw new Error("contentVersion needs at least one part to hash");
    }
    const hash = createHash("sha256");
    for (const part of parts) {
        const bytes = Buffer.from(part, "utf8");
        hash.update(`${bytes.length}:`);
        hash.update(bytes);
        hash.update("\n");
    }
    const digest = hash.digest();
    const node = (offset: number) => digest.readUInt32BE(offset) & MAX_VERSION_NODE;
    return `${node(0)}.${node(4)}.${node(8)}`;
}
