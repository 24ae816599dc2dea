/**
 * Runs a Pulumi program in-process under the offline mocks and records what it registered.
 *
 * Relies on three @pulumi/pulumi 3.270.0 internals, all reached through `runtime/*` modules:
 * `settings.getMonitor()` (the MockMonitor that `setMocks` installed, whose `registerResource`
 * sees each request's parent and dependencies, which the public `Mocks` interface does not),
 * `settings.waitForRPCs()` (drains outstanding registrations) and `stack.runInPulumiStack()`
 * (registers the `pulumi:pulumi:Stack` root the way the language host does).
 */
import * as pulumi from "@pulumi/pulumi";
import { deserializeProperties } from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { OfflineMocks, RegisteredAlias, RegisteredHooks, RegisteredResource } from "./mocks";

/** Where and how a program runs under mocks. */
export interface MockRunOptions {
    /** Project name; also the config namespace. Default `api-cluster`. */
    project?: string;
    /** Stack name. Default `dev`. */
    stack?: string;
    /** Full config keys (`namespace:key`) to string values, as the CLI passes them. Default none. */
    config?: Record<string, string>;
    /** Config keys whose values are secret. Default none. */
    secretKeys?: string[];
}

/** What a program registered and returned under mocks. */
export interface MockRun<T> {
    /** The program's return value with every output resolved: the stack outputs. */
    outputs: pulumi.Unwrap<T>;
    /** Every registered resource, the stack and components included, in registration order. */
    resources: RegisteredResource[];
    /** The mocks, for their fake account. */
    mocks: OfflineMocks;
}

/** A protobuf Struct, as `deserializeProperties` takes it. */
type SerializedStruct = Parameters<typeof deserializeProperties>[0];

/** The parts of a RegisterResourceRequest this module reads. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): SerializedStruct | undefined;
    getDependenciesList(): string[];
    getRetainondelete(): boolean | undefined;
    getAliasesList(): AliasMessage[];
    getPropertydependenciesMap(): { forEach(fn: (value: { getUrnsList(): string[] }, key: string) => void): void };
    getHooks(): HooksMessage | undefined;
    getIgnorechangesList(): string[];
    getReplaceonchangesList(): string[];
    getDeletebeforereplace(): boolean;
    getProtect(): boolean | undefined;
}

/** The hook names of a RegisterResourceRequest, by when they run. */
interface HooksMessage {
    getBeforeCreateList(): string[];
    getAfterCreateList(): string[];
    getBeforeUpdateList(): string[];
    getAfterUpdateList(): string[];
    getBeforeDeleteList(): string[];
    getAfterDeleteList(): string[];
    getOnErrorList(): string[];
}

/** The hooks bound by a registration; every kind present, empty when none. */
function recordedHooks(hooks: HooksMessage | undefined): RegisteredHooks {
    return {
        beforeCreate: hooks?.getBeforeCreateList() ?? [],
        afterCreate: hooks?.getAfterCreateList() ?? [],
        beforeUpdate: hooks?.getBeforeUpdateList() ?? [],
        afterUpdate: hooks?.getAfterUpdateList() ?? [],
        beforeDelete: hooks?.getBeforeDeleteList() ?? [],
        afterDelete: hooks?.getAfterDeleteList() ?? [],
        onError: hooks?.getOnErrorList() ?? [],
    };
}

