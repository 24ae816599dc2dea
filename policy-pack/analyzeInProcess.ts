/**
 * Runs this policy pack in-process over a set of resources, through @pulumi/policy's own analysis code,
 * for the offline preview (`npm run preview:offline`) and the tests.
 *
 * What it relies on, all of it from `@pulumi/policy@1.21.0` (pinned exactly in package.json; this
 * module refuses to load with any other installed version, since these are internals):
 *
 * - `makeAnalyzeRpcFun` and `makeAnalyzeStackRpcFun`, exported from `@pulumi/policy/server` (server.js)
 *   and marked `@internal`. `serve()` registers exactly these as the gRPC `analyze` and `analyzeStack`
 *   handlers when index.ts constructs the `PolicyPack`. Here they are called directly with a fake gRPC
 *   call whose `request` is a real `AnalyzeRequest` / `AnalyzeStackRequest` from
 *   `@pulumi/pulumi/proto/analyzer_pb`, and the `AnalyzeResponse` they hand the callback is read back.
 *   So deserialization (`deserializeProperties`), the unknown-checking proxy, enforcement levels and
 *   the violation message (`description + "\n" + message`) are @pulumi/policy's own.
 * - Properties go in as a `google.protobuf.Struct`, as the engine marshals them for analyzers: unknown
 *   values as the sentinel string `04da6b54-80e4-46f7-96ec-b56ff0331ba9` and secrets as
 *   `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value }` objects.
 * - Policy config: server.js keeps it in the module-level `policyPackConfig`, which only its
 *   non-exported `configure` RPC sets. Instead, the config is reconciled here the way the Pulumi CLI
 *   does (schema defaults, then `all`, then each policy's entry; then validated against each policy's
 *   configSchema), and each policy is passed to the server as a shallow copy whose `enforcementLevel`
 *   is the configured one and whose validate functions see `args.getConfig()` return the policy's
 *   config. Stack tags, which only the non-exported `configureStack` RPC sets, reach `args.stackTags`
 *   the same way.
 *
 * As the engine does, each custom resource is analyzed once (`Analyze`, one call per resource), then
 * the stack (`AnalyzeStack`, all custom resources together). Component resources, the stack itself
 * among them, have no provider-managed state and are skipped by both. A policy whose validate function
 * declares the type tokens it reads (`APPLIES_TO_TYPES` in policies/shared/policy.ts, or @pulumi/policy's
 * own `__pulumiType`) is only handed resources of those types, since it would report nothing for the
 * others: a stack policy then gets its own `AnalyzeStack` call over just those resources. That saves
 * deserializing every resource once per policy; `filterByType: false` turns it off.
 */
import * as fs from "fs";
import * as path from "path";
import type {
    EnforcementLevel,
    Policies,
    Policy,
    PolicyConfigSchema,
    ResourceValidation,
    ResourceValidationPolicy,
    StackValidation,
    StackValidationPolicy,
} from "@pulumi/policy";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, packVersion } from "./packInfo";
import { policies as packPolicies } from "./policies";
import { APPLIES_TO_TYPES } from "./policies/shared/policy";

