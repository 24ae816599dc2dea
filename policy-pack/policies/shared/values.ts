/**
 * Reading resource properties without tripping over values that are unknown during preview.
 *
 * @pulumi/policy (1.21.0) hands policies `props` wrapped in `unknownCheckingProxy` (its proxy.js): reading
 * a property whose value is unknown throws `UnknownValueError`, and the server turns that into an
 * advisory "can't run policy ... during preview" diagnostic. This pack wants neither that diagnostic nor
 * a violation for an unknown value, so each check reads the proxy's underlying object (the proxy answers
 * the `__getSpecialProxyTarget` key with it) and treats the unknown sentinels as "cannot judge: skip".
 * `guardUnknowns` in policy.ts is the safety net should a read go through the proxy anyway.
 */

/**
 * The strings @pulumi/policy's proxy treats as unknown (proxy.js, `isUnknown`). The engine marshals every
 * unknown as the first one, the same sentinel as @pulumi/pulumi's `runtime.unknownValue`.
 */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (the engine's UnknownStringValue)
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The key @pulumi/policy's proxy answers with the object it wraps (proxy.js, `getSpecialProxyTarget`). */
const PROXY_TARGET_KEY = "__getSpecialProxyTarget";

/** A property bag as deserialized from the engine: plain JSON-like values. */
export type Props = Readonly<Record<string, unknown>>;

/** Whether `value` is a value that is unknown during preview. */
export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** The plain object behind @pulumi/policy's unknown-checking proxy, or `props` itself if it is plain. */
export function rawProps(props: Record<string, unknown>): Props {
    const target = (props as Record<string, unknown>)[PROXY_TARGET_KEY];
    return target !== null && typeof target === "object" ? (target as Props) : props;
}

/** `value` as an object, or undefined when it is absent, unknown or not an object. */
export function asObject(value: unknown): Props | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined;
}

/** `value` as an array, or undefined when it is absent, unknown or not an array. */
export function asArray(value: unknown): readonly unknown[] | undefined {
    return Array.isArray(value) ? value : undefined;
}

/** A list property's elements, or the property itself when it is one unknown value. */
export function listValues(value: unknown): unknown[] {
    return isUnknown(value) ? [value] : [...(asArray(value) ?? [])];
}

/** Whether `value` is absent: undefined or null. */
export function isAbsent(value: unknown): value is undefined | null {
    return value === undefined || value === null;
}

/** A known string, or undefined when absent, unknown or not a string. */
export function knownString(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

/** A value rendered for a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
    return JSON.stringify(value) ?? String(value);
}
