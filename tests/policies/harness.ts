/**
 * Runs one policy of the pack over resources, through `analyzeInProcess` and so through
 * @pulumi/policy's own server code (deserialization, the unknown-checking proxy, enforcement levels,
 * and the `description + "\n" + message` violation text). Every other policy is disabled with the
 * config file's own `"all": "disabled"`, then the policy under test is enabled at its default level.
 *
 * Unlike a harness that calls `validateResource` directly with a hand-built args object (the pattern
 * pulumi/compliance-policies uses, whose `isType` ignores its argument and always answers true), this
 * one cannot pass a policy the server would not: the args, proxies and type checks are the server's.
 */
import * as assert from "assert";
import {
    AnalyzedResource,
    Policy,
    PolicyViolation,
    SECRET_SIG,
    SPECIAL_SIG_KEY,
    UNKNOWN_VALUE,
    analyzeInProcess,
} from "../../policy-pack/analyzeInProcess";
import { policies } from "../../policy-pack/policies";

/** The value of a property that is unknown during preview, as the engine sends it. */
export const UNKNOWN = UNKNOWN_VALUE;

/** A secret value, as Pulumi's runtime hands it over. */
export function secret<T>(value: T): Record<string, unknown> {
    return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

const STACK = "test";
const PROJECT = "api-cluster";

/** The URN of a resource of `type` named `name` in the test stack. */
export function urnOf(type: string, name: string): string {
    return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

/** A custom resource with these inputs; property dependencies by property name, as URNs. */
export function resource(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    propertyDependencies: Record<string, string[]> = {},
): AnalyzedResource {
    return {
        urn: urnOf(type, name),
        type,
        name,
        custom: true,
        inputs,
        dependencies: [...new Set(Object.values(propertyDependencies).flat())],
        propertyDependencies,
    };
}

/** The pack's policy named `name`. */
function policyNamed(name: string): Policy {
    const policy = policies.find((candidate) => candidate.name === name);
    assert.ok(policy, `no policy named ${name}`);
    return policy;
}

/** Options for one run. */
export interface RunOptions {
    /** The policy's own config properties (as in config.json), applied on top of its defaults. */
    config?: Record<string, unknown>;
    /** The stack's tags. */
    stackTags?: Record<string, string>;
}

/** Runs the policy `name` alone over `resources`. */
export async function violationsOf(
    name: string,
    resources: AnalyzedResource | AnalyzedResource[],
    options: RunOptions = {},
): Promise<PolicyViolation[]> {
    const policy = policyNamed(name);
    const config = { all: "disabled", [name]: { enforcementLevel: policy.enforcementLevel, ...options.config } };
    return analyzeInProcess(Array.isArray(resources) ? resources : [resources], { config, stackTags: options.stackTags });
}

/** The violation messages the policy `name` reports over `resources`. */
export async function messagesOf(
    name: string,
    resources: AnalyzedResource | AnalyzedResource[],
    options: RunOptions = {},
): Promise<string[]> {
    return (await violationsOf(name, resources, options)).map((violation) => violation.message);
}

/** The exact violation messages the server produces for `messages`: the description, a newline, the message. */
export function expected(name: string, ...messages: string[]): string[] {
    const description = policyNamed(name).description;
    return messages.map((message) => `${description}\n${message}`);
}

/** Passed to `changed` as the replacement, deletes the property instead. */
export const DELETE = Symbol("delete");

/**
 * A deep copy of `value` with the property at `path` (dot-separated, array indexes as numbers) set to
 * `replacement`, or deleted when `replacement` is `DELETE`.
 */
export function changed<T>(value: T, path: string, replacement: unknown): T {
    const copy = structuredClone(value) as Record<string, unknown>;
    const keys = path.split(".");
    let target: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) {
        target = target[key] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (replacement === DELETE) {
        delete target[last];
    } else {
        target[last] = replacement;
    }
    return copy as T;
}
