/**
 * `npm run smoke -- (--url <url> [--config key=value]... | --stack <name>) [--expect-instances N]
 * [--stickiness on|off] [--no-credentials | --allow-plain-http] [--json]`: checks a cluster, local or
 * deployed, over HTTP as the lesson does (smoke/checks.ts), on the endpoints the stack's settings
 * name (smoke/endpoints.ts): with `--stack` its own, with `--url` the defaults and `--config`. Credentials: ADMIN_USERNAME (default admin@fake.com, or the
 * stack's adminUsername) and ADMIN_PASSWORD from the environment; with `--stack` the password comes
 * from the stack's SSM parameter when ADMIN_PASSWORD is unset. They go over HTTPS, or over plain
 * HTTP to this machine only (smoke/plainHttp.ts); `--no-credentials` sends none and
 * `--allow-plain-http` sends them over plain HTTP anywhere. Exit codes: 0 every check passed or was
 * skipped; 1 a check failed; 2 a usage error (a refused plain HTTP URL included) or a stack that
 * cannot be read.
 */
import * as path from "path";
import { EXIT_CODES, FlagSpec, UsageError, applyConfigSettings, flagGiven, flagValue, parseCommandLine } from "../cli/stackCommandLine";
import { CONFIG_NAMESPACE, readStackSettings } from "../components/config/stackConfig";
import { SettingsError } from "../components/config/validate";
import { StackFileError } from "../cli/stackFiles";
import { exitWhenWritten } from "../cli/exitWhenWritten";
import { CheckResult, CheckStatus, SmokeTarget, runSmokeChecks } from "./checks";
import { smokeEndpoints } from "./endpoints";
import { HttpGet, httpGet } from "./httpClient";
import { CredentialPolicy, credentialRefusal } from "./plainHttp";
import { StackSources, StackTargetError, realStackSources, stackTarget } from "./stackTarget";

/** The repository's root: Pulumi.yaml and the stack files. */
const PROJECT_DIR = path.join(__dirname, "..");

const USAGE =
    "usage: npm run smoke -- (--url <url> [--config key=value]... [--config-path] | --stack <name>)\n" +
    "                        [--expect-instances N] [--stickiness on|off] [--json] [--no-credentials | --allow-plain-http]\n" +
    "       npm run smoke -- --help\n" +
    "Credentials from ADMIN_USERNAME (default admin@fake.com) and ADMIN_PASSWORD; with --stack, the password\n" +
    "defaults to the stack's SSM parameter and the instance count to its instances output.\n" +
    "The endpoints checked are the stack's healthCheck.path and app.instanceEndpoint, app.protectedEndpoint and\n" +
    "app.sessionEndpoint (none: the API has none; its checks are skipped); with --url, their defaults unless --config sets them.\n" +
    "They are sent over https://, or over plain http:// to this machine only (localhost, 127.0.0.0/8, ::1):\n" +
    "  --no-credentials    send none: run health, auth-required and stickiness, skip auth and instances\n" +
    "  --allow-plain-http  send them over plain http:// to another host anyway (anyone on the path can read them)";

/** The flags of `smoke`, beside the shared ones. */
const FLAGS: FlagSpec[] = [
    { name: "url", takesValue: true },
    { name: "expect-instances", takesValue: true },
    { name: "stickiness", takesValue: true },
    { name: "json", short: "j", takesValue: false },
    { name: "no-credentials", takesValue: false },
    { name: "allow-plain-http", takesValue: false },
];

/** The default admin username, the lesson's. */
const DEFAULT_USERNAME = "admin@fake.com";

/** What main reads from outside: the environment, the stack sources and HTTP. Tests hand in their own. */
export interface SmokeDependencies {
    /** The environment (ADMIN_USERNAME, ADMIN_PASSWORD). */
    env: NodeJS.ProcessEnv;
    /** The Pulumi CLI and SSM, for `--stack`. */
    stackSources: StackSources;
    /** The HTTP client. */
    get: HttpGet;
    /** Where the report goes. */
    stdout: (text: string) => void;
    /** Where failures and errors go. */
    stderr: (text: string) => void;
}

/** Parses `--expect-instances`. */
function expectInstances(raw: string | undefined): number | undefined {
    if (raw === undefined) {
        return undefined;
    }
    if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1) {
        throw new UsageError(`--expect-instances takes a whole number from 1 to 999; got ${JSON.stringify(raw)}`);
    }
    return Number(raw);
}

