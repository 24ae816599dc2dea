import * as assert from "assert";
import { spawnSync } from "child_process";
import { PREVIEW_NODE_ARGS } from "../../preview/command";
import { PROJECT_DIR } from "../../preview/offlinePreview";

/** Runs the offline preview CLI on the deliberately broken program. */
function previewBroken(...extra: string[]) {
    return spawnSync(
        process.execPath,
        [...PREVIEW_NODE_ARGS, "--stack", "dev", "--program", "tests/preview/fixtures/brokenProgram.ts", ...extra],
        { cwd: PROJECT_DIR, encoding: "utf8" },
    );
}

describe("the offline preview runs the policy pack end to end", () => {
    it("finds a network load balancer, a TCP listener and a disabled health check, and exits 1", () => {
        const result = previewBroken("--json");
        assert.strictEqual(result.status, 1, result.stderr);
        const { policyViolations } = JSON.parse(result.stdout) as {
            policyViolations: { policyName: string; policyPackName: string; enforcementLevel: string; urn: string; message: string }[];
        };
        assert.deepStrictEqual(
            policyViolations.map((violation) => [violation.policyName, violation.enforcementLevel, violation.urn.split("::").pop()]),
            [
                ["alb-load-balancer-requires-application-type", "mandatory", "broken-nlb"],
                ["alb-target-group-requires-health-check", "mandatory", "broken-tg"],
                ["alb-target-group-requires-health-check", "mandatory", "broken-tg"],
                ["alb-listener-requires-http-protocol", "mandatory", "broken-listener"],
                ["alb-listener-forwards-to-health-checked-target-group", "mandatory", "broken-listener"],
                ["alb-target-group-requires-registered-targets", "advisory", "broken-tg"],
                ["alb-target-group-requires-unhealthy-host-alarm", "advisory", "broken-tg"],
            ],
        );
        for (const violation of policyViolations) {
            assert.strictEqual(violation.policyPackName, "api-cluster-guardrails");
        }
        assert.strictEqual(
            policyViolations[0].message.split("\n")[1],
            'loadBalancerType is "network"; only "application" routes at the HTTP layer.',
        );
    });

    it("prints the violations grouped by policy, with level and resource", () => {
        const result = previewBroken();
        assert.strictEqual(result.status, 1);
        const policySection = result.stdout.slice(result.stdout.indexOf("Policies:"));
        assert.match(policySection, /^Policies:\n {4}❌ api-cluster-guardrails@v0\.3\.0 \(local: policy-pack\)\n/);
        assert.match(
            policySection,
            /- \[mandatory\] {2}alb-load-balancer-requires-application-type {2}\(aws:lb\/loadBalancer:LoadBalancer: broken-nlb\)/,
        );
        assert.match(
            policySection,
            /- \[mandatory\] {2}alb-listener-requires-http-protocol {2}\(aws:lb\/listener:Listener: broken-listener\)/,
        );
        assert.match(
            policySection,
            /- \[advisory\] {2}alb-target-group-requires-registered-targets {2}\(aws:lb\/targetGroup:TargetGroup: broken-tg\)/,
        );
    });
});
