/** Readers over the resources a program registered under the offline mocks, for the image and credentials tests. */
import * as assert from "assert";
import type { RegisteredResource } from "../../preview/mocks";

/** Signature key and value Pulumi uses to mark a secret in serialized properties. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** Every resource of `type`, in registration order. */
export function ofType(resources: RegisteredResource[], type: string): RegisteredResource[] {
    return resources.filter((resource) => resource.type === type);
}

/** The one resource of `type`; fails unless there is exactly one. */
export function onlyOfType(resources: RegisteredResource[], type: string): RegisteredResource {
    const found = ofType(resources, type);
    assert.strictEqual(found.length, 1, `expected exactly one ${type}, found ${found.length}`);
    return found[0];
}

/** Count of resources by type token. */
export function countByType(resources: RegisteredResource[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const resource of resources) {
        counts[resource.type] = (counts[resource.type] ?? 0) + 1;
    }
    return counts;
}

/** Whether `value` is a property wrapped as a secret. */
export function isSecret(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE;
}

/** The value inside a secret wrapper; fails when `value` is not a secret. */
export function unwrapSecret(value: unknown): unknown {
    assert.ok(isSecret(value), `expected a secret, got ${JSON.stringify(value)}`);
    return value.value;
}

/** Paths of every string outside secret wrappers that contains `needle`. */
export function plaintextOccurrences(value: unknown, needle: string, at = "$"): string[] {
    if (isSecret(value)) {
        return [];
    }
    if (typeof value === "string") {
        return value.includes(needle) ? [at] : [];
    }
    if (Array.isArray(value)) {
        return value.flatMap((item, i) => plaintextOccurrences(item, needle, `${at}[${i}]`));
    }
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([key, item]) => plaintextOccurrences(item, needle, `${at}.${key}`));
    }
    return [];
}
