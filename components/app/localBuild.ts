/**
 * Builds the app on this machine exactly as the bake does: the artifact's files (artifact.ts)
 * copied into a temporary folder, then build-app.sh, the script the image's BuildApi step runs.
 * `npm run app:build` and the local cluster use it; javaLaunchArgs says how to start the jar.
 * The build's output is read line by line: colour codes stripped and the temporary copy's path
 * written as the app's own, both in what is passed on and in a failure's message, which also says
 * what to do when Maven could not download what the project needs.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AppSettings, AppSource } from "../config/schema";
import { SettingsError } from "../config/validate";
import { JAR_ENTRY, collectArtifact, copyArtifact } from "../image/artifact";
import { SCRIPTS_DIRECTORY } from "../image/imageDocument";
import { appPathProblem, resolveAppPath } from "./appPath";
import { MAVEN_ARGS_VARIABLE, cleanBuildOutput, mavenResolutionFailure, mavenResolutionHint } from "./buildOutput";

export { javaLaunchArgs } from "./javaLaunch";
export { MAVEN_ARGS_VARIABLE } from "./buildOutput";

/** The build script both places run. */
export const BUILD_SCRIPT = path.join(SCRIPTS_DIRECTORY, "build-app.sh");

/** Where built jars go by default, relative to the project root; git ignores it. */
export const BUILD_OUTPUT_DIRECTORY = ".build";

/** Lines of the build's output a failure's message carries when the output was captured (`quiet`). */
const FAILURE_LINES = 40;

/** Raised when the build itself fails (Maven, no runnable jar, no Main-Class); the message says why. */
export class AppBuildError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "AppBuildError";
    }
}

/** Options of a local build. */
export interface BuildAppOptions {
    /** The project root (where Pulumi.yaml is): a relative `app.path` is taken from here. */
    projectDir: string;
    /** Where to write the jar. Default `.build/app/api-server.jar` under `projectDir`. */
    out?: string;
    /** Maven's repository folder (build-app.sh's MAVEN_REPO_LOCAL), such as an empty one for a cold build. Default: Maven's own, ~/.m2/repository. */
    mavenRepoLocal?: string;
    /** Captures the build's output instead of passing it to this process's stderr; a failure then carries its last lines. Default false. */
    quiet?: boolean;
    /** Stops the build (SIGTERM to its process group); the build then fails with an AppBuildError. Default none. */
    abortSignal?: AbortSignal;
}

/** The last `count` non-empty lines of `text`. */
function lastLines(text: string, count: number): string {
    return text.trim().split("\n").slice(-count).join("\n");
}

/** How the app is named in messages: its key, its source and its path, once each. */
function appName(app: AppSettings): string {
    return `api-cluster:app (source ${app.source}, path ${app.path})`;
}

/** How build-app.sh ended, and everything it printed (cleaned). */
interface ScriptRun {
    code: number | null;
    signal: NodeJS.Signals | null;
    output: string;
}

/**
 * Runs build-app.sh in its own process group; each line of its output is cleaned (`clean`), kept,
 * and passed to this process's stderr unless `quiet`. An abort sends the group SIGTERM.
 */
function runScript(env: NodeJS.ProcessEnv, quiet: boolean, clean: (text: string) => string, abortSignal?: AbortSignal): Promise<ScriptRun> {
    return new Promise((resolve, reject) => {
        const child = spawn("bash", [BUILD_SCRIPT], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        const pending = { stdout: "", stderr: "" };
        const take = (stream: "stdout" | "stderr", chunk: string, flush: boolean) => {
            const text = pending[stream] + chunk;
            const cut = flush ? text.length : text.lastIndexOf("\n") + 1;
            pending[stream] = text.slice(cut);
            const lines = clean(text.slice(0, cut));
            output += lines;
            if (!quiet && lines !== "") {
                process.stderr.write(lines);
            }
        };
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => take("stdout", chunk, false));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => take("stderr", chunk, false));
        const stop = () => {
            try {
                process.kill(-(child.pid as number), "SIGTERM");
            } catch {
                // already gone
            }
        };
        abortSignal?.addEventListener("abort", stop, { once: true });
        child.once("error", reject);
        child.once("close", (code, signal) => {
            abortSignal?.removeEventListener("abort", stop);
            take("stdout", "", true);
            take("stderr", "", true);
            resolve({ code, signal, output });
        });
    });
}

/**
 * Builds `app` into a runnable jar and resolves with the jar's absolute path. Rejects with a
 * SettingsError naming `api-cluster:app.path` when the path does not hold what `app.source` says,
 * and with an AppBuildError when the build fails. Nothing is left behind but the jar.
 */
export async function buildApp(app: AppSettings, options: BuildAppOptions): Promise<string> {
    const problem = appPathProblem(app, options.projectDir);
    if (problem) {
        throw new SettingsError([`api-cluster:app.path ${problem}`]);
    }
    const out = path.resolve(options.projectDir, options.out ?? path.join(BUILD_OUTPUT_DIRECTORY, "app", "api-server.jar"));
    const appPath = resolveAppPath(app.path, options.projectDir);
    const artifact = collectArtifact(app.source, appPath);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-build-"));
    try {
        const source = path.join(work, "src");
        copyArtifact(artifact, source);
        const copyPath = app.source === AppSource.Jar ? path.join(source, JAR_ENTRY) : source;
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            APP_SOURCE: app.source,
            APP_PATH: copyPath,
            OUT: out,
            MAIN_CLASS: app.mainClass ?? "",
            JAVA_VERSION: String(app.javaVersion),
        };
        delete env.MAVEN_REPO_LOCAL;
        if (options.mavenRepoLocal !== undefined) {
            env.MAVEN_REPO_LOCAL = options.mavenRepoLocal;
        }
        // The copy is removed once the build ends: messages name the app's own path instead.
        const clean = (text: string) => cleanBuildOutput(text, copyPath, appPath);
        let result: ScriptRun;
        try {
            result = await runScript(env, options.quiet ?? false, clean, options.abortSignal);
        } catch (err) {
            throw new AppBuildError(`cannot run bash ${BUILD_SCRIPT}: ${(err as Error).message}`);
        }
        if (options.abortSignal?.aborted) {
            throw new AppBuildError(`building ${appName(app)} was stopped`);
        }
        if (result.code !== 0) {
            const exit = `build-app.sh exited with ${result.code ?? result.signal}`;
            const unresolved = app.source === AppSource.Maven ? mavenResolutionFailure(result.output) : undefined;
            if (unresolved !== undefined) {
                throw new AppBuildError(
                    `building ${appName(app)} failed (${exit}): ${unresolved}. ${mavenResolutionHint(process.env[MAVEN_ARGS_VARIABLE])}`,
                );
            }
            throw new AppBuildError(
                options.quiet
                    ? `building ${appName(app)} failed (${exit}):\n${lastLines(result.output, FAILURE_LINES)}`
                    : `building ${appName(app)} failed (${exit}; its output is above)`,
            );
        }
        if (!fs.statSync(out, { throwIfNoEntry: false })?.isFile()) {
            throw new AppBuildError(`build-app.sh succeeded but wrote no jar at ${out}`);
        }
        return out;
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}
