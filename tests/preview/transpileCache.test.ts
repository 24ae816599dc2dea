import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../preview/offlinePreview";

/** Runs `file` through the transpile cache in `cacheDir`; returns what it printed. */
function runThroughCache(file: string, cacheDir: string): string {
    const result = spawnSync(process.execPath, ["-r", "./preview/transpileCache.js", file], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        env: { ...process.env, API_CLUSTER_TS_CACHE: cacheDir },
    });
    assert.strictEqual(result.status, 0, result.stderr);
    return result.stdout;
}

describe("the offline preview's transpile cache", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-cache-test-"));
    const cacheDir = path.join(dir, "cache");
    const file = path.join(dir, "greeting.ts");

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("transpiles a file once, then reads it from the cache", () => {
        fs.writeFileSync(file, 'const greeting: string = "hello";\nconsole.log(greeting);\n');
        assert.strictEqual(runThroughCache(file, cacheDir), "hello\n");
        assert.strictEqual(fs.readdirSync(cacheDir).length, 1);
        assert.strictEqual(runThroughCache(file, cacheDir), "hello\n");
        assert.strictEqual(fs.readdirSync(cacheDir).length, 1);
    });

    it("never serves a stale file: an edit is transpiled again", () => {
        fs.writeFileSync(file, 'const greeting: string = "edited";\nconsole.log(greeting);\n');
        assert.strictEqual(runThroughCache(file, cacheDir), "edited\n");
        assert.strictEqual(fs.readdirSync(cacheDir).length, 2);
    });

    it("works with the cache off", () => {
        assert.strictEqual(runThroughCache(file, "off"), "edited\n");
    });
});
