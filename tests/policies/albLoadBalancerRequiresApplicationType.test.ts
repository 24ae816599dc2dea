import * as assert from "assert";
import { LOAD_BALANCER_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { loadBalancerInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "alb-load-balancer-requires-application-type";

describe(NAME, () => {
    for (const token of LOAD_BALANCER_TOKENS) {
        describe(token, () => {
            const lb = (inputs = loadBalancerInputs()) => resource(token, "api-alb", inputs);

            it("passes an application load balancer", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, lb()), []);
            });

            it("passes an unset loadBalancerType, which is application", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, lb(changed(loadBalancerInputs(), "loadBalancerType", DELETE))), []);
            });

            it("reports a network load balancer", async () => {
                assert.deepStrictEqual(
                    await messagesOf(NAME, lb(changed(loadBalancerInputs(), "loadBalancerType", "network"))),
                    expected(NAME, 'loadBalancerType is "network"; only "application" routes at the HTTP layer.'),
                );
            });

            it("reports a gateway load balancer", async () => {
                assert.deepStrictEqual(
                    await messagesOf(NAME, lb(changed(loadBalancerInputs(), "loadBalancerType", "gateway"))),
                    expected(NAME, 'loadBalancerType is "gateway"; only "application" routes at the HTTP layer.'),
                );
            });

            it("skips a loadBalancerType unknown during preview", async () => {
                assert.deepStrictEqual(await violationsOf(NAME, lb(changed(loadBalancerInputs(), "loadBalancerType", UNKNOWN))), []);
            });
        });
    }

    it("reports as mandatory, against the load balancer", async () => {
        const nlb = resource("aws:lb/loadBalancer:LoadBalancer", "api-nlb", changed(loadBalancerInputs(), "loadBalancerType", "network"));
        assert.deepStrictEqual(await violationsOf(NAME, nlb), [
            {
                policyName: NAME,
                policyPackName: "api-cluster-guardrails",
                enforcementLevel: "mandatory",
                urn: nlb.urn,
                message: expected(NAME, 'loadBalancerType is "network"; only "application" routes at the HTTP layer.')[0],
            },
        ]);
    });

    it("ignores other resource types", async () => {
        const other = resource("aws:ec2/instance:Instance", "api-0", { loadBalancerType: "network" });
        assert.deepStrictEqual(await violationsOf(NAME, other), []);
    });
});
