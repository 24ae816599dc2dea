/**
 * `npm run local -- --stack <name> …`: the stack's cluster on this machine, HAProxy standing in for
 * the load balancer. Reads the stack's config as the program does (same validation, same errors,
 * exit 2), prints `ready: <url>` once every instance is UP in HAProxy's view, then a table of the
 * instances, then the cluster's health as HAProxy sees it while it runs (statusView.ts; `--json`: JSON
 * lines only). Ctrl-C or SIGTERM drains and stops everything. `npm run local -- roll` and
 * `npm run local -- stop-instance` change a running cluster (local/controlCli.ts).
 * Exit codes: 0 stopped on request; 1 a process failed; 2 a usage or config error.
 */
import * as fs from "fs";
import * as path from "path";
import { EXIT_CODES, FlagSpec, UsageError, flagGiven, flagValue, parseCommandLine, stackConfigFor } from "../cli/stackCommandLine";
import { readStackSettings } from "../components/config/stackConfig";
import { AppBuildError } from "../components/app/localBuild";
import { SettingsError } from "../components/config/validate";
import { StackFileError } from "../cli/stackFiles";
import { exitWhenWritten } from "../cli/exitWhenWritten";
import {
    ADMIN_PASSWORD_ENV,
    AdminPassword,
    AdminPasswordError,
    PASSWORD_FILE_FLAG,
    PASSWORD_STDIN_FLAG,
    PasswordSource,
    chooseAdminPassword,
    passwordOnCommandLineProblem,
    readPasswordFile,
    readPasswordStdin,
} from "./adminPassword";
import { CONTROL_SOCKET, ControlRequest, ControlServer, serveControl } from "./control";
import { CONTROL_COMMANDS, controlMain } from "./controlCli";
import { LocalCluster, LocalClusterError, LocalInstance, startLocalCluster } from "./localCluster";
import { MissingToolError, ProcessEnd, describeEnd } from "./processes";
import { READY_PREFIX, instanceTable, readyJson } from "./readyOutput";
import { StatusMode, StatusView } from "./statusView";

/** The repository's root: Pulumi.yaml and the stack files. */
const PROJECT_DIR = path.join(__dirname, "..");

const USAGE =
    "usage: npm run local -- --stack <name> [--config key=value]... [--config-path] [--bind-address <ip>] [--any-port] [--retries]\n" +
    `                        [--${PASSWORD_FILE_FLAG} <path> | --${PASSWORD_STDIN_FLAG}] [--access-log <file>] [--json]\n` +
    "       npm run local -- roll --stack <name>                       (see npm run local -- roll --help)\n" +
    "       npm run local -- stop-instance --stack <name> --instance <id>\n" +
    "       npm run local -- --help\n" +
    "Starts the stack's instanceCount API processes behind HAProxy on the stack's port (--any-port: any free one);\n" +
    "Ctrl-C stops them. Like the ALB, HAProxy does not re-send a failed request to another instance; --retries\n" +
    `turns HAProxy's retries on. The admin password comes from --${PASSWORD_FILE_FLAG}, --${PASSWORD_STDIN_FLAG},\n` +
    `the stack file, or ${ADMIN_PASSWORD_ENV} in the environment, else a generated one printed once; never from --config.\n` +
    "While it runs, stdout shows each instance as HAProxy sees it (state, last check, requests, 5xx) and the last errors:\n" +
    "redrawn in place on a terminal, plain lines on change otherwise, JSON lines with --json. The access log (one line\n" +
    "per request) is access.log in the run's temporary folder, or --access-log <file>, which stays after the run.";

/** The flags of `local`, beside the shared ones. */
const FLAGS: FlagSpec[] = [
    { name: "bind-address", takesValue: true },
    { name: "any-port", takesValue: false },
    { name: "retries", takesValue: false },
    { name: PASSWORD_FILE_FLAG, takesValue: true },
    { name: PASSWORD_STDIN_FLAG, takesValue: false },
    { name: "access-log", takesValue: true },
    { name: "json", takesValue: false },
];

/**
 * Under `npm run`, one Ctrl-C can arrive twice: from the terminal, and forwarded by npm when the
 * script's shell exec'd node (so npm's child is this process). npm forwards it at once, so a
 * repeat within this many milliseconds is that same Ctrl-C; a person's second Ctrl-C comes later.
 */
export const NPM_FORWARD_MS = 150;

