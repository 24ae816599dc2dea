/**
 * Access log shapes: @pulumi/aws 7.48 lb/loadBalancer `accessLogs { bucket, enabled, prefix }` (types/input.d.ts
 * LoadBalancerAccessLogs: `enabled` defaults to false even with a bucket); aws-native LoadBalancer
 * `loadBalancerAttributes[] { key, value }` with the keys `access_logs.s3.enabled` and `access_logs.s3.bucket`
 * (Elastic Load Balancing's ModifyLoadBalancerAttributes).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { LOAD_BALANCER_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { NATIVE_LB, loadBalancerInputs, nativeLoadBalancerInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "alb-load-balancer-requires-access-logs";

/** A load balancer that writes its access logs, as api-cluster registers it (the fixture's). */
function loggingInputs(): Record<string, unknown> {
    return loadBalancerInputs();
}

/** A load balancer without access logs. */
function silentInputs(): Record<string, unknown> {
    return changed(loadBalancerInputs(), "accessLogs", DELETE);
}

describe(NAME, () => {
    for (const token of LOAD_BALANCER_TOKENS) {
        describe(token, () => {
            const check = (change: string, value: unknown) =>
                messagesOf(NAME, resource(token, "api-alb", changed(loggingInputs(), change, value)));

            it("passes an application load balancer that writes access logs", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, resource(token, "api-alb", loggingInputs())), []);
            });

            it("reports accessLogs unset", async () => {
                assert.deepStrictEqual(
                    await check("accessLogs", DELETE),
                    expected(NAME, "accessLogs is not set, and AWS leaves access logs off; set accessLogs.enabled to true with a bucket."),
                );
            });

            it("reports accessLogs.enabled false", async () => {
                assert.deepStrictEqual(
                    await check("accessLogs.enabled", false),
                    expected(NAME, "accessLogs.enabled is false; set it to true."),
                );
            });

            it("reports accessLogs.enabled unset, which is false even with a bucket", async () => {
                assert.deepStrictEqual(
                    await check("accessLogs.enabled", DELETE),
                    expected(NAME, "accessLogs.enabled is not set (it defaults to false, even with a bucket); set it to true."),
                );
            });

            it("reports logging on without a bucket", async () => {
                assert.deepStrictEqual(
                    await check("accessLogs.bucket", ""),
                    expected(NAME, "accessLogs.enabled is true but accessLogs.bucket names no bucket."),
                );
            });

            it("skips a network load balancer, which this policy is not about", async () => {
                assert.deepStrictEqual(await check("loadBalancerType", "network"), []);
            });

            it("checks a load balancer whose type is unset, which is application", async () => {
                const inputs = changed(changed(loggingInputs(), "loadBalancerType", DELETE), "accessLogs", DELETE);
                assert.strictEqual((await messagesOf(NAME, resource(token, "api-alb", inputs))).length, 1);
            });

            for (const change of ["accessLogs", "accessLogs.enabled", "accessLogs.bucket", "loadBalancerType"]) {
                it(`skips ${change} unknown during preview`, async () => {
                    assert.deepStrictEqual(
                        await violationsOf(NAME, resource(token, "api-alb", changed(loggingInputs(), change, UNKNOWN))),
                        [],
                    );
                });
            }
        });
    }

    describe(NATIVE_LB, () => {
        const attributes = (entries: Record<string, string>) => ({
            ...nativeLoadBalancerInputs(),
            loadBalancerAttributes: Object.entries(entries).map(([key, value]) => ({ key, value })),
        });

        it("passes access_logs.s3.enabled true with a bucket", async () => {
            const inputs = attributes({ "access_logs.s3.enabled": "true", "access_logs.s3.bucket": "logs" });
            assert.deepStrictEqual(await messagesOf(NAME, resource(NATIVE_LB, "api-alb", inputs)), []);
        });

        it("reports no access_logs.s3.enabled attribute", async () => {
            assert.deepStrictEqual(
                await messagesOf(NAME, resource(NATIVE_LB, "api-alb", nativeLoadBalancerInputs())),
                expected(
                    NAME,
                    'loadBalancerAttributes "access_logs.s3.enabled" is not set (AWS leaves access logs off); set it to "true".',
                ),
            );
        });

        it("reports access_logs.s3.enabled false", async () => {
            const inputs = attributes({ "access_logs.s3.enabled": "false", "access_logs.s3.bucket": "logs" });
            assert.deepStrictEqual(
                await messagesOf(NAME, resource(NATIVE_LB, "api-alb", inputs)),
                expected(NAME, 'loadBalancerAttributes "access_logs.s3.enabled" is "false"; set it to "true".'),
            );
        });

        it("reports logging on without a bucket attribute", async () => {
            const inputs = attributes({ "access_logs.s3.enabled": "true" });
            assert.deepStrictEqual(
                await messagesOf(NAME, resource(NATIVE_LB, "api-alb", inputs)),
                expected(NAME, 'loadBalancerAttributes "access_logs.s3.enabled" is "true" but "access_logs.s3.bucket" names no bucket.'),
            );
        });

        it("skips attributes unknown during preview", async () => {
            const inputs = { ...nativeLoadBalancerInputs(), loadBalancerAttributes: UNKNOWN };
            assert.deepStrictEqual(await violationsOf(NAME, resource(NATIVE_LB, "api-alb", inputs)), []);
        });
    });

    it("reports as advisory by default, against the load balancer", async () => {
        const lb = resource("aws:lb/loadBalancer:LoadBalancer", "api-alb", silentInputs());
        assert.deepStrictEqual(
            (await violationsOf(NAME, lb)).map((v) => [v.enforcementLevel, v.urn]),
            [["advisory", lb.urn]],
        );
    });

    it("reports as mandatory when the config raises it, as policy-pack/config.json does for staging and prod", async () => {
        const lb = resource("aws:lb/loadBalancer:LoadBalancer", "api-alb", silentInputs());
        const violations = await violationsOf(NAME, lb, { config: { enforcementLevel: "mandatory" } });
        assert.deepStrictEqual(
            violations.map((v) => v.enforcementLevel),
            ["mandatory"],
        );
        const packDir = path.join(__dirname, "..", "..", "policy-pack");
        assert.strictEqual(JSON.parse(fs.readFileSync(path.join(packDir, "config.json"), "utf8"))[NAME], "mandatory");
        assert.strictEqual(JSON.parse(fs.readFileSync(path.join(packDir, "config.dev.json"), "utf8"))[NAME], "advisory");
    });
});
