import * as assert from "assert";
import { LISTENER_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { NATIVE_LISTENER, listenerInputs, nativeListenerInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "alb-listener-requires-http-protocol";

describe(NAME, () => {
    for (const token of LISTENER_TOKENS) {
        describe(token, () => {
            const listener = (inputs = listenerInputs()) => resource(token, "api-listener", inputs);

            it("passes an HTTP listener", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, listener()), []);
            });

            it("passes an HTTPS listener", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, listener(changed(listenerInputs(), "protocol", "HTTPS"))), []);
            });

            it("passes a lower-case protocol, which AWS upper-cases", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, listener(changed(listenerInputs(), "protocol", "https"))), []);
            });

            it("passes an unset protocol, HTTP on an application load balancer", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, listener(changed(listenerInputs(), "protocol", DELETE))), []);
            });

            for (const protocol of ["TCP", "TLS", "UDP", "TCP_UDP"]) {
                it(`reports a ${protocol} listener`, async () => {
                    assert.deepStrictEqual(
                        await messagesOf(NAME, listener(changed(listenerInputs(), "protocol", protocol))),
                        expected(NAME, `protocol is "${protocol}"; use HTTP or HTTPS.`),
                    );
                });
            }

            it("skips a protocol unknown during preview", async () => {
                assert.deepStrictEqual(await violationsOf(NAME, listener(changed(listenerInputs(), "protocol", UNKNOWN))), []);
            });
        });
    }

    it("reports as mandatory", async () => {
        const violations = await violationsOf(
            NAME,
            resource("aws:alb/listener:Listener", "l", changed(listenerInputs(), "protocol", "TCP")),
        );
        assert.deepStrictEqual(
            violations.map((v) => v.enforcementLevel),
            ["mandatory"],
        );
    });

    it("ignores other resource types", async () => {
        assert.deepStrictEqual(await violationsOf(NAME, resource("aws:lb/targetGroup:TargetGroup", "tg", { protocol: "TCP" })), []);
    });

    describe("aws-native:elasticloadbalancingv2:Listener", () => {
        const listener = (inputs = nativeListenerInputs()) => resource(NATIVE_LISTENER, "api-listener", inputs);

        it("passes an HTTP listener and an HTTPS one", async () => {
            assert.deepStrictEqual(await messagesOf(NAME, listener()), []);
            assert.deepStrictEqual(await messagesOf(NAME, listener(changed(nativeListenerInputs(), "protocol", "HTTPS"))), []);
        });

        for (const protocol of ["TCP", "TLS", "UDP", "TCP_UDP"]) {
            it(`reports a ${protocol} listener, as mandatory`, async () => {
                const violations = await violationsOf(NAME, listener(changed(nativeListenerInputs(), "protocol", protocol)));
                assert.deepStrictEqual(
                    violations.map((v) => [v.message, v.enforcementLevel]),
                    [[expected(NAME, `protocol is "${protocol}"; use HTTP or HTTPS.`)[0], "mandatory"]],
                );
            });
        }

        it("skips a protocol unknown during preview", async () => {
            assert.deepStrictEqual(await violationsOf(NAME, listener(changed(nativeListenerInputs(), "protocol", UNKNOWN))), []);
        });
    });
});
