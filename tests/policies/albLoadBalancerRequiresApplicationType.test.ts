import * as assert from "assert";
import { LOAD_BALANCER_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { NATIVE_LB, loadBalancerInputs, nativeLoadBalancerInputs } from "./fixtures";
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

    describe("aws-native:elasticloadbalancingv2:LoadBalancer", () => {
        // aws-native names the type `type` (pulumi/pulumi-aws-native sdk/nodejs/elasticloadbalancingv2/loadBalancer.ts).
        const lb = (inputs = nativeLoadBalancerInputs()) => resource(NATIVE_LB, "api-alb", inputs);

        it("passes an application load balancer, and one whose type is unset", async () => {
            assert.deepStrictEqual(await messagesOf(NAME, lb()), []);
            assert.deepStrictEqual(await messagesOf(NAME, lb(changed(nativeLoadBalancerInputs(), "type", DELETE))), []);
        });

        for (const type of ["network", "gateway"]) {
            it(`reports a ${type} load balancer, as mandatory`, async () => {
                const violations = await violationsOf(NAME, lb(changed(nativeLoadBalancerInputs(), "type", type)));
                assert.deepStrictEqual(
                    violations.map((v) => [v.message, v.enforcementLevel]),
                    [[expected(NAME, `type is "${type}"; only "application" routes at the HTTP layer.`)[0], "mandatory"]],
                );
            });
        }

        it("skips a type unknown during preview", async () => {
            assert.deepStrictEqual(await violationsOf(NAME, lb(changed(nativeLoadBalancerInputs(), "type", UNKNOWN))), []);
        });

        it("does not read loadBalancerType, which aws-native does not have", async () => {
            const inputs = { ...nativeLoadBalancerInputs(), loadBalancerType: "network" };
            assert.deepStrictEqual(await messagesOf(NAME, lb(inputs)), []);
        });
    });
});
