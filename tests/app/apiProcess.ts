/**
 * The reference API as a real process for the slow-client tests: compiled once with JDK 17's javac
 * (class files for 17, which every newer JVM runs), started with PORT=0 on loopback by a given
 * `java`, its port read from the "listening on" line, and stopped with SIGKILL, waiting for the exit.
 */
import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** The API's one source file. */
export const API_SOURCE = path.join(REPO_ROOT, "app", "src", "main", "java", "com", "example", "apicluster", "ApiServer.java");
const MAIN_CLASS = "com.example.apicluster.ApiServer";
/** The line the API prints once it listens: the bound address, the bound port and the instance id. */
export const LISTENING_LINE = /^api-server: listening on (\S+):(\d+) as (.*)$/m;
/** Loopback, where the tests bind the API and connect to it. */
export const LOOPBACK = "127.0.0.1";

/** A running API process. */
export interface ApiProcess {
    /** The port it reported. */
    port: number;
    /** Everything it wrote to stderr so far. */
    stderr(): string;
    /** Kills it (SIGKILL) and resolves once it has exited; safe to call twice. */
    stop(): Promise<void>;
}

/** Compiles ApiServer.java with `javac --release 17` into a fresh temporary folder and returns it. */
export function compileApi(source = API_SOURCE): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-server-classes-"));
    const result = spawnSync("javac", ["--release", "17", "-d", dir, source], { encoding: "utf8" });
    if (result.error !== undefined || result.status !== 0) {
        fs.rmSync(dir, { recursive: true, force: true });
        assert.fail(`javac failed (a JDK 17 javac must be on PATH): ${result.error?.message ?? result.stderr}`);
    }
    return dir;
}

/** The major version a `java` reports with `-version` ("17", "21"), or a thrown error naming it. */
export function javaMajorVersion(java: string): string {
    const result = spawnSync(java, ["-version"], { encoding: "utf8" });
    const match = /version "(\d+)[."]/.exec(result.stderr ?? "");
    if (result.error !== undefined || match === null) {
        throw new Error(`\`${java} -version\` did not report a version: ${result.error?.message ?? result.stderr}`);
    }
    return match[1];
}

/**
 * Starts the compiled API with `java`, exactly `env` plus PATH, PORT=0, BIND_ADDRESS=127.0.0.1 and
 * an ADMIN_PASSWORD, and resolves once it reports its port; fails if it exits first or 20 s pass.
 */
export async function startApi(java: string, classesDir: string, env: Record<string, string>): Promise<ApiProcess> {
    const child = spawn(java, ["-cp", classesDir, MAIN_CLASS], {
        env: { PATH: process.env.PATH ?? "", PORT: "0", BIND_ADDRESS: LOOPBACK, ADMIN_PASSWORD: "slow-client-test", ...env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    const stop = (): Promise<void> => {
        if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGKILL");
        }
        return exited;
    };
    try {
        const port = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`${java} did not report its port within 20 s:\n${stdout}${stderr}`)), 20_000);
            child.stdout?.on("data", () => {
                const match = LISTENING_LINE.exec(stdout);
                if (match !== null) {
                    clearTimeout(timer);
                    resolve(Number(match[2]));
                }
            });
            void exited.then(() => {
                clearTimeout(timer);
                reject(new Error(`${java} exited with ${child.exitCode ?? child.signalCode} before listening:\n${stderr}`));
            });
        });
        return { port, stderr: () => stderr, stop };
    } catch (error) {
        await stop();
        throw error;
    }
}
