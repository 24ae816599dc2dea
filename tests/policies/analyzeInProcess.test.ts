/**
 * The in-process analyzer the offline preview uses: config handling as the Pulumi CLI does it, the
 * @pulumi/policy server code path (proxy included), marshaling, filtering and the rendering.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    PINNED_POLICY_SDK_VERSION,
    Policy,
    ResourceValidationPolicy,
    StackValidationPolicy,
    PolicyViolation,
    analyzeInProcess,
    analyzeWithPolicies,
    hasMandatoryViolations,
    renderViolations,
    resolvePolicyConfig,
} from "../../policy-pack/analyzeInProcess";
import { policies } from "../../policy-pack/policies";
import { syntheticStack } from "../../bench/policyPack";
import { cluster, loadBalancerInputs, stackOf, targetGroupInputs, withInput } from "./fixtures";
import { DELETE, UNKNOWN, changed, resource, secret, urnOf } from "./harness";

const PACK_DIR = path.resolve(__dirname, "../../policy-pack");
const VERSION = (JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version: string }).version;

/** A policy that reads `props.value` the plain way, through @pulumi/policy's proxy. */
const proxyReader: ResourceValidationPolicy = {
    name: "proxy-reader",
    description: "Reads a property through the proxy.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.props.value === "bad") {
            reportViolation(`value is ${args.props.value}.`);
        }
    },
};

/** A stack policy that reports once, with no resource of its own. */
const stackReporter: StackValidationPolicy = {
    name: "stack-reporter",
    description: "Reports the stack.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        reportViolation(
            `${args.resources.length} resources; tags ${JSON.stringify([...args.stackTags])}; config ${JSON.stringify(args.getConfig())}.`,
        );
    },
};

