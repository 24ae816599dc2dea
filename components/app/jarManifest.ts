/**
 * Reads a jar's manifest without Java: a jar is a zip, whose central directory at its end lists
 * every entry with its offset; META-INF/MANIFEST.MF is one entry, stored or deflated. The settings
 * check reads `Main-Class` here before anything is built or registered, as build-app.sh checks it
 * with `jar xf` during a build.
 *
 * Zip layout (PKWARE APPNOTE 6.3.10): the end of central directory record (signature 0x06054b50)
 * closes the file, after a comment of up to 65,535 bytes; a zip64 file puts 0xffff/0xffffffff there
 * and the real count and offset in the zip64 record its locator (0x07064b50) points to. Each central
 * directory header (0x02014b50) gives the entry's method, sizes and local header offset (in its zip64
 * extra field, id 0x0001, when 0xffffffff); the data follows the local header (0x04034b50) and its
 * own name and extra field.
 */
import * as fs from "fs";
import * as zlib from "zlib";

/** Raised when a file cannot be read as a zip: the message says what is wrong. */
export class JarReadError extends Error {}

/** The manifest's path inside a jar. */
export const MANIFEST_ENTRY = "META-INF/MANIFEST.MF";

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
/** The largest end record: 22 bytes and a comment of up to 65,535. */
const MAX_END_RECORD = 22 + 0xffff;

/** Where the central directory is and how many entries it lists. */
interface CentralDirectory {
    offset: number;
    entries: number;
}

/** Finds the end record from the file's tail, and through it the central directory. */
function centralDirectory(data: Buffer): CentralDirectory {
    for (let at = data.length - 22; at >= Math.max(0, data.length - MAX_END_RECORD); at--) {
        if (data.readUInt32LE(at) !== END_OF_CENTRAL_DIRECTORY) continue;
        const entries = data.readUInt16LE(at + 10);
        const offset = data.readUInt32LE(at + 16);
        if (entries !== 0xffff && offset !== 0xffffffff) {
            return { offset, entries };
        }
        const locator = at - 20;
        if (locator < 0 || data.readUInt32LE(locator) !== ZIP64_LOCATOR) {
            throw new JarReadError("its zip64 end record has no locator");
        }
        const record = Number(data.readBigUInt64LE(locator + 8));
        if (record + 56 > data.length || data.readUInt32LE(record) !== ZIP64_END_OF_CENTRAL_DIRECTORY) {
            throw new JarReadError("its zip64 end record is missing");
        }
        return { entries: Number(data.readBigUInt64LE(record + 32)), offset: Number(data.readBigUInt64LE(record + 48)) };
    }
    throw new JarReadError("it has no zip end of central directory record");
}

/** The local header offset of a central directory entry, from its zip64 extra field when it says 0xffffffff. */
function localHeaderOffset(data: Buffer, header: number, nameLength: number, extraLength: number): number {
    const offset = data.readUInt32LE(header + 42);
    if (offset !== 0xffffffff) {
        return offset;
    }
    // The zip64 field holds, in order, only the values that are 0xffffffff in the header.
    const skip = (data.readUInt32LE(header + 24) === 0xffffffff ? 8 : 0) + (data.readUInt32LE(header + 20) === 0xffffffff ? 8 : 0);
    for (let at = header + 46 + nameLength; at + 4 <= header + 46 + nameLength + extraLength;) {
        const id = data.readUInt16LE(at);
        const size = data.readUInt16LE(at + 2);
        if (id === 0x0001) {
            return Number(data.readBigUInt64LE(at + 4 + skip));
        }
        at += 4 + size;
    }
    throw new JarReadError("an entry's zip64 offset is missing");
}

/** The bytes of entry `name`, or undefined when the zip has no such entry. */
export function readZipEntry(file: string, name: string): Buffer | undefined {
    const data = fs.readFileSync(file);
    try {
        const directory = centralDirectory(data);
        let header = directory.offset;
        for (let i = 0; i < directory.entries; i++) {
            if (data.readUInt32LE(header) !== CENTRAL_DIRECTORY_HEADER) {
                throw new JarReadError(`its central directory is damaged at entry ${i + 1} of ${directory.entries}`);
            }
            const method = data.readUInt16LE(header + 10);
            const compressedSize = data.readUInt32LE(header + 20);
            const nameLength = data.readUInt16LE(header + 28);
            const extraLength = data.readUInt16LE(header + 30);
            const commentLength = data.readUInt16LE(header + 32);
            const entryName = data.toString("utf8", header + 46, header + 46 + nameLength);
            if (entryName === name) {
                const local = localHeaderOffset(data, header, nameLength, extraLength);
                if (data.readUInt32LE(local) !== LOCAL_FILE_HEADER) {
                    throw new JarReadError(`the local header of ${name} is missing`);
                }
                const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
                const stored = data.subarray(start, start + compressedSize);
                if (method === 0) return Buffer.from(stored);
                if (method === 8) return zlib.inflateRawSync(stored);
                throw new JarReadError(`${name} is compressed with method ${method}, neither stored (0) nor deflated (8)`);
            }
            header += 46 + nameLength + extraLength + commentLength;
        }
        return undefined;
    } catch (err) {
        if (err instanceof JarReadError) throw err;
        // A read past the end (RangeError) or a broken deflate stream: the file is not a whole zip.
        throw new JarReadError(`it is cut short or damaged (${(err as Error).message})`);
    }
}

/**
 * A manifest's main attributes, by name as written: the lines before the first blank line, a line
 * that starts with a space continuing the one before (JAR File Specification, "Manifest Specification").
 */
export function manifestAttributes(manifest: string): Map<string, string> {
    const lines: string[] = [];
    for (const line of manifest.split(/\r\n|\r|\n/)) {
        if (line === "") break;
        if (line.startsWith(" ") && lines.length > 0) {
            lines[lines.length - 1] += line.slice(1);
        } else {
            lines.push(line);
        }
    }
    const attributes = new Map<string, string>();
    for (const line of lines) {
        const colon = line.indexOf(":");
        if (colon > 0) attributes.set(line.slice(0, colon), line.slice(colon + 1).trim());
    }
    return attributes;
}

/**
 * The jar's `Main-Class` (names are case-insensitive, as `java -jar` reads them), or undefined when
 * its manifest has none or it has no manifest. Throws JarReadError when the file is not a readable zip.
 */
export function jarMainClass(file: string): string | undefined {
    const manifest = readZipEntry(file, MANIFEST_ENTRY);
    if (manifest === undefined) {
        return undefined;
    }
    for (const [name, value] of manifestAttributes(manifest.toString("utf8"))) {
        if (name.toLowerCase() === "main-class" && value !== "") return value;
    }
    return undefined;
}
