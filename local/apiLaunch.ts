/**
 * How `npm run local` gets the command that starts one API process: the one place that knows what
 * the API is made of. Today it compiles the reference API (app/ApiServer.java) once with `javac`
 * into the cluster's temporary folder and runs `java -cp <folder> ApiServer` per instance, which
 * starts in well under a second where the single-file launcher (`java app/ApiServer.java`) compiles
 * again on every start.
 */
import { spawn } from "child_process";
import * as path from "path";

/** The command that starts one API process; its settings come from the environment (app/README.md). */
export interface ApiLaunch {
    /** The executable, such as `java`. */
    command: string;
    /** Its arguments. */
    args: string[];
    /** What was built, for messages: the source or artifact. */
    description: string;
}

/** The reference API's source. */
export const API_SOURCE = path.join(__dirname, "..", "app", "ApiServer.java");

/**
 * JVM flags for a small, quick-starting local instance: the serial collector and the client
 * compiler suit a few requests a second and several JVMs on one laptop.
 */
const JVM_FLAGS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m"];

/** Runs a command to its end; rejects with its output when it fails or cannot start. */
function run(command: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code, signal) =>
            code === 0
                ? resolve()
                : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${output.trim()}`)),
        );
    });
}

/** Builds the API into `workDir` and returns the command that starts one instance of it. */
export async function prepareApiLaunch(workDir: string): Promise<ApiLaunch> {
    const classes = path.join(workDir, "classes");
    await run("javac", ["-d", classes, API_SOURCE]);
    return { command: "java", args: [...JVM_FLAGS, "-cp", classes, "ApiServer"], description: path.relative(process.cwd(), API_SOURCE) };
}
