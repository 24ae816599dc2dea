/**
 * Reads a stack's config the way the Pulumi CLI assembles it: the project's declared defaults and
 * values from Pulumi.yaml, overlaid by Pulumi.<stack>.yaml. Values become the strings the CLI
 * passes to a program (objects and lists as JSON). A `secure:` value cannot be decrypted offline:
 * it becomes a placeholder that stays marked secret.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** The placeholder standing in for a `secure:` value offline; 32 characters, so it passes length rules. */
export const SECRET_PLACEHOLDER = "offline-preview-secret-000000000";

/** A stack's config, ready for the program. */
export interface StackConfig {
    /** The project's name, from Pulumi.yaml. */
    project: string;
    /** The stack's name. */
    stack: string;
    /** Full keys (`namespace:key`) to the strings the CLI would pass. */
    config: Record<string, string>;
    /** Keys whose values are secret. */
    secretKeys: string[];
    /** Keys whose `secure:` value was replaced by the placeholder. */
    placeholderKeys: string[];
}

/** Raised when a stack or project file is missing or malformed. */
export class StackFileError extends Error {}

type YamlMap = Record<string, unknown>;

/** Reads and parses a YAML file into a map, with a clear error when it is missing or not a map. */
function readYamlMap(file: string): YamlMap {
    if (!fs.existsSync(file)) {
        throw new StackFileError(`${file} does not exist`);
    }
    const parsed: unknown = parse(fs.readFileSync(file, "utf8"));
    if (parsed === null || parsed === undefined) {
        return {};
    }
    if (typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new StackFileError(`${file} must hold a YAML map`);
    }
    return parsed as YamlMap;
}

/** A config value as the CLI passes it: scalars as strings, objects and lists as JSON. */
function asConfigString(value: unknown): string {
    return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** Prefixes a bare key with the project's namespace, as the CLI does for project-level config. */
function fullKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** Stack names the repository has files for, from `Pulumi.<stack>.yaml` beside Pulumi.yaml. */
export function listStacks(projectDir: string): string[] {
    return fs
        .readdirSync(projectDir)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/** Assembles the config of `stack` from the files in `projectDir`. */
export function readStackConfig(projectDir: string, stack: string): StackConfig {
    const projectFile = readYamlMap(path.join(projectDir, "Pulumi.yaml"));
    const project = String(projectFile.name ?? "");
    if (!project) {
        throw new StackFileError(`${path.join(projectDir, "Pulumi.yaml")} has no project name`);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const placeholderKeys: string[] = [];

    for (const [key, declaration] of Object.entries((projectFile.config ?? {}) as YamlMap)) {
        const declared = (declaration ?? {}) as YamlMap;
        const value = typeof declaration === "object" && declaration !== null ? (declared.value ?? declared.default) : declaration;
        if (value !== undefined) {
            config[fullKey(project, key)] = asConfigString(value);
        }
    }

    const stackFile = readYamlMap(path.join(projectDir, `Pulumi.${stack}.yaml`));
    for (const [key, value] of Object.entries((stackFile.config ?? {}) as YamlMap)) {
        const name = fullKey(project, key);
        const secure = typeof value === "object" && value !== null && "secure" in value;
        if (secure) {
            config[name] = SECRET_PLACEHOLDER;
            secretKeys.push(name);
            placeholderKeys.push(name);
        } else {
            config[name] = asConfigString(value);
        }
    }
    return { project, stack, config, secretKeys, placeholderKeys };
}
