import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { collectArtifact, isArtifactFile } from "../../components/image/artifact";

/** A temporary app folder holding `files` (relative path to content). */
function appFolder(files: Record<string, string>): string {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "api-app-"));
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
        fs.writeFileSync(path.join(directory, name), content);
    }
    return directory;
}

describe("API artifact", () => {
    const folders: string[] = [];
    const folder = (files: Record<string, string>) => {
        const directory = appFolder(files);
        folders.push(directory);
        return directory;
    };
    after(() => folders.forEach((directory) => fs.rmSync(directory, { recursive: true, force: true })));

    const base = {
        "ApiServer.java": "public final class ApiServer {}\n",
        "README.md": "# API\n",
    };

    it("holds only the top-level Java sources and the README", () => {
        const directory = folder({
            ...base,
            "Helper.java": "final class Helper {}\n",
            "notes.txt": "x",
            ".env": "ADMIN_PASSWORD=local-secret\n",
            "build/ApiServer.class": "binary",
            "sub/Other.java": "class Other {}\n",
            "ApiServer.java~": "backup",
        });
        const artifact = collectArtifact(directory);
        assert.deepStrictEqual(
            artifact.files.map((file) => file.name),
            ["ApiServer.java", "Helper.java", "README.md"],
        );
        assert.ok(artifact.files.every((file) => file.path === path.join(directory, file.name)));
        assert.match(artifact.key, /^api-server\/[0-9a-f]{20}\.zip$/);
        assert.strictEqual(artifact.key, `api-server/${artifact.sha256.slice(0, 20)}.zip`);
    });

    it("is content-addressed: same files give the same key, any change a new one, excluded files none", () => {
        const key = collectArtifact(folder(base)).key;
        assert.strictEqual(collectArtifact(folder(base)).key, key);
        assert.strictEqual(collectArtifact(folder({ ...base, "notes.txt": "ignored", ".env": "X=1" })).key, key);
        assert.notStrictEqual(collectArtifact(folder({ ...base, "ApiServer.java": "public final class ApiServer { }\n" })).key, key);
        assert.notStrictEqual(collectArtifact(folder({ ...base, "README.md": "# API!\n" })).key, key);
        assert.notStrictEqual(collectArtifact(folder({ ...base, "Extra.java": "class Extra {}\n" })).key, key);
        assert.notStrictEqual(collectArtifact(folder({ "Server.java": base["ApiServer.java"], "README.md": base["README.md"] })).key, key);
    });

    it("refuses a folder without Java source", () => {
        assert.throws(() => collectArtifact(folder({ "README.md": "# API\n" })), /no \.java file/);
    });

    it("selects files by name", () => {
        assert.ok(isArtifactFile("ApiServer.java"));
        assert.ok(isArtifactFile("README.md"));
        for (const name of [".env", "ApiServer.class", "a.java.bak", "pom.xml", "readme.txt", "x y.java"]) {
            assert.ok(!isArtifactFile(name), name);
        }
    });

    it("takes the real app folder's API source", () => {
        const artifact = collectArtifact(path.join(__dirname, "..", "..", "app"));
        assert.deepStrictEqual(
            artifact.files.map((file) => file.name),
            ["ApiServer.java", "README.md"],
        );
    });
});
