/**
 * `npm run app:build -- --stack <name> [--config key=value]... [--out <file>]`: builds the stack's
 * `api-cluster:app` on this machine with the same script the bake runs, writes the jar and prints
 * its path. The stack's config is read and validated exactly as the program reads it. Exit codes:
 * 0 built; 1 the build failed; 2 a usage or config error. Errors are one line on stderr.
 */
import * as path from "path";
import { readStackSettings } from "../config/stackConfig";
import { SettingsError } from "../config/validate";
import { StackFileError, readStackConfig } from "../../preview/stackFiles";
import { AppBuildError, BUILD_OUTPUT_DIRECTORY, buildApp } from "./localBuild";

/** How `npm run app:build` starts this CLI from the repository's root (node, then these); the tests run exactly this. */
export const APP_BUILD_NODE_ARGS = ["-r", "./preview/transpileCache.js", "components/app/cli.ts"];

/** The repository's root: Pulumi.yaml and the stack files. */
const PROJECT_DIR = path.join(__dirname, "..", "..");

const USAGE =
    "usage: npm run app:build -- --stack <name> [--config key=value]... [--out <file>]\n" +
    "  Builds the stack's api-cluster:app (a Maven project or a jar) into a runnable jar, as the image bake does,\n" +
    `  and prints its path. Default --out: ${BUILD_OUTPUT_DIRECTORY}/<stack>/api-server.jar. Extra Maven arguments come from API_CLUSTER_MAVEN_ARGS.`;

/** The command line, parsed. */
interface BuildCliOptions {
    /** The stack whose Pulumi.<stack>.yaml supplies the config. */
    stack?: string;
    /** Config overrides by full key, as `--config key=value`. */
    configOverrides: Record<string, string>;
    /** Where to write the jar, as given. */
    out?: string;
    /** `--help` was given. */
    help: boolean;
}

/** A command-line mistake. */
class UsageError extends Error {}

/** Parses argv (without node and the script). */
export function parseBuildArgs(argv: string[]): BuildCliOptions {
    const options: BuildCliOptions = { configOverrides: {}, help: false };
    const value = (i: number, flag: string) => {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith("--")) {
            throw new UsageError(`${flag} needs a value`);
        }
        return next;
    };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--help" || arg === "-h") {
            options.help = true;
        } else if (arg === "--stack" || arg === "-s") {
            options.stack = value(i++, arg);
        } else if (arg === "--config" || arg === "-c") {
            const pair = value(i++, arg);
            const at = pair.indexOf("=");
            if (at <= 0) {
                throw new UsageError(`${arg} takes key=value; got ${JSON.stringify(pair)}`);
            }
            const key = pair.slice(0, at);
            options.configOverrides[key.includes(":") ? key : `api-cluster:${key}`] = pair.slice(at + 1);
        } else if (arg === "--out" || arg === "-o") {
            options.out = value(i++, arg);
        } else {
            throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
        }
    }
    if (!options.help && options.stack === undefined) {
        throw new UsageError("--stack is required");
    }
    return options;
}

/** Runs the command line; returns the exit code. */
export function main(argv: string[], projectDir: string = PROJECT_DIR): number {
    let options: BuildCliOptions;
    try {
        options = parseBuildArgs(argv);
    } catch (err) {
        if (err instanceof UsageError) {
            process.stderr.write(`error: ${err.message} (see --help)\n`);
            return 2;
        }
        throw err;
    }
    if (options.help || options.stack === undefined) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    const stack = options.stack;
    try {
        const stackConfig = readStackConfig(projectDir, stack);
        const { settings } = readStackSettings({ ...stackConfig.config, ...options.configOverrides });
        const out =
            options.out !== undefined ? path.resolve(options.out) : path.join(projectDir, BUILD_OUTPUT_DIRECTORY, stack, "api-server.jar");
        const jar = buildApp(settings.app, { projectDir, out });
        process.stdout.write(`${jar}\n`);
        return 0;
    } catch (err) {
        if (err instanceof SettingsError) {
            process.stderr.write(`error: stack ${stack}: ${err.problems.join("; ")}\n`);
            return 2;
        }
        if (err instanceof StackFileError) {
            process.stderr.write(`error: stack ${stack}: ${err.message}\n`);
            return 2;
        }
        if (err instanceof AppBuildError) {
            process.stderr.write(`error: stack ${stack}: ${err.message}\n`);
            return 1;
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
