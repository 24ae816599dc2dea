/**
 * The pack's policies as a catalogue: names, descriptions, levels, severities, remediation steps and
 * config schemas, and the one-policy-per-file layout the tests mirror.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Policy, resolvePolicyConfig } from "../../policy-pack/analyzeInProcess";
import { DELETION_PROTECTION_DEFAULTS } from "../../policy-pack/policies/albLoadBalancerRequiresDeletionProtectionInProduction";
import { TARGET_GROUP_HEALTH_CHECK_DEFAULTS } from "../../policy-pack/policies/albTargetGroupRequiresHealthCheck";
import { PUBLIC_APP_PORT_DEFAULTS } from "../../policy-pack/policies/ec2InstanceDisallowsPublicAppPortIngress";
import { policies } from "../../policy-pack/policies";

const PACK_DIR = path.resolve(__dirname, "../../policy-pack");

/** Every policy and its default enforcement level. */
const LEVELS: Record<string, "advisory" | "mandatory"> = {
    "alb-load-balancer-requires-application-type": "mandatory",
    "alb-listener-requires-http-protocol": "mandatory",
    "alb-target-group-requires-http-protocol": "mandatory",
    "elb-load-balancer-disallows-tcp-ssl-listeners": "mandatory",
    "elb-load-balancer-prefers-application-load-balancer": "advisory",
    "alb-target-group-requires-health-check": "mandatory",
    "autoscaling-group-requires-elb-health-check": "mandatory",
    "elb-load-balancer-requires-http-health-check": "mandatory",
    "alb-listener-forwards-to-health-checked-target-group": "mandatory",
    "alb-load-balancer-requires-listener": "mandatory",
    "alb-target-group-requires-registered-targets": "advisory",
    "autoscaling-group-attached-requires-elb-health-check": "mandatory",
    "alb-listener-redirects-http-to-https": "advisory",
    "alb-load-balancer-drops-invalid-header-fields": "advisory",
    "ec2-instance-requires-imdsv2": "advisory",
    "ec2-instance-requires-encrypted-root-volume": "advisory",
    "ec2-instance-disallows-public-app-port-ingress": "advisory",
    "ec2-security-group-disallows-public-ssh-rdp": "advisory",
    "alb-target-group-requires-valid-stickiness": "advisory",
    "alb-load-balancer-requires-deletion-protection-in-production": "advisory",
    "autoscaling-group-requires-pinned-launch-template-version": "advisory",
    "alb-load-balancer-requires-access-logs": "advisory",
    "alb-target-group-requires-unhealthy-host-alarm": "advisory",
};

/** The stack policies; the rest are resource policies. */
const STACK_POLICIES = [
    "alb-listener-forwards-to-health-checked-target-group",
    "alb-load-balancer-requires-listener",
    "alb-target-group-requires-registered-targets",
    "autoscaling-group-attached-requires-elb-health-check",
    "alb-listener-redirects-http-to-https",
    "ec2-instance-disallows-public-app-port-ingress",
    "ec2-security-group-disallows-public-ssh-rdp",
    "alb-target-group-requires-unhealthy-host-alarm",
];

/** The policies with options, and the defaults their code uses. */
const DEFAULTS: Record<string, object> = {
    "alb-target-group-requires-health-check": TARGET_GROUP_HEALTH_CHECK_DEFAULTS,
    "ec2-instance-disallows-public-app-port-ingress": PUBLIC_APP_PORT_DEFAULTS,
    "alb-load-balancer-requires-deletion-protection-in-production": DELETION_PROTECTION_DEFAULTS,
};

/** `alb-listener-requires-http-protocol` → `albListenerRequiresHttpProtocol`. */
function camelCase(name: string): string {
    return name.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Whether `text` is one or more full sentences. */
function isSentences(text: string): boolean {
    return /^[A-Z][^\n]*[.!?]$/.test(text) && text.trim() === text && !/\s{2}/.test(text) && text.split(" ").length >= 5;
}

describe("policy metadata", () => {
    it("lists exactly these policies, with these default enforcement levels", () => {
        assert.deepStrictEqual(Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel])), LEVELS);
        assert.strictEqual(policies.length, Object.keys(LEVELS).length);
    });

    it("has these stack policies, and resource policies for the rest", () => {
        assert.deepStrictEqual(
            policies.filter((p) => "validateStack" in p).map((p) => p.name),
            STACK_POLICIES,
        );
        for (const policy of policies.filter((p) => !STACK_POLICIES.includes(p.name))) {
            assert.strictEqual(typeof (policy as { validateResource?: unknown }).validateResource, "function", policy.name);
        }
    });

    for (const policy of policies as Policy[]) {
        describe(policy.name, () => {
            it("has a kebab-case <service>-<resource>-<verb>-<what> name, not the reserved 'all'", () => {
                assert.match(policy.name, /^(alb|elb|ec2|autoscaling)-[a-z0-9]+(-[a-z0-9]+){2,}$/);
                assert.notStrictEqual(policy.name, "all");
            });

            it("lives in its own file, and has its own test file", () => {
                const file = `${camelCase(policy.name)}.ts`;
                const source = fs.readFileSync(path.join(PACK_DIR, "policies", file), "utf8");
                assert.ok(source.includes(`name: "${policy.name}"`), file);
                assert.ok(
                    fs.existsSync(path.join(__dirname, `${camelCase(policy.name)}.test.ts`)),
                    `tests/policies/${camelCase(policy.name)}.test.ts`,
                );
            });

            it("has a description in full sentences", () => {
                assert.ok(isSentences(policy.description), policy.description);
            });

            it("has a severity and remediation steps in full sentences", () => {
                assert.ok(["low", "medium", "high", "critical"].includes(policy.severity ?? ""), String(policy.severity));
                assert.ok(policy.remediationSteps && isSentences(policy.remediationSteps), policy.remediationSteps);
            });

            it("has a configSchema exactly when it has options, with each option described and defaulted as in code", () => {
                const defaults = DEFAULTS[policy.name];
                if (!defaults) {
                    assert.strictEqual(policy.configSchema, undefined);
                    return;
                }
                const properties = policy.configSchema?.properties ?? {};
                assert.deepStrictEqual(Object.keys(properties).sort(), Object.keys(defaults).sort());
                for (const [key, schema] of Object.entries(properties)) {
                    assert.ok(schema.description && isSentences(schema.description), `${key}: ${schema.description}`);
                    assert.deepStrictEqual(schema.default, (defaults as Record<string, unknown>)[key], key);
                }
                assert.ok(!("enforcementLevel" in properties));
            });
        });
    }

    it("has unique names", () => {
        assert.strictEqual(new Set(policies.map((p) => p.name)).size, policies.length);
    });

    it("has one policy file per policy under policy-pack/policies", () => {
        const files = fs.readdirSync(path.join(PACK_DIR, "policies")).filter((f) => f.endsWith(".ts"));
        assert.deepStrictEqual(files.sort(), policies.map((p) => `${camelCase(p.name)}.ts`).sort());
    });

    it("accepts config.json, which names only policies of the pack", () => {
        const config = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config.json"), "utf8")) as Record<string, unknown>;
        for (const key of Object.keys(config)) {
            assert.ok(key === "all" || policies.some((p) => p.name === key), key);
        }
        const resolved = resolvePolicyConfig(policies, config);
        assert.deepStrictEqual(resolved.get("alb-target-group-requires-health-check"), {
            enforcementLevel: "mandatory",
            properties: { requiredPath: "/health" },
        });
    });
});