/** @pulumi/policy's policy types, for callers outside this package (which resolve no @pulumi/policy). */
export type { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** The exact @pulumi/policy version whose internals this module drives. */
export const PINNED_POLICY_SDK_VERSION = "1.21.0";

/** The engine's marshaled form of a value unknown during preview (`UnknownStringValue`). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The key that marks a special value (secret, asset, resource reference) in a marshaled property. */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** The signature of a secret: `{ [SPECIAL_SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The signature of a resource reference: `{ [SPECIAL_SIG_KEY]: RESOURCE_SIG, urn, id? }`. */
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** A resource to analyze, as the offline runner records it. */
export interface AnalyzedResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    /** Whether a provider manages the resource; `false` for components (and the stack), which are skipped. */
    custom?: boolean;
    /**
     * Inputs as Pulumi's runtime deserializes them: plain JS values, secrets as
     * `{ [SPECIAL_SIG_KEY]: SECRET_SIG, value }` objects, unknowns as `UNKNOWN_VALUE` (or
     * `pulumi.unknown`). For the stack policies, merge in the outputs the mocks computed, such as `arn`.
     */
    inputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

/** One policy violation, as `pulumi preview --json` would list it. */
export interface PolicyViolation {
    policyName: string;
    policyPackName: string;
    enforcementLevel: "advisory" | "mandatory";
    urn: string;
    message: string;
}

/** How to run the pack. */
export interface AnalyzeOptions {
    /** The parsed policy pack config (config.json's shape); default none, so each policy's defaults. */
    config?: Record<string, unknown>;
    /** The stack's tags, such as `{ environment: "production" }`; default none. */
    stackTags?: Record<string, string>;
    /**
     * Whether to hand each policy only the resources of the types its validate function declares
     * (default true). Such a policy reports nothing for other types, so the violations are the same
     * either way; false runs every policy over every resource, as the engine does, only slower.
     */
    filterByType?: boolean;
}

// ------------------------------------------------------------------------------------------------
// The pinned internals.
// ------------------------------------------------------------------------------------------------

type AnalyzeCallback = (err: Error | null | undefined, response?: analyzerproto.AnalyzeResponse) => void;
type AnalyzeRpc<TRequest> = (call: { request: TRequest }, callback: AnalyzeCallback) => Promise<void>;
interface PolicyServerInternals {
    makeAnalyzeRpcFun(
        packName: string,
        packVersion: string,
        packEnforcementLevel: EnforcementLevel,
        policies: Policies,
    ): AnalyzeRpc<analyzerproto.AnalyzeRequest>;
    makeAnalyzeStackRpcFun(
        packName: string,
        packVersion: string,
        packEnforcementLevel: EnforcementLevel,
        policies: Policies,
    ): AnalyzeRpc<analyzerproto.AnalyzeStackRequest>;
}

function loadPolicyServer(): PolicyServerInternals {
    const manifestPath = require.resolve("@pulumi/policy/package.json");
    const installed = String((JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { version?: string }).version).replace(/^v/, "");
    if (installed !== PINNED_POLICY_SDK_VERSION) {
        throw new Error(
            `analyzeInProcess drives internals of @pulumi/policy@${PINNED_POLICY_SDK_VERSION}, but ${manifestPath} is ` +
                `${installed}. Run \`npm ci --prefix policy-pack\`, or update this module for the new version.`,
        );
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const server = require("@pulumi/policy/server") as Partial<PolicyServerInternals>;
    if (typeof server.makeAnalyzeRpcFun !== "function" || typeof server.makeAnalyzeStackRpcFun !== "function") {
        throw new Error(`@pulumi/policy@${installed}/server no longer exports makeAnalyzeRpcFun and makeAnalyzeStackRpcFun`);
    }
    return server as PolicyServerInternals;
}

const server = loadPolicyServer();

// ------------------------------------------------------------------------------------------------
// Policy config, reconciled as the Pulumi CLI does (pkg/resource/analyzer/config.go).
// ------------------------------------------------------------------------------------------------

/** One policy's effective config. */
export interface ResolvedPolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

const ENFORCEMENT_LEVELS: ReadonlySet<string> = new Set(["advisory", "mandatory", "remediate", "disabled"]);

function parseLevel(key: string, value: unknown): EnforcementLevel {
    if (typeof value !== "string" || !ENFORCEMENT_LEVELS.has(value)) {
        throw new Error(`policy pack config: ${JSON.stringify(value)} is not a valid enforcement level for "${key}"`);
    }
    return value as EnforcementLevel;
}

/**
 * Each policy's effective enforcement level and config: the schema's defaults, then `all`'s level,
 * then the policy's own entry (a level string, or an object with an optional `enforcementLevel` and
 * properties), validated against the policy's configSchema. Throws on invalid config, as the CLI
 * refuses to run. Entries naming no policy are ignored, as by the CLI.
 */
