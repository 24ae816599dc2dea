/**
 * Writes small zip files (and so jars) for tests, without Java: local headers, then the central
 * directory and its end record (PKWARE APPNOTE), each entry stored or deflated, with its CRC-32.
 */
import * as fs from "fs";
import * as zlib from "zlib";

/** One entry of a zip to write. */
export interface ZipEntry {
    /** Its path inside the zip, such as `META-INF/MANIFEST.MF`. */
    name: string;
    /** Its content. */
    content: string | Buffer;
    /** Deflate it (method 8) rather than store it (method 0). Default false. */
    deflate?: boolean;
}

/** CRC-32 (IEEE 802.3, as zip uses it) of `data`. */
function crc32(data: Buffer): number {
    let crc = 0xffffffff;
    for (const byte of data) {
        crc ^= byte;
        for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
    return (crc ^ 0xffffffff) >>> 0;
}

/** Writes `entries` as a zip at `file`, with `comment` after the end record. */
export function writeZip(file: string, entries: ZipEntry[], comment = ""): void {
    const locals: Buffer[] = [];
    const centrals: Buffer[] = [];
    let offset = 0;
    for (const entry of entries) {
        const content = Buffer.from(entry.content);
        const data = entry.deflate ? zlib.deflateRawSync(content) : content;
        const name = Buffer.from(entry.name);
        const crc = crc32(content);
        const local = Buffer.alloc(30);
        local.writeUInt32LE(0x04034b50, 0);
        local.writeUInt16LE(20, 4);
        local.writeUInt16LE(entry.deflate ? 8 : 0, 8);
        local.writeUInt32LE(crc, 14);
        local.writeUInt32LE(data.length, 18);
        local.writeUInt32LE(content.length, 22);
        local.writeUInt16LE(name.length, 26);
        const central = Buffer.alloc(46);
        central.writeUInt32LE(0x02014b50, 0);
        central.writeUInt16LE(20, 4);
        central.writeUInt16LE(20, 6);
        central.writeUInt16LE(entry.deflate ? 8 : 0, 10);
        central.writeUInt32LE(crc, 16);
        central.writeUInt32LE(data.length, 20);
        central.writeUInt32LE(content.length, 24);
        central.writeUInt16LE(name.length, 28);
        central.writeUInt32LE(offset, 42);
        locals.push(local, name, data);
        centrals.push(central, name);
        offset += local.length + name.length + data.length;
    }
    const directory = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    end.writeUInt16LE(Buffer.byteLength(comment), 20);
    fs.writeFileSync(file, Buffer.concat([...locals, directory, end, Buffer.from(comment)]));
}

/** Writes a jar whose manifest has `attributes` (none: no Main-Class), plus one class file's worth of bytes. */
export function writeJar(file: string, attributes: Record<string, string> = {}): void {
    const manifest = ["Manifest-Version: 1.0", ...Object.entries(attributes).map(([key, value]) => `${key}: ${value}`), "", ""].join(
        "\r\n",
    );
    writeZip(file, [
        { name: "META-INF/MANIFEST.MF", content: manifest, deflate: true },
        { name: "com/example/Main.class", content: Buffer.from([0xca, 0xfe, 0xba, 0xbe]) },
    ]);
}
