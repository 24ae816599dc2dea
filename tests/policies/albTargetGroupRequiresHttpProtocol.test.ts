import * as assert from "assert";
import { TARGET_GROUP_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { NATIVE_TG, nativeTargetGroupInputs, targetGroupInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "alb-target-group-requires-http-protocol";

describe(NAME, () => {
    for (const token of TARGET_GROUP_TOKENS) {
        describe(token, () => {
            const tg = (inputs = targetGroupInputs()) => resource(token, "api-tg", inputs);

            it("passes an HTTP target group", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, tg()), []);
            });

            it("passes an HTTPS target group", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, tg(changed(targetGroupInputs(), "protocol", "HTTPS"))), []);
            });

            it("exempts a Lambda target group, which has no protocol", async () => {
                const lambda = { targetType: "lambda", healthCheck: { enabled: true, path: "/health" } };
                assert.deepStrictEqual(await messagesOf(NAME, tg(lambda)), []);
            });

            for (const protocol of ["TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"]) {
                it(`reports a ${protocol} target group`, async () => {
                    assert.deepStrictEqual(
                        await messagesOf(NAME, tg(changed(targetGroupInputs(), "protocol", protocol))),
                        expected(NAME, `protocol is "${protocol}"; use HTTP or HTTPS.`),
                    );
                });
            }

            it("reports an unset protocol on an instance target group", async () => {
                assert.deepStrictEqual(
                    await messagesOf(NAME, tg(changed(targetGroupInputs(), "protocol", DELETE))),
                    expected(NAME, "protocol is not set; a target group of instances or IP addresses needs HTTP or HTTPS."),
                );
            });

            it("skips a protocol unknown during preview", async () => {
                assert.deepStrictEqual(await violationsOf(NAME, tg(changed(targetGroupInputs(), "protocol", UNKNOWN))), []);
            });

            it("skips a targetType unknown during preview", async () => {
                const inputs = changed(changed(targetGroupInputs(), "protocol", DELETE), "targetType", UNKNOWN);
                assert.deepStrictEqual(await violationsOf(NAME, tg(inputs)), []);
            });
        });
    }

    it("ignores other resource types", async () => {
        assert.deepStrictEqual(await violationsOf(NAME, resource("aws:lb/listener:Listener", "l", { protocol: "TCP" })), []);
    });

    describe("aws-native:elasticloadbalancingv2:TargetGroup", () => {
        const tg = (inputs = nativeTargetGroupInputs()) => resource(NATIVE_TG, "api-tg", inputs);

        it("passes an HTTP target group and a Lambda one", async () => {
            assert.deepStrictEqual(await messagesOf(NAME, tg()), []);
            assert.deepStrictEqual(await messagesOf(NAME, tg({ targetType: "lambda" })), []);
        });

        it("reports a TCP target group, as mandatory", async () => {
            const violations = await violationsOf(NAME, tg(changed(nativeTargetGroupInputs(), "protocol", "TCP")));
            assert.deepStrictEqual(
                violations.map((v) => [v.message, v.enforcementLevel]),
                [[expected(NAME, 'protocol is "TCP"; use HTTP or HTTPS.')[0], "mandatory"]],
            );
        });

        it("reports an unset protocol", async () => {
            assert.deepStrictEqual(
                await messagesOf(NAME, tg(changed(nativeTargetGroupInputs(), "protocol", DELETE))),
                expected(NAME, "protocol is not set; a target group of instances or IP addresses needs HTTP or HTTPS."),
            );
        });

        it("skips a protocol or target type unknown during preview", async () => {
            const tcp = changed(nativeTargetGroupInputs(), "protocol", "TCP");
            assert.deepStrictEqual(await violationsOf(NAME, tg(changed(tcp, "targetType", UNKNOWN))), []);
            assert.deepStrictEqual(await violationsOf(NAME, tg(changed(tcp, "protocol", UNKNOWN))), []);
        });
    });
});