export function resolvePolicyConfig(
    policies: readonly Policy[],
    config: Record<string, unknown> = {},
    packEnforcementLevel: EnforcementLevel = PACK_ENFORCEMENT_LEVEL,
): Map<string, ResolvedPolicyConfig> {
    const given = new Map<string, { level?: EnforcementLevel; properties: Record<string, unknown> }>();
    for (const [key, value] of Object.entries(config)) {
        if (typeof value === "string") {
            given.set(key, { level: parseLevel(key, value), properties: {} });
        } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            given.set(key, { level: enforcementLevel === undefined ? undefined : parseLevel(key, enforcementLevel), properties });
        } else {
            throw new Error(`policy pack config: "${key}" must be an enforcement level or an object`);
        }
    }
    const allLevel = given.get("all")?.level;
    const result = new Map<string, ResolvedPolicyConfig>();
    const errors: string[] = [];
    for (const policy of policies) {
        const properties: Record<string, unknown> = {};
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if (schema.default !== undefined) {
                properties[key] = schema.default;
            }
        }
        let level = allLevel ?? policy.enforcementLevel ?? packEnforcementLevel;
        const own = given.get(policy.name);
        if (own) {
            level = own.level ?? level;
            Object.assign(properties, own.properties);
        }
        if (policy.configSchema) {
            errors.push(...validateConfig(policy.configSchema, properties).map((error) => `${policy.name}: ${error}`));
        }
        result.set(policy.name, { enforcementLevel: level, properties });
    }
    if (errors.length > 0) {
        throw new Error(`policy pack config is invalid:\n  ${errors.join("\n  ")}`);
    }
    return result;
}

type JsonSchema = Record<string, unknown>;

function typeOfJson(value: unknown): string {
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return "array";
    }
    return typeof value;
}

/** Validates `value` against the JSON Schema keywords policy config schemas use. */
function validateJson(schema: JsonSchema | boolean, value: unknown, at: string, errors: string[]): void {
    if (schema === true) {
        return;
    }
    if (schema === false) {
        errors.push(`${at} is not allowed`);
        return;
    }
    const actual = typeOfJson(value);
    if (schema.type !== undefined) {
        const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
        const matches = types.some(
            (type) => type === actual || (type === "integer" && Number.isInteger(value)) || (type === "number" && actual === "number"),
        );
        if (!matches) {
            errors.push(`${at}: expected ${types.join(" or ")}, got ${actual}`);
            return;
        }
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
        errors.push(`${at} must be one of ${JSON.stringify(schema.enum)}`);
    }
    if ("const" in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) {
        errors.push(`${at} must be ${JSON.stringify(schema.const)}`);
    }
    if (actual === "number") {
        const n = value as number;
        if (typeof schema.minimum === "number" && n < schema.minimum) errors.push(`${at} must be at least ${schema.minimum}`);
        if (typeof schema.maximum === "number" && n > schema.maximum) errors.push(`${at} must be at most ${schema.maximum}`);
        if (typeof schema.exclusiveMinimum === "number" && n <= schema.exclusiveMinimum)
            errors.push(`${at} must be above ${schema.exclusiveMinimum}`);
        if (typeof schema.exclusiveMaximum === "number" && n >= schema.exclusiveMaximum)
            errors.push(`${at} must be below ${schema.exclusiveMaximum}`);
    }
    if (actual === "string") {
        const s = value as string;
        if (typeof schema.minLength === "number" && s.length < schema.minLength)
            errors.push(`${at} must be at least ${schema.minLength} characters long`);
        if (typeof schema.maxLength === "number" && s.length > schema.maxLength)
            errors.push(`${at} must be at most ${schema.maxLength} characters long`);
        if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(s))
            errors.push(`${at} must match ${schema.pattern}`);
    }
    if (actual === "array") {
        const items = value as unknown[];
        if (typeof schema.minItems === "number" && items.length < schema.minItems)
            errors.push(`${at} must have at least ${schema.minItems} items`);
        if (typeof schema.maxItems === "number" && items.length > schema.maxItems)
            errors.push(`${at} must have at most ${schema.maxItems} items`);
        if (schema.uniqueItems === true && new Set(items.map((item) => JSON.stringify(item))).size !== items.length) {
            errors.push(`${at} must not repeat items`);
        }
        if (schema.items !== undefined && !Array.isArray(schema.items)) {
            items.forEach((item, i) => validateJson(schema.items as JsonSchema | boolean, item, `${at}[${i}]`, errors));
        }
    }
    if (actual === "object") {
        validateObject(schema, value as Record<string, unknown>, at, errors);
    }
}

