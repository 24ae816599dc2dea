/**
 * `npm run rollout:wait -- --group <name> [--region <region>] [--since <ISO 8601 time>] [--timeout <seconds>] [--poll-interval <seconds>]`:
 * waits until the newest instance refresh of an Auto Scaling group is Successful. With `--since`,
 * refreshes that started before that time are ignored (they belong to an earlier update), so a
 * `pulumi up` that started none passes even after an earlier refresh failed. Shares the command
 * line of every tool (cli/stackCommandLine.ts). Exit codes (REFRESH_STATUSES in
 * instanceRefreshWait.ts): 0 rolled out (or no refresh to wait for); 1 the refresh ended Failed,
 * Cancelled, RollbackFailed or RollbackSuccessful (a rollback in progress is waited through), or
 * the time ran out; 2 a bad command line.
 */
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { EXIT_CODES, FlagSpec, UsageError, flagValue, parseCommandLine } from "../cli/stackCommandLine";
import { RolloutError, waitForInstanceRefresh } from "./instanceRefreshWait";

/** Seconds to wait by default: a refresh of a few instances with a JVM warmup, with margin. */
export const DEFAULT_TIMEOUT_SECONDS = 3600;
/** Seconds between polls by default. */
export const DEFAULT_POLL_SECONDS = 15;

/** The command line, parsed. */
export interface RolloutCliOptions {
    /** The Auto Scaling group's name. */
    groupName: string;
    /** The group's region; default the SDK's (AWS_REGION). */
    region?: string;
    /** Refreshes that started before this time are ignored; default none. */
    since?: Date;
    /** Give up after this many seconds. */
    timeoutSeconds: number;
    /** Seconds between two polls. */
    pollSeconds: number;
    /** Print the usage and exit 0. */
    help: boolean;
}

export const USAGE =
    "usage: npm run rollout:wait -- --group <auto-scaling-group-name> [--region <region>] [--since <ISO 8601 time>] " +
    `[--timeout <seconds, default ${DEFAULT_TIMEOUT_SECONDS}>] [--poll-interval <seconds, default ${DEFAULT_POLL_SECONDS}>]`;

/** The flags of `rollout:wait`, beside the shared ones (which it refuses: it reads no stack). */
const FLAGS: FlagSpec[] = [
    { name: "group", takesValue: true },
    { name: "region", takesValue: true },
    { name: "since", takesValue: true },
    { name: "timeout", takesValue: true },
    { name: "poll-interval", takesValue: true },
];

/** A date and time with seconds and an explicit zone: `2026-12-01T14:05:09Z`, `2026-12-01T15:05:09.250+01:00`. */
const ISO_8601_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A positive whole number of seconds. */
function seconds(flag: string, text: string | undefined, fallback: number): number {
    if (text === undefined) {
        return fallback;
    }
    if (!/^[1-9]\d*$/.test(text)) {
        throw new UsageError(`${flag} takes a whole number of seconds above 0; got ${JSON.stringify(text)}`);
    }
    return Number(text);
}

/** An ISO 8601 date and time with its zone, as `date -u +%Y-%m-%dT%H:%M:%SZ` prints it. */
function instant(text: string | undefined): Date | undefined {
    if (text === undefined) {
        return undefined;
    }
    const time = Date.parse(text);
    if (!ISO_8601_INSTANT.test(text) || Number.isNaN(time)) {
        throw new UsageError(`--since takes an ISO 8601 time with a zone, such as 2026-12-01T14:05:09Z; got ${JSON.stringify(text)}`);
    }
    return new Date(time);
}

/** Parses argv (without node and the script); throws UsageError. */
export function parseRolloutArgs(argv: string[]): RolloutCliOptions {
    const commandLine = parseCommandLine(argv, FLAGS);
    const timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    const pollSeconds = DEFAULT_POLL_SECONDS;
    if (commandLine.help) {
        return { groupName: "", timeoutSeconds, pollSeconds, help: true };
    }
    if (commandLine.stacks.length > 0 || commandLine.config.length > 0 || commandLine.configPath) {
        throw new UsageError("--stack, --config and --config-path do not apply to rollout:wait: give the group's name with --group");
    }
    const groupName = flagValue(commandLine, "group");
    if (groupName === undefined) {
        throw new UsageError("--group is required");
    }
    const region = flagValue(commandLine, "region");
    for (const [flag, value] of [
        ["--group", groupName],
        ["--region", region],
    ]) {
        if (value === "") {
            throw new UsageError(`${flag} needs a value`);
        }
    }
    const since = instant(flagValue(commandLine, "since"));
    return {
        groupName,
        ...(region !== undefined ? { region } : {}),
        ...(since !== undefined ? { since } : {}),
        timeoutSeconds: seconds("--timeout", flagValue(commandLine, "timeout"), timeoutSeconds),
        pollSeconds: seconds("--poll-interval", flagValue(commandLine, "poll-interval"), pollSeconds),
        help: false,
    };
}

/** Runs the command; resolves to the exit code. Output goes to `out`, errors to `err`, one line each. */
export async function runRolloutCli(
    argv: string[],
    clientFor: (region: string | undefined) => AutoScalingClient = (region) => new AutoScalingClient(region ? { region } : {}),
    out: (line: string) => void = (line) => console.log(line),
    err: (line: string) => void = (line) => console.error(line),
): Promise<number> {
    let options: RolloutCliOptions;
    try {
        options = parseRolloutArgs(argv);
    } catch (error) {
        if (error instanceof UsageError) {
            err(`error: ${error.message}`);
            err(USAGE);
            return EXIT_CODES.usage;
        }
        throw error;
    }
    if (options.help) {
        out(USAGE);
        return EXIT_CODES.ok;
    }
    try {
        const result = await waitForInstanceRefresh(clientFor(options.region), options, undefined, out);
        out(result.summary);
        return EXIT_CODES.ok;
    } catch (error) {
        const message =
            error instanceof RolloutError ? error.message : `could not read the instance refreshes: ${(error as Error).message ?? error}`;
        err(`error: ${message}`);
        return EXIT_CODES.failed;
    }
}

if (require.main === module) {
    runRolloutCli(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
            process.exitCode = EXIT_CODES.failed;
        },
    );
}
