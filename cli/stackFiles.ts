/**
 * Reads a stack's config the way the Pulumi CLI assembles it: the project's declared defaults and
 * values from Pulumi.yaml, overlaid by Pulumi.<stack>.yaml. Values become the strings the CLI
 * passes to a program (objects and lists as JSON). A `secure:` value cannot be decrypted offline:
 * it becomes a placeholder that stays marked secret.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { nearestKnown } from "../components/config/valueCheck";

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

/** Reads and parses a YAML file into a map, with a clear error naming the file when it is missing, not YAML or not a map. */
function readYamlMap(file: string): YamlMap {
    if (!fs.existsSync(file)) {
        throw new StackFileError(`${file} does not exist`);
    }
    let parsed: unknown;
    try {
        parsed = parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        // The yaml package's message names the problem, the line and the column, then quotes the line.
        const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
        throw new StackFileError(`${file} is not valid YAML: ${reason}`);
    }
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

/**
 * The project folder a tool started in `start` works on: the nearest folder from `start` upwards
 * that holds a Pulumi.yaml, as the Pulumi CLI finds its project. Throws StackFileError when none does.
 */
export function findProjectDir(start: string): string {
    for (let directory = path.resolve(start); ; directory = path.dirname(directory)) {
        if (fs.existsSync(path.join(directory, "Pulumi.yaml"))) {
            return directory;
        }
        if (path.dirname(directory) === directory) {
            throw new StackFileError(
                `no Pulumi.yaml in ${path.resolve(start)} or any folder above it: run the command in a Pulumi project`,
            );
        }
    }
}

/**
 * The program's entry of the project in `projectDir`, as the Pulumi CLI runs it: Pulumi.yaml's
 * `main` (a file, or a folder whose package.json or index.ts Node finds), else the folder itself.
 */
export function projectProgram(projectDir: string): string {
    const main = readYamlMap(path.join(projectDir, "Pulumi.yaml")).main;
    return path.resolve(projectDir, typeof main === "string" ? main : ".");
}

/** The error for a stack without a file: names the file, says which stacks there are, and the nearest one. */
function missingStackError(projectDir: string, stack: string, file: string): StackFileError {
    const stacks = listStacks(projectDir);
    const near = nearestKnown(stack, stacks);
    const known =
        stacks.length === 0
            ? `${projectDir} has no stack files (Pulumi.<stack>.yaml)`
            : `the stacks here are ${stacks.join(", ")}${near === undefined ? "" : `; did you mean ${near}?`}`;
    return new StackFileError(`${file} does not exist: ${known}`);
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

    const stackPath = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackPath)) {
        throw missingStackError(projectDir, stack, stackPath);
    }
    const stackFile = readYamlMap(stackPath);
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
