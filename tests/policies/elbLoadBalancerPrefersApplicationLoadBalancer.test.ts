import * as assert from "assert";
import { CLASSIC_LOAD_BALANCER_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { classicLoadBalancerInputs, loadBalancerInputs } from "./fixtures";
import { UNKNOWN, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "elb-load-balancer-prefers-application-load-balancer";

describe(NAME, () => {
    it("passes an application load balancer (the happy path: no classic one)", async () => {
        assert.deepStrictEqual(await messagesOf(NAME, resource("aws:lb/loadBalancer:LoadBalancer", "api-alb", loadBalancerInputs())), []);
    });

    for (const token of CLASSIC_LOAD_BALANCER_TOKENS) {
        describe(token, () => {
            it("reports a classic load balancer, as advisory", async () => {
                const elb = resource(token, "api-elb", classicLoadBalancerInputs());
                const violations = await violationsOf(NAME, elb);
                assert.deepStrictEqual(
                    violations.map((v) => v.message),
                    expected(NAME, "This is a classic load balancer; use an application load balancer instead."),
                );
                assert.deepStrictEqual(
                    violations.map((v) => [v.enforcementLevel, v.urn]),
                    [["advisory", elb.urn]],
                );
            });

            it("reports it even when its properties are unknown during preview", async () => {
                assert.deepStrictEqual(
                    await messagesOf(NAME, resource(token, "api-elb", { listeners: UNKNOWN, availabilityZones: UNKNOWN })),
                    expected(NAME, "This is a classic load balancer; use an application load balancer instead."),
                );
            });
        });
    }

    it("ignores other resource types", async () => {
        assert.deepStrictEqual(
            await violationsOf(NAME, resource("aws:alb/loadBalancer:LoadBalancer", "api-alb", loadBalancerInputs())),
            [],
        );
    });
});
