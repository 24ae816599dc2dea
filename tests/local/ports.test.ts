/**
 * local/ports.ts: the one free-port helper, used only where a lost bind is retried (HAProxy's
 * listener with --any-port). Everything else binds port 0 itself and reads what it got.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { freePort } from "../../local/ports";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Every .ts file of the repository outside node_modules and dot-folders, relative to its root. */
function typeScriptFiles(dir = REPO_ROOT): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === "node_modules" || entry.name.startsWith(".") ? [] : typeScriptFiles(full);
        }
        return entry.name.endsWith(".ts") ? [path.relative(REPO_ROOT, full)] : [];
    });
}

describe("local/ports.ts", function () {
    it("hands out a port free on the address asked for, a different one while that one is held", async function () {
        const first = await freePort("127.0.0.1");
        const holder = net.createServer();
        await new Promise<void>((resolve) => holder.listen(first, "127.0.0.1", resolve));
        try {
            const second = await freePort("127.0.0.1");
            assert.ok(first > 0 && first < 65536);
            assert.notStrictEqual(second, first);
        } finally {
            await new Promise((resolve) => holder.close(resolve));
        }
    });

    it("is the only freePort in the repository, beside check-instances' test's range below the ephemeral ports", function () {
        const definers = typeScriptFiles()
            .filter((file) => /^(export )?(async )?function freePort\(/m.test(fs.readFileSync(path.join(REPO_ROOT, file), "utf8")))
            .sort();
        assert.deepStrictEqual(definers, ["local/ports.ts", "tests/scripts/checkInstances.test.ts"]);
    });

    it("is used only by the local cluster's listener, which retries a lost bind: no test or bench chooses a port first and binds it later", function () {
        const importers = typeScriptFiles()
            .filter((file) => /from "(\.\.?\/)+(local\/)?ports"/.test(fs.readFileSync(path.join(REPO_ROOT, file), "utf8")))
            .sort();
        assert.deepStrictEqual(importers, ["local/localCluster.ts", "tests/local/ports.test.ts"]);
    });
});
