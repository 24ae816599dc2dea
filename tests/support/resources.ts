/** Small readers over what a program registered under the offline mocks. */
import * as assert from "assert";
import type { RegisteredResource } from "../../preview/mocks";
import { isSecretValue } from "../../preview/plan";

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

/** The one resource named `name`; fails when there is not exactly one. */
export function named(resources: RegisteredResource[], name: string): RegisteredResource {
    const found = resources.filter((resource) => resource.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one resource named ${name}; found ${found.length}`);
    }
    return found[0];
}

/** Count of resources by type token. */
export function countByType(resources: { type: string }[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const resource of resources) {
        counts[resource.type] = (counts[resource.type] ?? 0) + 1;
    }
    return counts;
}

/** Whether `value` is a property wrapped as a secret. */
export function isSecret(value: unknown): value is { value: unknown } {
    return isSecretValue(value);
}

/** The value inside Pulumi's secret wrapper; fails when `value` is not a secret. */
export function unwrapSecret(value: unknown): unknown {
    assert.ok(isSecret(value), `expected a secret; got ${JSON.stringify(value)}`);
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
