/**
 * `npm run rollout:wait -- --group <name> [--region <region>] [--timeout <seconds>] [--poll-interval <seconds>]`:
 * waits until the newest instance refresh of an Auto Scaling group is Successful. Exit codes: 0
 * rolled out (or no refresh to wait for); 1 the refresh failed, was cancelled or rolled back, or
 * the time ran out; 2 a bad command line.
 */
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
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
    /** Give up after this many seconds. */
    timeoutSeconds: number;
    /** Seconds between two polls. */
    pollSeconds: number;
    /** Print the usage and exit 0. */
    help: boolean;
}

/** A command-line mistake. */
export class UsageError extends Error {}

export const USAGE =
    "usage: npm run rollout:wait -- --group <auto-scaling-group-name> [--region <region>] " +
    `[--timeout <seconds, default ${DEFAULT_TIMEOUT_SECONDS}>] [--poll-interval <seconds, default ${DEFAULT_POLL_SECONDS}>]`;

/** A positive whole number of seconds. */
function seconds(flag: string, text: string): number {
    if (!/^[1-9]\d*$/.test(text)) {
        throw new UsageError(`${flag} takes a whole number of seconds above 0; got ${JSON.stringify(text)}`);
    }
    return Number(text);
}

/** Parses argv (without node and the script). */
export function parseRolloutArgs(argv: string[]): RolloutCliOptions {
    const options: RolloutCliOptions = {
        groupName: "",
        timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
        pollSeconds: DEFAULT_POLL_SECONDS,
        help: false,
    };
    const value = (i: number, flag: string) => {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith("--") || next === "") {
            throw new UsageError(`${flag} needs a value`);
        }
        return next;
    };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--group") {
            options.groupName = value(i++, arg);
        } else if (arg === "--region") {
            options.region = value(i++, arg);
        } else if (arg === "--timeout") {
            options.timeoutSeconds = seconds(arg, value(i++, arg));
        } else if (arg === "--poll-interval") {
            options.pollSeconds = seconds(arg, value(i++, arg));
        } else if (arg === "--help" || arg === "-h") {
            options.help = true;
        } else {
            throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
        }
    }
    if (!options.help && options.groupName === "") {
        throw new UsageError("--group is required");
    }
    return options;
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
            return 2;
        }
        throw error;
    }
    if (options.help) {
        out(USAGE);
        return 0;
    }
    try {
        const result = await waitForInstanceRefresh(clientFor(options.region), options, undefined, out);
        out(result.summary);
        return 0;
    } catch (error) {
        const message =
            error instanceof RolloutError ? error.message : `could not read the instance refreshes: ${(error as Error).message ?? error}`;
        err(`error: ${message}`);
        return 1;
    }
}

if (require.main === module) {
    runRolloutCli(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
            process.exitCode = 1;
        },
    );
}
