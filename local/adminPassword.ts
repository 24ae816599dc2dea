/**
 * The admin password of `npm run local`: the config's `api-cluster:adminPassword` (a `--config`
 * value, or a plain one in the stack file), else the environment variable ADMIN_PASSWORD (the one
 * `npm run smoke` reads), else a generated one that the command prints once. Taking it from the
 * environment keeps it out of the command line, where `ps` shows it to every user of the machine.
 */
import * as crypto from "crypto";
import { CONFIG_NAMESPACE, passwordProblems } from "../components/config/stackConfig";

/** The config key of the admin password. */
export const ADMIN_PASSWORD_KEY = `${CONFIG_NAMESPACE}:adminPassword`;

/** The environment variable `local` and `smoke` read the admin password from. */
export const ADMIN_PASSWORD_ENV = "ADMIN_PASSWORD";

/** Where the admin password came from. */
export const PasswordSource = {
    /** `api-cluster:adminPassword` in the config. */
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

/** An ADMIN_PASSWORD that the config would refuse: `local` exits 2 with the message. */
export class AdminPasswordError extends Error {}

/**
 * Picks the admin password: `config[api-cluster:adminPassword]` unless it is a `secure:`
 * placeholder (listed in `placeholderKeys`; it cannot be decrypted here), then a non-empty
 * `env.ADMIN_PASSWORD`, checked by the config's own rule, then 24 random characters.
 */
export function chooseAdminPassword(
    config: Record<string, string>,
    placeholderKeys: readonly string[],
    env: NodeJS.ProcessEnv = process.env,
): AdminPassword {
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
