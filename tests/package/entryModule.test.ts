/**
 * The package's shape as Pulumi loads it: PulumiPlugin.yaml, package.json's entry module, and
 * the stack program kept apart from it.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { parse } from "yaml";
import * as entry from "../../components";
import { ApiCluster } from "../../components/apiCluster";
import { PACKAGE_DIR } from "../support/packageSchema";

const LOADER = path.join(__dirname, "fixtures", "loadUnderMocks.ts");

/** The resource types registered by loading `modulePath` in a fresh process under mocks. */
function typesRegisteredByLoading(modulePath: string): string[] {
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", LOADER, modulePath], {
        cwd: PACKAGE_DIR,
        encoding: "utf8",
        timeout: 120_000,
        killSignal: "SIGKILL",
    });
    assert.strictEqual(result.status, 0, `loading ${modulePath} failed: ${result.error ?? result.stderr}`);
    return JSON.parse(result.stdout) as string[];
}

describe("the component package", () => {
    const packageJson = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8"));

    it("is a Node.js Pulumi plugin (PulumiPlugin.yaml)", () => {
        const plugin = parse(fs.readFileSync(path.join(PACKAGE_DIR, "PulumiPlugin.yaml"), "utf8"));
        assert.deepStrictEqual(plugin, { runtime: "nodejs" });
    });

    it("points package.json's main and exports at the entry module, under the name api-cluster", () => {
        assert.strictEqual(packageJson.name, "api-cluster");
        assert.match(packageJson.version, /^\d+\.\d+\.\d+$/);
        assert.strictEqual(packageJson.main, "components/index.ts");
        assert.deepStrictEqual(packageJson.exports, { ".": "./components/index.ts", "./package.json": "./package.json" });
        assert.strictEqual(require.resolve(PACKAGE_DIR), path.join(PACKAGE_DIR, "components", "index.ts"));
    });

    it("keeps the stack program where Pulumi.yaml's main points, apart from the entry module", () => {
        const project = parse(fs.readFileSync(path.join(PACKAGE_DIR, "Pulumi.yaml"), "utf8"));
        assert.strictEqual(project.main, "index.ts");
    });

    it("exports ApiCluster as its only component, with the choice objects and the error type", () => {
        assert.deepStrictEqual(getPulumiComponents(entry), [ApiCluster]);
        assert.deepStrictEqual(Object.keys(entry).sort(), [
            "API_CLUSTER_TYPE",
            "ApiCluster",
            "AppSource",
            "FleetMode",
            "NetworkMode",
            "SettingsError",
            "StickinessType",
        ]);
    });

    it("registers nothing when the entry module is loaded", () => {
        assert.deepStrictEqual(typesRegisteredByLoading(path.join(PACKAGE_DIR, "components", "index.ts")), ["pulumi:pulumi:Stack"]);
    });

    it("registers the cluster when the stack program is loaded, which the same check would catch", () => {
        const types = typesRegisteredByLoading(path.join(PACKAGE_DIR, "index.ts"));
        assert.strictEqual(types.filter((type) => type === "api-cluster:index:ApiCluster").length, 1);
        assert.strictEqual(types.filter((type) => type === "aws:ec2/instance:Instance").length, 2);
    });
});
