import * as assert from "assert";
import { contentVersion, MAX_VERSION_NODE } from "../../components/image/contentVersion";

/** The three nodes of a version. */
function nodes(version: string): number[] {
    assert.match(version, /^\d+\.\d+\.\d+$/);
    return version.split(".").map(Number);
}

describe("contentVersion", () => {
    it("gives major.minor.patch, each node an integer from 0 to 2^30 - 1", () => {
        assert.strictEqual(MAX_VERSION_NODE, 1073741823);
        for (let i = 0; i < 500; i++) {
            for (const node of nodes(contentVersion(`document ${i}`, `app ${i * 7}`))) {
                assert.ok(Number.isInteger(node) && node >= 0 && node <= MAX_VERSION_NODE, `node ${node} out of range`);
            }
        }
    });

    it("is stable: the same parts give the same version", () => {
        assert.strictEqual(contentVersion("doc", "app", "parent"), contentVersion("doc", "app", "parent"));
        // A fixed expectation catches an accidental change of the scheme, which would rebuild every image.
        assert.strictEqual(contentVersion("doc", "app", "parent"), "96097239.847677651.426221870");
    });

    it("changes when any part changes, and with the parts' order and boundaries", () => {
        const base = contentVersion("document", "app", "parent");
        const variants = [
            contentVersion("document!", "app", "parent"),
            contentVersion("document", "app2", "parent"),
            contentVersion("document", "app", "parent2"),
            contentVersion("app", "document", "parent"),
            contentVersion("documentapp", "", "parent"),
            contentVersion("document", "app", "parent", ""),
        ];
        for (const variant of variants) {
            assert.notStrictEqual(variant, base);
        }
        assert.strictEqual(new Set(variants).size, variants.length);
    });

    it("refuses to hash nothing", () => {
        assert.throws(() => contentVersion(), /at least one part/);
    });
});
