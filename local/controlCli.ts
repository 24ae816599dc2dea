/**
 * `npm run local -- roll --stack <name>` and `npm run local -- stop-instance --stack <name>
 * --instance <id>`: ask the running `npm run local` of a stack, through its control socket
 * (local/control.ts), to replace every instance as an instance refresh does, or to stop one as a
 * deregistration does. Progress goes to stderr, the instances afterwards to stdout as local's table.
 * Exit codes: 0 done; 1 the run refused or failed the change; 2 a usage error or no such run.
 */
import { EXIT_CODES, FlagSpec, UsageError, flagValue, parseCommandLine } from "../cli/stackCommandLine";
import { ControlRequest, findRuns, sendControl } from "./control";
import { instanceTable } from "./readyOutput";

/** The subcommands. */
export const CONTROL_COMMANDS = ["roll", "stop-instance"];

const USAGE: Record<string, string> = {
    roll:
        "usage: npm run local -- roll --stack <name> [--control <socket>]\n" +
        "Replaces every instance of the running npm run local of the stack, one at a time, as an instance refresh\n" +
        "does: starts a new instance, waits until HAProxy sees it UP, takes the old one out of rotation, lets its\n" +
        "requests in flight finish (up to deregistrationDelaySeconds) and stops it. --control names the run's\n" +
        "control socket when several runs of the stack are up (local prints it). Not with lb_cookie stickiness.",
    "stop-instance":
        "usage: npm run local -- stop-instance --stack <name> --instance <id> [--control <socket>]\n" +
        "Stops one instance as the ALB deregisters a target: out of rotation at once, its requests in flight\n" +
        "finish (up to deregistrationDelaySeconds), then SIGTERM. It is not replaced.",
};

/** The flags of the subcommands, beside the shared ones. */
const FLAGS: FlagSpec[] = [
    { name: "control", takesValue: true },
    { name: "instance", takesValue: true },
];

/** Runs `roll` or `stop-instance` with `argv`; resolves with the exit code. */
export async function controlMain(command: string, argv: string[]): Promise<number> {
    const stderr = (line: string) => process.stderr.write(`${line}\n`);
    let controlSocket: string;
    let request: ControlRequest;
    try {
        const commandLine = parseCommandLine(argv, FLAGS);
        if (commandLine.help) {
            process.stdout.write(`${USAGE[command]}\n`);
            return EXIT_CODES.ok;
        }
        if (commandLine.stacks.length !== 1) {
            throw new UsageError("give exactly one --stack");
        }
        if (commandLine.config.length > 0 || commandLine.configPath) {
            throw new UsageError(`${command} takes no --config: the running cluster keeps its own`);
        }
        const instance = flagValue(commandLine, "instance");
        if (command === "stop-instance" && instance === undefined) {
            throw new UsageError("give the --instance to stop, such as local-1");
        }
        if (command === "roll" && instance !== undefined) {
            throw new UsageError("roll replaces every instance; it takes no --instance");
        }
        request = command === "roll" ? { command } : { command, instance };
        const stack = commandLine.stacks[0];
        const given = flagValue(commandLine, "control");
        if (given !== undefined) {
            controlSocket = given;
        } else {
            const runs = findRuns(stack);
            if (runs.length === 0) {
                stderr(`error: no running npm run local of stack ${stack} (start one with npm run local -- --stack ${stack})`);
                return EXIT_CODES.usage;
            }
            if (runs.length > 1) {
                stderr(
                    `error: ${runs.length} runs of stack ${stack} are up (${runs.map((run) => `pid ${run.pid} at ${run.url}`).join(", ")}); ` +
                        `name one with --control <socket>: ${runs.map((run) => run.controlSocket).join(" or ")}`,
                );
                return EXIT_CODES.usage;
            }
            controlSocket = runs[0].controlSocket;
        }
    } catch (err) {
        if (err instanceof UsageError) {
            stderr(`error: ${err.message}\n${USAGE[command]}`);
            return EXIT_CODES.usage;
        }
        throw err;
    }
    try {
        const instances = await sendControl(controlSocket, request, stderr);
        process.stdout.write(`${instanceTable(instances)}\n`);
        return EXIT_CODES.ok;
    } catch (err) {
        stderr(`error: ${command}: ${(err as Error).message}`);
        return EXIT_CODES.failed;
    }
}
