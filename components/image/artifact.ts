/**
 * The API artifact: what the image build needs to build the API, as one zip whose S3 key is derived
 * from its content.
 *
 * - A Maven project (`app.source` maven): `pom.xml`, everything under `src/` and `.mvn/`, and the
 *   Maven wrapper (`mvnw`, `mvnw.cmd`) when present, at their paths relative to the project folder.
 *   Never `target/` or anything else in the folder (build output, editor files, local env files), so
 *   no local secret can travel into the bucket or the image by accident.
 * - A jar (`app.source` jar): the jar alone, named JAR_ENTRY in the zip.
 *
 * The hash covers every file's relative path and content, so any change to a file that is built
 * gives a new key (and a new image version), and only such a change does.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AppSource } from "../config/schema";

/** Name of the jar inside the artifact of a `jar` app, whatever its name on this machine. */
export const JAR_ENTRY = "app.jar";

/** Top-level files of a Maven project that belong in the artifact, when present. */
const MAVEN_FILES = ["pom.xml", "mvnw", "mvnw.cmd"];

/** Top-level folders of a Maven project whose whole content belongs in the artifact, when present. */
const MAVEN_FOLDERS = ["src", ".mvn"];

/** One file of the artifact. */
export interface ArtifactFile {
    /** Path inside the zip, relative to the project folder, with `/` separators. */
    name: string;
    /** Absolute path on this machine. */
    path: string;
}

/** The artifact built from an app. */
export interface Artifact {
    /** Files in the zip, sorted by name. */
    files: ArtifactFile[];
    /** Hex SHA-256 over every file's name and content, in name order. */
    sha256: string;
    /** S3 object key, content-addressed: a change to any file gives a new key. */
    key: string;
}

/** Every regular file under `directory`, as artifact files named `prefix/<relative path>`. */
function filesUnder(directory: string, prefix: string): ArtifactFile[] {
    return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
        const name = `${prefix}/${entry.name}`;
        const file = path.join(directory, entry.name);
        if (entry.isDirectory()) return filesUnder(file, name);
        return entry.isFile() ? [{ name, path: file }] : [];
    });
}

/** The files of the Maven project in `directory` that the build needs. Throws without a pom.xml. */
function mavenFiles(directory: string): ArtifactFile[] {
    if (!fs.statSync(path.join(directory, "pom.xml"), { throwIfNoEntry: false })?.isFile()) {
        throw new Error(`api artifact: ${directory} holds no pom.xml to build the API from`);
    }
    const files = MAVEN_FILES.filter((name) => fs.statSync(path.join(directory, name), { throwIfNoEntry: false })?.isFile()).map(
        (name) => ({ name, path: path.join(directory, name) }),
    );
    for (const folder of MAVEN_FOLDERS) {
        if (fs.statSync(path.join(directory, folder), { throwIfNoEntry: false })?.isDirectory()) {
            files.push(...filesUnder(path.join(directory, folder), folder));
        }
    }
    return files;
}

/**
 * Reads the artifact of an app (`appPath` absolute: a Maven project folder or a jar file) and
 * hashes it.
 */
export function collectArtifact(source: AppSource, appPath: string): Artifact {
    const resolved = path.resolve(appPath);
    const files = (source === AppSource.Jar ? [{ name: JAR_ENTRY, path: resolved }] : mavenFiles(resolved)).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    const hash = createHash("sha256");
    for (const file of files) {
        const content = fs.readFileSync(file.path);
        hash.update(`${Buffer.byteLength(file.name)}:${file.name}\n${content.length}:`);
        hash.update(content);
        hash.update("\n");
    }
    const sha256 = hash.digest("hex");
    return { files, sha256, key: `api-server/${sha256.slice(0, 20)}.zip` };
}

/** The artifact's files as an archive, which the provider uploads as a zip. */
export function artifactArchive(artifact: Artifact): pulumi.asset.AssetArchive {
    const assets: Record<string, pulumi.asset.Asset> = {};
    for (const file of artifact.files) {
        assets[file.name] = new pulumi.asset.FileAsset(file.path);
    }
    return new pulumi.asset.AssetArchive(assets);
}

/** Copies the artifact's files into `directory`, at their names: the tree the image build unpacks. */
export function copyArtifact(artifact: Artifact, directory: string): void {
    for (const file of artifact.files) {
        const target = path.join(directory, ...file.name.split("/"));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(file.path, target);
    }
}
