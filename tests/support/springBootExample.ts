/**
 * The Spring Boot example (examples/spring-boot-api) built and run as the bake and the local cluster
 * do: built by build-app.sh (buildApp) against Maven Central, started with `java -jar` and the
 * environment the boot script writes, its port read from its listening line. The tests and the
 * bench share it; every process it starts is a local/processes.ts ManagedProcess the caller stops.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildApp } from "../../components/app/localBuild";
import { AppSettings, AppSource } from "../../components/config/schema";
import { parseListeningLine } from "../../local/apiInstance";
import { ManagedProcess, startProcess, stopProcess } from "../../local/processes";
import { withOnlineMaven } from "./onlineMaven";
import { setTimeout as sleep } from "timers/promises";

/** The repository's root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The example's folder, relative to the repository's root, as `api-cluster:app.path` names it. */
export const EXAMPLE_PATH = "examples/spring-boot-api";

/** The example as a stack's `app` names it, on the Java version given. */
export function exampleApp(javaVersion = 17): AppSettings {
    return { source: AppSource.Maven, path: EXAMPLE_PATH, javaVersion, jvmOptions: [] };
}

/** A build of the example: the jar and the seconds build-app.sh took. */
export interface ExampleBuild {
    jar: string;
    seconds: number;
}

/** Options of a build beside the Java version. */
export interface ExampleBuildOptions {
    /** The JDK Maven runs on (build-app.sh's JAVA_HOME). Default: java on PATH. */
    javaHome?: string;
    /** Maven's repository (build-app.sh's MAVEN_REPO_LOCAL), e.g. an empty folder for a cold build. Default ~/.m2/repository. */
    mavenRepoLocal?: string;
}

/** Builds the example with build-app.sh against Maven Central into `out`. */
export async function buildExample(out: string, javaVersion = 17, options: ExampleBuildOptions = {}): Promise<ExampleBuild> {
    const saved = { JAVA_HOME: process.env.JAVA_HOME, MAVEN_REPO_LOCAL: process.env.MAVEN_REPO_LOCAL };
    const start = process.hrtime.bigint();
    try {
        if (options.javaHome !== undefined) {
            process.env.JAVA_HOME = options.javaHome;
        }
        const jar = await withOnlineMaven(() =>
            buildApp(exampleApp(javaVersion), { projectDir: REPO_ROOT, out, quiet: true, mavenRepoLocal: options.mavenRepoLocal }),
        );
        return { jar, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
    } finally {
        for (const [name, value] of Object.entries(saved)) {
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
        }
    }
}

/** The example running: its process, its port, and the seconds from spawn to its listening line. */
export interface RunningExample {
    process: ManagedProcess;
    port: number;
    url: string;
    startSeconds: number;
    /** Its log so far (stdout and stderr). */
    log: () => string;
}

/** What a started example is given in its environment, beside PORT=0 and BIND_ADDRESS=127.0.0.1. */
export interface ExampleEnvironment {
    ADMIN_PASSWORD?: string;
    ADMIN_USERNAME?: string;
    INSTANCE_ID?: string;
    AVAILABILITY_ZONE?: string;
}

/**
 * Starts the jar with `java` (default: java on PATH) on loopback and a port the system chooses, and
 * resolves once it printed its listening line; rejects with its log when it ends first or takes
 * longer than `timeoutMs`. The caller stops it (stopExample), also when this rejects: it is stopped here then.
 */
export async function startExample(
    jar: string,
    workDir: string,
    env: ExampleEnvironment,
    java = "java",
    timeoutMs = 120_000,
): Promise<RunningExample> {
    const logFile = path.join(workDir, `example-${process.hrtime.bigint()}.log`);
    const inherited = { ...process.env };
    delete inherited.ADMIN_PASSWORD;
    const start = process.hrtime.bigint();
    const managed = await startProcess(
        "spring-boot-api",
        java,
        ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar],
        { ...inherited, PORT: "0", BIND_ADDRESS: "127.0.0.1", ...env },
        logFile,
    );
    const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "");
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const line = parseListeningLine(log());
        if (line !== undefined) {
            const startSeconds = Number(process.hrtime.bigint() - start) / 1e9;
            return { process: managed, port: line.port, url: `http://127.0.0.1:${line.port}`, startSeconds, log };
        }
        if (managed.hasEnded()) {
            throw new Error(`spring-boot-api ended before it listened:\n${log()}`);
        }
        await sleep(50);
    }
    await stopProcess(managed, "SIGKILL", 5000);
    throw new Error(`spring-boot-api printed no listening line within ${timeoutMs / 1000} s:\n${log()}`);
}

/** Stops a started example: SIGTERM, then SIGKILL after 15 s. */
export async function stopExample(running: RunningExample | undefined): Promise<void> {
    if (running !== undefined) {
        await stopProcess(running.process, "SIGTERM", 15_000);
    }
}

/** A temporary folder for builds and logs; the caller removes it. */
export function exampleWorkDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-boot-"));
}
