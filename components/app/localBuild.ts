/**
 * Builds the app on this machine exactly as the bake does: the artifact's files (artifact.ts)
 * copied into a temporary folder, then build-app.sh, the script the image's BuildApi step runs.
 * `npm run app:build` and the local cluster use it; javaLaunchArgs says how to start the jar.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AppSettings, AppSource } from "../config/schema";
import { SettingsError } from "../config/validate";
import { JAR_ENTRY, collectArtifact, copyArtifact } from "../image/artifact";
import { SCRIPTS_DIRECTORY } from "../image/imageDocument";
import { appPathProblem, resolveAppPath } from "./appPath";

export { javaLaunchArgs } from "./javaLaunch";

/** The build script both places run. */
export const BUILD_SCRIPT = path.join(SCRIPTS_DIRECTORY, "build-app.sh");

/** The environment variable whose words go to Maven before its own arguments. */
export const MAVEN_ARGS_VARIABLE = "API_CLUSTER_MAVEN_ARGS";

/** Where built jars go by default, relative to the project root; git ignores it. */
export const BUILD_OUTPUT_DIRECTORY = ".build";

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
}

/** The last `count` non-empty lines of `text`. */
function lastLines(text: string, count: number): string {
    return text.trim().split("\n").slice(-count).join("\n");
}

/**
 * Builds `app` into a runnable jar and returns the jar's absolute path. Throws a SettingsError
 * naming `api-cluster:app.path` when the path does not hold what `app.source` says, and an
 * AppBuildError when the build fails. Nothing is left behind but the jar.
 */
export function buildApp(app: AppSettings, options: BuildAppOptions): string {
    const problem = appPathProblem(app, options.projectDir);
    if (problem) {
        throw new SettingsError([`api-cluster:app.path ${problem}`]);
    }
    const out = path.resolve(options.projectDir, options.out ?? path.join(BUILD_OUTPUT_DIRECTORY, "app", "api-server.jar"));
    const artifact = collectArtifact(app.source, resolveAppPath(app.path, options.projectDir));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-build-"));
    try {
        const source = path.join(work, "src");
        copyArtifact(artifact, source);
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            APP_SOURCE: app.source,
            APP_PATH: app.source === AppSource.Jar ? path.join(source, JAR_ENTRY) : source,
            OUT: out,
            MAIN_CLASS: app.mainClass ?? "",
            JAVA_VERSION: String(app.javaVersion),
        };
        delete env.MAVEN_REPO_LOCAL;
        if (options.mavenRepoLocal !== undefined) {
            env.MAVEN_REPO_LOCAL = options.mavenRepoLocal;
        }
        const result = spawnSync("bash", [BUILD_SCRIPT], {
            env,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
            // The child's stdout joins stderr: a caller's stdout stays free for the jar's path.
            stdio: options.quiet ? ["ignore", "pipe", "pipe"] : ["ignore", process.stderr, process.stderr],
        });
        if (result.error) {
            throw new AppBuildError(`cannot run bash ${BUILD_SCRIPT}: ${result.error.message}`);
        }
        if (result.status !== 0) {
            const exit = `build-app.sh exited with ${result.status ?? result.signal}`;
            throw new AppBuildError(
                options.quiet
                    ? `building the ${app.source} app ${app.path} failed (${exit}):\n${lastLines(`${result.stdout}\n${result.stderr}`, 40)}`
                    : `building the ${app.source} app ${app.path} failed (${exit}; its output is above)`,
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
