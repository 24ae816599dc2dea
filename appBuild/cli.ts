/**
 * `npm run app:build -- --stack <name> [--config key=value]... [--config-path] [--out <file>]`: builds the stack's
 * `api-cluster:app` on this machine with the same script the bake runs, writes the jar and prints
 * its path. The stack's config is read and validated exactly as the program reads it, and `--out`
 * is checked before anything is built. Exit codes: 0 built; 1 the build failed; 2 a usage or config
 * error. Errors are one line on stderr.
 */
import * as fs from "fs";
import * as path from "path";
import { readStackSettings } from "../components/config/stackConfig";
import { SettingsError } from "../components/config/validate";
import { CommandLine, EXIT_CODES, FlagSpec, UsageError, flagValue, parseCommandLine, stackConfigFor } from "../cli/stackCommandLine";
import { StackFileError } from "../cli/stackFiles";
import { AppBuildError, BUILD_OUTPUT_DIRECTORY, buildApp } from "../components/app/localBuild";

/** How `npm run app:build` starts this CLI from the repository's root (node, then these); the tests run exactly this. */
export const APP_BUILD_NODE_ARGS = ["-r", "./preview/transpileCache.js", "appBuild/cli.ts"];

/** The repository's root: Pulumi.yaml and the stack files. */
const PROJECT_DIR = path.join(__dirname, "..");

/** The jar's name in its folder: under .build/<stack>/ by default, and in a folder given as --out. */
export const JAR_NAME = "api-server.jar";

const USAGE =
    "usage: npm run app:build -- --stack <name> [--config key=value]... [--config-path] [--out <file>]\n" +
    "  Builds the stack's api-cluster:app (a Maven project or a jar) into a runnable jar, as the image bake does,\n" +
    `  and prints its path. Default --out: ${BUILD_OUTPUT_DIRECTORY}/<stack>/${JAR_NAME}; an existing folder as --out gets ${JAR_NAME} in it,\n` +
    "  and a --out whose folder does not exist is refused. Extra Maven arguments come from API_CLUSTER_MAVEN_ARGS.";

/**
 * Where `--out` (taken from `cwd`) puts the jar, or the problem with it: an existing folder gets
 * JAR_NAME in it; anything else is a file path whose folder must exist (nothing is created, so a
 * typo in the folder is not built into a new tree).
 */
export function outPath(outFlag: string, cwd: string): { out: string } | { problem: string } {
    const given = path.resolve(cwd, outFlag);
    const stat = fs.statSync(given, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
        return { out: path.join(given, JAR_NAME) };
    }
    if (stat !== undefined && !stat.isFile()) {
        return { problem: `--out ${outFlag} is neither a folder nor a file (${given})` };
    }
    if (outFlag.endsWith("/") || outFlag.endsWith(path.sep)) {
        return { problem: `--out ${outFlag}: the folder ${given} does not exist; create it first` };
    }
    const folder = path.dirname(given);
    if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
        return { problem: `--out ${outFlag}: the folder ${folder} does not exist; create it first` };
    }
    return { out: given };
}

/** app:build's own flag, beside the shared ones (cli/stackCommandLine.ts). */
const FLAGS: FlagSpec[] = [{ name: "out", short: "o", takesValue: true }];

/** Runs the command line; resolves with the exit code. `abortSignal` stops the build (Ctrl-C). */
export async function main(argv: string[], projectDir: string = PROJECT_DIR, abortSignal?: AbortSignal): Promise<number> {
    let commandLine: CommandLine;
    try {
        commandLine = parseCommandLine(argv, FLAGS);
        if (!commandLine.help && commandLine.stacks.length !== 1) {
            throw new UsageError("give exactly one --stack");
        }
    } catch (err) {
        if (err instanceof UsageError) {
            process.stderr.write(`error: ${err.message} (see --help)\n`);
            return EXIT_CODES.usage;
        }
        throw err;
    }
    if (commandLine.help) {
        process.stdout.write(`${USAGE}\n`);
        return EXIT_CODES.ok;
    }
    const stack = commandLine.stacks[0];
    const outFlag = flagValue(commandLine, "out");
    const chosen =
        outFlag !== undefined ? outPath(outFlag, process.cwd()) : { out: path.join(projectDir, BUILD_OUTPUT_DIRECTORY, stack, JAR_NAME) };
    const outProblems = "problem" in chosen ? [chosen.problem] : [];
    try {
        const { settings } = readStackSettings(stackConfigFor(projectDir, stack, commandLine).config);
        if ("problem" in chosen) {
            throw new SettingsError([]);
        }
        if (outFlag === undefined) {
            // The default folder is ours to make; a folder the user names must exist (outPath).
            fs.mkdirSync(path.dirname(chosen.out), { recursive: true });
        }
        const jar = await buildApp(settings.app, { projectDir, out: chosen.out, abortSignal });
        process.stdout.write(`${jar}\n`);
        return EXIT_CODES.ok;
    } catch (err) {
        if (err instanceof SettingsError) {
            // Every problem at once: the stack's settings, the app's path, and --out.
            process.stderr.write(`error: stack ${stack}: ${[...err.problems, ...outProblems].join("; ")}\n`);
            return EXIT_CODES.usage;
        }
        if (err instanceof StackFileError || err instanceof UsageError) {
            process.stderr.write(`error: stack ${stack}: ${err.message}\n`);
            return EXIT_CODES.usage;
        }
        if (err instanceof AppBuildError) {
            if (abortSignal?.aborted) {
                // Stopped on request: the caller says so.
                return EXIT_CODES.failed;
            }
            process.stderr.write(`error: stack ${stack}: ${err.message}\n`);
            return EXIT_CODES.failed;
        }
        throw err;
    }
}

/** Exit codes for a build stopped by a signal: 128 plus the signal's number, as a shell reports it. */
const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

if (require.main === module) {
    // The build runs in its own process group: Ctrl-C (or SIGTERM) reaches this process, which stops
    // the build, waits until it has ended and its temporary folder is removed, then exits.
    let stoppedBy: NodeJS.Signals | undefined;
    const aborter = new AbortController();
    for (const signal of Object.keys(SIGNAL_EXIT_CODES) as NodeJS.Signals[]) {
        process.on(signal, () => {
            stoppedBy ??= signal;
            aborter.abort();
        });
    }
    main(process.argv.slice(2), PROJECT_DIR, aborter.signal).then(
        (code) => {
            if (stoppedBy !== undefined) {
                process.stderr.write(`error: stopped by ${stoppedBy}\n`);
                process.exitCode = SIGNAL_EXIT_CODES[stoppedBy];
                return;
            }
            process.exitCode = code;
        },
        (err: unknown) => {
            process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exitCode = 1;
        },
    );
}
