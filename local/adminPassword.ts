/**
 * The admin password of `npm run local`, never from its command line (`ps` shows a process's
 * arguments to every user of the machine): from the file `--admin-password-file` names, from
 * stdin with `--admin-password-stdin`, from a plain `api-cluster:adminPassword` in the stack file,
 * from the environment variable ADMIN_PASSWORD (the one `npm run smoke` reads), or else a generated
 * one that the command prints once. `--config api-cluster:adminPassword=…` is refused.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import { ConfigSetting } from "../cli/stackCommandLine";
import { CONFIG_NAMESPACE, passwordProblems } from "../components/config/stackConfig";

/** The config key of the admin password. */
export const ADMIN_PASSWORD_KEY = `${CONFIG_NAMESPACE}:adminPassword`;

/** The environment variable `local` and `smoke` read the admin password from. */
export const ADMIN_PASSWORD_ENV = "ADMIN_PASSWORD";

/** The flag naming a file that holds the password. */
export const PASSWORD_FILE_FLAG = "admin-password-file";

/** The flag that reads the password from stdin. */
export const PASSWORD_STDIN_FLAG = "admin-password-stdin";

/** Where the admin password came from. */
export const PasswordSource = {
    /** The file of `--admin-password-file`. */
    file: "file",
    /** Stdin, with `--admin-password-stdin`. */
    stdin: "stdin",
    /** A plain `api-cluster:adminPassword` in the stack file. */
    config: "config",
    /** The ADMIN_PASSWORD environment variable. */
    environment: "environment",
    /** Generated for this run: the command prints it once. */
    generated: "generated",
} as const;

/** One of PasswordSource's values. */
export type PasswordSource = (typeof PasswordSource)[keyof typeof PasswordSource];

/** The admin password and where it came from. */
export interface AdminPassword {
    /** The password. */
    password: string;
    /** Where it came from. */
    source: PasswordSource;
}

/** A password `local` refuses, or cannot read: it exits 2 with the message, which never quotes the password. */
export class AdminPasswordError extends Error {}

/** The one-line refusal of `--config api-cluster:adminPassword=…`; undefined when no `--config` sets the password. */
export function passwordOnCommandLineProblem(settings: readonly ConfigSetting[]): string | undefined {
    const given = settings.find(({ key }) => {
        const full = key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`;
        return full === ADMIN_PASSWORD_KEY || full.startsWith(`${ADMIN_PASSWORD_KEY}.`) || full.startsWith(`${ADMIN_PASSWORD_KEY}[`);
    });
    if (given === undefined) {
        return undefined;
    }
    return (
        `--config ${given.key} puts the admin password on the command line, where ps shows it to every user of this machine; ` +
        `give it with --${PASSWORD_FILE_FLAG} <path>, --${PASSWORD_STDIN_FLAG}, or ${ADMIN_PASSWORD_ENV} in the environment`
    );
}

/** The text of a password file or stdin without its one trailing newline (`echo`, editors), checked by the config's rule. */
function passwordFromText(text: string, source: string): string {
    const password = text.replace(/\r?\n$/, "");
    const [problem] = passwordProblems(password, source);
    if (problem !== undefined) {
        throw new AdminPasswordError(problem);
    }
    return password;
}

/** A password read from a file, and a warning when others than its owner may read the file. */
export interface PasswordFile {
    /** The password. */
    password: string;
    /** A one-line warning about the file's mode, or undefined. */
    warning?: string;
}

/**
 * Reads `--admin-password-file <path>`. A file that its group or other users may read is used,
 * with a warning (ssh refuses such a key file; here the password is a local test one, and the
 * warning says how to fix it).
 */
export function readPasswordFile(file: string): PasswordFile {
    let text: string;
    let mode: number;
    try {
        mode = fs.statSync(file).mode & 0o777;
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new AdminPasswordError(`--${PASSWORD_FILE_FLAG} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const password = passwordFromText(text, `the file of --${PASSWORD_FILE_FLAG}`);
    const warning =
        (mode & 0o077) !== 0
            ? `warning: ${file} is readable by others than its owner (mode ${mode.toString(8).padStart(4, "0")}); chmod 600 ${file}`
            : undefined;
    return { password, warning };
}

/** Reads `--admin-password-stdin`: all of stdin, which must be a pipe or a file, not a terminal (it would echo). */
export async function readPasswordStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
    if (stdin.isTTY) {
        throw new AdminPasswordError(
            `--${PASSWORD_STDIN_FLAG} reads a pipe, not a terminal: e.g. pass show api-cluster | npm run local -- --${PASSWORD_STDIN_FLAG} …`,
        );
    }
    let text = "";
    for await (const chunk of stdin) {
        text += (chunk as Buffer).toString();
    }
    return passwordFromText(text, `the stdin of --${PASSWORD_STDIN_FLAG}`);
}

/**
 * Picks the admin password: `supplied` (a file or stdin) when given; else the stack file's
 * `api-cluster:adminPassword` unless it is a `secure:` placeholder (listed in `placeholderKeys`; it
 * cannot be decrypted here); else a non-empty `env.ADMIN_PASSWORD`, checked by the config's own rule;
 * else 24 random characters.
 */
export function chooseAdminPassword(
    config: Record<string, string>,
    placeholderKeys: readonly string[],
    env: NodeJS.ProcessEnv = process.env,
    supplied?: AdminPassword,
): AdminPassword {
    if (supplied !== undefined) {
        return supplied;
    }
    const configured = placeholderKeys.includes(ADMIN_PASSWORD_KEY) ? undefined : config[ADMIN_PASSWORD_KEY];
    if (configured !== undefined) {
        return { password: configured, source: PasswordSource.config };
    }
    const fromEnv = env[ADMIN_PASSWORD_ENV];
    if (fromEnv !== undefined && fromEnv !== "") {
        const [problem] = passwordProblems(fromEnv, ADMIN_PASSWORD_ENV);
        if (problem !== undefined) {
            throw new AdminPasswordError(problem);
        }
        return { password: fromEnv, source: PasswordSource.environment };
    }
    return { password: crypto.randomBytes(18).toString("base64url"), source: PasswordSource.generated };
}