function validateObject(schema: JsonSchema, value: Record<string, unknown>, at: string, errors: string[]): void {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema | boolean>;
    for (const key of (schema.required ?? []) as string[]) {
        if (!(key in value)) {
            errors.push(`${at === "" ? "" : `${at}: `}${key} is required`);
        }
    }
    for (const [key, item] of Object.entries(value)) {
        const where = at === "" ? key : `${at}.${key}`;
        if (key in properties) {
            validateJson(properties[key], item, where, errors);
        } else if (schema.additionalProperties !== undefined) {
            validateJson(schema.additionalProperties as JsonSchema | boolean, item, where, errors);
        }
    }
}

function validateConfig(schema: PolicyConfigSchema, properties: Record<string, unknown>): string[] {
    const errors: string[] = [];
    validateObject({ properties: schema.properties, required: schema.required }, properties, "", errors);
    return errors;
}

// ------------------------------------------------------------------------------------------------
// Policies as the server sees them: configured, and filtered by type.
// ------------------------------------------------------------------------------------------------

type ValidationArgsPatch = { getConfig: () => object; stackTags: ReadonlyMap<string, string> };

/** Copies the type markers @pulumi/policy and this pack attach to validate functions. */
function copyMarkers<T extends object>(from: object, to: T): T {
    for (const key of ["__pulumiType", APPLIES_TO_TYPES]) {
        const value = (from as Record<string, unknown>)[key];
        if (value !== undefined) {
            (to as Record<string, unknown>)[key] = value;
        }
    }
    return to;
}

/** A shallow copy of `policy` with its configured level, config and the stack's tags. */
function configurePolicy(policy: Policy, resolved: ResolvedPolicyConfig, stackTags: ReadonlyMap<string, string>): Policy {
    const properties = resolved.properties;
    const patch: ValidationArgsPatch = { getConfig: () => properties, stackTags };
    const copy: Policy & Partial<ResourceValidationPolicy & StackValidationPolicy> = {
        ...policy,
        enforcementLevel: resolved.enforcementLevel,
    };
    const wrapResource = (validate: ResourceValidation): ResourceValidation =>
        copyMarkers<ResourceValidation>(validate, (args, reportViolation) => validate(Object.assign(args, patch), reportViolation));
    const resourcePolicy = policy as ResourceValidationPolicy;
    if (typeof resourcePolicy.validateResource === "function") {
        copy.validateResource = wrapResource(resourcePolicy.validateResource);
    } else if (Array.isArray(resourcePolicy.validateResource)) {
        copy.validateResource = resourcePolicy.validateResource.map(wrapResource);
    }
    const stackPolicy = policy as StackValidationPolicy;
    if (typeof stackPolicy.validateStack === "function") {
        const validate: StackValidation = stackPolicy.validateStack;
        copy.validateStack = copyMarkers<StackValidation>(validate, (args, reportViolation) =>
            validate(Object.assign(args, patch), reportViolation),
        );
    }
    return copy;
}

/** The type tokens a validate function declares it applies to, if it declares them. */
function declaredTypes(validate: unknown): ReadonlySet<string> | undefined {
    const marked = (validate as Record<string, unknown> | undefined)?.[APPLIES_TO_TYPES];
    if (marked instanceof Set) {
        return marked as ReadonlySet<string>;
    }
    const single = (validate as Record<string, unknown> | undefined)?.__pulumiType;
    return typeof single === "string" && single !== "" ? new Set([single]) : undefined;
}

