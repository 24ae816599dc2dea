/**
 * Turns what a program registered under mocks into a plan shaped like `pulumi preview --json`,
 * and renders it as `pulumi preview` prints it: a tree of resources by parent, then a summary.
 */
import type { RegisteredHooks, RegisteredResource } from "./mocks";

/** Pulumi's marker for a secret value in serialized properties. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** What a secret value shows as, here and in `pulumi preview --json`. */
export const SECRET_DISPLAY = "[secret]";

/** One step of the plan, as `pulumi preview --json` shapes it. */
export interface PlanStep {
    /** Always `create`: an offline preview starts from an empty stack. */
    op: "create";
    /** The resource's URN. */
    urn: string;
    /** The resource's state after the step. */
    newState: {
        /** The resource's type token. */
        type: string;
        /** The resource's URN. */
        urn: string;
        /** Whether a provider manages it (false for components and the stack). */
        custom: boolean;
        /** The parent's URN; absent for the stack. */
        parent?: string;
        /** Inputs, with secret values shown as `[secret]`. */
        inputs: Record<string, unknown>;
        /** URNs it depends on, `dependsOn` and its inputs' resources together; absent when none, as the engine omits it. */
        dependencies?: string[];
        /**
         * For each input the program sent, the URNs its value came from, `null` for none (the
         * engine's empty list); absent when the resource has no inputs.
         */
        propertyDependencies?: Record<string, string[] | null>;
        /** `true` when the `protect` option is set; absent otherwise, as the engine omits it. */
        protect?: true;
        /** `true` when the `retainOnDelete` option is set; absent otherwise. */
        retainOnDelete?: true;
        /** The `ignoreChanges` option's properties; absent when none. */
        ignoreChanges?: string[];
        /** The `replaceOnChanges` option's properties; absent when none. */
        replaceOnChanges?: string[];
        /**
         * `true` when the `deleteBeforeReplace` option is set; absent otherwise. The engine keeps this
         * option on the step, not in the state, so `pulumi preview --json` does not show it here.
         */
        deleteBeforeReplace?: true;
        /** The names of the hooks bound, by the engine's hook type (`AfterCreate`, `BeforeDelete`, …); only the types with a hook, absent when none. */
        resourceHooks?: Partial<Record<HookType, string[]>>;
    };
}

/** The engine's names of the hook types (sdk/go/common/resource/resource_hooks.go), by the SDK's. */
const HOOK_TYPES = {
    beforeCreate: "BeforeCreate",
    afterCreate: "AfterCreate",
    beforeUpdate: "BeforeUpdate",
    afterUpdate: "AfterUpdate",
    beforeDelete: "BeforeDelete",
    afterDelete: "AfterDelete",
    onError: "OnError",
} as const satisfies Record<keyof RegisteredHooks, string>;

/** A hook type as the engine's state names it. */
export type HookType = (typeof HOOK_TYPES)[keyof typeof HOOK_TYPES];

/** The whole plan. */
export interface Plan {
    /** One step per resource, in registration order. */
    steps: PlanStep[];
    /** Count of steps by op. */
    changeSummary: { create: number };
    /** The stack's outputs, with secret values shown as `[secret]`. */
    outputs: Record<string, unknown>;
}

/** Whether a value is Pulumi's wrapper around a secret. */
export function isSecretValue(value: unknown): boolean {
    return typeof value === "object" && value !== null && SECRET_SIG_KEY in value;
}

/** Replaces every secret inside `value` with `[secret]`. */
export function redactSecrets(value: unknown): unknown {
    if (isSecretValue(value)) {
        return SECRET_DISPLAY;
    }
    if (Array.isArray(value)) {
        return value.map(redactSecrets);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactSecrets(item)]));
    }
    return value;
}

/**
 * A resource's `dependencies` and `propertyDependencies` as the engine records them from the
 * registration and `pulumi preview --json` prints them: each left out when empty, and a property
 * without dependencies mapped to `null` (the engine keeps it as an empty Go slice).
 */
function dependencyFields(resource: RegisteredResource): {
    dependencies?: string[];
    propertyDependencies?: Record<string, string[] | null>;
} {
    const properties = Object.entries(resource.propertyDependencies);
    return {
        ...(resource.dependencies.length > 0 ? { dependencies: [...resource.dependencies] } : {}),
        ...(properties.length > 0
            ? { propertyDependencies: Object.fromEntries(properties.map(([key, urns]) => [key, urns.length > 0 ? [...urns] : null])) }
            : {}),
    };
}

