/**
 * What `pulumi preview --policy-pack policy-pack` loads is what the other tests exercise.
 *
 * The Pulumi CLI runs a Node.js policy pack through its language host: in the pack's folder it runs
 * `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine> <pack folder>`, which registers
 * ts-node (type-checking, with the pack's tsconfig.json), requires the folder (so index.ts), and reads
 * the gRPC port that constructing the `PolicyPack` prints. This test does exactly that, then talks to
 * the pack over gRPC as the engine does, and checks the pack's name, version and policies, and that
 * its answers equal `analyzeInProcess`'s for the same resources and config.
 */
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import {
    analyzeInProcess,
    AnalyzedResource,
    PINNED_POLICY_SDK_VERSION,
    PolicyViolation,
    resolvePolicyConfig,
} from "../../policy-pack/analyzeInProcess";
import { PACK_DESCRIPTION, PACK_NAME } from "../../policy-pack/packInfo";
import { policies } from "../../policy-pack/policies";
import { cluster, loadBalancerInputs, stackOf, targetGroupInputs, withInput } from "./fixtures";
import { DELETE, UNKNOWN, changed, resource } from "./harness";

const PACK_DIR = path.resolve(__dirname, "../../policy-pack");
const ROOT_DIR = path.resolve(__dirname, "../..");

type AnalyzerPb = typeof import("@pulumi/pulumi/proto/analyzer_pb");
type StructPb = typeof import("google-protobuf/google/protobuf/struct_pb");

/** A module as the pack resolves it (the same instances its gRPC server uses). */
function fromPack<T>(id: string, from = PACK_DIR): T {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve(id, { paths: [from] })) as T;
}

function readJson(file: string): Record<string, any> {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, any>;
}

/** The version of `name` installed where `from` resolves it, without a leading "v". */
function installedVersion(name: string, from = PACK_DIR): string {
    return String(readJson(require.resolve(`${name}/package.json`, { paths: [from] })).version).replace(/^v/, "");
}

