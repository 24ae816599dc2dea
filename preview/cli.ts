/**
 * `npm run preview:offline -- --stack <name> [--json] [--config key=value]... [--config-path]
 * [--policy-pack-config [<stack>=]<file>]...`: the offline preview, with no Pulumi CLI, no cloud
 * credentials and no network. `--all-stacks` previews every Pulumi.<stack>.yaml in turn, each with its
 * policy group's config (`--policy-pack-config dev=policy-pack/config.dev.json`). The flags follow the shared
 * conventions of cli/stackCommandLine.ts (`--help`, `--config-path`). Exit codes: 0 clean; 1 a
 * program error or a mandatory policy violation; 2 a config error or a bad command line.
 */
import * as path from "path";
import { SettingsError } from "../components/config/validate";
import { OfflinePreviewResult, PROJECT_DIR, offlinePreview } from "./offlinePreview";
import { loadPolicyAnalyzer } from "./policyAnalyzer";
import { renderPlan } from "./plan";
import { StackFileError, listStacks } from "../cli/stackFiles";
import {
    CommandLine,
    EXIT_CODES,
    FlagSpec,
    UsageError,
    flagGiven,
    flagValue,
    parseCommandLine,
    stackConfigFor,
} from "../cli/stackCommandLine";
import { exitWhenWritten } from "../cli/exitWhenWritten";

/** The command line, parsed. */
interface CliOptions {
    /** Print the usage and exit 0. */
    help: boolean;
    stacks: string[];
    json: boolean;
    /** The shared command line: `--config key=value` settings and `--config-path`, as `pulumi preview` takes them. */
    commandLine: CommandLine;
    program?: string;
    /** The policy pack config file for each stack, from `--policy-pack-config [<stack>=]<file>`. */
    policyConfigFileFor: (stack: string) => string | undefined;
}

const USAGE =
    "usage: npm run preview:offline -- --stack <name> [--json] [--config key=value]... [--config-path] [--policy-pack-config [<stack>=]<file>]... [--program <file>]\n" +
    "       npm run preview:offline -- --all-stacks [--json] [--config key=value]... [--config-path] [--policy-pack-config [<stack>=]<file>]...\n" +
    "       npm run preview:offline -- --help";

/** The preview's own flags, beside the shared --help, --stack, --config and --config-path. */
const FLAGS: FlagSpec[] = [
    { name: "all-stacks", takesValue: false },
    { name: "json", short: "j", takesValue: false },
    { name: "program", takesValue: true },
    { name: "policy-pack-config", takesValue: true, repeatable: true },
];

/**
 * The policy pack config file of each stack. `--policy-pack-config <file>` applies to every stack, and
 * `--policy-pack-config <stack>=<file>` to that stack only, as Pulumi Cloud applies one config per
 * policy group (policy-pack/policyGroups.json); each may be given once.
 */
function policyConfigFiles(values: readonly string[]): (stack: string) => string | undefined {
    const byStack = new Map<string, string>();
    let all: string | undefined;
    for (const value of values) {
        const match = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(value);
        const [stack, file] = match ? [match[1], match[2]] : [undefined, value];
        if (stack === undefined ? all !== undefined : byStack.has(stack)) {
            throw new UsageError(`--policy-pack-config${stack === undefined ? "" : ` ${stack}=`} is given twice`);
        }
        if (stack === undefined) {
            all = path.resolve(file);
        } else {
            byStack.set(stack, path.resolve(file));
        }
    }
    return (stack) => byStack.get(stack) ?? all;
}

/** Parses argv (without node and the script). */
export function parseArgs(argv: string[]): CliOptions {
    const commandLine = parseCommandLine(argv, FLAGS);
    const stacks = [...commandLine.stacks, ...(flagGiven(commandLine, "all-stacks") ? listStacks(PROJECT_DIR) : [])];
    const program = flagValue(commandLine, "program");
    const policyConfigFileFor = policyConfigFiles(commandLine.flags.get("policy-pack-config") ?? []);
    if (!commandLine.help && stacks.length === 0) {
        throw new UsageError("--stack is required");
    }
    return {
        help: commandLine.help,
        stacks,
        json: flagGiven(commandLine, "json"),
        commandLine,
        program: program === undefined ? undefined : path.resolve(program),
        policyConfigFileFor,
    };
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

/**
 * A program error's message as the user should read it: without the `error serializing property "…": `
 * prefixes the SDK adds for each property it was serializing when an Output failed (a lookup, a mock,
 * a deploy-time check), since a failure deep in the resource graph would otherwise carry a dozen of
 * them. @pulumi/pulumi 3.270 (runtime/rpc.js, serializeProperties) prefixes the same Error's message
 * once per property, outermost last, so they all lead the message.
 */
export function withoutSerializationChain(message: string): string {
    return message.replace(/^(error serializing property "[^"]*": )+/, "");
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
    let options: CliOptions;
    try {
        options = parseArgs(argv);
    } catch (err) {
        if (err instanceof UsageError || err instanceof StackFileError) {
            process.stderr.write(`error: ${err.message}\n${USAGE}\n`);
            return EXIT_CODES.usage;
        }
        throw err;
    }
    if (options.help) {
        process.stdout.write(`${USAGE}\n`);
        return EXIT_CODES.ok;
    }
    let exitCode = 0;
    const reports: object[] = [];
    for (const stack of options.stacks) {
        try {
            const result = await offlinePreview({
                stack,
                program: options.program,
                policyConfigFile: options.policyConfigFileFor(stack),
                configOverrides: stackConfigFor(PROJECT_DIR, stack, options.commandLine).config,
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
            const configMistake = err instanceof SettingsError || err instanceof StackFileError || err instanceof UsageError;
            const message = withoutSerializationChain(err instanceof Error ? err.message : String(err));
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
        (code) => exitWhenWritten(code),
        (err: unknown) => {
            process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
            exitWhenWritten(EXIT_CODES.failed);
        },
    );
}
