/**
 * `npm run app:build -- --stack <name> [--config key=value]... [--config-path] [--out <file>]`: builds the stack's
 * `api-cluster:app` on this machine with the same script the bake runs, writes the jar and prints
 * its path. The stack's config is read and validated exactly as the program reads it. Exit codes:
 * 0 built; 1 the build failed; 2 a usage or config error. Errors are one line on stderr.
 */
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

const USAGE =
    "usage: npm run app:build -- --stack <name> [--config key=value]... [--config-path] [--out <file>]\n" +
    "  Builds the stack's api-cluster:app (a Maven project or a jar) into a runnable jar, as the image bake does,\n" +
    `  and prints its path. Default --out: ${BUILD_OUTPUT_DIRECTORY}/<stack>/api-server.jar. Extra Maven arguments come from API_CLUSTER_MAVEN_ARGS.`;

/** app:build's own flag, beside the shared ones (cli/stackCommandLine.ts). */
const FLAGS: FlagSpec[] = [{ name: "out", short: "o", takesValue: true }];

/** Runs the command line; returns the exit code. */
export function main(argv: string[], projectDir: string = PROJECT_DIR): number {
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
    try {
        const { settings } = readStackSettings(stackConfigFor(projectDir, stack, commandLine).config);
        const outFlag = flagValue(commandLine, "out");
        const out = outFlag !== undefined ? path.resolve(outFlag) : path.join(projectDir, BUILD_OUTPUT_DIRECTORY, stack, "api-server.jar");
        const jar = buildApp(settings.app, { projectDir, out });
        process.stdout.write(`${jar}\n`);
        return EXIT_CODES.ok;
    } catch (err) {
        if (err instanceof SettingsError) {
            process.stderr.write(`error: stack ${stack}: ${err.problems.join("; ")}\n`);
            return EXIT_CODES.usage;
        }
        if (err instanceof StackFileError || err instanceof UsageError) {
            process.stderr.write(`error: stack ${stack}: ${err.message}\n`);
            return EXIT_CODES.usage;
        }
        if (err instanceof AppBuildError) {
            process.stderr.write(`error: stack ${stack}: ${err.message}\n`);
            return EXIT_CODES.failed;
        }
        throw err;
    }
}

/** Exit codes for a build stopped by a signal: 128 plus the signal's number, as a shell reports it. */
const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

if (require.main === module) {
    // Ctrl-C reaches Maven too (the terminal signals the whole process group). Handling the signals
    // here keeps this process alive until the build has stopped and its temporary folder is removed.
    let stoppedBy: NodeJS.Signals | undefined;
    for (const signal of Object.keys(SIGNAL_EXIT_CODES) as NodeJS.Signals[]) {
        process.on(signal, () => (stoppedBy = signal));
    }
    try {
        process.exitCode = main(process.argv.slice(2));
    } catch (err) {
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
    }
    // A signal that arrived while the build ran is dispatched on the event loop's next turn.
    setImmediate(() => {
        if (stoppedBy !== undefined) {
            process.stderr.write(`error: stopped by ${stoppedBy}\n`);
            process.exitCode = SIGNAL_EXIT_CODES[stoppedBy];
        }
    });
}
