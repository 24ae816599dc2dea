/**
 * Runs a built jar as the image would (javaLaunchArgs, PORT and the admin credentials in its
 * environment), for the build tests. PORT is 0, so the system chooses the port as the jar binds it
 * (no port chosen here first and bound later, which another process could take in between); the
 * port is read from the jar's `<name>: listening on <address>:<port> as <id>` line. Readiness is
 * observed (that line, then GET /health answers), and every process started here is stopped with
 * its whole process group.
 */
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as http from "http";
import { javaLaunchArgs } from "../../components/app/localBuild";
import { AppSettings } from "../../components/config/schema";

const HOST = "127.0.0.1";
/** The line the reference API (and the greeter fixture) prints once it listens; group 1 is the bound port. */
const LISTENING_LINE = /^\S+: listening on \S+:(\d+) as /m;

/** The admin credentials the served jars get. */
export const TEST_USERNAME = "admin@fake.com";
export const TEST_PASSWORD = "build-test-password";

/** A response read to its end. */
export interface Reply {
    /** HTTP status. */
    status: number;
    /** Body as text. */
    body: string;
}

/** A jar running on a port the system chose. */
export interface ServedJar {
    /** The port it listens on. */
    port: number;
    /** Sends GET `urlPath`, with Basic credentials when `auth` is given. */
    get(urlPath: string, auth?: string): Promise<Reply>;
    /** Stops its process group and waits for it to exit. */
    stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills every jar still running: call it from an `after` hook. */
export async function stopAllJars(): Promise<void> {
    await Promise.all([...running].map((child) => killGroup(child)));
}

/** Kills `child`'s process group and resolves once it has exited. */
function killGroup(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
        running.delete(child);
        return Promise.resolve();
    }
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
        process.kill(-(child.pid as number), "SIGKILL");
    } catch {
        child.kill("SIGKILL");
    }
    return exited.then(() => {
        running.delete(child);
    });
}

/** GET on its own connection. */
function get(port: number, urlPath: string, auth?: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
        const headers = auth === undefined ? {} : { Authorization: `Basic ${Buffer.from(auth, "utf8").toString("base64")}` };
        const req = http.request({ host: HOST, port, path: urlPath, agent: false, headers, timeout: 5000 }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (body += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
            res.on("error", reject);
        });
        req.on("timeout", () => req.destroy(new Error(`GET ${urlPath} timed out`)));
        req.on("error", reject);
        req.end();
    });
}

/**
 * Starts `jar` for `app` with PORT=0 and resolves once it has reported its port and GET /health
 * answers there; fails if the process exits first or 60 s pass.
 */
export async function serveJar(app: AppSettings, jar: string): Promise<ServedJar> {
    const child = spawn("java", javaLaunchArgs(app, jar), {
        env: { PATH: process.env.PATH ?? "", PORT: "0", ADMIN_USERNAME: TEST_USERNAME, ADMIN_PASSWORD: TEST_PASSWORD },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
    });
    running.add(child);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const deadline = Date.now() + 60_000;
    for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) {
            assert.fail(
                `java ${javaLaunchArgs(app, jar).join(" ")} exited with ${child.exitCode ?? child.signalCode} before answering:\n${output}`,
            );
        }
        const listening = LISTENING_LINE.exec(output);
        if (listening !== null) {
            const port = Number(listening[1]);
            const reply = await get(port, "/health").catch(() => undefined);
            if (reply !== undefined) {
                return { port, get: (urlPath, auth) => get(port, urlPath, auth), stop: () => killGroup(child) };
            }
        }
        if (Date.now() > deadline) {
            await killGroup(child);
            assert.fail(`the jar did not report its port and answer /health within 60 s:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}
