import * as assert from "assert";
import { LOAD_BALANCER_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { NATIVE_LB, loadBalancerInputs, nativeLoadBalancerInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "alb-load-balancer-drops-invalid-header-fields";

describe(NAME, () => {
    for (const token of LOAD_BALANCER_TOKENS) {
        describe(token, () => {
            const lb = (inputs = loadBalancerInputs()) => resource(token, "api-alb", inputs);
            const check = (path: string, value: unknown) => messagesOf(NAME, lb(changed(loadBalancerInputs(), path, value)));

            it("passes an application load balancer that drops invalid header fields", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, lb()), []);
            });

            it("passes with loadBalancerType unset, which is application", async () => {
                assert.deepStrictEqual(await check("loadBalancerType", DELETE), []);
            });

            it("reports dropInvalidHeaderFields: false", async () => {
                assert.deepStrictEqual(
                    await check("dropInvalidHeaderFields", false),
                    expected(NAME, "dropInvalidHeaderFields is false; set it to true."),
                );
            });

            it("reports dropInvalidHeaderFields unset", async () => {
                assert.deepStrictEqual(
                    await check("dropInvalidHeaderFields", DELETE),
                    expected(NAME, "dropInvalidHeaderFields is not set, and AWS defaults it to false; set it to true."),
                );
            });

            it("ignores a network load balancer, which has no such setting", async () => {
                const inputs = changed(changed(loadBalancerInputs(), "loadBalancerType", "network"), "dropInvalidHeaderFields", DELETE);
                assert.deepStrictEqual(await violationsOf(NAME, lb(inputs)), []);
            });

            for (const path of ["dropInvalidHeaderFields", "loadBalancerType"]) {
                it(`skips ${path} unknown during preview`, async () => {
                    const inputs = changed(changed(loadBalancerInputs(), "dropInvalidHeaderFields", false), path, UNKNOWN);
                    assert.deepStrictEqual(await violationsOf(NAME, lb(inputs)), []);
                });
            }
        });
    }

    it("reports as advisory", async () => {
        const violations = await violationsOf(
            NAME,
            resource("aws:lb/loadBalancer:LoadBalancer", "a", changed(loadBalancerInputs(), "dropInvalidHeaderFields", false)),
        );
        assert.deepStrictEqual(
            violations.map((v) => v.enforcementLevel),
            ["advisory"],
        );
    });

    describe("aws-native:elasticloadbalancingv2:LoadBalancer", () => {
        // loadBalancerAttributes: [{ key, value }] with string values (pulumi/pulumi-aws-native
        // sdk/nodejs/elasticloadbalancingv2/loadBalancer.ts; the keys of AWS's ModifyLoadBalancerAttributes).
        const KEY = "routing.http.drop_invalid_header_fields.enabled";
        const lb = (attributes: unknown) =>
            resource(NATIVE_LB, "api-alb", { ...nativeLoadBalancerInputs(), loadBalancerAttributes: attributes });

        it('passes the attribute set to "true"', async () => {
            assert.deepStrictEqual(await messagesOf(NAME, lb([{ key: KEY, value: "true" }])), []);
        });

        it('reports the attribute "false", as advisory', async () => {
            const violations = await violationsOf(NAME, lb([{ key: KEY, value: "false" }]));
            assert.deepStrictEqual(
                violations.map((v) => [v.message, v.enforcementLevel]),
                [[expected(NAME, `loadBalancerAttributes "${KEY}" is "false"; set it to "true".`)[0], "advisory"]],
            );
        });

        it("reports the attribute absent", async () => {
            assert.deepStrictEqual(
                await messagesOf(NAME, lb([{ key: "idle_timeout.timeout_seconds", value: "60" }])),
                expected(NAME, `loadBalancerAttributes "${KEY}" is not set, and AWS defaults it to false; set it to "true".`),
            );
        });

        it("ignores a network load balancer", async () => {
            assert.deepStrictEqual(
                await messagesOf(NAME, resource(NATIVE_LB, "nlb", { ...nativeLoadBalancerInputs(), type: "network" })),
                [],
            );
        });

        it("skips the attributes, an entry or its value unknown during preview", async () => {
            assert.deepStrictEqual(await violationsOf(NAME, lb(UNKNOWN)), []);
            assert.deepStrictEqual(await violationsOf(NAME, lb([UNKNOWN])), []);
            assert.deepStrictEqual(await violationsOf(NAME, lb([{ key: KEY, value: UNKNOWN }])), []);
        });
    });
});
