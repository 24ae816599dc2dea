/**
 * Checks settings against the schema and applies defaults. Every problem is collected, so the
 * user sees all of them at once; nothing here registers a resource.
 *
 * The entry point of validation: each value is checked by valueCheck.ts, the rules that tie
 * settings together by crossChecks/; this module runs both and fills in the defaults.
 */
import * as pulumi from "@pulumi/pulumi";
import { crossChecks } from "./crossChecks";
import {
    APP_FIELDS,
    AppSettings,
    ClusterSettings,
    ClusterSettingsArgs,
    DEFAULT_MAX_INSTANCE_FACTOR,
    FLEET_SIZE_CEILING,
    HEALTH_CHECK_FIELDS,
    HealthCheckSettings,
    SETTINGS,
    STICKINESS_FIELDS,
    SettingSpec,
    StickinessSettings,
} from "./schema";
import { Label, checkFields, checkValue, isDeferred } from "./valueCheck";

export type { Label } from "./valueCheck";
export { unknownKeyProblem } from "./valueCheck";
export { MAX_SSH_PUBLIC_PREFIX } from "./crossChecks/cidrRules";
export { isInZone } from "./crossChecks/tlsRules";

/** Raised with every problem found in the settings. A RunError, so Pulumi prints no stack trace. */
export class SettingsError extends pulumi.RunError {
    constructor(readonly problems: string[]) {
        super(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
        this.name = "SettingsError";
    }
}

/** The value if it is a plain object, otherwise undefined (its problem is already reported). */
function asObject(value: unknown): Record<string, unknown> | undefined {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !isDeferred(value)
        ? (value as Record<string, unknown>)
        : undefined;
}

/** Fills unset fields with the spec's defaults. */
function withDefaults<T>(fields: Record<string, SettingSpec>, values: Record<string, unknown> | undefined): T {
    const result: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(fields)) {
        const value = values?.[key];
        result[key] = value !== undefined ? value : "default" in spec ? structuredClone(spec.default) : undefined;
    }
    return result as T;
}

/**
 * A setting given as an Output, checked once its value is known: an invalid value fails the
 * deployment with a SettingsError. A secret value is never quoted in the message.
 */
function checkedWhenKnown(spec: SettingSpec, value: pulumi.Input<unknown>, path: string, label: Label): pulumi.Output<unknown> {
    const output = pulumi.output(value);
    return pulumi.all([output, pulumi.isSecret(output)]).apply(([known, secret]) => {
        const problems: string[] = [];
        if (known !== undefined) {
            checkValue(spec, known, path, label, problems, secret ? "a secret" : undefined);
        }
        if (problems.length > 0) {
            throw new SettingsError(problems);
        }
        return known;
    });
}

/**
 * Validates partial settings and returns them complete, with defaults applied. Throws one
 * SettingsError naming every problem. `shown` gives, per top-level key, the value as the user
 * wrote it (a config string), for the messages.
 */
export function resolveSettings(
    input: Partial<Record<keyof ClusterSettingsArgs, unknown>>,
    label: Label,
    shown: Record<string, string> = {},
    earlierProblems: string[] = [],
): ClusterSettings {
    const problems = [...earlierProblems];
    checkFields(SETTINGS, input, "", label, problems, shown);
    const settings = withDefaults<ClusterSettings>(SETTINGS, input);
    settings.appPort = settings.appPort ?? settings.port;
    settings.minInstanceCount = settings.minInstanceCount ?? settings.instanceCount;
    settings.maxInstanceCount =
        settings.maxInstanceCount ??
        (typeof settings.instanceCount === "number"
            ? Math.min(FLEET_SIZE_CEILING, settings.instanceCount * DEFAULT_MAX_INSTANCE_FACTOR)
            : settings.instanceCount);
    settings.healthCheck = withDefaults<HealthCheckSettings>(HEALTH_CHECK_FIELDS, asObject(input.healthCheck));
    settings.stickiness = withDefaults<StickinessSettings>(STICKINESS_FIELDS, asObject(input.stickiness));
    settings.app = withDefaults<AppSettings>(APP_FIELDS, asObject(input.app));
    problems.push(...crossChecks(settings, label));
    if (problems.length > 0) {
        throw new SettingsError(problems);
    }
    for (const [key, spec] of Object.entries(SETTINGS)) {
        const value = input[key as keyof ClusterSettingsArgs];
        if (isDeferred(value)) {
            Object.assign(settings, { [key]: checkedWhenKnown(spec, value, key, label) });
        }
    }
    return settings;
}
