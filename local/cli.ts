/**
 * `npm run local -- --stack <name> [--config key=value]... [--config-path] [--bind-address <ip>]`:
 * the stack's cluster on this machine, HAProxy standing in for the load balancer. Reads the stack's
 * config as the program does (same validation, same errors, exit 2), prints `ready: <url>` once
 * every instance is UP in HAProxy's view, then a table of the instances. Ctrl-C or SIGTERM drains
 * and stops everything. Exit codes: 0 stopped on request; 1 a process failed; 2 a usage or config error.
 */
import * as path from "path";
import { EXIT_CODES, FlagSpec, UsageError, flagValue, parseCommandLine, stackConfigFor } from "../cli/stackCommandLine";
import { readStackSettings } from "../components/config/stackConfig";
import { AppBuildError } from "../components/app/localBuild";
import { SettingsError } from "../components/config/validate";
import { StackFileError } from "../preview/stackFiles";
import { ADMIN_PASSWORD_ENV, ADMIN_PASSWORD_KEY, AdminPasswordError, PasswordSource, chooseAdminPassword } from "./adminPassword";
import { LocalCluster, LocalClusterError, LocalInstance, startLocalCluster } from "./localCluster";
import { MissingToolError, ProcessEnd, describeEnd } from "./processes";
import { READY_PREFIX, instanceTable } from "./readyOutput";

/** The repository's root: Pulumi.yaml and the stack files. */
const PROJECT_DIR = path.join(__dirname, "..");

const USAGE =
    "usage: npm run local -- --stack <name> [--config key=value]... [--config-path] [--bind-address <ip>]\n" +
    "       npm run local -- --help\n" +
    "Starts the stack's instanceCount API processes behind HAProxy on the stack's port; Ctrl-C stops them.\n" +
    "The admin password is api-cluster:adminPassword given with --config, else the environment variable\n" +
    "ADMIN_PASSWORD (kept off the command line), else a generated one printed once.";

/** The flags of `local`, beside the shared ones. */
const FLAGS: FlagSpec[] = [{ name: "bind-address", takesValue: true }];

/** A second Ctrl-C within this many milliseconds of the first is the same one, forwarded by npm. */
const SIGNAL_REPEAT_MS = 1000;

/** Runs the command line; resolves with the exit code once the cluster has stopped. */
export async function main(argv: string[]): Promise<number> {
    const stderr = (line: string) => process.stderr.write(`${line}\n`);
    let settings;
    let adminPassword: string;
    let generated = false;
    let bindAddress: string;
    try {
        const commandLine = parseCommandLine(argv, FLAGS);
        if (commandLine.help) {
            process.stdout.write(`${USAGE}\n`);
            return EXIT_CODES.ok;
        }
        if (commandLine.stacks.length !== 1) {
            throw new UsageError("give exactly one --stack");
        }
        bindAddress = flagValue(commandLine, "bind-address") ?? "127.0.0.1";
        const stackConfig = stackConfigFor(PROJECT_DIR, commandLine.stacks[0], commandLine);
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
            const chosen = chooseAdminPassword(stackConfig.config, stackConfig.placeholderKeys);
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
    let resolveExit: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (resolveExit = resolve));
    const aborter = new AbortController();
    let firstSignalAt: number | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
        // Ctrl-C under `npm run` arrives twice at once: from the terminal and forwarded by npm.
        const repeated = firstSignalAt !== undefined;
        if (repeated && Date.now() - (firstSignalAt as number) < SIGNAL_REPEAT_MS) {
            return;
        }
        firstSignalAt ??= Date.now();
        if (cluster === undefined) {
            aborter.abort();
            return;
        }
        if (repeated) {
            stderr(`${signal} again: killing everything without draining`);
            void cluster.kill().then(() => resolveExit(EXIT_CODES.failed));
            return;
        }
        stderr(`${signal}: stopping the cluster`);
        void cluster.stop().then(() => {
            stderr("stopped; every process ended and the temporary folder is removed");
            resolveExit(EXIT_CODES.ok);
        });
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);

    try {
        cluster = await startLocalCluster({
            settings,
            adminPassword,
            bindAddress,
            log: stderr,
            abortSignal: aborter.signal,
            onInstanceEnd: (instance: LocalInstance, end: ProcessEnd) =>
                stderr(
                    `instance ${instance.instanceId} (pid ${instance.pid}, port ${instance.port}) ${describeEnd(end)}; it is not restarted. ` +
                        `haproxy takes it out of rotation after ${settings.healthCheck.unhealthyThreshold} failed checks; the others keep serving`,
                ),
            onHaproxyEnd: (end: ProcessEnd) => {
                stderr(`haproxy ${describeEnd(end)}; stopping the instances`);
                void cluster?.stop().then(() => resolveExit(EXIT_CODES.failed));
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
    if (generated) {
        stderr(
            `admin: ${settings.adminUsername} / ${adminPassword}  (generated for this run; set one with ${ADMIN_PASSWORD_ENV}=<password> in the environment, or --config ${ADMIN_PASSWORD_KEY}=<password>)`,
        );
    }
    process.stdout.write(`${READY_PREFIX}${cluster.url}\n${instanceTable(cluster.instances)}\n`);
    return exit;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err: unknown) => {
            process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exit(EXIT_CODES.failed);
        },
    );
}
