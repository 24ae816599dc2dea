/**
 * `npm run preview:offline -- --stack <name> [--json] [--policy-pack-config <file>]`: the offline
 * preview, with no Pulumi CLI, no cloud credentials and no network. `--all-stacks` previews every
 * Pulumi.<stack>.yaml in turn. Exit codes: 0 clean; 1 a program error or a mandatory policy
 * violation; 2 a config error or a bad command line.
 */
import * as path from "path";
import { SettingsError } from "../components/config/validate";
import { OfflinePreviewResult, PROJECT_DIR, offlinePreview } from "./offlinePreview";
import { loadPolicyAnalyzer } from "./policyAnalyzer";
import { renderPlan } from "./plan";
import { StackFileError, listStacks } from "./stackFiles";

/** The command line, parsed. */
interface CliOptions {
    stacks: string[];
    json: boolean;
    /** Config overrides from `--config key=value`, as `pulumi preview --config` takes them. */
    configOverrides: Record<string, string>;
    program?: string;
    policyConfigFile?: string;
}

/** A command-line mistake. */
class UsageError extends Error {}

const USAGE =
    "usage: npm run preview:offline -- --stack <name> [--json] [--config key=value]... [--policy-pack-config <file>] [--program <file>]\n" +
    "       npm run preview:offline -- --all-stacks [--json] [--policy-pack-config <file>]";

/** Parses argv (without node and the script). */
export function parseArgs(argv: string[]): CliOptions {
    const options: CliOptions = { stacks: [], json: false, configOverrides: {} };
    const value = (i: number, flag: string) => {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith("--")) {
            throw new UsageError(`${flag} needs a value`);
        }
        return next;
    };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--stack" || arg === "-s") {
            options.stacks.push(value(i++, arg));
        } else if (arg === "--all-stacks") {
            options.stacks.push(...listStacks(PROJECT_DIR));
        } else if (arg === "--json" || arg === "-j") {
            options.json = true;
        } else if (arg === "--config" || arg === "-c") {
            const pair = value(i++, arg);
            const at = pair.indexOf("=");
            if (at <= 0) {
                throw new UsageError(`${arg} takes key=value; got ${JSON.stringify(pair)}`);
            }
            options.configOverrides[pair.slice(0, at)] = pair.slice(at + 1);
        } else if (arg === "--program") {
            options.program = path.resolve(value(i++, arg));
        } else if (arg === "--policy-pack-config") {
            options.policyConfigFile = path.resolve(value(i++, arg));
        } else {
            throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
        }
    }
    if (options.stacks.length === 0) {
        throw new UsageError("--stack is required");
    }
    return options;
}

/** The human report of one stack: the plan tree, the secret note and the policy section. */
export function renderResult(result: OfflinePreviewResult): string {
    const notes = result.placeholderKeys.map(
        (key) => `note: ${key} is a secure value that cannot be decrypted offline; a placeholder stands in for it, still marked secret`,
    );
    const policies = loadPolicyAnalyzer().renderViolations(result.policyViolations);
    return [renderPlan(result.plan, result.stack), ...(notes.length ? ["", ...notes] : []), "", policies].join("\n");
}

/** The JSON report of one stack, shaped like `pulumi preview --json` plus `policyViolations`. */
function jsonResult(result: OfflinePreviewResult): object {
    return {
        stack: result.stack,
        steps: result.plan.steps,
        changeSummary: result.plan.changeSummary,
        outputs: result.plan.outputs,
        secretPlaceholders: result.placeholderKeys,
        policyViolations: result.policyViolations,
    };
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
    let options: CliOptions;
    try {
        options = parseArgs(argv);
    } catch (err) {
        if (err instanceof UsageError || err instanceof StackFileError) {
            process.stderr.write(`error: ${err.message}\n${USAGE}\n`);
            return 2;
        }
        throw err;
    }
    let exitCode = 0;
    const reports: object[] = [];
    for (const stack of options.stacks) {
        try {
            const result = await offlinePreview({
                stack,
                program: options.program,
                policyConfigFile: options.policyConfigFile,
                configOverrides: options.configOverrides,
            });
            if (result.policyViolations.some((violation) => violation.enforcementLevel === "mandatory")) {
                exitCode = Math.max(exitCode, 1);
            }
            if (options.json) {
                reports.push(jsonResult(result));
            } else {
                process.stdout.write(`${renderResult(result)}\n\n`);
            }
        } catch (err) {
            const configMistake = err instanceof SettingsError || err instanceof StackFileError;
            const message = err instanceof Error ? err.message : String(err);
            process.stderr.write(`error: stack ${stack}: ${message}\n`);
            exitCode = configMistake ? 2 : Math.max(exitCode, 1);
        }
    }
    if (options.json) {
        process.stdout.write(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
    }
    return exitCode;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err: unknown) => {
            process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exit(1);
        },
    );
}
