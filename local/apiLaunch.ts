/**
 * How `npm run local` gets the command that starts one API process: the stack's `app`, built by
 * the same build the bake runs (components/app/localBuild.ts), started as the image's unit starts
 * it (javaLaunchArgs). A built jar is kept under `.build/local/`, named by what the build depends on
 * (localJarName), so a later start builds again only when a source file or the build changed.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { appPathProblem, resolveAppPath } from "../components/app/appPath";
import { BUILD_OUTPUT_DIRECTORY, BUILD_SCRIPT, buildApp, javaLaunchArgs } from "../components/app/localBuild";
import { AppSettings } from "../components/config/schema";
import { SettingsError } from "../components/config/validate";
import { collectArtifact } from "../components/image/artifact";

/** The command that starts one API process; its settings come from the environment (app/README.md). */
export interface ApiLaunch {
    /** The executable, such as `java`. */
    command: string;
    /** Its arguments. */
    args: string[];
    /** What was built, for messages: the source or artifact. */
    description: string;
}

/**
 * JVM flags for a small, quick-starting local instance, before the app's own `jvmOptions` (a
 * later flag wins): the serial collector and the client compiler suit a few requests a second
 * and several JVMs on one laptop.
 */
const JVM_FLAGS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m"];

/** Where local builds are kept, relative to the project root; git ignores `.build/`. */
export const LOCAL_BUILD_DIRECTORY = path.join(BUILD_OUTPUT_DIRECTORY, "local");

/**
 * The cached jar's file name: what the build makes depends on the sources (`artifactSha256`), on
 * `app.source`, on `app.mainClass` (build-app.sh refuses a jar without Main-Class unless it is set),
 * on `app.javaVersion` (build-app.sh hands it to Maven, which may compile for it) and on build-app.sh
 * itself, so each is in the name and a change to any builds again. The launch's
 * other inputs (`jvmOptions`, the class started with -cp) are read from `app` at every start.
 */
export function localJarName(app: AppSettings, artifactSha256: string): string {
    const key = createHash("sha256")
        .update(JSON.stringify([artifactSha256, app.source, app.mainClass ?? null, app.javaVersion]))
        .update(fs.readFileSync(BUILD_SCRIPT))
        .digest("hex");
    return `${app.source}-${key.slice(0, 20)}.jar`;
}

/**
 * Builds `app` (or reuses the jar built from the same sources and build) and returns the command that
 * starts one instance of it. `projectDir` is where Pulumi.yaml is: a relative `app.path` is
 * taken from there; `abortSignal` stops a build in progress.
 */
export async function prepareApiLaunch(app: AppSettings, projectDir: string, abortSignal?: AbortSignal): Promise<ApiLaunch> {
    const problem = appPathProblem(app, projectDir);
    if (problem) {
        throw new SettingsError([`api-cluster:app.path ${problem}`]);
    }
    const { sha256 } = collectArtifact(app.source, resolveAppPath(app.path, projectDir));
    const jar = path.join(projectDir, LOCAL_BUILD_DIRECTORY, localJarName(app, sha256));
    if (!fs.existsSync(jar)) {
        // Built under another name, then renamed: a start stopped mid-build leaves no half jar.
        const partial = `${jar}.${process.pid}.partial`;
        await buildApp(app, { projectDir, out: partial, quiet: true, abortSignal });
        fs.renameSync(partial, jar);
    }
    return {
        command: "java",
        args: [...JVM_FLAGS, ...javaLaunchArgs(app, jar)],
        description: `api-cluster:app (source ${app.source}, path ${app.path}) as ${path.relative(projectDir, jar)}`,
    };
}
