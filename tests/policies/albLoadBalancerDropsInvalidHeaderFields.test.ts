import * as assert from "assert";
import { LOAD_BALANCER_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { loadBalancerInputs } from "./fixtures";
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
});
