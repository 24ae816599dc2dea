/**
 * `npm run local -- --stack <name> [--config key=value]... [--config-path] [--bind-address <ip>]`:
 * the stack's cluster on this machine, HAProxy standing in for the load balancer. Reads the stack's
 * config as the program does (same validation, same errors, exit 2), prints `ready: <url>` once
 * every instance is UP in HAProxy's view, then a table of the instances. Ctrl-C or SIGTERM drains
 * and stops everything. Exit codes: 0 stopped on request; 1 a process failed; 2 a usage or config error.
 */
import * as path from "path";
import * as crypto from "crypto";
import { EXIT_CODES, FlagSpec, UsageError, flagValue, parseCommandLine, stackConfigFor } from "../cli/stackCommandLine";
import { CONFIG_NAMESPACE, readStackSettings } from "../components/config/stackConfig";
import { AppBuildError } from "../components/app/localBuild";
import { SettingsError } from "../components/config/validate";
import { StackFileError } from "../preview/stackFiles";
import { LocalCluster, LocalClusterError, LocalInstance, startLocalCluster } from "./localCluster";
import { MissingToolError, ProcessEnd, describeEnd } from "./processes";

/** The repository's root: Pulumi.yaml and the stack files. */
const PROJECT_DIR = path.join(__dirname, "..");

const USAGE =
    "usage: npm run local -- --stack <name> [--config key=value]... [--config-path] [--bind-address <ip>]\n" +
    "       npm run local -- --help\n" +
    "Starts the stack's instanceCount API processes behind HAProxy on the stack's port; Ctrl-C stops them.\n" +
    "The admin password is api-cluster:adminPassword given with --config, or a generated one printed once.";

/** The flags of `local`, beside the shared ones. */
const FLAGS: FlagSpec[] = [{ name: "bind-address", takesValue: true }];

/** A second Ctrl-C within this many milliseconds of the first is the same one, forwarded by npm. */
const SIGNAL_REPEAT_MS = 1000;

const ADMIN_PASSWORD_KEY = `${CONFIG_NAMESPACE}:adminPassword`;

/** The instances as a table: instance id, zone, port, pid. */
export function instanceTable(instances: LocalInstance[]): string {
    const rows = [["INSTANCE", "ZONE", "PORT", "PID"], ...instances.map((i) => [i.instanceId, i.zone, String(i.port), String(i.pid)])];
    const widths = rows[0].map((_unused, column) => Math.max(...rows.map((row) => row[column].length)));
    return rows
        .map((row) =>
            row
                .map((cell, column) => cell.padEnd(widths[column]))
                .join("  ")
                .trimEnd(),
        )
        .join("\n");
}

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
        const given = stackConfig.placeholderKeys.includes(ADMIN_PASSWORD_KEY) ? undefined : stackConfig.config[ADMIN_PASSWORD_KEY];
        generated = given === undefined;
        adminPassword = given ?? crypto.randomBytes(18).toString("base64url");
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
            `admin: ${settings.adminUsername} / ${adminPassword}  (generated for this run; set one with --config ${ADMIN_PASSWORD_KEY}=<password>)`,
        );
    }
    process.stdout.write(`ready: ${cluster.url}\n${instanceTable(cluster.instances)}\n`);
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