/** A structured alias of a RegisterResourceRequest: a URN, or a spec of the fields that differ. */
interface AliasMessage {
    hasUrn(): boolean;
    getUrn(): string;
    getSpec(): { getName(): string; getType(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
}

/** An alias as recorded: its URN, or the fields its spec sets (the others are the resource's own). */
function recordedAlias(alias: AliasMessage): RegisteredAlias {
    if (alias.hasUrn()) {
        return { urn: alias.getUrn() };
    }
    const spec = alias.getSpec();
    return {
        ...(spec?.getName() ? { name: spec.getName() } : {}),
        ...(spec?.getType() ? { type: spec.getType() } : {}),
        ...(spec?.getParenturn() ? { parentUrn: spec.getParenturn() } : {}),
        ...(spec?.getNoparent() ? { noParent: true } : {}),
    };
}

type Callback = (err: Error | null, response?: { getUrn(): string; getObject(): SerializedStruct | undefined }) => void;

/**
 * Raised when a program registers two resources under one URN: the engine refuses the second
 * (`Duplicate resource URN '<urn>'; try giving it a unique name`, diag 2001), while the SDK's
 * MockMonitor accepts both, so an offline preview showed every resource twice. Names each URN
 * whose parent is not itself duplicated: the children of two same-named components repeat with them.
 */
export class DuplicateUrnError extends Error {
    constructor(readonly duplicates: RegisteredResource[]) {
        super(
            duplicates
                .map(
                    (resource) =>
                        `Duplicate resource URN '${resource.urn}': two resources named ${JSON.stringify(resource.name)} ` +
                        `of type ${resource.type}${underParent(resource.parent)}; give each a unique name`,
                )
                .join("\n"),
        );
        this.name = "DuplicateUrnError";
    }
}

/** ` under <parent>` for a resource whose parent is not the stack; empty otherwise. */
function underParent(parent: string | undefined): string {
    return parent === undefined || parent.includes("::pulumi:pulumi:Stack::") ? "" : ` under ${parent}`;
}

/** The registrations whose URN an earlier one has, except those whose parent is such a URN too. */
function duplicateRegistrations(resources: RegisteredResource[]): RegisteredResource[] {
    const seen = new Set<string>();
    const duplicated = new Set<string>();
    const duplicates: RegisteredResource[] = [];
    for (const resource of resources) {
        if (seen.has(resource.urn)) {
            if (!duplicated.has(resource.urn) && !(resource.parent !== undefined && duplicated.has(resource.parent))) {
                duplicates.push(resource);
            }
            duplicated.add(resource.urn);
        }
        seen.add(resource.urn);
    }
    return duplicates;
}

/** Wraps the mock monitor so every registration is recorded with its parent and dependencies. */
function recordRegistrations(into: RegisteredResource[]): void {
    const monitor = settings.getMonitor() as unknown as {
        registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
        register(req, (err, response) => {
            if (!err && response) {
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((value, key) => {
                    propertyDependencies[key] = value.getUrnsList();
                });
                const object = req.getObject();
                const state = response.getObject();
                into.push({
                    urn: response.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || undefined,
                    custom: req.getCustom(),
                    inputs: object ? deserializeProperties(object, true) : {},
                    outputs: state ? deserializeProperties(state, true) : {},
                    dependencies: req.getDependenciesList(),
                    aliases: req.getAliasesList().map(recordedAlias),
                    propertyDependencies,
                    retainOnDelete: req.getRetainondelete() === true,
                    ignoreChanges: req.getIgnorechangesList(),
                    replaceOnChanges: req.getReplaceonchangesList(),
                    deleteBeforeReplace: req.getDeletebeforereplace(),
                    protect: req.getProtect() === true,
                    hooks: recordedHooks(req.getHooks()),
                });
            }
            callback(err, response);
        });
}

/**
 * Runs `program` as a stack under the offline mocks. Config is set before `program` runs, so a
 * program that reads config at load time must be loaded from inside `program`. Throws the
 * program's error, or a DuplicateUrnError where the engine would refuse a registration.
 */
export async function runUnderMocks<T>(program: () => T | Promise<T>, options: MockRunOptions = {}): Promise<MockRun<T>> {
    const project = options.project ?? "api-cluster";
    const stack = options.stack ?? "dev";
    const config = options.config ?? {};
    const mocks = new OfflineMocks(config["aws:region"] ?? "us-east-1");
    const resources: RegisteredResource[] = [];

    pulumi.runtime.setAllConfig(config, options.secretKeys ?? []);
    // preview=false: under mocks, preview leaves outputs unknown and `apply` never runs.
    await pulumi.runtime.setMocks(mocks, project, stack, false);
    recordRegistrations(resources);

    // The SDK captures a stack trace for every promise it makes; under ts-node's source maps that
    // is most of its cost per resource. Traces are off while the program runs, then restored.
    const traceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let programError: unknown;
    try {
        const outputs = await runInPulumiStack(async () => {
            try {
                return (await program()) as Record<string, unknown>;
            } catch (err) {
                programError = err;
                return {};
            }
        });
        // Drains outstanding registrations; exported by the SDK but marked @internal in its typings.
        await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        if (programError !== undefined) {
            throw programError;
        }
        const duplicates = duplicateRegistrations(resources);
        if (duplicates.length > 0) {
            throw new DuplicateUrnError(duplicates);
        }
        return { outputs: outputs as pulumi.Unwrap<T>, resources, mocks };
    } finally {
        Error.stackTraceLimit = traceLimit;
    }
}
