/**
 * Building blocks shared by the policies: a resource check that matches a set of type tokens, a stack
 * check over plain property bags, and config with defaults in code.
 */
import * as policySdk from "@pulumi/policy";
import type {
    PolicyResource,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    StackValidation,
    StackValidationArgs,
} from "@pulumi/policy";
import { Props, rawProps } from "./values";

/**
 * @pulumi/policy's `UnknownValueError`. Its index.js exports the class, but its typings strip the
 * internal proxy module, so it is read without types.
 */
const UnknownValueError = (policySdk as unknown as { UnknownValueError?: new (...args: never[]) => Error }).UnknownValueError;

/**
 * Runs `check`, and returns quietly if it read a value that is unknown during preview through
 * @pulumi/policy's proxy: such a value is neither a crash nor a violation. Checks read the plain
 * property bag (see values.ts), so this is a safety net.
 */
function guardUnknowns(check: () => void): void {
    try {
        check();
    } catch (err) {
        if (UnknownValueError !== undefined && err instanceof UnknownValueError) {
            return;
        }
        throw err;
    }
}

/**
 * The type tokens a validation function applies to, attached to the function. @pulumi/policy attaches
 * one token as `__pulumiType` (`validateResourceOfType`); a check that serves several tokens carries
 * them all here, and analyzeInProcess.ts uses it to skip policies that cannot apply to a resource.
 */
export const APPLIES_TO_TYPES = "appliesToTypes";

/** A validation function that declares the type tokens it applies to. */
export type TypedResourceValidation = ResourceValidation & { readonly [APPLIES_TO_TYPES]: ReadonlySet<string> };

/** A check of one resource's plain property bag. */
export type ResourceCheck = (props: Props, args: ResourceValidationArgs, reportViolation: ReportViolation) => void;

/**
 * One check function for every token in `tokens`: resources of other types are skipped, and the check
 * reads plain properties in which unknown values are sentinels it must skip.
 */
export function validateTypes(tokens: ReadonlySet<string>, check: ResourceCheck): TypedResourceValidation {
    const validate: ResourceValidation = (args, reportViolation) => {
        if (!tokens.has(args.type)) {
            return;
        }
        guardUnknowns(() => check(rawProps(args.props), args, reportViolation));
    };
    return Object.assign(validate, { [APPLIES_TO_TYPES]: tokens });
}

/** A resource as a stack check sees it: plain properties, and its property dependencies. */
export interface StackResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly props: Props;
    /** Resources whose outputs flowed into `property`, by URN. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** A check of the whole stack. */
export type StackCheck = (resources: readonly StackResource[], args: StackValidationArgs, reportViolation: ReportViolation) => void;

function toStackResource(resource: PolicyResource): StackResource {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [property, dependencies] of Object.entries(resource.propertyDependencies)) {
        propertyDependencies[property] = dependencies.map((dependency) => dependency.urn);
    }
    return {
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        props: rawProps(resource.props),
        propertyDependencies,
    };
}

/** A stack validation that declares the type tokens of the resources it reads. */
export type TypedStackValidation = StackValidation & { readonly [APPLIES_TO_TYPES]: ReadonlySet<string> };

/**
 * A stack validation that hands `check` the stack's resources of the types in `tokens`, as plain
 * `StackResource`s. A check reads only those types, and follows property dependencies only to them.
 */
export function validateStackResources(tokens: Iterable<string>, check: StackCheck): TypedStackValidation {
    const types: ReadonlySet<string> = new Set(tokens);
    const validate: StackValidation = (args, reportViolation) => {
        const resources = args.resources.filter((resource) => types.has(resource.type)).map(toStackResource);
        guardUnknowns(() => check(resources, args, reportViolation));
    };
    return Object.assign(validate, { [APPLIES_TO_TYPES]: types });
}

/**
 * The policy's config: each key of `defaults` takes the configured value when one is set, else the
 * default, so a policy works with no config file at all.
 */
export function readConfig<T extends object>(args: { getConfig<U extends object>(): U }, defaults: T): T {
    const given = args.getConfig<Partial<T>>() ?? {};
    const result = { ...defaults };
    for (const key of Object.keys(defaults) as (keyof T)[]) {
        const value = given[key];
        if (value !== undefined && value !== null) {
            result[key] = value as T[keyof T];
        }
    }
    return result;
}
