/**
 * The generic validator: checks one setting's value, or an object's fields, against its spec in
 * schema.ts, pushing one message per problem. validate.ts runs it over every setting; the
 * cross-checks (crossChecks/) use it to skip values that already have a problem.
 */
import * as pulumi from "@pulumi/pulumi";
import { SettingSpec } from "./schema";

/** Turns a setting's path (`instanceCount`, `healthCheck.path`) into the name the user knows it by. */
export type Label = (path: string) => string;

/** How a value is shown in a message: as the user wrote it. */
export function show(value: unknown): string {
    return JSON.stringify(value) ?? String(value);
}

/** Levenshtein distance between two strings, case-insensitive. */
function distance(a: string, b: string): number {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    let previous = Array.from({ length: y.length + 1 }, (_unused, j) => j);
    for (let i = 1; i <= x.length; i++) {
        const current = [i];
        for (let j = 1; j <= y.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[y.length];
}

/** The known word nearest `word` when it is near enough to be a typo of it (a did-you-mean); undefined otherwise. */
export function nearestKnown(word: string, known: readonly string[]): string | undefined {
    const closest = [...known].sort((a, b) => distance(word, a) - distance(word, b))[0];
    return closest !== undefined && distance(word, closest) <= Math.max(2, Math.floor(word.length / 3)) ? closest : undefined;
}

/** The message for a key that is not known, suggesting the closest known key when one is near. */
export function unknownKeyProblem(labelled: string, key: string, known: readonly string[]): string {
    const near = nearestKnown(key, known);
    return near !== undefined
        ? `${labelled} is not a known key; did you mean ${near}?`
        : `${labelled} is not a known key; known keys are ${[...known].sort().join(", ")}`;
}

/** Whether a value is known only later: an Output (a secret, another resource's output) or a Promise. */
export function isDeferred(value: unknown): value is pulumi.Output<unknown> | Promise<unknown> {
    return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/**
 * A config value in the type its spec wants, as Pulumi's own config commands write it: the one rule
 * for values that come from a stack's config. A top-level value always arrives as a string (the CLI
 * passes strings); an object's or list's fields arrive as the stack file holds them, and
 * `pulumi config set --path` stores `true`/`false` as booleans and integers as numbers, everything
 * else as a string (`--type string|bool|int|float` overrides it). So an integer or boolean setting
 * takes its text (`"5"`, `"true"`), as at the top level, and a string or choice setting takes an
 * integer or boolean by its text (`healthCheck.matcher: 200` is `"200"`), where the text is
 * unambiguous: a safe integer, not `1e21` or `1.50`. Objects and lists given as text are JSON.
 * Anything else is left as it is, for checkValue to refuse.
 */
export function fromConfig(spec: SettingSpec, value: unknown): unknown {
    switch (spec.kind) {
        case "integer":
            return typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
        case "boolean":
            return value === "true" ? true : value === "false" ? false : value;
        case "string":
            return asText(value);
        case "choice": {
            const text = asText(value);
            return typeof text === "string" && spec.choices.includes(text) ? text : value;
        }
        case "stringList": {
            const list = typeof value === "string" ? parsedJson(value) : value;
            return Array.isArray(list) ? list.map(asText) : list;
        }
        case "object": {
            const object = typeof value === "string" ? parsedJson(value) : value;
            if (typeof object !== "object" || object === null || Array.isArray(object)) {
                return object;
            }
            return Object.fromEntries(
                Object.entries(object).map(([key, field]) => [key, spec.fields[key] ? fromConfig(spec.fields[key], field) : field]),
            );
        }
    }
}

/** A boolean or a safe integer as its text, as a string setting takes one; anything else as it is. */
function asText(value: unknown): unknown {
    return typeof value === "boolean" || (typeof value === "number" && Number.isSafeInteger(value)) ? String(value) : value;
}

/** `text` parsed as JSON, or `text` itself when it is not JSON (its problem is reported as given). */
function parsedJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** Whether a setting may be given as an Output: it is typed `pulumi.Input` in ClusterSettingsArgs. */
function acceptsOutputs(spec: SettingSpec): boolean {
    return spec.kind === "string" && spec.acceptsOutputs === true;
}

/**
 * Checks one value against its spec, pushing problems; `shown` overrides how the value is quoted.
 * An Output is left for `checkedWhenKnown` (or, inside existingNetwork, for the deploy-time
 * lookups) where the spec accepts one, and refused elsewhere: the other settings shape the
 * resources and must be known when the cluster is declared.
 */
export function checkValue(spec: SettingSpec, value: unknown, path: string, label: Label, problems: string[], shown?: string): void {
    if (isDeferred(value)) {
        if (!acceptsOutputs(spec)) {
            problems.push(
                `${label(path)} must be a plain value known when the cluster is declared, since it shapes the resources; got an Output (a secret or another resource's output)`,
            );
        }
        return;
    }
    const got = `; got ${shown ?? show(value)}`;
    switch (spec.kind) {
        case "integer": {
            const verdict = typeof value === "number" ? spec.rule(value) : spec.rule(Number.NaN);
            if (verdict) problems.push(`${label(path)} ${verdict}${got}`);
            return;
        }
        case "string": {
            const verdict = typeof value === "string" ? spec.rule(value) : "must be a string";
            if (verdict) problems.push(`${label(path)} ${verdict}${got}`);
            return;
        }
        case "choice":
            if (typeof value !== "string" || !spec.choices.includes(value)) {
                problems.push(`${label(path)} must be one of ${spec.choices.join(", ")}${got}`);
            }
            return;
        case "boolean":
            if (typeof value !== "boolean") problems.push(`${label(path)} must be true or false${got}`);
            return;
        case "stringList":
            if (!Array.isArray(value)) {
                problems.push(`${label(path)} must be a list of strings${got}`);
                return;
            }
            if (spec.maxItems !== undefined && value.length > spec.maxItems) {
                problems.push(`${label(path)} must hold at most ${spec.maxItems} items; got ${value.length}`);
            }
            value.forEach((item, i) => {
                if (spec.acceptsOutputs && isDeferred(item)) return;
                const verdict = typeof item === "string" ? spec.itemRule(item) : "must be a string";
                if (verdict) problems.push(`${label(`${path}[${i}]`)} ${verdict}; got ${show(item)}`);
            });
            return;
        case "object":
            if (typeof value !== "object" || value === null || Array.isArray(value)) {
                problems.push(`${label(path)} must be an object with fields ${Object.keys(spec.fields).join(", ")}${got}`);
                return;
            }
            checkFields(spec.fields, value as Record<string, unknown>, path, label, problems);
            return;
    }
}

/** Checks every present field of an object against its field specs, and flags unknown fields. */
export function checkFields(
    fields: Record<string, SettingSpec>,
    values: Record<string, unknown>,
    path: string,
    label: Label,
    problems: string[],
    shown: Record<string, string> = {},
): void {
    const prefix = path ? `${path}.` : "";
    for (const [key, value] of Object.entries(values)) {
        const spec = fields[key];
        if (!spec) {
            problems.push(unknownKeyProblem(label(`${prefix}${key}`), key, Object.keys(fields)));
        } else if (value !== undefined) {
            checkValue(spec, value, `${prefix}${key}`, label, problems, shown[key]);
        }
    }
}

/** Whether a value passes its own spec; cross-checks skip values that already have a problem. */
export function passes(spec: SettingSpec, value: unknown): boolean {
    const problems: string[] = [];
    checkValue(spec, value, "", String, problems);
    return problems.length === 0;
}
