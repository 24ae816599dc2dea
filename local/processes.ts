/**
 * The child processes `npm run local` starts: each in its own process group (so a terminal's Ctrl-C
 * reaches `local` alone, which then stops them in order), its output in a log file, its end awaited.
 * On Linux each also gets SIGTERM from the kernel if `local` itself dies without stopping it
 * (SIGKILL, a crash), through util-linux's `setpriv --pdeathsig`: no orphan outlives it.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";

/** How a process ended. */
export interface ProcessEnd {
    /** Its exit code, or null when a signal ended it. */
    code: number | null;
    /** The signal that ended it, or null. */
    signal: NodeJS.Signals | null;
}

/** A process started by `local`. */
export interface ManagedProcess {
    /** What it is, for messages: `haproxy`, `instance local-0`. */
    label: string;
    /** The child. */
    child: ChildProcess;
    /** Its process id (also its process group's id). */
    pid: number;
    /** The file its stdout and stderr go to. */
    logFile: string;
    /** Resolves when it has ended. */
    ended: Promise<ProcessEnd>;
    /** Whether it has ended. */
    hasEnded: () => boolean;
}

/** Describes how a process ended, in a few words. */
export function describeEnd(end: ProcessEnd): string {
    return end.signal !== null ? `was killed by ${end.signal}` : `exited with code ${end.code}`;
}

/** The last `count` non-empty lines of a log file, joined; empty when it cannot be read. */
export function logTail(file: string, count = 3): string {
    try {
        const lines = fs
            .readFileSync(file, "utf8")
            .split("\n")
            .filter((line) => line.trim() !== "");
        return lines.slice(-count).join(" | ");
    } catch {
        return "";
    }
}

/**
 * Whether a process runs: it exists and, where /proc tells, is not a zombie. A zombie has ended;
 * an orphan's exit waits for the machine's pid 1 to reap it, which in a container may never happen.
 */
export function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
    } catch {
        return false;
    }
    const stat = `/proc/${pid}/stat`;
    return !(fs.existsSync(stat) && /^\d+ \(.*\) Z /.test(fs.readFileSync(stat, "utf8")));
}

/** Raised when a command is not installed; its message is the one-line install hint. */
export class MissingToolError extends Error {}

/** The command prefix that gives a child a parent-death signal, once known; [] where none is available. */
let parentDeathPrefix: string[] | undefined;

/**
 * `setpriv --pdeathsig TERM --` where util-linux's setpriv runs (Linux), else nothing. setpriv sets
 * the signal, then execs the command in the same process, so the child's pid stays the command's.
 */
export function parentDeathSignalPrefix(): string[] {
    if (parentDeathPrefix === undefined) {
        const prefix = ["setpriv", "--pdeathsig", "TERM", "--"];
        const probe = process.platform === "linux" ? spawnSync(prefix[0], [...prefix.slice(1), "true"], { stdio: "ignore" }) : undefined;
        parentDeathPrefix = probe?.status === 0 ? prefix : [];
    }
    return parentDeathPrefix;
}

/**
 * Starts `command` in its own process group with its output in `logFile`, ended by SIGTERM if this
 * process dies first. With `pipeStdout`, its stdout is a pipe to read (`child.stdout`) instead.
 */
export function startProcess(
    label: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    logFile: string,
    pipeStdout = false,
): Promise<ManagedProcess> {
    const out = fs.openSync(logFile, "a", 0o600);
    return new Promise((resolve, reject) => {
        const [executable, ...prefixArgs] = [...parentDeathSignalPrefix(), command, ...args];
        const child = spawn(executable, prefixArgs, { detached: true, stdio: ["ignore", pipeStdout ? "pipe" : out, out], env });
        fs.closeSync(out);
        let ended = false;
        const endPromise = new Promise<ProcessEnd>((resolveEnd) =>
            child.on("exit", (code, signal) => {
                ended = true;
                resolveEnd({ code, signal });
            }),
        );
        child.once("error", (err: NodeJS.ErrnoException) => reject(err));
        child.once("spawn", () => resolve({ label, child, pid: child.pid as number, logFile, ended: endPromise, hasEnded: () => ended }));
    });
}

/** Sends `signal` to a process's whole group; false when it is already gone. */
export function signalGroup(process_: ManagedProcess, signal: NodeJS.Signals): boolean {
    if (process_.hasEnded()) {
        return false;
    }
    try {
        process.kill(-process_.pid, signal);
        return true;
    } catch {
        return false;
    }
}

/** Waits for a process to end, up to `ms`; true when it ended. */
export async function waitForEnd(process_: ManagedProcess, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const result = await Promise.race([process_.ended.then(() => true), timeout]);
    clearTimeout(timer);
    return result;
}

/** Signals a process group, waits up to `graceMs`, then kills the group; resolves once it has ended. */
export async function stopProcess(process_: ManagedProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
    signalGroup(process_, signal);
    if (!(await waitForEnd(process_, graceMs))) {
        signalGroup(process_, "SIGKILL");
        await process_.ended;
    }
}
