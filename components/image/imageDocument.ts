/**
 * The Image Builder component document (AWSTOE YAML, schema 1.0) that turns Amazon Linux 2023 into
 * the API's image: build installs the chosen Corretto and Maven, the `api` user, fetches the app's
 * artifact, builds it with build-app.sh (the script `npm run app:build` runs too), installs the jar
 * and its systemd unit; validate checks them; test starts the service on an instance of the new
 * image and checks /health.
 *
 * Every step is an ExecuteBash step whose one command is a real script of ./scripts, with the
 * values it needs assigned at its top. The scripts are files so that shellcheck checks them.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { javaLaunchArgs } from "../app/javaLaunch";
import { AppSettings, AppSource, JAVA_VERSIONS } from "../config/schema";
import { JAR_ENTRY } from "./artifact";

/** Folder of the scripts and the unit file the document embeds. */
export const SCRIPTS_DIRECTORY = path.join(__dirname, "scripts");

/** Where the build installs the systemd unit. */
export const UNIT_PATH = "/etc/systemd/system/api.service";

/** The link to the chosen Corretto's home that install-runtime.sh makes. */
export const JDK_LINK = "/usr/lib/jvm/api-cluster-jdk";

/** Where the API's jar is installed. */
export const INSTALLED_JAR = "/opt/api/api-server.jar";

/** The build folder: the unpacked artifact, Maven's repository and the built jar; removed before the snapshot. */
export const BUILD_DIR = "/var/tmp/api-cluster-build";

/** JVM options the unit always passes, before the app's own. */
export const DEFAULT_JVM_OPTIONS = ["-XX:+ExitOnOutOfMemoryError"];

/** Step names of each phase, in run order. */
export const IMAGE_DOCUMENT_STEPS = {
    build: ["InstallRuntime", "CreateUser", "FetchApi", "BuildApi", "InstallApi", "InstallService"],
    validate: ["ValidateRuntime", "ValidateService"],
    test: ["TestHealth"],
} as const;

/** Inputs of the document. */
export interface ImageDocumentArgs {
    /** `s3://bucket/key` of the artifact zip (the Maven project's sources, or the jar). */
    artifactUri: string;
    /** Port the API listens on; the test phase checks /health there. */
    appPort: number;
    /** The app: its source kind, Java version, JVM options and main class. Its `path` is never read, so the document does not depend on where the source is on this machine. */
    app: AppSettings;
}

/** Reads a file of ./scripts. */
export function readScript(fileName: string): string {
    return fs.readFileSync(path.join(SCRIPTS_DIRECTORY, fileName), "utf8");
}

/** Image Builder's limit on an inline component document, in characters. */
export const MAX_DOCUMENT_LENGTH = 16000;

/**
 * `text` without its comment lines and without runs of blank lines. The files keep their comments;
 * the document drops them to stay well inside MAX_DOCUMENT_LENGTH.
 */
