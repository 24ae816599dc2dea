/**
 * The command-line conventions every tool of the project shares (`preview:offline`, `local`, `smoke`,
 * `app:build`), named as the Pulumi CLI names them:
 *
 * - `--help`/`-h` prints the usage and exits 0;
 * - `--stack`/`-s <name>` picks the stack whose Pulumi.<name>.yaml supplies the config;
 * - `--config`/`-c key=value` (repeatable) overrides a config value; objects and lists as JSON, as today;
 * - `--config-path` makes every `--config` key a path (`api-cluster:healthCheck.intervalSeconds=5`,
 *   `api-cluster:allowedCidrs[0]=10.0.0.0/8`) into the key's object, as `pulumi preview --config-path` does;
 * - exit 0 success, 1 a failed check, 2 a usage or config error.
 *
 * A tool declares its own flags with `FlagSpec`s, calls `parseCommandLine`, and reads its stack's
 * config with `stackConfigFor`, which returns the map `readStackSettings` takes.
 */
import { StackConfig, readStackConfig } from "./stackFiles";

/** Exit codes of every tool. */
export const EXIT_CODES = {
    /** Everything passed. */
    ok: 0,
    /** A check failed, or a program or process failed. */
    failed: 1,
    /** A bad command line or an invalid config. */
    usage: 2,
} as const;

/** A command-line mistake; the tool prints it with its usage and exits 2. */
export class UsageError extends Error {}

/** One flag a tool accepts besides the shared ones. */
export interface FlagSpec {
    /** The long name without dashes, such as `json` for `--json`. */
    name: string;
    /** A one-letter alias without the dash, such as `j` for `-j`. Default none. */
    short?: string;
    /** Whether the flag takes a value (`--url <url>`); false for a switch such as `--json`. */
    takesValue: boolean;
    /** Whether the flag may be given more than once; otherwise a repeat is a usage error. Default false. */
    repeatable?: boolean;
}

/** One `--config key=value`, as given. */
export interface ConfigSetting {
    /** The key as given: `api-cluster:instanceCount`, or bare `instanceCount` (the project's namespace is added). */
    key: string;
    /** The value as given, a string. */
    value: string;
}

/** A parsed command line. */
export interface CommandLine {
    /** `--help` or `-h` was given: print the usage and exit 0, whatever else was given. */
    help: boolean;
    /** Every `--stack` given, in order. */
    stacks: string[];
    /** Every `--config key=value`, in order. */
    config: ConfigSetting[];
    /** `--config-path` was given: `--config` keys are paths into their key's object. */
    configPath: boolean;
    /** The tool's own flags: a switch maps to `["true"]`, a valued flag to its values in order. */
    flags: Map<string, string[]>;
}

/** The flags every tool shares. */
const SHARED_FLAGS: FlagSpec[] = [
    { name: "help", short: "h", takesValue: false },
    { name: "stack", short: "s", takesValue: true, repeatable: true },
    { name: "config", short: "c", takesValue: true, repeatable: true },
    { name: "config-path", takesValue: false },
];

/** Parses argv (without node and the script) against the shared flags plus `flags`; throws UsageError. */
export function parseCommandLine(argv: string[], flags: FlagSpec[]): CommandLine {
    const specs = [...SHARED_FLAGS, ...flags];
    const byArg = new Map<string, FlagSpec>();
    for (const spec of specs) {
        byArg.set(`--${spec.name}`, spec);
        if (spec.short) {
            byArg.set(`-${spec.short}`, spec);
        }
    }
    const values = new Map<string, string[]>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
        const name = equals > 0 ? arg.slice(0, equals) : arg;
        const spec = byArg.get(name);
        if (spec === undefined) {
            throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
        }
        let value = "true";
        if (spec.takesValue) {
            const next = equals > 0 ? arg.slice(equals + 1) : argv[++i];
            // The next argument is the value unless it is another flag: `--timeout -5` gives -5, for the
            // flag's own check to refuse by name, but `--url --stack dev` misses the URL.
            const isFlag = (candidate: string) => candidate.startsWith("--") || byArg.has(candidate);
            if (next === undefined || (equals < 0 && isFlag(next))) {
                throw new UsageError(`${name} needs a value`);
            }
            value = next;
        } else if (equals > 0) {
            throw new UsageError(`${name} takes no value`);
        }
        const seen = values.get(spec.name) ?? [];
        if (seen.length > 0 && !spec.repeatable) {
            throw new UsageError(`--${spec.name} may be given only once`);
        }
        values.set(spec.name, [...seen, value]);
    }
    const config = (values.get("config") ?? []).map((pair) => {
        const at = pair.indexOf("=");
        if (at <= 0) {
            throw new UsageError(`--config takes key=value; got ${JSON.stringify(pair)}`);
        }
        return { key: pair.slice(0, at), value: pair.slice(at + 1) };
    });
    const own = new Map([...values].filter(([name]) => !SHARED_FLAGS.some((shared) => shared.name === name)));
    return {
        help: values.has("help"),
        stacks: values.get("stack") ?? [],
        config,
        configPath: values.has("config-path"),
        flags: own,
    };
}