/**
 * Whether a resource policy can apply to `type`: false only when every validate function declares
 * the types it applies to and none is `type`.
 */
function appliesTo(policy: Policy, type: string): boolean {
    const validate = (policy as ResourceValidationPolicy).validateResource;
    const validations = Array.isArray(validate) ? validate : validate ? [validate] : [];
    if (validations.length === 0) {
        return true; // a stack policy, or a remediation-only one: the server sorts those out
    }
    return validations.some((fn) => declaredTypes(fn)?.has(type) ?? true);
}

// ------------------------------------------------------------------------------------------------
// Marshaling, as the engine does for analyzers.
// ------------------------------------------------------------------------------------------------

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A runtime value as the engine would marshal it for an analyzer (keeping unknowns and secrets). */
function marshal(value: unknown): JsonValue | undefined {
    if (value === undefined || typeof value === "function" || typeof value === "symbol") {
        return undefined;
    }
    if (value === null || typeof value === "boolean" || typeof value === "string") {
        return value;
    }
    if (typeof value === "number") {
        return Number.isFinite(value) ? value : null;
    }
    if (typeof value === "bigint") {
        return Number(value);
    }
    if (Array.isArray(value)) {
        return value.map((item) => marshal(item) ?? null);
    }
    const object = value as Record<string, unknown>;
    const sig = object[SPECIAL_SIG_KEY];
    if (sig === RESOURCE_SIG) {
        // Without resource-reference support, the engine sends a reference as its id, else its URN.
        const id = object.id;
        return typeof id === "string" ? (id === "" ? UNKNOWN_VALUE : id) : (marshal(object.urn) ?? null);
    }
    if (sig === SECRET_SIG) {
        return { [SPECIAL_SIG_KEY]: SECRET_SIG, value: marshal(object.value) ?? null };
    }
    if (object.__pulumiUnknown === true || object.__pulumiOutput === true || object.__pulumiResource === true) {
        // `pulumi.unknown`; an Output or a Resource left in the inputs can't be read synchronously.
        return UNKNOWN_VALUE;
    }
    if (object.__pulumiAsset === true || object.__pulumiArchive === true) {
        return UNKNOWN_VALUE;
    }
    const result: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(object)) {
        const item = marshal(object[key]);
        if (item !== undefined) {
            result[key] = item;
        }
    }
    return result;
}

function toStruct(inputs: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(marshal(inputs) as { [key: string]: JsonValue });
}

function resourceOptions(resource: AnalyzedResource): analyzerproto.AnalyzerResourceOptions {
    const options = new analyzerproto.AnalyzerResourceOptions();
    options.setProtect(false);
    if (resource.parent) {
        options.setParent(resource.parent);
    }
    return options;
}

/** Sets what an `AnalyzeRequest` and an `AnalyzerResource` both carry: type, name, URN, properties, options. */
function describeResource<T extends analyzerproto.AnalyzeRequest | analyzerproto.AnalyzerResource>(
    target: T,
    resource: AnalyzedResource,
    properties: Struct,
): T {
    target.setType(resource.type);
    target.setName(resource.name);
    target.setUrn(resource.urn);
    target.setProperties(properties);
    target.setOptions(resourceOptions(resource));
    return target;
}

function analyzeRequest(resource: AnalyzedResource, properties: Struct): analyzerproto.AnalyzeRequest {
    return describeResource(new analyzerproto.AnalyzeRequest(), resource, properties);
}

function analyzerResource(resource: AnalyzedResource, properties: Struct): analyzerproto.AnalyzerResource {
    const result = describeResource(new analyzerproto.AnalyzerResource(), resource, properties);
    result.setParent(resource.parent ?? "");
    result.setDependenciesList(resource.dependencies ?? []);
    const propertyDependencies = result.getPropertydependenciesMap();
    for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        const dependencies = new analyzerproto.AnalyzerPropertyDependencies();
        dependencies.setUrnsList(urns);
        propertyDependencies.set(property, dependencies);
    }
    return result;
}