function withoutComments(text: string): string {
    const kept = text.split("\n").filter((line) => !/^\s*#/.test(line));
    return kept
        .filter((line, i) => line.trim() !== "" || (i > 0 && kept[i - 1].trim() !== ""))
        .join("\n")
        .trim();
}

/** `value` as one single-quoted shell word. */
function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A script of ./scripts as one ExecuteBash command: its shebang line is replaced by a comment
 * naming the file, `set -euo pipefail` and assignments of `variables`; `prelude` (shell text)
 * comes next, then the rest of the script.
 */
function scriptCommand(fileName: string, variables: Record<string, string> = {}, prelude = ""): string {
    const script = readScript(fileName);
    const lines = script.split("\n");
    if (!lines[0].startsWith("#!")) {
        throw new Error(`image document: ${fileName} must start with a shebang line`);
    }
    const header = [
        `# ${fileName}`,
        "set -euo pipefail",
        ...Object.entries(variables).map(([name, value]) => `${name}=${shellQuote(value)}`),
    ];
    // The header sets the shell options before anything runs, so the script's own line is dropped.
    const body = lines.slice(1).filter((line) => line !== "set -euo pipefail");
    return `${[...header, ...(prelude ? [prelude] : []), withoutComments(body.join("\n"))].join("\n")}\n`;
}

/**
 * The systemd unit (api.service) for `app`: its ExecStart runs the chosen Corretto with
 * DEFAULT_JVM_OPTIONS and javaLaunchArgs (the app's JVM options, then the jar). The JVM options'
 * rule keeps them single words without quotes, `$` or `%`, which systemd would read specially.
 */
export function renderUnit(app: AppSettings): string {
    const words = [`${JDK_LINK}/bin/java`, ...DEFAULT_JVM_OPTIONS, ...javaLaunchArgs(app, INSTALLED_JAR)];
    const unsafe = words.find((word) => !/^[A-Za-z0-9_.:=+,/@-]+$/.test(word));
    if (unsafe !== undefined) {
        throw new Error(`image document: ${JSON.stringify(unsafe)} cannot be written into the unit's ExecStart`);
    }
    const template = readScript("api.service");
    if (template.split("\n").filter((line) => line === "ExecStart=@@EXEC_START@@").length !== 1) {
        throw new Error("image document: api.service must hold exactly one line ExecStart=@@EXEC_START@@");
    }
    return template.replace("ExecStart=@@EXEC_START@@", `ExecStart=${words.join(" ")}`);
}

/** Shell text that writes the unit to UNIT_PATH through a quoted here-document. */
function unitWriter(app: AppSettings): string {
    const unit = withoutComments(renderUnit(app));
    const delimiter = "API_SERVICE_UNIT";
    if (unit.split("\n").includes(delimiter)) {
        throw new Error(`image document: api.service must not contain a line "${delimiter}"`);
    }
    return `cat >"$UNIT_PATH" <<'${delimiter}'\n${unit}\n${delimiter}`;
}

/** An ExecuteBash step. */
function bashStep(name: string, command: string): Record<string, unknown> {
    return { name, action: "ExecuteBash", inputs: { commands: [command] } };
}

/** Checks the inputs; throws on a value the scripts cannot take. */
function validate(args: ImageDocumentArgs): void {
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[A-Za-z0-9!_.*()/-]+$/.test(args.artifactUri)) {
        throw new Error(`image document: artifactUri must be s3://bucket/key, got ${JSON.stringify(args.artifactUri)}`);
    }
    if (!Number.isInteger(args.appPort) || args.appPort < 1 || args.appPort > 65535) {
        throw new Error(`image document: appPort must be an integer from 1 to 65535, got ${args.appPort}`);
    }
    if (!Object.values(AppSource).includes(args.app.source)) {
        throw new Error(`image document: app.source must be maven or jar, got ${JSON.stringify(args.app.source)}`);
    }
    if (!(JAVA_VERSIONS as readonly number[]).includes(args.app.javaVersion)) {
        throw new Error(`image document: app.javaVersion must be one of ${JAVA_VERSIONS.join(", ")}, got ${args.app.javaVersion}`);
    }
}

/** Renders the component document as YAML. The same inputs always give the same text. */
export function renderImageDocument(args: ImageDocumentArgs): string {
    validate(args);
    const { app } = args;
    const javaVersion = String(app.javaVersion);
    const builtJar = `${BUILD_DIR}/api-server.jar`;
    const steps: Record<string, string> = {
        InstallRuntime: scriptCommand("install-runtime.sh", { JAVA_VERSION: javaVersion }),
        CreateUser: scriptCommand("create-user.sh"),
        FetchApi: scriptCommand("fetch-api.sh", { ARTIFACT_URI: args.artifactUri, BUILD_DIR }),
        BuildApi: scriptCommand("build-app.sh", {
            APP_SOURCE: app.source,
            APP_PATH: app.source === AppSource.Jar ? `${BUILD_DIR}/src/${JAR_ENTRY}` : `${BUILD_DIR}/src`,
            OUT: builtJar,
            MAIN_CLASS: app.mainClass ?? "",
            JAVA_VERSION: javaVersion,
            MAVEN_REPO_LOCAL: `${BUILD_DIR}/m2`,
            JAVA_HOME: JDK_LINK,
        }),
        InstallApi: scriptCommand("install-api.sh", { BUILD_DIR, BUILT_JAR: builtJar }),
        InstallService: scriptCommand("install-service.sh", { UNIT_PATH }, unitWriter(app)),
        ValidateRuntime: scriptCommand("validate-runtime.sh", { JAVA_VERSION: javaVersion }),
        ValidateService: scriptCommand("validate-service.sh", { BUILD_DIR }),
        TestHealth: scriptCommand("test-health.sh", { APP_PORT: String(args.appPort) }),
    };
    const phases = Object.entries(IMAGE_DOCUMENT_STEPS).map(([phase, names]) => ({
        name: phase,
        steps: names.map((name) => bashStep(name, steps[name])),
    }));
    // AWSTOE's own examples write the schema version as a bare 1.0.
    const schemaVersion = new YAML.Scalar(1);
    schemaVersion.minFractionDigits = 1;
    const text = YAML.stringify(
        {
            name: "api-cluster-api",
            description: `Installs Corretto ${javaVersion}, Maven, the api-cluster REST API (built from its ${app.source === AppSource.Jar ? "jar" : "Maven project"}) and its hardened systemd unit.`,
            schemaVersion,
            phases,
        },
        { lineWidth: 0, indentSeq: false },
    );
    // AWSTOE reads {{ ... }} as a variable reference; the scripts must never contain one.
    if (text.includes("{{")) {
        throw new Error("image document: a script contains '{{', which AWSTOE would read as a variable");
    }
    if (text.length > MAX_DOCUMENT_LENGTH) {
        throw new Error(`image document: ${text.length} characters, over Image Builder's limit of ${MAX_DOCUMENT_LENGTH}`);
    }
    return text;
}