/**
 * The options that matter at deploy time, as the engine's state records them and `pulumi preview
 * --json` prints them (pkg/backend/display/json.go, stateForJSONOutput: `protect`,
 * `retainOnDelete`, `ignoreChanges`, `replaceOnChanges`, `resourceHooks`): only those set, as the
 * engine's `omitempty` leaves the others out; plus `deleteBeforeReplace`, which the engine keeps on
 * the step.
 */
function optionFields(
    resource: RegisteredResource,
): Pick<
    PlanStep["newState"],
    "protect" | "retainOnDelete" | "ignoreChanges" | "replaceOnChanges" | "deleteBeforeReplace" | "resourceHooks"
> {
    const hooks = Object.entries(HOOK_TYPES)
        .map(([kind, hookType]) => [hookType, resource.hooks[kind as keyof RegisteredHooks]] as const)
        .filter(([, names]) => names.length > 0);
    return {
        ...(resource.protect ? { protect: true as const } : {}),
        ...(resource.retainOnDelete ? { retainOnDelete: true as const } : {}),
        ...(resource.ignoreChanges.length > 0 ? { ignoreChanges: [...resource.ignoreChanges] } : {}),
        ...(resource.replaceOnChanges.length > 0 ? { replaceOnChanges: [...resource.replaceOnChanges] } : {}),
        ...(resource.deleteBeforeReplace ? { deleteBeforeReplace: true as const } : {}),
        ...(hooks.length > 0 ? { resourceHooks: Object.fromEntries(hooks.map(([hookType, names]) => [hookType, [...names]])) } : {}),
    };
}

/** Builds the plan from the registrations and the stack's outputs (secrets as registered, wrapped). */
export function buildPlan(resources: RegisteredResource[], outputs: Record<string, unknown>): Plan {
    const steps: PlanStep[] = resources.map((resource) => ({
        op: "create",
        urn: resource.urn,
        newState: {
            type: resource.type,
            urn: resource.urn,
            custom: resource.custom,
            ...(resource.parent ? { parent: resource.parent } : {}),
            inputs: redactSecrets(resource.inputs) as Record<string, unknown>,
            ...dependencyFields(resource),
            ...optionFields(resource),
        },
    }));
    return { steps, changeSummary: { create: steps.length }, outputs: redactSecrets(outputs) as Record<string, unknown> };
}

/** The type as `pulumi preview` shows it: `aws:ec2/instance:Instance` becomes `aws:ec2:Instance`. */
export function displayType(type: string): string {
    const [pkg, module, name] = type.split(":");
    return name === undefined ? type : `${pkg}:${module.split("/")[0]}:${name}`;
}

/** Renders the plan as the resource tree, outputs and summary of `pulumi preview`. */
export function renderPlan(plan: Plan, stack: string): string {
    const children = new Map<string | undefined, PlanStep[]>();
    for (const step of plan.steps) {
        const parent = step.newState.parent;
        children.set(parent, [...(children.get(parent) ?? []), step]);
    }
    const rows: { type: string; name: string }[] = [];
    const walk = (parent: string | undefined, indent: string, isRoot: boolean) => {
        const kids = children.get(parent) ?? [];
        kids.forEach((step, i) => {
            const last = i === kids.length - 1;
            const branch = isRoot ? "" : last ? "└─ " : "├─ ";
            rows.push({ type: `${indent}${branch}${displayType(step.newState.type)}`, name: step.urn.split("::").pop() ?? "" });
            walk(step.urn, isRoot ? "" : `${indent}${last ? "   " : "│  "}`, false);
        });
    };
    walk(undefined, "", true);

    const typeWidth = Math.max(4, ...rows.map((row) => [...row.type].length)) + 2;
    const nameWidth = Math.max(4, ...rows.map((row) => row.name.length)) + 2;
    const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - [...text].length));
    const lines = [
        `Previewing update (${stack}):`,
        "",
        `     ${pad("Type", typeWidth)}${pad("Name", nameWidth)}Plan`,
        ...rows.map((row) => ` +   ${pad(row.type, typeWidth)}${pad(row.name, nameWidth)}create`),
        "",
        "Outputs:",
        ...Object.entries(plan.outputs).map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`),
        "",
        "Resources:",
        `    + ${plan.changeSummary.create} to create`,
    ];
    return lines.join("\n");
}
