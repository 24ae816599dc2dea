/**
 * The API artifact: the files of the app folder that the image build needs (the Java sources and
 * the README), as one zip whose S3 key is derived from their content.
 *
 * Anything else in the folder (build output, editor files, local env files) stays out, so no local
 * secret can travel into the bucket or the image by accident.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/** Whether a file of the app folder belongs in the artifact: Java sources and the README. */
export function isArtifactFile(fileName: string): boolean {
    return /^[A-Za-z0-9_$]+\.java$/.test(fileName) || fileName === "README.md";
}

/** One file of the artifact. */
export interface ArtifactFile {
    /** Name inside the zip, the file's name in the app folder. */
    name: string;
    /** Absolute path on this machine. */
    path: string;
}

/** The artifact built from an app folder. */
export interface Artifact {
    /** Files in the zip, sorted by name. */
    files: ArtifactFile[];
    /** Hex SHA-256 over every file's name and content, in name order. */
    sha256: string;
    /** S3 object key, content-addressed: a change to any file gives a new key. */
    key: string;
}

/**
 * Reads the artifact files of `appDirectory` (top level only) and hashes them. Throws when the
 * folder has no Java source.
 */
export function collectArtifact(appDirectory: string): Artifact {
    const directory = path.resolve(appDirectory);
    const files = fs
        .readdirSync(directory, { withFileTypes: true })
        .filter((entry) => entry.isFile() && isArtifactFile(entry.name))
        .map((entry) => ({ name: entry.name, path: path.join(directory, entry.name) }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (!files.some((file) => file.name.endsWith(".java"))) {
        throw new Error(`api artifact: ${directory} holds no .java file to build the API from`);
    }
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