/** Whether `signal` at `now` is npm's copy of the previous one (`previousAt`), not a second Ctrl-C. */
export function isForwardedCopy(previousAt: number | undefined, now: number, underNpm: boolean): boolean {
    return underNpm && previousAt !== undefined && now - previousAt < NPM_FORWARD_MS;
}

/** The password the command line asks for (a file or stdin), or undefined; throws UsageError or AdminPasswordError. */
async function suppliedPassword(
    file: string | undefined,
    stdin: boolean,
    warn: (line: string) => void,
): Promise<AdminPassword | undefined> {
    if (file !== undefined && stdin) {
        throw new UsageError(`give the admin password once: --${PASSWORD_FILE_FLAG} or --${PASSWORD_STDIN_FLAG}, not both`);
    }
    if (file !== undefined) {
        const read = readPasswordFile(file);
        if (read.warning !== undefined) {
            warn(read.warning);
        }
        return { password: read.password, source: PasswordSource.file };
    }
    return stdin ? { password: await readPasswordStdin(), source: PasswordSource.stdin } : undefined;
}

/** Runs the command line; resolves with the exit code once the cluster has stopped. */
export async function main(argv: string[]): Promise<number> {
    if (CONTROL_COMMANDS.includes(argv[0])) {
        return controlMain(argv[0], argv.slice(1));
    }
    // Once the status view runs (after ready), progress lines go through it (on a terminal, above its table).
    const shown: { view?: StatusView } = {};
    const stderr = (line: string) => (shown.view !== undefined ? shown.view.log(line) : process.stderr.write(`${line}\n`));
    let settings;
    let adminPassword: string;
    let generated = false;
    let bindAddress: string;
    let stack: string;
    let anyPort: boolean;
    let retries: boolean;
    let json: boolean;
    let accessLogFile: string | undefined;
    try {
        const commandLine = parseCommandLine(argv, FLAGS);
        if (commandLine.help) {
            process.stdout.write(`${USAGE}\n`);
            return EXIT_CODES.ok;
        }
        if (commandLine.stacks.length !== 1) {
            throw new UsageError("give exactly one --stack");
        }
        const onCommandLine = passwordOnCommandLineProblem(commandLine.config);
        if (onCommandLine !== undefined) {
            // Not with the usage: the line says what to do instead.
            stderr(`error: ${onCommandLine}`);
            return EXIT_CODES.usage;
        }
        bindAddress = flagValue(commandLine, "bind-address") ?? "127.0.0.1";
        anyPort = flagGiven(commandLine, "any-port");
        retries = flagGiven(commandLine, "retries");
        json = flagGiven(commandLine, "json");
        const accessLogFlag = flagValue(commandLine, "access-log");
        accessLogFile = accessLogFlag === undefined ? undefined : path.resolve(accessLogFlag);
        if (accessLogFile !== undefined && !fs.statSync(path.dirname(accessLogFile), { throwIfNoEntry: false })?.isDirectory()) {
            throw new UsageError(
                `--access-log ${accessLogFlag}: the folder ${path.dirname(accessLogFile)} does not exist; create it first`,
            );
        }
        const stackConfig = stackConfigFor(PROJECT_DIR, commandLine.stacks[0], commandLine);
        stack = stackConfig.stack;
        try {
            settings = readStackSettings(stackConfig.config).settings;
        } catch (err) {
            if (err instanceof SettingsError) {
                stderr(`error: stack ${stackConfig.stack}: ${err.message}`);
                return EXIT_CODES.usage;
            }
            throw err;
        }
        // A `secure:` value cannot be decrypted here: it stands as a placeholder, never a password.
        try {
            const supplied = await suppliedPassword(
                flagValue(commandLine, PASSWORD_FILE_FLAG),
                flagGiven(commandLine, PASSWORD_STDIN_FLAG),
                stderr,
            );
            const chosen = chooseAdminPassword(stackConfig.config, stackConfig.placeholderKeys, process.env, supplied);
            adminPassword = chosen.password;
            generated = chosen.source === PasswordSource.generated;
        } catch (err) {
            if (err instanceof AdminPasswordError) {
                stderr(`error: ${err.message}`);
                return EXIT_CODES.usage;
            }
            throw err;
        }
    } catch (err) {
        if (err instanceof UsageError || err instanceof StackFileError) {
            stderr(`error: ${err.message}\n${USAGE}`);
            return EXIT_CODES.usage;
        }
        throw err;
    }

    let cluster: LocalCluster | undefined;
    let control: ControlServer | undefined = undefined;
    let resolveExit: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (resolveExit = resolve));
    const finish = (code: number) => void (control?.close() ?? Promise.resolve()).then(() => resolveExit(code));
    const aborter = new AbortController();
    let lastSignalAt: number | undefined;
    let killed = false;
    // npm sets npm_lifecycle_event in the environment of the script it runs.
    const underNpm = process.env.npm_lifecycle_event !== undefined;
    const onSignal = (signal: NodeJS.Signals) => {
        const now = Date.now();
        if (isForwardedCopy(lastSignalAt, now, underNpm)) {
            return;
        }
        const repeated = lastSignalAt !== undefined;
        lastSignalAt = now;
        if (cluster === undefined) {
            aborter.abort();
            return;
        }
        shown.view?.stop();
        if (repeated) {
            killed = true;
            stderr(`${signal} again: killing everything without draining`);
            void cluster.kill().then(() => finish(EXIT_CODES.failed));
            return;
        }
        stderr(`${signal}: stopping the cluster`);
        void cluster.stop().then(() => {
            if (!killed) {
                stderr("stopped; every process ended and the temporary folder is removed");
                finish(EXIT_CODES.ok);
            }
        });
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);

    try {
        cluster = await startLocalCluster({
            settings,
            adminPassword,
            bindAddress,
            anyPort,
            retries,
            accessLogFile,
            log: stderr,
            abortSignal: aborter.signal,
            onInstanceEnd: (instance: LocalInstance, end: ProcessEnd, why: string) =>
                stderr(
                    `instance ${instance.instanceId} (pid ${instance.pid}, port ${instance.port}) ${describeEnd(end)}${why ? `: ${why}` : ""}; it is not restarted. ` +
                        `haproxy takes it out of rotation after ${settings.healthCheck.unhealthyThreshold} failed checks; the others keep serving`,
                ),
            onHaproxyEnd: (end: ProcessEnd) => {
                shown.view?.stop();
                stderr(`haproxy ${describeEnd(end)}; stopping the instances`);
                void cluster?.stop().then(() => finish(EXIT_CODES.failed));
            },
        });
    } catch (err) {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        if (err instanceof SettingsError) {
            stderr(`error: ${err.message}`);
            return EXIT_CODES.usage;
        }
        if (err instanceof MissingToolError || err instanceof LocalClusterError || err instanceof AppBuildError) {
            stderr(`error: ${err.message}`);
            return EXIT_CODES.failed;
        }
        throw err;
    }
    const running = cluster;
    try {
        control = await serveControl(running.workDir, { stack, pid: process.pid, url: running.url }, (request: ControlRequest, log) => {
            const both = (line: string) => {
                stderr(line);
                log(line);
            };
            if (request.command === "roll") {
                return running.roll(both);
            }
            if (request.command === "stop-instance" && typeof request.instance === "string") {
                return running.stopInstance(request.instance, both);
            }
            return Promise.reject(new Error(`unknown request ${JSON.stringify(request)}`));
        });
    } catch (err) {
        stderr(`error: cannot open the control socket in ${running.workDir}: ${(err as Error).message}; stopping the cluster`);
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        await running.stop();
        return EXIT_CODES.failed;
    }
    stderr(`control socket ${path.join(running.workDir, CONTROL_SOCKET)}: npm run local -- roll --stack ${stack}`);
    if (generated) {
        stderr(
            `admin: ${settings.adminUsername} / ${adminPassword}  (generated for this run; set one with ${ADMIN_PASSWORD_ENV}=<password> in the environment, or --${PASSWORD_FILE_FLAG} <path>)`,
        );
    }
    if (json) {
        process.stdout.write(`${readyJson(running.url, running.instances, running.accessLogFile)}\n`);
    } else {
        process.stdout.write(`${READY_PREFIX}${running.url}\n${instanceTable(running.instances)}\n`);
    }
    const mode = json ? StatusMode.json : process.stdout.isTTY ? StatusMode.terminal : StatusMode.lines;
    shown.view = new StatusView(mode, () => running.status(), {
        write: (text) => process.stdout.write(text),
        writeError: (text) => process.stderr.write(text),
    });
    shown.view.start();
    return exit;
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
