/** Small readers over what a program registered under the offline mocks. */
import type { RegisteredResource } from "../../preview/mocks";
import { isSecretValue } from "../../preview/plan";

/** Every resource of `type`, in registration order. */
export function ofType(resources: RegisteredResource[], type: string): RegisteredResource[] {
    return resources.filter((resource) => resource.type === type);
}

/** The one resource named `name`; fails when there is not exactly one. */
export function named(resources: RegisteredResource[], name: string): RegisteredResource {
    const found = resources.filter((resource) => resource.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one resource named ${name}; found ${found.length}`);
    }
    return found[0];
}

/** Count of resources by type token, sorted by type. */
export function countByType(resources: RegisteredResource[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const resource of [...resources].sort((a, b) => a.type.localeCompare(b.type))) {
        counts[resource.type] = (counts[resource.type] ?? 0) + 1;
    }
    return counts;
}

/** The value inside Pulumi's secret wrapper; fails when `value` is not a secret. */
export function unwrapSecret(value: unknown): unknown {
    if (!isSecretValue(value)) {
        throw new Error(`expected a secret; got ${JSON.stringify(value)}`);
    }
    return (value as { value: unknown }).value;
}
