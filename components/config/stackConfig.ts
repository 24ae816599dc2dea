/**
 * Reads the stack's `api-cluster:*` config, as the Pulumi CLI passes it to the program, into
 * validated settings. Unknown keys, unparsable values and out-of-range values are all reported
 * in one SettingsError before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings, KNOWN_KEYS, MIN_PASSWORD_LENGTH, SETTINGS } from "./schema";
import { fromConfig } from "./valueCheck";
import { resolveSettings, unknownKeyProblem } from "./validate";

/** The project's config namespace. */
export const CONFIG_NAMESPACE = "api-cluster";

/** A stack's settings and its admin password. */
export interface StackSettings {
    /** Every setting, validated, with defaults applied. */
    settings: ClusterSettings;
    /** The admin password from `api-cluster:adminPassword`, kept secret; undefined when unset. */
    adminPassword?: pulumi.Output<string>;
}

/**
 * The message for a key such as `healthCheck.path` or `allowedCidrs[0]` that names a field or an
 * item of a setting: set without a path flag, the whole string is the key's name, as `pulumi config
 * set` without `--path` stores it. Undefined when the key does not start with a setting's name.
 */
function pathKeyProblem(fullKey: string, key: string): string | undefined {
    const head = /^([^.[]+)[.[]/.exec(key)?.[1];
    if (head === undefined || !(head in SETTINGS)) {
        return undefined;
    }
    return `${fullKey} is not a known key: it is a path into ${CONFIG_NAMESPACE}:${head}; give --config-path (pulumi config set --path) to set it as one`;
}

/**
 * Problems with the admin password, described without ever quoting it; `source` names where it came
 * from (the config key by default, or an environment variable).
 */
export function passwordProblems(password: string | undefined, source = `${CONFIG_NAMESPACE}:adminPassword`): string[] {
    if (password === undefined || (password.length >= MIN_PASSWORD_LENGTH && password.length <= 1024 && !/[\r\n]/.test(password))) {
        return [];
    }
    return [`${source} must be ${MIN_PASSWORD_LENGTH} to 1024 characters on one line; got a secret of ${password.length} characters`];
}

/**
 * Validates `config` (full keys such as `api-cluster:instanceCount` to the strings the CLI
 * passes; by default the running stack's config) and returns the stack's settings.
 */
export function readStackSettings(config: Record<string, string> = pulumi.runtime.allConfig()): StackSettings {
    const prefix = `${CONFIG_NAMESPACE}:`;
    const input: Record<string, unknown> = {};
    const shown: Record<string, string> = {};
    const problems: string[] = [];
    let password: string | undefined;

    for (const [fullKey, raw] of Object.entries(config)) {
        if (!fullKey.startsWith(prefix)) {
            continue;
        }
        const key = fullKey.slice(prefix.length);
        if (key === "adminPassword") {
            password = raw;
        } else if (key in SETTINGS) {
            input[key] = fromConfig(SETTINGS[key as keyof ClusterSettings], raw);
            shown[key] = JSON.stringify(raw);
        } else {
            problems.push(pathKeyProblem(fullKey, key) ?? unknownKeyProblem(fullKey, key, KNOWN_KEYS));
        }
    }
    problems.push(...passwordProblems(password));

    const settings = resolveSettings(input, (path) => `${prefix}${path}`, shown, problems);
    return { settings, adminPassword: password === undefined ? undefined : pulumi.secret(password) };
}