/** Parses `--stickiness on|off`. */
function stickiness(raw: string | undefined): boolean | undefined {
    if (raw === undefined) {
        return undefined;
    }
    if (raw !== "on" && raw !== "off") {
        throw new UsageError(`--stickiness takes on or off; got ${JSON.stringify(raw)}`);
    }
    return raw === "on";
}

/** One line per result: PASS, FAIL or SKIP, the check's name and what it saw. */
export function renderResult(result: CheckResult): string {
    const label = { passed: "PASS", failed: "FAIL", skipped: "SKIP" }[result.status];
    return `${label} ${result.name}: ${result.detail}`;
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[], deps: SmokeDependencies): Promise<number> {
    let target: SmokeTarget;
    let json: boolean;
    try {
        const commandLine = parseCommandLine(argv, FLAGS);
        if (commandLine.help) {
            deps.stdout(`${USAGE}\n`);
            return EXIT_CODES.ok;
        }
        json = flagGiven(commandLine, "json");
        const url = flagValue(commandLine, "url");
        if ((url === undefined) === (commandLine.stacks.length === 0) || commandLine.stacks.length > 1) {
            throw new UsageError("give either --url or one --stack");
        }
        if (commandLine.config.length > 0 && url === undefined) {
            throw new UsageError("--config does not apply to smoke --stack: it checks the cluster as deployed; --config goes with --url");
        }
        const credentials: CredentialPolicy = {
            send: !flagGiven(commandLine, "no-credentials"),
            allowPlainHttp: flagGiven(commandLine, "allow-plain-http"),
        };
        if (!credentials.send && credentials.allowPlainHttp) {
            throw new UsageError("give --no-credentials or --allow-plain-http, not both");
        }
        const overrides = {
            adminUsername: deps.env.ADMIN_USERNAME || undefined,
            adminPassword: deps.env.ADMIN_PASSWORD || undefined,
            expectInstances: expectInstances(flagValue(commandLine, "expect-instances")),
            stickiness: stickiness(flagValue(commandLine, "stickiness")),
        };
        if (url !== undefined) {
            if (!/^https?:\/\/[^/]+/.test(url)) {
                throw new UsageError(`--url takes an http:// or https:// URL; got ${JSON.stringify(url)}`);
            }
            const refusal = credentialRefusal(url, credentials);
            if (refusal !== undefined) {
                throw new UsageError(refusal);
            }
            if (credentials.send && overrides.adminPassword === undefined) {
                throw new UsageError(
                    "set ADMIN_PASSWORD to the admin's password (with --stack it is read from SSM), or give --no-credentials",
                );
            }
            // The settings' defaults with the command line's --config: the endpoints to check.
            const { settings } = readStackSettings(applyConfigSettings(CONFIG_NAMESPACE, {}, commandLine.config, commandLine.configPath));
            target = {
                ...overrides,
                url: url.replace(/\/+$/, ""),
                adminUsername: overrides.adminUsername ?? DEFAULT_USERNAME,
                adminPassword: credentials.send ? overrides.adminPassword : undefined,
                endpoints: smokeEndpoints(settings),
            };
        } else {
            target = await stackTarget(commandLine.stacks[0], deps.stackSources, overrides, credentials);
        }
    } catch (err) {
        if (err instanceof UsageError) {
            deps.stderr(`error: ${err.message}\n${USAGE}\n`);
            return EXIT_CODES.usage;
        }
        if (err instanceof StackTargetError || err instanceof StackFileError || err instanceof SettingsError) {
            deps.stderr(`error: ${err.message}\n`);
            return EXIT_CODES.usage;
        }
        throw err;
    }

    const results = await runSmokeChecks(target, deps.get);
    const failed = results.filter((result) => result.status === CheckStatus.failed);
    if (json) {
        deps.stdout(`${JSON.stringify({ url: target.url, passed: failed.length === 0, checks: results }, null, 2)}\n`);
    } else {
        deps.stdout(`smoke ${target.url}\n`);
        for (const result of results) {
            (result.status === CheckStatus.failed ? deps.stderr : deps.stdout)(`${renderResult(result)}\n`);
        }
    }
    return failed.length === 0 ? EXIT_CODES.ok : EXIT_CODES.failed;
}

if (require.main === module) {
    main(process.argv.slice(2), {
        env: process.env,
        stackSources: realStackSources(PROJECT_DIR),
        get: httpGet,
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
    }).then(
        (code) => exitWhenWritten(code),
        (err: unknown) => {
            process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
            exitWhenWritten(EXIT_CODES.failed);
        },
    );
}
