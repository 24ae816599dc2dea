/**
 * Where the API's source is on this machine: `app.path` resolved against the project root, and
 * the check that it holds what `app.source` says (a Maven project folder, or a readable jar file
 * whose manifest names a Main-Class unless `app.mainClass` is set: jarManifest.ts reads it).
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AppSettings, AppSource } from "../config/schema";
import { JarReadError, MANIFEST_ENTRY, jarMainClass } from "./jarManifest";

/** The project file whose folder is the project root. */
const PROJECT_FILE = "Pulumi.yaml";

/** The first folder from `start` upwards that holds Pulumi.yaml; undefined when none does. */
function findProjectFile(start: string): string | undefined {
    for (let directory = path.resolve(start); ; directory = path.dirname(directory)) {
        if (fs.existsSync(path.join(directory, PROJECT_FILE))) {
            return directory;
        }
        if (path.dirname(directory) === directory) {
            return undefined;
        }
    }
}

/**
 * The project root, where Pulumi.yaml is: the root directory the Pulumi CLI reports when it runs
 * the program, otherwise the nearest folder holding Pulumi.yaml from the working directory up (the
 * offline preview, the tests, `npm run app:build`), otherwise the working directory.
 */
export function projectRoot(): string {
    const reported = pulumi.runtime.getRootDirectory();
    if (path.isAbsolute(reported) && fs.existsSync(path.join(reported, PROJECT_FILE))) {
        return reported;
    }
    return findProjectFile(process.cwd()) ?? process.cwd();
}

/** `app.path` as an absolute path: relative paths are taken from `projectDir`. */
export function resolveAppPath(appPath: string, projectDir: string = projectRoot()): string {
    return path.resolve(projectDir, appPath);
}

/** The first bytes of every zip file, and so of every jar. */
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Whether `file` starts like a zip file; false when it cannot be read. */
function looksLikeZip(file: string): boolean {
    let descriptor: number | undefined;
    try {
        descriptor = fs.openSync(file, "r");
        const head = Buffer.alloc(ZIP_MAGIC.length);
        return fs.readSync(descriptor, head, 0, head.length, 0) === head.length && head.equals(ZIP_MAGIC);
    } catch {
        return false;
    } finally {
        if (descriptor !== undefined) fs.closeSync(descriptor);
    }
}

/**
 * What is wrong with `app.path` for `app.source`, as the end of a message that starts with the
 * key's name; undefined when it is fine. A `maven` path must be a folder holding a pom.xml; a `jar`
 * path must be a readable `.jar` file whose manifest names a Main-Class, unless `app.mainClass` is set.
 */
export function appPathProblem(app: AppSettings, projectDir: string = projectRoot()): string | undefined {
    const resolved = resolveAppPath(app.path, projectDir);
    const got = `; got ${JSON.stringify(app.path)}`;
    const stat = fs.statSync(resolved, { throwIfNoEntry: false });
    if (app.source === AppSource.Maven) {
        if (!stat?.isDirectory()) {
            return `must be a Maven project folder (source maven)${got}, which is ${stat ? "not a folder" : "missing"} at ${resolved}`;
        }
        if (!fs.statSync(path.join(resolved, "pom.xml"), { throwIfNoEntry: false })?.isFile()) {
            return `must be a Maven project folder holding a pom.xml (source maven)${got}, and ${resolved} has no pom.xml`;
        }
        return undefined;
    }
    if (!resolved.endsWith(".jar") || !stat?.isFile()) {
        const what = !stat ? "missing" : !stat.isFile() ? "not a file" : "not named *.jar";
        return `must be a readable .jar file (source jar)${got}, which is ${what} at ${resolved}`;
    }
    if (!looksLikeZip(resolved)) {
        return `must be a readable .jar file (source jar)${got}, and ${resolved} cannot be read as a jar (zip)`;
    }
    if (app.mainClass !== undefined) {
        return undefined;
    }
    // `java -jar` needs the manifest's Main-Class; without app.mainClass the cluster starts the jar so.
    let mainClass: string | undefined;
    try {
        mainClass = jarMainClass(resolved);
    } catch (err) {
        if (!(err instanceof JarReadError)) throw err;
        return `must be a readable .jar file (source jar)${got}, and ${resolved} cannot be read as a jar (zip): ${err.message}`;
    }
    if (mainClass === undefined) {
        return (
            `must be a runnable jar (source jar)${got}, and ${resolved} names no Main-Class in ${MANIFEST_ENTRY}: ` +
            "set app.mainClass to the class to run (started with -cp), or build the jar with a Main-Class"
        );
    }
    return undefined;
}
