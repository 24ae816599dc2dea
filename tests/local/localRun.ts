/**
 * Runs `npm run local` and `npm run smoke` as real processes for the tests, exactly as their npm
 * scripts do, and stops whatever they started even when a test fails.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { LocalInstance } from "../../local/localCluster";
import { ReadyOutput, parseReadyOutput } from "../../local/readyOutput";

/** The repository's root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** node's arguments for an npm script of the form `node <args>`. */
export function scriptArgs(script: string): string[] {
    const scripts = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
        .scripts;
    const [node, ...args] = scripts[script].split(" ");
    if (node !== "node") {
        throw new Error(`npm run ${script} is not a node command: ${scripts[script]}`);
    }
    return args;
}

/** A running `npm run local`. */
export interface LocalRun {
    /** The `local` process (its own process group). */
    child: ChildProcess;
    /** The URL of its `ready:` line. */
    url: string;
    /** Its instance table. */
    instances: LocalInstance[];
    /** HAProxy's pid and stats socket, from its progress log. */
    haproxyPid: number;
    statsSocket: string;
    /** Its temporary folder, from its progress log. */
    workDir: string;
    /** Its control socket, from its progress log. */
    controlSocket: string;
    /** Everything it has written to stderr so far. */
    stderr: () => string;
    /** Everything it has written to stdout so far (the ready output, then the status view). */
    stdout: () => string;
    /** Its access log's file, from its progress log. */
    accessLog: string;
    /** Resolves with its exit code once it has ended. */
    exited: Promise<number | null>;
}

/** How a test starts `npm run local`: node with the script's arguments, or npm itself (its signal forwarding included). */
export enum Launcher {
    node = "node",
    npm = "npm",
}

/**
 * Starts `npm run local -- args`, with `env` added to the environment (ADMIN_PASSWORD removed unless
 * given there) and `stdin` piped to it when given, and resolves once it printed `ready:` and its table.
 */
export function startLocal(
    args: string[],
    instanceCount: number,
    env: Record<string, string> = {},
    stdin?: string,
    launcher: Launcher = Launcher.node,
): Promise<LocalRun> {
    const inherited = { ...process.env };
    delete inherited.ADMIN_PASSWORD;
    const [command, commandArgs] =
        launcher === Launcher.npm ? ["npm", ["run", "-s", "local", "--", ...args]] : [process.execPath, [...scriptArgs("local"), ...args]];
    const child = spawn(command, commandArgs, {
        cwd: REPO_ROOT,
        env: { ...inherited, ...env },
        detached: true,
        stdio: [stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    started.add(child);
    child.stdin?.end(stdin);
    let stdout = "";
    let stderr = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve, reject) => {
        void exited.then((code) => reject(new Error(`npm run local exited ${code} before ready:\n${stderr}`)));
        child.stdout?.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            let output: ReadyOutput | undefined;
            try {
                output = args.includes("--json") ? parseReadyJson(stdout) : parseReadyOutput(stdout, instanceCount);
            } catch (err) {
                reject(err as Error);
                return;
            }
            if (output === undefined) {
                return;
            }
            // The last one: a start that lost its listener's port tries again with a new HAProxy.
            const haproxy = [...stderr.matchAll(/haproxy \(pid (\d+)\) runs \S+; stats socket (\S+)/g)].pop();
            const workDir = /temporary folder (\S+);/.exec(stderr);
            const controlSocket = /control socket (\S+):/.exec(stderr);
            const accessLog = /^access log (\S+):/m.exec(stderr);
            if (haproxy === undefined || workDir === null || controlSocket === null || accessLog === null) {
                reject(new Error(`no haproxy, temporary folder or control socket line in:\n${stderr}`));
                return;
            }
            resolve({
                child,
                url: output.url,
                instances: output.instances,
                haproxyPid: Number(haproxy[1]),
                statsSocket: haproxy[2],
                workDir: workDir[1],
                controlSocket: controlSocket[1],
                stderr: () => stderr,
                stdout: () => stdout,
                accessLog: accessLog[1],
                exited,
            });
        });
    });
}

/** The first line of `--json` output, `{"type":"ready",…}`, once it is complete. */
function parseReadyJson(stdout: string): ReadyOutput | undefined {
    const newline = stdout.indexOf("\n");
    if (newline < 0) {
        return undefined;
    }
    const ready = JSON.parse(stdout.slice(0, newline)) as { type: string } & ReadyOutput;
    if (ready.type !== "ready") {
        throw new Error(`the first line of --json is not the ready line: ${stdout.slice(0, newline)}`);
    }
    return { url: ready.url, instances: ready.instances };
}

const started = new Set<ChildProcess>();

/** Stops a `local` run: SIGTERM to its group, then SIGKILL to it and to every process it reported. */
export async function stopLocal(run: LocalRun | undefined): Promise<void> {
    if (run === undefined) {
        return;
    }
    const pids = [run.haproxyPid, ...run.instances.map((instance) => instance.pid)];
    if (run.child.exitCode === null && run.child.signalCode === null) {
        process.kill(-(run.child.pid as number), "SIGTERM");
        const timer = new Promise((resolve) => setTimeout(resolve, 15_000));
        await Promise.race([run.exited, timer]);
    }
    for (const pid of [run.child.pid as number, ...pids]) {
        try {
            process.kill(-pid, "SIGKILL");
        } catch {
            // already gone
        }
    }
    fs.rmSync(run.workDir, { recursive: true, force: true });
}

/** Kills every `local` the tests started that is still running (a safety net for a failed start). */
export function killAllStarted(): void {
    for (const child of started) {
        if (child.exitCode === null && child.signalCode === null) {
            try {
                process.kill(-(child.pid as number), "SIGKILL");
            } catch {
                // already gone
            }
        }
    }
}

/** The result of `npm run smoke`. */
export interface SmokeRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Runs `npm run smoke -- args` with `env` added to the environment. */
export function runSmoke(args: string[], env: Record<string, string>): Promise<SmokeRun> {
    return runScript("smoke", args, env);
}

/** Runs `npm run <script> -- args` to its end with `env` added to the environment (`local -- roll`, `smoke`). */
export function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<SmokeRun> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [...scriptArgs(script), ...args], {
            cwd: REPO_ROOT,
            env: { ...process.env, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("exit", (status) => resolve({ status, stdout, stderr }));
    });
}

/** One GET; its status and JSON body, or the error that stopped it. */
export function get(
    url: string,
    headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; setCookies: string[] }> {
    return new Promise((resolve, reject) => {
        const request = http.get(url, { headers, agent: false, timeout: 10_000 }, (response) => {
            let text = "";
            // A connection cut mid-answer (an instance killed while it answers) errors the response,
            // not the request: without this the promise would never settle and the test would hang.
            response.on("error", reject);
            response.on("data", (chunk: Buffer) => (text += chunk.toString()));
            response.on("end", () => {
                let body: Record<string, unknown> = {};
                try {
                    body = JSON.parse(text) as Record<string, unknown>;
                } catch {
                    body = { text };
                }
                resolve({ status: response.statusCode ?? 0, body, setCookies: response.headers["set-cookie"] ?? [] });
            });
        });
        request.on("timeout", () => request.destroy(new Error("timeout")));
        request.on("error", reject);
        // Whatever else ends the exchange, the promise settles (a no-op when it already has).
        request.on("close", () => reject(new Error("the connection closed before a whole answer")));
    });
}