describe("analyzeInProcess", () => {
    it("drives the pinned @pulumi/policy", () => {
        const manifest = JSON.parse(fs.readFileSync(require.resolve("@pulumi/policy/package.json", { paths: [PACK_DIR] }), "utf8")) as {
            version: string;
        };
        assert.strictEqual(manifest.version.replace(/^v/, ""), PINNED_POLICY_SDK_VERSION);
    });

    it("finds nothing wrong with a compliant cluster, and only the TLS advisory when its listener speaks plain HTTP", async () => {
        const c = cluster();
        const https = { ...c, listener: withInput(c.listener, "protocol", "HTTPS") };
        assert.deepStrictEqual(await analyzeInProcess(stackOf(https)), []);
        assert.deepStrictEqual(
            (await analyzeInProcess(stackOf(c))).map((v) => [v.policyName, v.enforcementLevel, v.urn]),
            [["alb-listener-redirects-http-to-https", "advisory", c.listener.urn]],
        );
    });

    it("reports what a plain policy reads through the proxy as unknown, as the server does (our policies avoid this)", async () => {
        const r = resource("test:index:Thing", "thing", { value: UNKNOWN });
        assert.deepStrictEqual(await analyzeWithPolicies([proxyReader], [r]), [
            {
                policyName: "proxy-reader",
                policyPackName: "api-cluster-guardrails",
                enforcementLevel: "advisory",
                urn: r.urn,
                message: `can't run policy 'proxy-reader' from policy pack 'api-cluster-guardrails@v${VERSION}' during preview: string value at .value can't be known during preview`,
            },
        ]);
    });

    it("unwraps secrets before policies see them", async () => {
        const r = resource("test:index:Thing", "thing", { value: secret("bad") });
        assert.deepStrictEqual(
            (await analyzeWithPolicies([proxyReader], [r])).map((v) => v.message),
            ["Reads a property through the proxy.\nvalue is bad."],
        );
    });

    it("marshals pulumi.unknown, outputs and resource references as the engine does", async () => {
        const seen: unknown[] = [];
        const recorder: ResourceValidationPolicy = {
            name: "recorder",
            description: "Records what it sees.",
            validateResource: (args) => {
                seen.push((args.props as Record<string, unknown>)["__getSpecialProxyTarget"]);
            },
        };
        const inputs = {
            unknown: { __pulumiUnknown: true },
            output: { __pulumiOutput: true },
            reference: { "4dabf18193072939515e22adb298388d": "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:x", id: "sg-1" },
            component: { "4dabf18193072939515e22adb298388d": "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:y" },
            dropped: undefined,
            list: [1, undefined, "a"],
        };
        await analyzeWithPolicies([recorder], [resource("test:index:Thing", "thing", inputs)]);
        assert.deepStrictEqual(seen, [{ unknown: UNKNOWN, output: UNKNOWN, reference: "sg-1", component: "urn:y", list: [1, null, "a"] }]);
    });

    it("skips component resources, the stack among them", async () => {
        const component = { ...resource("api:index:Cluster", "api", { value: "bad" }), custom: false };
        assert.deepStrictEqual(await analyzeWithPolicies([proxyReader, stackReporter], [component]), [
            {
                policyName: "stack-reporter",
                policyPackName: "api-cluster-guardrails",
                enforcementLevel: "advisory",
                urn: "",
                message: "Reports the stack.\n0 resources; tags []; config {}.",
            },
        ]);
    });

    it("charges a stack violation with no resource to the stack, and passes stack tags and config", async () => {
        const resources = stackOf(cluster());
        const violations = await analyzeWithPolicies([stackReporter], resources, {
            stackTags: { environment: "production" },
            config: { "stack-reporter": { level: 3 } },
        });
        assert.deepStrictEqual(
            violations.map((v) => [v.urn, v.message]),
            [
                [
                    urnOf("pulumi:pulumi:Stack", "api-cluster-test"),
                    'Reports the stack.\n10 resources; tags [["environment","production"]]; config {"level":3}.',
                ],
            ],
        );
    });

    describe("config", () => {
        const nlb = resource("aws:lb/loadBalancer:LoadBalancer", "api-nlb", changed(loadBalancerInputs(), "loadBalancerType", "network"));
        const tcp = resource("aws:lb/listener:Listener", "api-tcp", { loadBalancerArn: UNKNOWN, port: 8082, protocol: "TCP" });
        const levels = async (config: Record<string, unknown>) =>
            (await analyzeInProcess([nlb, tcp], { config })).map((v) => [v.policyName, v.enforcementLevel]);

        it("uses each policy's default level with no config", async () => {
            assert.deepStrictEqual(await levels({}), [
                ["alb-load-balancer-requires-application-type", "mandatory"],
                ["alb-listener-requires-http-protocol", "mandatory"],
            ]);
        });

        it("sets a policy's level from a string or an object", async () => {
            assert.deepStrictEqual(
                await levels({
                    "alb-load-balancer-requires-application-type": "advisory",
                    "alb-listener-requires-http-protocol": { enforcementLevel: "disabled" },
                }),
                [["alb-load-balancer-requires-application-type", "advisory"]],
            );
        });

        it("sets every level with `all`, then each policy's own entry", async () => {
            assert.deepStrictEqual(await levels({ all: "disabled", "alb-listener-requires-http-protocol": "advisory" }), [
                ["alb-listener-requires-http-protocol", "advisory"],
            ]);
        });

        it("reports a remediate level as mandatory, as the server does", async () => {
            assert.deepStrictEqual(await levels({ all: "disabled", "alb-load-balancer-requires-application-type": "remediate" }), [
                ["alb-load-balancer-requires-application-type", "mandatory"],
            ]);
        });

        it("fills in schema defaults and validates against the schema", () => {
            const resolved = resolvePolicyConfig(policies, {});
            assert.deepStrictEqual(resolved.get("ec2-instance-disallows-public-app-port-ingress"), {
                enforcementLevel: "advisory",
                properties: { appPorts: [8082] },
            });
            assert.throws(
                () => resolvePolicyConfig(policies, { "ec2-instance-disallows-public-app-port-ingress": { appPorts: [0, "x"] } }),
                /ec2-instance-disallows-public-app-port-ingress: appPorts\[0\] must be at least 1\n {2}ec2-instance-disallows-public-app-port-ingress: appPorts\[1\]: expected integer, got string/,
            );
        });

        it("rejects invalid enforcement levels and entries", () => {
            assert.throws(() => resolvePolicyConfig(policies, { all: "strict" }), /"strict" is not a valid enforcement level for "all"/);
            assert.throws(
                () => resolvePolicyConfig(policies, { "alb-listener-requires-http-protocol": 3 }),
                /must be an enforcement level or an object/,
            );
        });
    });

    it("finds the same violations whether or not it hands policies only the types they declare", async () => {
        const c = cluster();
        c.targetGroup = withInput(c.targetGroup, "healthCheck.path", DELETE);
        c.loadBalancer = withInput(c.loadBalancer, "dropInvalidHeaderFields", false);
        const second = resource("aws:lb/targetGroup:TargetGroup", "x", changed(targetGroupInputs(), "protocol", "TCP"));
        for (const resources of [stackOf(c, second), syntheticStack(600)]) {
            const options = { stackTags: { environment: "prod" } };
            const sort = (vs: PolicyViolation[]) => [...vs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
            const filtered = await analyzeInProcess(resources, options);
            assert.ok(filtered.length > 0);
            assert.deepStrictEqual(sort(filtered), sort(await analyzeInProcess(resources, { ...options, filterByType: false })));
        }
    });

    it("rejects when a policy throws", async () => {
        const broken: Policy = {
            name: "broken",
            description: "Throws.",
            validateResource: () => {
                throw new Error("boom");
            },
        } as ResourceValidationPolicy;
        await assert.rejects(
            analyzeWithPolicies([broken], [resource("test:index:Thing", "thing", {})]),
            /Error validating resource with policy 'broken'[\s\S]*boom/,
        );
    });
});

describe("renderViolations", () => {
    const violation = (
        policyName: string,
        enforcementLevel: "advisory" | "mandatory",
        type: string,
        name: string,
        message: string,
    ): PolicyViolation => ({
        policyName,
        policyPackName: "api-cluster-guardrails",
        enforcementLevel,
        urn: urnOf(type, name),
        message,
    });

    it("renders pulumi preview's Policies section, sorted by level, policy and resource", () => {
        const text = renderViolations([
            violation("b-policy", "mandatory", "aws:lb/listener:Listener", "l", "Description B.\nMessage B."),
            violation("z-policy", "advisory", "aws:ec2/instance:Instance", "api-1", "Description Z.\nMessage Z."),
            violation("a-policy", "mandatory", "aws:lb/loadBalancer:LoadBalancer", "api-alb", "Description A.\nMessage A."),
        ]);
        assert.strictEqual(
            text,
            [
                "Policies:",
                `    ❌ api-cluster-guardrails@v${VERSION} (local: policy-pack)`,
                "        - [advisory]  z-policy  (aws:ec2/instance:Instance: api-1)",
                "          Description Z.",
                "          Message Z.",
                "        - [mandatory]  a-policy  (aws:lb/loadBalancer:LoadBalancer: api-alb)",
                "          Description A.",
                "          Message A.",
                "        - [mandatory]  b-policy  (aws:lb/listener:Listener: l)",
                "          Description B.",
                "          Message B.",
                "",
            ].join("\n"),
        );
    });

    it("marks a pack with advisory violations only with ⚠️, and a clean one with ✅", () => {
        assert.strictEqual(
            renderViolations([violation("z", "advisory", "aws:ec2/instance:Instance", "api-1", "M.")]),
            `Policies:\n    ⚠️ api-cluster-guardrails@v${VERSION} (local: policy-pack)\n` +
                "        - [advisory]  z  (aws:ec2/instance:Instance: api-1)\n          M.\n",
        );
        assert.strictEqual(
            renderViolations([], { localPath: "./policy-pack" }),
            `Policies:\n    ✅ api-cluster-guardrails@v${VERSION} (local: ./policy-pack)\n`,
        );
    });

    it("names a parented resource by its own type", () => {
        const urn = "urn:pulumi:dev::api-cluster::api:index:Cluster$aws:lb/targetGroup:TargetGroup::api-tg";
        const text = renderViolations([
            { policyName: "p", policyPackName: "api-cluster-guardrails", enforcementLevel: "mandatory", urn, message: "M." },
        ]);
        assert.strictEqual(
            text,
            `Policies:\n    ❌ api-cluster-guardrails@v${VERSION} (local: policy-pack)\n` +
                "        - [mandatory]  p  (aws:lb/targetGroup:TargetGroup: api-tg)\n          M.\n",
        );
    });

    it("knows when a violation is mandatory", () => {
        assert.strictEqual(hasMandatoryViolations([violation("a", "advisory", "t:t:T", "n", "m")]), false);
        assert.strictEqual(
            hasMandatoryViolations([violation("a", "advisory", "t:t:T", "n", "m"), violation("b", "mandatory", "t:t:T", "n", "m")]),
            true,
        );
    });
});