describe("the policy pack as the Pulumi CLI loads it", () => {
    describe("files", () => {
        it("PulumiPolicy.yaml names the nodejs runtime and this pack", () => {
            const project = parseYaml(fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8")) as Record<string, unknown>;
            assert.strictEqual(project.runtime, "nodejs");
            assert.strictEqual(project.name, PACK_NAME);
            // The CLI shows this file's description before the pack runs; the served pack sends packInfo's.
            assert.strictEqual(project.description, PACK_DESCRIPTION);
        });

        it("package.json pins exactly the versions installed in policy-pack/node_modules", () => {
            const manifest = readJson(path.join(PACK_DIR, "package.json"));
            assert.deepStrictEqual(manifest.dependencies, {
                "@pulumi/policy": installedVersion("@pulumi/policy"),
                "@pulumi/pulumi": installedVersion("@pulumi/pulumi"),
            });
            assert.strictEqual(manifest.dependencies["@pulumi/policy"], PINNED_POLICY_SDK_VERSION);
            assert.match(installedVersion("typescript"), /^5\.9\./);
        });

        it("pins the same @pulumi/pulumi as the project", () => {
            assert.strictEqual(
                readJson(path.join(PACK_DIR, "package.json")).dependencies["@pulumi/pulumi"],
                readJson(path.join(ROOT_DIR, "package.json")).dependencies["@pulumi/pulumi"],
            );
        });

        it("package-lock.json locks what package.json asks for, and what is installed", () => {
            const manifest = readJson(path.join(PACK_DIR, "package.json"));
            const lock = readJson(path.join(PACK_DIR, "package-lock.json"));
            assert.deepStrictEqual(lock.packages[""].dependencies, manifest.dependencies);
            assert.deepStrictEqual(lock.packages[""].devDependencies, manifest.devDependencies);
            for (const name of ["@pulumi/policy", "@pulumi/pulumi", "typescript"]) {
                assert.strictEqual(String(lock.packages[`node_modules/${name}`].version).replace(/^v/, ""), installedVersion(name), name);
            }
        });

        it("tests resolve @pulumi/policy from policy-pack/node_modules, as the pack does", () => {
            const resolved = require.resolve("@pulumi/policy", { paths: [path.join(PACK_DIR, "policies")] });
            assert.ok(resolved.startsWith(path.join(PACK_DIR, "node_modules") + path.sep), resolved);
        });
    });

    describe("served over gRPC", function () {
        this.timeout(60000);
        const grpc = fromPack<typeof import("@grpc/grpc-js")>("@grpc/grpc-js");
        const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [PACK_DIR] }));
        const analyzerpb = fromPack<AnalyzerPb>("@pulumi/pulumi/proto/analyzer_pb");
        const services = fromPack<{ AnalyzerClient: new (address: string, credentials: unknown) => any }>(
            "@pulumi/pulumi/proto/analyzer_grpc_pb",
        );
        const { Struct } = fromPack<StructPb>("google-protobuf/google/protobuf/struct_pb", pulumiDir);
        const { Empty } = fromPack<typeof import("google-protobuf/google/protobuf/empty_pb")>(
            "google-protobuf/google/protobuf/empty_pb",
            pulumiDir,
        );

        let child: ChildProcess | undefined;
        let stderr = "";
        let client: any;

        const rpc = <T>(method: string, request: unknown): Promise<T> =>
            new Promise((resolve, reject) =>
                client[method](request, (err: Error | null, response: T) => (err ? reject(err) : resolve(response))),
            );

        before(async () => {
            const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
            child = spawn(process.execPath, [runner, "127.0.0.1:0", PACK_DIR], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
            child.stderr!.on("data", (chunk) => (stderr += String(chunk)));
            const port = await new Promise<number>((resolve, reject) => {
                let stdout = "";
                child!.stdout!.on("data", (chunk) => {
                    stdout += String(chunk);
                    const match = /^(\d+)\s*$/m.exec(stdout);
                    if (match) {
                        resolve(Number(match[1]));
                    }
                });
                child!.on("exit", (code) => reject(new Error(`the policy pack exited with ${code}: ${stderr}`)));
            });
            client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        });

        after(() => {
            client?.close();
            child?.kill();
        });

        /** An AnalyzeRequest as the engine sends it. */
        function analyzeRequest(r: AnalyzedResource) {
            const request = new analyzerpb.AnalyzeRequest();
            request.setType(r.type);
            request.setName(r.name);
            request.setUrn(r.urn);
            request.setProperties(Struct.fromJavaScript(r.inputs as never));
            request.setOptions(new analyzerpb.AnalyzerResourceOptions());
            return request;
        }

        /** The response's diagnostics as violations, charged to `urn` when they name none. */
        function violations(response: InstanceType<AnalyzerPb["AnalyzeResponse"]>, urn: string): PolicyViolation[] {
            return response.getDiagnosticsList().map((d) => ({
                policyName: d.getPolicyname(),
                policyPackName: d.getPolicypackname(),
                enforcementLevel: d.getEnforcementlevel() === analyzerpb.EnforcementLevel.MANDATORY ? "mandatory" : "advisory",
                urn: d.getUrn() || urn,
                message: d.getMessage(),
            }));
        }

        it("prints its port and keeps stderr quiet", () => {
            assert.strictEqual(stderr, "");
        });

        it("reports this pack's name, version and exactly the policies the tests import", async () => {
            const info = await rpc<InstanceType<AnalyzerPb["AnalyzerInfo"]>>("getAnalyzerInfo", new Empty());
            assert.strictEqual(info.getName(), PACK_NAME);
            assert.strictEqual(info.getVersion(), readJson(path.join(PACK_DIR, "package.json")).version);
            const served = info.getPoliciesList();
            assert.deepStrictEqual(
                served.map((p) => p.getName()),
                policies.map((p) => p.name),
            );
            assert.deepStrictEqual(
                served.map((p) => [
                    p.getDescription(),
                    p.getEnforcementlevel() === analyzerpb.EnforcementLevel.MANDATORY ? "mandatory" : "advisory",
                    p.getRemediationSteps(),
                ]),
                policies.map((p) => [p.description, p.enforcementLevel, p.remediationSteps]),
            );
            assert.deepStrictEqual(
                served.map((p) => p.getConfigschema()?.getProperties()?.toJavaScript() ?? null),
                policies.map((p) => p.configSchema?.properties ?? null),
            );
        });

        it("reports a network load balancer as a mandatory violation, as analyzeInProcess does", async () => {
            const nlb = resource(
                "aws:lb/loadBalancer:LoadBalancer",
                "api-nlb",
                changed(loadBalancerInputs(), "loadBalancerType", "network"),
            );
            const served = violations(await rpc("analyze", analyzeRequest(nlb)), nlb.urn);
            assert.deepStrictEqual(
                served
                    .filter((v) => v.policyName === "alb-load-balancer-requires-application-type")
                    .map((v) => [v.enforcementLevel, v.message]),
                [["mandatory", `${policies[0].description}\nloadBalancerType is "network"; only "application" routes at the HTTP layer.`]],
            );
            const resourcePolicies = new Set(policies.filter((p) => "validateResource" in p).map((p) => p.name));
            assert.deepStrictEqual(
                served,
                (await analyzeInProcess([nlb])).filter((v) => resourcePolicies.has(v.policyName)),
            );
        });

        it("reports nothing, not even a can't-run-during-preview warning, for unknown values", async () => {
            const tg = resource("aws:lb/targetGroup:TargetGroup", "api-tg", changed(targetGroupInputs(), "healthCheck", UNKNOWN));
            assert.deepStrictEqual(violations(await rpc("analyze", analyzeRequest(tg)), tg.urn), []);
        });

        it("applies config.json and stack tags as analyzeInProcess does", async () => {
            const config = readJson(path.join(PACK_DIR, "config.json"));
            const configure = new analyzerpb.ConfigureAnalyzerRequest();
            for (const [name, resolved] of resolvePolicyConfig(policies, config)) {
                const policyConfig = new analyzerpb.PolicyConfig();
                policyConfig.setEnforcementlevel(
                    {
                        advisory: analyzerpb.EnforcementLevel.ADVISORY,
                        mandatory: analyzerpb.EnforcementLevel.MANDATORY,
                        remediate: analyzerpb.EnforcementLevel.REMEDIATE,
                        disabled: analyzerpb.EnforcementLevel.DISABLED,
                    }[resolved.enforcementLevel],
                );
                policyConfig.setProperties(Struct.fromJavaScript(resolved.properties as never));
                configure.getPolicyconfigMap().set(name, policyConfig);
            }
            await rpc("configure", configure);
            const stackConfig = new analyzerpb.AnalyzerStackConfigureRequest();
            stackConfig.setStack("prod");
            stackConfig.setProject("api-cluster");
            stackConfig.getTagsMap().set("environment", "production");
            await rpc("configureStack", stackConfig);

            const tg = resource("aws:lb/targetGroup:TargetGroup", "api-tg", changed(targetGroupInputs(), "healthCheck.path", "/"));
            const lb = resource(
                "aws:lb/loadBalancer:LoadBalancer",
                "api-alb",
                changed(loadBalancerInputs(), "enableDeletionProtection", false),
            );
            const served = [
                ...violations(await rpc("analyze", analyzeRequest(tg)), tg.urn),
                ...violations(await rpc("analyze", analyzeRequest(lb)), lb.urn),
            ];
            const inProcess = (await analyzeInProcess([tg, lb], { config, stackTags: { environment: "production" } })).filter((v) =>
                policies.some((p) => p.name === v.policyName && "validateResource" in p),
            );
            assert.deepStrictEqual(served, inProcess);
            assert.deepStrictEqual(
                served.map((v) => v.policyName),
                ["alb-target-group-requires-health-check", "alb-load-balancer-requires-deletion-protection-in-production"],
            );
        });

        it("analyzes a stack as analyzeInProcess does", async () => {
            const c = cluster();
            c.targetGroup = withInput(c.targetGroup, "healthCheck.path", DELETE);
            const second = resource("aws:lb/loadBalancer:LoadBalancer", "api-alb-2", { ...loadBalancerInputs(), arn: UNKNOWN });
            const resources = stackOf(c, second).filter((r) => r !== c.attachment);
            const request = new analyzerpb.AnalyzeStackRequest();
            for (const r of resources.filter((x) => x.custom !== false)) {
                const item = new analyzerpb.AnalyzerResource();
                item.setType(r.type);
                item.setName(r.name);
                item.setUrn(r.urn);
                item.setProperties(Struct.fromJavaScript(r.inputs as never));
                item.setOptions(new analyzerpb.AnalyzerResourceOptions());
                item.setDependenciesList(r.dependencies);
                for (const [property, urns] of Object.entries(r.propertyDependencies)) {
                    const dependencies = new analyzerpb.AnalyzerPropertyDependencies();
                    dependencies.setUrnsList(urns);
                    item.getPropertydependenciesMap().set(property, dependencies);
                }
                request.addResources(item);
            }
            const stackUrn = resources[0].urn;
            const served = violations(await rpc("analyzeStack", request), stackUrn);
            const config = readJson(path.join(PACK_DIR, "config.json"));
            const inProcess = (await analyzeInProcess(resources, { config, stackTags: { environment: "production" } })).filter((v) =>
                policies.some((p) => p.name === v.policyName && "validateStack" in p),
            );
            assert.deepStrictEqual(served, inProcess);
            assert.deepStrictEqual(served.map((v) => [v.policyName, v.urn]).sort(), [
                ["alb-listener-forwards-to-health-checked-target-group", c.listener.urn],
                ["alb-listener-redirects-http-to-https", c.listener.urn],
                ["alb-load-balancer-requires-listener", second.urn],
                ["alb-target-group-requires-registered-targets", c.targetGroup.urn],
            ]);
        });
    });
});