function call<TRequest>(rpc: AnalyzeRpc<TRequest>, request: TRequest): Promise<analyzerproto.AnalyzeResponse> {
    return new Promise((resolve, reject) => {
        rpc({ request }, (err, response) =>
            err ? reject(err) : response ? resolve(response) : reject(new Error("no AnalyzeResponse")),
        ).catch(reject);
    });
}

function toViolations(response: analyzerproto.AnalyzeResponse, defaultUrn: string, into: PolicyViolation[]): void {
    for (const diagnostic of response.getDiagnosticsList()) {
        const level = diagnostic.getEnforcementlevel();
        if (level === analyzerproto.EnforcementLevel.DISABLED) {
            continue;
        }
        into.push({
            policyName: diagnostic.getPolicyname(),
            policyPackName: diagnostic.getPolicypackname(),
            enforcementLevel: level === analyzerproto.EnforcementLevel.ADVISORY ? "advisory" : "mandatory",
            urn: diagnostic.getUrn() || defaultUrn,
            message: diagnostic.getMessage(),
        });
    }
}

// ------------------------------------------------------------------------------------------------
// The entry point.
// ------------------------------------------------------------------------------------------------

/**
 * Analyzes `resources` with this pack: every resource policy over each custom resource, then every
 * stack policy over all custom resources together. Resolves to the violations in that order; a stack
 * violation with no resource of its own is charged to the `pulumi:pulumi:Stack` resource, as the engine
 * does. Rejects when the config is invalid or a policy throws.
 */
export async function analyzeInProcess(resources: AnalyzedResource[], options: AnalyzeOptions = {}): Promise<PolicyViolation[]> {
    return analyzeWithPolicies(packPolicies, resources, options);
}

/** `analyzeInProcess` with another list of policies, served under this pack's name and version. */
export async function analyzeWithPolicies(
    policies: readonly Policy[],
    resources: AnalyzedResource[],
    options: AnalyzeOptions = {},
): Promise<PolicyViolation[]> {
    const resolved = resolvePolicyConfig(policies, options.config ?? {});
    const stackTags: ReadonlyMap<string, string> = new Map(Object.entries(options.stackTags ?? {}));
    const configured = policies.map((policy) => configurePolicy(policy, resolved.get(policy.name)!, stackTags));
    const version = packVersion();

    const filterByType = options.filterByType ?? true;
    const custom = resources.filter((resource) => resource.custom !== false);
    const stackUrn = resources.find((resource) => resource.type === "pulumi:pulumi:Stack")?.urn ?? "";
    const violations: PolicyViolation[] = [];

    // Analyze: one call per resource, through a handler serving the policies that can apply to its type.
    const handlers = new Map<string, AnalyzeRpc<analyzerproto.AnalyzeRequest> | undefined>();
    const stackResources: analyzerproto.AnalyzerResource[] = [];
    for (const resource of custom) {
        const properties = toStruct(resource.inputs);
        stackResources.push(analyzerResource(resource, properties));
        let handler = handlers.get(resource.type);
        if (!handlers.has(resource.type)) {
            const applicable = filterByType ? configured.filter((policy) => appliesTo(policy, resource.type)) : configured;
            handler = applicable.length > 0 ? server.makeAnalyzeRpcFun(PACK_NAME, version, PACK_ENFORCEMENT_LEVEL, applicable) : undefined;
            handlers.set(resource.type, handler);
        }
        if (handler) {
            toViolations(await call(handler, analyzeRequest(resource, properties)), resource.urn, violations);
        }
    }

    // AnalyzeStack: once over every custom resource, or, filtering by type, once per stack policy over
    // the resources of the types it declares.
    const stackPolicies = configured.filter((policy) => typeof (policy as StackValidationPolicy).validateStack === "function");
    const batches: [Policy[], analyzerproto.AnalyzerResource[]][] = [];
    if (filterByType) {
        const undeclared: Policy[] = [];
        for (const policy of stackPolicies) {
            const types = declaredTypes((policy as StackValidationPolicy).validateStack);
            if (types) {
                batches.push([[policy], stackResources.filter((resource) => types.has(resource.getType()))]);
            } else {
                undeclared.push(policy);
            }
        }
        batches.push([undeclared, stackResources]);
    } else {
        batches.push([stackPolicies, stackResources]);
    }
    for (const [batch, batchResources] of batches) {
        if (batch.length === 0) {
            continue;
        }
        const request = new analyzerproto.AnalyzeStackRequest();
        request.setResourcesList(batchResources);
        const handler = server.makeAnalyzeStackRpcFun(PACK_NAME, version, PACK_ENFORCEMENT_LEVEL, batch);
        toViolations(await call(handler, request), stackUrn, violations);
    }
    return violations;
}

