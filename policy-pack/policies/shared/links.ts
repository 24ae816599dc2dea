/**
 * Following references between resources in a stack check. A listener names its target group by ARN,
 * a rule names its security group by id. The engine hands stack policies each resource's outputs, so
 * the target's `arn` or `id` is normally there; during a preview of new resources it is unknown. Each
 * resource also carries its property dependencies, the resources whose outputs flowed into each input,
 * which link the two even then. A reference that neither way can place makes the result incomplete,
 * and a check that needs to prove an absence ("no listener uses this load balancer") must then stay
 * silent rather than report a false violation.
 */
import { StackResource } from "./policy";
import { isUnknown, knownString } from "./values";

/** Resources of some types, keyed by one of their properties. */
export interface KeyedResources {
    readonly tokens: ReadonlySet<string>;
    /** Resources by the known string value of the key property. */
    readonly byKey: ReadonlyMap<string, StackResource>;
    /** Whether some resource of these types has no known value for the key property. */
    readonly someKeyless: boolean;
}

/** The stack's resources, indexed once per check. */
export class StackIndex {
    private readonly byUrn = new Map<string, StackResource>();
    private readonly byType = new Map<string, StackResource[]>();

    constructor(resources: readonly StackResource[]) {
        for (const resource of resources) {
            this.byUrn.set(resource.urn, resource);
            const bucket = this.byType.get(resource.type);
            if (bucket) {
                bucket.push(resource);
            } else {
                this.byType.set(resource.type, [resource]);
            }
        }
    }

    /** The resource with this URN, if it is in the stack. */
    get(urn: string): StackResource | undefined {
        return this.byUrn.get(urn);
    }

    /** Every resource whose type is one of `tokens`, in stack order within each type. */
    ofTypes(tokens: ReadonlySet<string> | readonly string[]): StackResource[] {
        const result: StackResource[] = [];
        for (const token of tokens) {
            const bucket = this.byType.get(token);
            if (bucket) {
                result.push(...bucket);
            }
        }
        return result;
    }

    /**
     * Resources of `tokens` keyed by their `key` property (`arn`, `id`, `name`), or by the property that
     * `key` names for each type (an aws-native target group's ARN is `targetGroupArn`).
     */
    keyed(tokens: ReadonlySet<string>, key: string | ((type: string) => string)): KeyedResources {
        const byKey = new Map<string, StackResource>();
        let someKeyless = false;
        for (const resource of this.ofTypes(tokens)) {
            const value = knownString(resource.props[typeof key === "string" ? key : key(resource.type)]);
            if (value === undefined || value === "") {
                someKeyless = true;
            } else {
                byKey.set(value, resource);
            }
        }
        return { tokens, byKey, someKeyless };
    }
}

/** Where a resource's references lead. */
export interface Links {
    /** The referenced resources found in the stack, each once. */
    readonly linked: StackResource[];
    /**
     * Whether every reference was placed: found in the stack, or known to point outside it. False when
     * a reference is unknown and no property dependency stands in for it, or when it is a known value
     * that matches no resource while some candidate's own key is not known.
     */
    readonly complete: boolean;
}

/**
 * Follows the references `values`, read from `from`'s top-level input `property`, to resources in
 * `targets`: by the targets' key, and by `from`'s property dependencies on `property`.
 */
export function follow(
    index: StackIndex,
    from: StackResource,
    property: string,
    values: readonly unknown[],
    targets: KeyedResources,
): Links {
    const linked = new Map<string, StackResource>();
    for (const urn of from.propertyDependencies[property] ?? []) {
        const dependency = index.get(urn);
        if (dependency && targets.tokens.has(dependency.type)) {
            linked.set(dependency.urn, dependency);
        }
    }
    const byDependency = linked.size > 0;
    let complete = true;
    for (const value of values) {
        if (value === undefined || value === null || value === "") {
            continue;
        }
        const key = knownString(value);
        if (key !== undefined) {
            const target = targets.byKey.get(key);
            if (target) {
                linked.set(target.urn, target);
            } else if (targets.someKeyless && !byDependency) {
                complete = false;
            }
        } else if (isUnknown(value) && !byDependency) {
            complete = false;
        }
    }
    return { linked: [...linked.values()], complete };
}
