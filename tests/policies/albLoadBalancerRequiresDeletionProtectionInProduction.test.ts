import * as assert from "assert";
import { LOAD_BALANCER_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { NATIVE_LB, loadBalancerInputs, nativeLoadBalancerInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "alb-load-balancer-requires-deletion-protection-in-production";
const PRODUCTION = { environment: "production" };

describe(NAME, () => {
    for (const token of LOAD_BALANCER_TOKENS) {
        describe(token, () => {
            const lb = (inputs = loadBalancerInputs()) => resource(token, "api-alb", inputs);
            const unprotected = () => lb(changed(loadBalancerInputs(), "enableDeletionProtection", false));

            it("passes a protected load balancer in production", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, lb(), { stackTags: PRODUCTION }), []);
            });

            it("passes an unprotected load balancer outside production", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, unprotected(), { stackTags: { environment: "dev" } }), []);
                assert.deepStrictEqual(await messagesOf(NAME, unprotected()), []);
            });

            it("reports enableDeletionProtection: false in production", async () => {
                assert.deepStrictEqual(
                    await messagesOf(NAME, unprotected(), { stackTags: PRODUCTION }),
                    expected(NAME, 'The stack is tagged environment="production", and enableDeletionProtection is false; set it to true.'),
                );
            });

            it("reports enableDeletionProtection unset in production", async () => {
                assert.deepStrictEqual(
                    await messagesOf(NAME, lb(changed(loadBalancerInputs(), "enableDeletionProtection", DELETE)), {
                        stackTags: PRODUCTION,
                    }),
                    expected(
                        NAME,
                        'The stack is tagged environment="production", and enableDeletionProtection is not set (AWS defaults it to false); set it to true.',
                    ),
                );
            });

            it("recognizes production tag values without regard to case", async () => {
                assert.deepStrictEqual(
                    await messagesOf(NAME, unprotected(), { stackTags: { environment: "PROD" } }),
                    expected(NAME, 'The stack is tagged environment="PROD", and enableDeletionProtection is false; set it to true.'),
                );
            });

            it("reads the tag and its values from config", async () => {
                const config = { stackTag: "stage", productionValues: ["live"] };
                assert.deepStrictEqual(await messagesOf(NAME, unprotected(), { stackTags: PRODUCTION, config }), []);
                assert.deepStrictEqual(
                    await messagesOf(NAME, unprotected(), { stackTags: { stage: "live" }, config }),
                    expected(NAME, 'The stack is tagged stage="live", and enableDeletionProtection is false; set it to true.'),
                );
            });

            it("skips enableDeletionProtection unknown during preview", async () => {
                assert.deepStrictEqual(
                    await violationsOf(NAME, lb(changed(loadBalancerInputs(), "enableDeletionProtection", UNKNOWN)), {
                        stackTags: PRODUCTION,
                    }),
                    [],
                );
            });
        });
    }

    it("reports as advisory", async () => {
        const lb = resource("aws:lb/loadBalancer:LoadBalancer", "a", changed(loadBalancerInputs(), "enableDeletionProtection", false));
        const violations = await violationsOf(NAME, lb, { stackTags: PRODUCTION });
        assert.deepStrictEqual(
            violations.map((v) => v.enforcementLevel),
            ["advisory"],
        );
    });

    it("rejects an empty productionValues list", async () => {
        await assert.rejects(
            messagesOf(NAME, resource("aws:lb/loadBalancer:LoadBalancer", "a", loadBalancerInputs()), { config: { productionValues: [] } }),
            /productionValues must have at least 1 items/,
        );
    });

    describe("aws-native:elasticloadbalancingv2:LoadBalancer", () => {
        const KEY = "deletion_protection.enabled";
        const lb = (attributes: unknown) =>
            resource(NATIVE_LB, "api-alb", { ...nativeLoadBalancerInputs(), loadBalancerAttributes: attributes });

        it('passes the attribute "true" in production, and anything outside it', async () => {
            assert.deepStrictEqual(await messagesOf(NAME, lb([{ key: KEY, value: "true" }]), { stackTags: PRODUCTION }), []);
            assert.deepStrictEqual(await messagesOf(NAME, lb([{ key: KEY, value: "false" }])), []);
        });

        it('reports the attribute "false" in production', async () => {
            assert.deepStrictEqual(
                await messagesOf(NAME, lb([{ key: KEY, value: "false" }]), { stackTags: PRODUCTION }),
                expected(
                    NAME,
                    `The stack is tagged environment="production", and loadBalancerAttributes "${KEY}" is "false"; set it to "true".`,
                ),
            );
        });

        it("reports the attribute absent in production", async () => {
            assert.deepStrictEqual(
                await messagesOf(NAME, lb(undefined), { stackTags: PRODUCTION }),
                expected(
                    NAME,
                    `The stack is tagged environment="production", and loadBalancerAttributes "${KEY}" is not set (AWS defaults it to false); set it to "true".`,
                ),
            );
        });

        it("skips the attributes unknown during preview", async () => {
            assert.deepStrictEqual(await violationsOf(NAME, lb(UNKNOWN), { stackTags: PRODUCTION }), []);
        });
    });
});
