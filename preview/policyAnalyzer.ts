/**
 * Loads the policy pack's in-process analyzer from `policy-pack/`, so it runs the pack's own
 * `@pulumi/policy` from `policy-pack/node_modules`: the code `pulumi preview --policy-pack` loads.
 *
 * One economy: a package that the pack and this project both install at the same version
 * (`@pulumi/pulumi`, `google-protobuf`) is loaded once, from this project's copy, for every
 * module of the pack (its analyzer, its policies and the `@pulumi/policy` it installed). A second copy of
 * `@pulumi/pulumi` costs about a second to load and is byte-for-byte the same release. Set
 * API_CLUSTER_POLICY_ISOLATED=1 to load every package from the pack's own folder instead.
 */
import * as fs from "fs";
import Module from "module";
import * as path from "path";

/** The pack's folder. */
export const POLICY_PACK_DIR = path.join(__dirname, "..", "policy-pack");

/** Packages shared with the pack when both install the same version. */
const SHAREABLE_PACKAGES = ["@pulumi/pulumi", "@grpc/grpc-js", "google-protobuf"];

type AnalyzerModule = typeof import("../policy-pack/analyzeInProcess");

/** Installed version of `name` under `nodeModules`, or undefined when it is not installed there. */
function installedVersion(nodeModules: string, name: string): string | undefined {
    const manifest = path.join(nodeModules, name, "package.json");
    return fs.existsSync(manifest) ? (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version : undefined;
}

/** Redirects the pack's requests for shareable packages to this project's copy when versions match. */
function shareIdenticalPackages(): void {
    const packModules = path.join(POLICY_PACK_DIR, "node_modules");
    const ownModules = path.join(__dirname, "..", "node_modules");
    const shared = SHAREABLE_PACKAGES.filter((name) => {
        const version = installedVersion(packModules, name);
        return version !== undefined && version === installedVersion(ownModules, name);
    });
    type Resolve = (request: string, parent: { filename?: string } | undefined, isMain: boolean, options?: object) => string;
    const moduleInternals = Module as unknown as { _resolveFilename: Resolve };
    const resolve = moduleInternals._resolveFilename;
    moduleInternals._resolveFilename = function (request, parent, isMain, options) {
        const fromPack = parent?.filename?.startsWith(POLICY_PACK_DIR + path.sep) ?? false;
        if (fromPack && shared.some((pkg) => request === pkg || request.startsWith(`${pkg}/`))) {
            return resolve.call(this, request, parent, isMain, { paths: [path.dirname(ownModules)] });
        }
        return resolve.call(this, request, parent, isMain, options);
    };
}

let analyzer: AnalyzerModule | undefined;

/** The pack's analyzer module, loaded once. */
export function loadPolicyAnalyzer(): AnalyzerModule {
    if (analyzer === undefined) {
        if (process.env.API_CLUSTER_POLICY_ISOLATED !== "1") {
            shareIdenticalPackages();
        }
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        analyzer = require(path.join(POLICY_PACK_DIR, "analyzeInProcess")) as AnalyzerModule;
    }
    return analyzer;
}