/** Whether any violation is mandatory, which fails a `pulumi preview`. */
export function hasMandatoryViolations(violations: readonly PolicyViolation[]): boolean {
    return violations.some((violation) => violation.enforcementLevel === "mandatory");
}

// ------------------------------------------------------------------------------------------------
// Rendering, as `pulumi preview`'s "Policies:" section (pkg/backend/display/progress.go).
// ------------------------------------------------------------------------------------------------

/** How the pack is labeled in the rendering. */
export interface RenderOptions {
    /** The path the pack was loaded from, shown as "(local: ...)". Default `policy-pack`. */
    localPath?: string;
}

/** The type and name a URN names, as `urn.Type()` and `urn.Name()` give them. */
function urnTypeAndName(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    if (parts.length < 4) {
        return { type: "", name: urn };
    }
    const qualifiedType = parts[2];
    return { type: qualifiedType.split("$").pop() ?? qualifiedType, name: parts.slice(3).join("::") };
}

/**
 * `pulumi preview`'s "Policies:" section, without colors: one header per policy pack (✅ no violations,
 * ⚠️ advisory ones only, ❌ a mandatory one), then its violations sorted by level, policy and URN:
 *
 *     Policies:
 *         ❌ api-cluster-guardrails@v0.3.0 (local: policy-pack)
 *             - [mandatory]  alb-load-balancer-requires-application-type  (aws:lb/loadBalancer:LoadBalancer: api-alb)
 *               <description>
 *               <message>
 *
 * This pack is always listed, so a clean run shows its ✅ line. Ends with a newline.
 */
export function renderViolations(violations: PolicyViolation[], options: RenderOptions = {}): string {
    const localPath = options.localPath ?? path.basename(__dirname);
    const version = packVersion();
    const packs = new Map<string, PolicyViolation[]>([[PACK_NAME, []]]);
    for (const violation of violations) {
        const list = packs.get(violation.policyPackName) ?? [];
        list.push(violation);
        packs.set(violation.policyPackName, list);
    }
    const lines = ["Policies:"];
    for (const name of [...packs.keys()].sort()) {
        const list = [...packs.get(name)!].sort(
            (a, b) =>
                a.enforcementLevel.localeCompare(b.enforcementLevel) ||
                (a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : 0) ||
                (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0),
        );
        const mark = list.some((v) => v.enforcementLevel === "mandatory") ? "❌" : list.length > 0 ? "⚠️" : "✅";
        const local = name === PACK_NAME ? ` (local: ${localPath})` : "";
        lines.push(`    ${mark} ${name}@v${name === PACK_NAME ? version : "?"}${local}`);
        for (const violation of list) {
            const { type, name: resourceName } = urnTypeAndName(violation.urn);
            lines.push(`        - [${violation.enforcementLevel}]  ${violation.policyName}  (${type}: ${resourceName})`);
            for (const line of violation.message.replace(/\n$/, "").split("\n")) {
                lines.push(`          ${line}`);
            }
        }
    }
    return lines.join("\n") + "\n";
}