/** A config key with the project's namespace, as the Pulumi CLI adds it to a bare key. */
function namespaced(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** A value set through a path, typed as `pulumi config set --path` types it: booleans and integers, else a string. */
function pathValue(raw: string): unknown {
    if (raw === "true" || raw === "false") {
        return raw === "true";
    }
    return /^-?\d{1,15}$/.test(raw) ? Number(raw) : raw;
}

/** Splits `healthCheck.intervalSeconds` or `allowedCidrs[0]` into its steps: names and list indexes. */
function pathSteps(path: string): (string | number)[] {
    const steps: (string | number)[] = [];
    for (const part of path.split(".")) {
        const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
        if (match === null || (match[1] === "" && match[2] === "")) {
            throw new UsageError(`--config-path: ${JSON.stringify(path)} is not a path such as a.b.c or a[0]`);
        }
        if (match[1] !== "") {
            steps.push(match[1]);
        }
        steps.push(...[...match[2].matchAll(/\[(\d+)\]/g)].map((index) => Number(index[1])));
    }
    return steps;
}

/** Sets `value` at `steps` inside `root`, creating objects and lists on the way; returns the new root. */
function setAtPath(root: unknown, steps: (string | number)[], value: unknown, key: string): unknown {
    if (steps.length === 0) {
        return value;
    }
    const [step, ...rest] = steps;
    if (typeof step === "number") {
        const list = root === undefined ? [] : root;
        if (!Array.isArray(list) || step > list.length) {
            throw new UsageError(
                `--config-path: ${key} indexes ${step} past the end of a list of ${Array.isArray(list) ? list.length : 0}`,
            );
        }
        const copy = [...(list as unknown[])];
        copy[step] = setAtPath(copy[step], rest, value, key);
        return copy;
    }
    const object = root === undefined ? {} : root;
    if (typeof object !== "object" || object === null || Array.isArray(object)) {
        throw new UsageError(`--config-path: ${key} sets a field inside a value that is not an object`);
    }
    const record = object as Record<string, unknown>;
    return { ...record, [step]: setAtPath(record[step], rest, value, key) };
}

/**
 * Applies `--config` settings to a stack's config (full keys to the strings the CLI passes). Without
 * `configPath` each value replaces its key's as given; with it, each key is `namespace:path` and the
 * value lands inside the key's object or list, kept as JSON like every structured value.
 */
export function applyConfigSettings(
    project: string,
    config: Record<string, string>,
    settings: ConfigSetting[],
    configPath: boolean,
): Record<string, string> {
    const result = { ...config };
    for (const { key, value } of settings) {
        const full = namespaced(project, key);
        if (!configPath) {
            result[full] = value;
            continue;
        }
        const colon = full.indexOf(":");
        const [top, ...steps] = pathSteps(full.slice(colon + 1));
        const topKey = `${full.slice(0, colon + 1)}${String(top)}`;
        if (steps.length === 0) {
            result[topKey] = value;
            continue;
        }
        let current: unknown;
        if (result[topKey] !== undefined) {
            try {
                current = JSON.parse(result[topKey]);
            } catch {
                throw new UsageError(`--config-path: ${topKey} holds ${JSON.stringify(result[topKey])}, not an object or list`);
            }
        }
        result[topKey] = JSON.stringify(setAtPath(current, steps, pathValue(value), key));
    }
    return result;
}

/**
 * The config of `stack` as the program would receive it: Pulumi.yaml's declared values, then
 * Pulumi.<stack>.yaml's, then the command line's `--config` settings. Its `config` is the map
 * `readStackSettings` (components/config/stackConfig.ts) takes. Throws StackFileError for a
 * missing or malformed stack file, UsageError for a bad `--config-path` key.
 */
export function stackConfigFor(projectDir: string, stack: string, commandLine: CommandLine): StackConfig {
    const stackConfig = readStackConfig(projectDir, stack);
    const config = applyConfigSettings(stackConfig.project, stackConfig.config, commandLine.config, commandLine.configPath);
    const overridden = new Set(Object.keys(config).filter((key) => config[key] !== stackConfig.config[key]));
    return {
        ...stackConfig,
        config,
        placeholderKeys: stackConfig.placeholderKeys.filter((key) => !overridden.has(key)),
    };
}

/** The one value of a valued flag, or undefined when it was not given. */
export function flagValue(commandLine: CommandLine, name: string): string | undefined {
    return commandLine.flags.get(name)?.[0];
}

/** Whether a switch was given. */
export function flagGiven(commandLine: CommandLine, name: string): boolean {
    return commandLine.flags.has(name);
}
