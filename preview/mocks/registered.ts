/** The registration records: each resource as the program registered it, with its hooks and aliases. */
import type { Inputs } from "./mockTypes";

/** One resource as the program registered it, in registration order. */
export interface RegisteredResource {
    /** The resource's URN. */
    urn: string;
    /** The resource's type token. */
    type: string;
    /** The resource's logical name. */
    name: string;
    /** The parent's URN; unset for the stack itself. */
    parent?: string;
    /** Whether a provider manages the resource (false for components). */
    custom: boolean;
    /** Inputs as registered; secret values are kept wrapped so callers can show them as secret. */
    inputs: Inputs;
    /** State the mocks returned: the inputs plus computed outputs such as `arn`; secrets wrapped likewise. */
    outputs: Inputs;
    /** URNs of the resources this one depends on. */
    dependencies: string[];
    /** URNs each input property depends on. */
    propertyDependencies: Record<string, string[]>;
    /** Whether `pulumi destroy` (or a replacement) leaves the cloud resource in place. */
    retainOnDelete: boolean;
    /** Input properties whose changes Pulumi ignores (the `ignoreChanges` option). */
    ignoreChanges: string[];
    /** Input properties whose changes replace the resource rather than update it (the `replaceOnChanges` option). */
    replaceOnChanges: string[];
    /** Whether a replacement deletes the old resource before it creates the new one (the `deleteBeforeReplace` option). */
    deleteBeforeReplace: boolean;
    /** Whether Pulumi refuses to delete the resource (the `protect` option). */
    protect: boolean;
    /** Names of the resource hooks bound to it, by when they run (hooks never run under mocks). */
    hooks: RegisteredHooks;
    /** The aliases the resource was registered with: earlier identities the engine may find it under. */
    aliases: RegisteredAlias[];
}

/** One alias of a registered resource: a full URN, or the parts of its identity that differ. */
export interface RegisteredAlias {
    /** The alias as a whole URN. */
    urn?: string;
    /** An earlier logical name. */
    name?: string;
    /** An earlier type token. */
    type?: string;
    /** An earlier parent's URN. */
    parentUrn?: string;
    /** The resource had no parent. */
    noParent?: boolean;
}

/** Names of the resource hooks bound to one resource, by when the engine runs them. */
export interface RegisteredHooks {
    /** Hooks that run before the resource is created. */
    beforeCreate: string[];
    /** Hooks that run after the resource is created. */
    afterCreate: string[];
    /** Hooks that run before the resource is updated. */
    beforeUpdate: string[];
    /** Hooks that run after the resource is updated. */
    afterUpdate: string[];
    /** Hooks that run before the resource is deleted; one that fails stops the delete. */
    beforeDelete: string[];
    /** Hooks that run after the resource is deleted. */
    afterDelete: string[];
    /** Hooks that run when a create, update or delete of the resource fails. */
    onError: string[];
}
