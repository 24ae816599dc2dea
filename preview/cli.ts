/**
 * `npm run preview:offline -- --stack <name> [--json] [--config key=value]... [--config-path]
 * [--policy-pack-config [<stack>=]<file>]...`: the offline preview, with no Pulumi CLI, no cloud
 * credentials and no network. `--all-stacks` previews every Pulumi.<stack>.yaml in turn, each with its
 * policy group's config (`--policy-pack-config dev=policy-pack/config.dev.json`). The flags follow the shared
 * conventions of cli/stackCommandLine.ts (`--help`, `--config-path`). The project is the nearest
 * Pulumi.yaml from the working directory (`--cwd`/`-C <folder>`, as `pulumi -C`): a consumer's
 * program previews from its own folder with its own project name and stack files. Exit codes: 0
 * clean; 1 a program error or a mandatory policy violation; 2 a config error, a duplicate URN or a
 * bad command line.
 */
import * as fs from "fs";
import * as path from "path";
import { SettingsError } from "../components/config/validate";
import { OfflinePreviewResult, offlinePreview } from "./offlinePreview";
import { loadPolicyAnalyzer } from "./policyAnalyzer";
import { renderPlan } from "./plan";
import { DuplicateUrnError } from "./runUnderMocks";
import { StackFileError, findProjectDir, listStacks } from "../cli/stackFiles";
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
    /**
     * The project previewed: the nearest folder holding a Pulumi.yaml from the folder the command
     * runs in (`--cwd`, else the working directory), as the Pulumi CLI finds its project. Its
     * Pulumi.yaml gives the project name and the program, its Pulumi.<stack>.yaml files the stacks.
     */
    projectDir: string;
    /** The program's entry module from `--program`; default the project's (Pulumi.yaml's `main`). */
    program?: string;
    /** The policy pack config file for each stack, from `--policy-pack-config [<stack>=]<file>`. */
    policyConfigFileFor: (stack: string) => string | undefined;
}

const USAGE =
    "usage: npm run preview:offline -- --stack <name> [--json] [--config key=value]... [--config-path] [--policy-pack-config [<stack>=]<file>]... [--program <file>] [--cwd <folder>]\n" +
    "       npm run preview:offline -- --all-stacks [--json] [--config key=value]... [--config-path] [--policy-pack-config [<stack>=]<file>]... [--program <file>] [--cwd <folder>]\n" +
    "       npm run preview:offline -- --help\n" +
    "Previews the project of the nearest Pulumi.yaml from the working directory (or --cwd): its name, its program (main) and its Pulumi.<stack>.yaml files.";

/** The preview's own flags, beside the shared --help, --stack, --config and --config-path. */
const FLAGS: FlagSpec[] = [
    { name: "all-stacks", takesValue: false },
    { name: "json", short: "j", takesValue: false },
    { name: "program", takesValue: true },
    { name: "policy-pack-config", takesValue: true, repeatable: true },
    { name: "cwd", short: "C", takesValue: true },
];

/**
 * The policy pack config file of each stack. `--policy-pack-config <file>` applies to every stack, and
 * `--policy-pack-config <stack>=<file>` to that stack only, as Pulumi Cloud applies one config per
 * policy group (policy-pack/policyGroups.json); each may be given once.
 */
function policyConfigFiles(values: readonly string[], base: string): (stack: string) => string | undefined {
    const byStack = new Map<string, string>();
    let all: string | undefined;
    for (const value of values) {
        const match = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(value);
        const [stack, file] = match ? [match[1], match[2]] : [undefined, value];
        if (stack === undefined ? all !== undefined : byStack.has(stack)) {
            throw new UsageError(`--policy-pack-config${stack === undefined ? "" : ` ${stack}=`} is given twice`);
        }
        const resolved = path.resolve(base, file);
        if (stack === undefined) {
            all = resolved;
        } else {
            byStack.set(stack, resolved);
        }
    }
    const problems = [...(all === undefined ? [] : [all]), ...byStack.values()].flatMap((file) => jsonFileProblem(file) ?? []);
    if (problems.length > 0) {
        throw new UsageError(`--policy-pack-config: ${problems.join("; ")}`);
    }
    return (stack) => byStack.get(stack) ?? all;
}

/** What is wrong with a policy pack config file, or undefined when it is a readable JSON file. */
function jsonFileProblem(file: string): string | undefined {
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
        return `${file} does not exist or is not a file`;
    }
    try {
        JSON.parse(fs.readFileSync(file, "utf8"));
        return undefined;
    } catch (err) {
        return `${file} is not JSON: ${(err as Error).message}`;
    }
}

/** The `--program` module resolved from `base`; throws UsageError when Node cannot find it. */
function programModule(program: string, base: string): string {
    const resolved = path.resolve(base, program);
    try {
        return require.resolve(resolved);
    } catch {
        throw new UsageError(`--program ${program}: ${resolved} does not exist (give the program's entry file, such as index.ts)`);
    }
}

/** Parses argv (without node and the script). */
export function parseArgs(argv: string[]): CliOptions {
    const commandLine = parseCommandLine(argv, FLAGS);
    if (commandLine.help) {
        return { help: true, stacks: [], json: false, commandLine, projectDir: "", policyConfigFileFor: () => undefined };
    }
    const cwd = flagValue(commandLine, "cwd");
    const start = path.resolve(cwd ?? ".");
    if (cwd !== undefined && !fs.statSync(start, { throwIfNoEntry: false })?.isDirectory()) {
        throw new UsageError(`--cwd ${cwd}: ${start} is not a folder`);
    }
    const projectDir = findProjectDir(start);
    const stacks = [...commandLine.stacks, ...(flagGiven(commandLine, "all-stacks") ? listStacks(projectDir) : [])];
    const program = flagValue(commandLine, "program");
    const policyConfigFileFor = policyConfigFiles(commandLine.flags.get("policy-pack-config") ?? [], start);
    if (stacks.length === 0) {
        throw new UsageError(
            flagGiven(commandLine, "all-stacks")
                ? `--all-stacks: ${projectDir} has no stack files (Pulumi.<stack>.yaml)`
                : "--stack is required",
        );
    }
    return {
        help: false,
        stacks,
        json: flagGiven(commandLine, "json"),
        commandLine,
        projectDir,
        program: program === undefined ? undefined : programModule(program, start),
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
    // The program runs in its project's folder, as the Pulumi CLI runs it: relative paths in it
    // (app.path) are taken from there.
    process.chdir(options.projectDir);
    let exitCode = 0;
    const reports: object[] = [];
    for (const stack of options.stacks) {
        try {
            const result = await offlinePreview({
                stack,
                projectDir: options.projectDir,
                program: options.program,
                policyConfigFile: options.policyConfigFileFor(stack),
                configOverrides: stackConfigFor(options.projectDir, stack, options.commandLine).config,
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
            const configMistake =
                err instanceof SettingsError ||
                err instanceof StackFileError ||
                err instanceof UsageError ||
                err instanceof DuplicateUrnError;
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
