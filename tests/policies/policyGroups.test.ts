/**
 * The policy groups (policy-pack/policyGroups.json) and everything that applies their configs: the
 * offline preview of every stack (package.json's preview:all), the pull-request preview and the
 * deploy (preview.yml, up.yml), and the publishing workflow (policy.yml). Pulumi Cloud applies one
 * config per policy group, so each stack belongs to exactly one group and is previewed with its config.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { resolvePolicyConfig } from "../../policy-pack/analyzeInProcess";
import { policies } from "../../policy-pack/policies";
import { listStacks } from "../../cli/stackFiles";

const ROOT = path.resolve(__dirname, "../..");
const PACK_DIR = path.join(ROOT, "policy-pack");
const TLS = "alb-listener-redirects-http-to-https";
const ACCESS_LOGS = "alb-load-balancer-requires-access-logs";

interface PolicyGroup {
    stacks: string[];
    config: string;
}

const groups = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "policyGroups.json"), "utf8")) as Record<string, PolicyGroup>;
const readConfig = (file: string) => JSON.parse(fs.readFileSync(path.join(PACK_DIR, file), "utf8")) as Record<string, unknown>;

/** The package's own stacks, each in a policy group; any other stack file is the user's. */
const PACKAGE_STACKS = ["dev", "staging", "prod"];

/**
 * The config file a stack is previewed and deployed with, relative to the repository: its group's,
 * or for a stack in no group (a user's own stack file) production's, the stricter, which preview:all
 * and the workflows give every stack they do not name.
 */
function configOf(stack: string): string {
    const group = Object.values(groups).find((candidate) => candidate.stacks.includes(stack)) ?? groups.production;
    return `policy-pack/${group.config}`;
}

/** Evaluates a workflow's `${{ <stackVar> == 'dev' && 'a' || 'b' }}` config expression for `stack`. */
function workflowConfigFor(expression: string, stackVariable: string, stack: string): string {
    const match = new RegExp(`^\\$\\{\\{ ${stackVariable.replace(".", "\\.")} == '([a-z]+)' && '([^']+)' \\|\\| '([^']+)' \\}\\}$`).exec(
        expression,
    );
    assert.ok(match, expression);
    return stack === match[1] ? match[2] : match[3];
}

/** The `with.policyPackConfigs` of a workflow's pulumi/actions step. */
function workflowConfigExpression(file: string): string {
    const workflow = parse(fs.readFileSync(path.join(ROOT, ".github/workflows", file), "utf8")) as {
        jobs: Record<string, { steps?: { with?: Record<string, unknown> }[] }>;
    };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
    const configs = steps.map((step) => step.with?.policyPackConfigs).filter((value): value is string => typeof value === "string");
    assert.strictEqual(configs.length, 1, file);
    return configs[0];
}

describe("policy groups", () => {
    it("put the package's stacks each in exactly one group: dev in development, staging and prod in production", () => {
        assert.deepStrictEqual(groups, {
            production: { stacks: ["staging", "prod"], config: "config.json" },
            development: { stacks: ["dev"], config: "config.dev.json" },
        });
        const grouped = Object.values(groups).flatMap((group) => group.stacks);
        assert.deepStrictEqual([...grouped].sort(), [...PACKAGE_STACKS].sort());
        assert.deepStrictEqual(
            PACKAGE_STACKS.filter((stack) => !listStacks(ROOT).includes(stack)),
            [],
            "a package stack without its Pulumi.<stack>.yaml",
        );
    });

    it("give each group a config the pack accepts, naming only its policies", () => {
        for (const group of Object.values(groups)) {
            const config = readConfig(group.config);
            for (const key of Object.keys(config)) {
                assert.ok(
                    policies.some((policy) => policy.name === key),
                    `${group.config}: ${key}`,
                );
            }
            assert.doesNotThrow(() => resolvePolicyConfig(policies, config), group.config);
        }
    });

    it("make TLS and access logs mandatory for production and advisory for development, and differ in nothing else", () => {
        const production = readConfig("config.json");
        const development = readConfig("config.dev.json");
        for (const name of [TLS, ACCESS_LOGS]) {
            assert.strictEqual(production[name], "mandatory", name);
            assert.strictEqual(development[name], "advisory", name);
            assert.strictEqual(resolvePolicyConfig(policies, production).get(name)?.enforcementLevel, "mandatory", name);
            assert.strictEqual(resolvePolicyConfig(policies, development).get(name)?.enforcementLevel, "advisory", name);
        }
        assert.deepStrictEqual(
            { ...development, [TLS]: undefined, [ACCESS_LOGS]: undefined },
            { ...production, [TLS]: undefined, [ACCESS_LOGS]: undefined },
        );
    });

    it("keep the security holes at least advisory in every group", () => {
        for (const group of Object.values(groups)) {
            const resolved = resolvePolicyConfig(policies, readConfig(group.config));
            for (const name of [
                "ec2-instance-requires-imdsv2",
                "ec2-instance-disallows-public-app-port-ingress",
                "ec2-security-group-disallows-public-ssh-rdp",
            ]) {
                assert.ok(["advisory", "mandatory"].includes(String(resolved.get(name)?.enforcementLevel)), `${group.config}: ${name}`);
            }
        }
    });

    it("are what preview:all previews each stack with", () => {
        const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
        const values = [...scripts["preview:all"].matchAll(/--policy-pack-config (\S+)/g)].map((match) => match[1]);
        const perStack = new Map(values.filter((value) => value.includes("=")).map((value) => value.split("=") as [string, string]));
        const fallback = values.find((value) => !value.includes("="));
        for (const stack of listStacks(ROOT)) {
            assert.strictEqual(perStack.get(stack) ?? fallback, configOf(stack), stack);
        }
    });

    it("are what preview.yml and up.yml run pulumi with, stack by stack", () => {
        for (const [file, variable] of [
            ["preview.yml", "matrix.stack"],
            ["up.yml", "inputs.stack"],
        ]) {
            const expression = workflowConfigExpression(file);
            for (const stack of listStacks(ROOT)) {
                assert.strictEqual(workflowConfigFor(expression, variable, stack), configOf(stack), `${file} ${stack}`);
            }
        }
    });

    it("are each enabled by policy.yml with their config", () => {
        const text = fs.readFileSync(path.join(ROOT, ".github/workflows/policy.yml"), "utf8");
        const enabled = [...text.matchAll(/--policy-group "\$(\w+)" --config (\S+)/g)].map((match) => [match[1], match[2]]);
        assert.deepStrictEqual(enabled, [
            ["POLICY_GROUP", `policy-pack/${groups.production.config}`],
            ["DEV_POLICY_GROUP", `policy-pack/${groups.development.config}`],
        ]);
    });
});
