/**
 * Redirect shapes: @pulumi/aws 7.48 lb/listener `defaultActions[].redirect { protocol, port, statusCode }`
 * (an unset protocol keeps `#{protocol}`), aws-native ListenerAction `redirectConfig { protocol, port,
 * statusCode }` (pulumi/pulumi-aws-native sdk/nodejs/elasticloadbalancingv2/listener.ts and its types).
 */
import * as assert from "assert";
import { LISTENER_RULE_TOKENS, LISTENER_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { cluster, listenerRuleInputs, nativeCluster, nativeStackOf, stackOf, withDependencies, withInput } from "./fixtures";
import { DELETE, UNKNOWN, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "alb-listener-redirects-http-to-https";
const FORWARDS =
    'Listener "api-listener" speaks plain HTTP on port 8082: defaultActions[0] forwards to a target group in plain HTTP; it must only redirect to HTTPS.';
const TO_HTTPS = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } };

/** The cluster with its listener's inputs changed at `path`. */
function withListener(path: string, value: unknown) {
    const c = cluster();
    c.listener = withInput(c.listener, path, value);
    return c;
}

describe(NAME, () => {
    for (const token of LISTENER_TOKENS) {
        describe(token, () => {
            const listenerCluster = (path: string, value: unknown) => {
                const c = cluster({ listener: token });
                c.listener = withInput(c.listener, path, value);
                return c;
            };

            it("passes an HTTPS listener that forwards", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, stackOf(listenerCluster("protocol", "HTTPS"))), []);
            });

            it("passes an HTTP listener that only redirects to HTTPS", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, stackOf(listenerCluster("defaultActions", [TO_HTTPS]))), []);
            });

            it("reports an HTTP listener that forwards, as advisory against the listener", async () => {
                const c = cluster({ listener: token });
                const violations = await violationsOf(NAME, stackOf(c));
                assert.deepStrictEqual(
                    violations.map((v) => [v.message, v.enforcementLevel, v.urn]),
                    [[expected(NAME, FORWARDS)[0], "advisory", c.listener.urn]],
                );
            });
        });
    }

    it("reports as mandatory when the config raises it, as policy-pack/config.json does", async () => {
        const violations = await violationsOf(NAME, stackOf(cluster()), { config: { enforcementLevel: "mandatory" } });
        assert.deepStrictEqual(
            violations.map((v) => v.enforcementLevel),
            ["mandatory"],
        );
    });

    it("reports a listener whose protocol is unset, which is HTTP", async () => {
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(withListener("protocol", DELETE))), expected(NAME, FORWARDS));
    });

    it("passes a lower-case https listener", async () => {
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(withListener("protocol", "https"))), []);
    });

    it("reports a redirect to HTTP", async () => {
        const action = { type: "redirect", redirect: { protocol: "HTTP", port: "8080", statusCode: "HTTP_301" } };
        assert.deepStrictEqual(
            await messagesOf(NAME, stackOf(withListener("defaultActions", [action]))),
            expected(
                NAME,
                'Listener "api-listener" speaks plain HTTP on port 8082: defaultActions[0] redirects to "HTTP", not "HTTPS"; it must only redirect to HTTPS.',
            ),
        );
    });

    it("reports a redirect without a protocol, which keeps HTTP", async () => {
        const action = { type: "redirect", redirect: { port: "443", statusCode: "HTTP_301" } };
        assert.deepStrictEqual(
            await messagesOf(NAME, stackOf(withListener("defaultActions", [action]))),
            expected(
                NAME,
                'Listener "api-listener" speaks plain HTTP on port 8082: defaultActions[0] redirects without redirect.protocol "HTTPS", so it keeps plain HTTP; it must only redirect to HTTPS.',
            ),
        );
    });

    it("reports a fixed response and an authentication action, each by position", async () => {
        const actions = [
            { type: "authenticate-oidc", order: 1, authenticateOidc: { issuer: "https://idp.example.com" } },
            { type: "fixed-response", order: 2, fixedResponse: { contentType: "text/plain", statusCode: "200" } },
        ];
        assert.deepStrictEqual(
            await messagesOf(NAME, stackOf(withListener("defaultActions", actions))),
            expected(
                NAME,
                'Listener "api-listener" speaks plain HTTP on port 8082: defaultActions[0] is an action of type "authenticate-oidc", which serves plain HTTP; it must only redirect to HTTPS.',
                'Listener "api-listener" speaks plain HTTP on port 8082: defaultActions[1] answers with a fixed response in plain HTTP; it must only redirect to HTTPS.',
            ),
        );
    });

    for (const token of LISTENER_RULE_TOKENS) {
        describe(token, () => {
            const rule = (actions: unknown[]) => resource(token, "api-rule", { ...listenerRuleInputs(), actions });

            it("reports a rule that forwards on a plain-HTTP listener, against the rule", async () => {
                const c = withListener("defaultActions", [TO_HTTPS]);
                const r = rule([{ type: "forward", targetGroupArn: "arn:tg" }]);
                const violations = await violationsOf(NAME, stackOf(c, r));
                assert.deepStrictEqual(
                    violations.map((v) => [v.message, v.urn]),
                    [
                        [
                            expected(
                                NAME,
                                'Listener rule "api-rule" belongs to plain-HTTP listener "api-listener": actions[0] forwards to a target group in plain HTTP; it must only redirect to HTTPS.',
                            )[0],
                            r.urn,
                        ],
                    ],
                );
            });

            it("passes a rule that redirects to HTTPS, and a forwarding rule on an HTTPS listener", async () => {
                const c = withListener("defaultActions", [TO_HTTPS]);
                assert.deepStrictEqual(await messagesOf(NAME, stackOf(c, rule([TO_HTTPS]))), []);
                const https = withListener("protocol", "HTTPS");
                assert.deepStrictEqual(await messagesOf(NAME, stackOf(https, rule([{ type: "forward", targetGroupArn: "arn:tg" }]))), []);
            });
        });
    }

    describe("aws-native:elasticloadbalancingv2:Listener", () => {
        it("reports an HTTP listener that forwards", async () => {
            assert.deepStrictEqual(await messagesOf(NAME, nativeStackOf(nativeCluster())), expected(NAME, FORWARDS));
        });

        it("passes an HTTP listener whose redirectConfig goes to HTTPS", async () => {
            const c = nativeCluster();
            c.listener = withInput(c.listener, "defaultActions", [
                { type: "redirect", redirectConfig: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
            ]);
            assert.deepStrictEqual(await messagesOf(NAME, nativeStackOf(c)), []);
        });

        it("reads redirectConfig, not @pulumi/aws's redirect", async () => {
            const c = nativeCluster();
            c.listener = withInput(c.listener, "defaultActions", [TO_HTTPS]);
            assert.deepStrictEqual(
                await messagesOf(NAME, nativeStackOf(c)),
                expected(
                    NAME,
                    'Listener "api-listener" speaks plain HTTP on port 8082: defaultActions[0] redirects without redirectConfig.protocol "HTTPS", so it keeps plain HTTP; it must only redirect to HTTPS.',
                ),
            );
        });

        it("reports an aws-native rule on the plain-HTTP listener, found by its listenerArn output", async () => {
            const c = nativeCluster();
            c.listener = withInput(c.listener, "defaultActions", [{ type: "redirect", redirectConfig: { protocol: "HTTPS" } }]);
            const r = resource("aws-native:elasticloadbalancingv2:ListenerRule", "api-rule", {
                ...listenerRuleInputs(),
                actions: [{ type: "fixed-response", fixedResponseConfig: { statusCode: "200" } }],
            });
            assert.deepStrictEqual(
                await messagesOf(NAME, nativeStackOf(c, r)),
                expected(
                    NAME,
                    'Listener rule "api-rule" belongs to plain-HTTP listener "api-listener": actions[0] answers with a fixed response in plain HTTP; it must only redirect to HTTPS.',
                ),
            );
        });
    });

    describe("values unknown during preview", () => {
        for (const [path, value] of [
            ["protocol", UNKNOWN],
            ["defaultActions", UNKNOWN],
            ["defaultActions.0", UNKNOWN],
            ["defaultActions.0.type", UNKNOWN],
        ] as const) {
            it(`skips ${path} unknown`, async () => {
                assert.deepStrictEqual(await violationsOf(NAME, stackOf(withListener(path, value))), []);
            });
        }

        for (const path of ["redirect", "redirect.protocol"]) {
            it(`skips a redirect whose ${path} is unknown`, async () => {
                const c = withListener("defaultActions", [
                    { ...TO_HTTPS, redirect: path === "redirect" ? UNKNOWN : { protocol: UNKNOWN } },
                ]);
                assert.deepStrictEqual(await violationsOf(NAME, stackOf(c)), []);
            });
        }

        it("skips a rule whose listener cannot be placed", async () => {
            const c = withListener("defaultActions", [TO_HTTPS]);
            c.listener = withInput(c.listener, "arn", UNKNOWN);
            const r = withDependencies(
                resource("aws:lb/listenerRule:ListenerRule", "api-rule", {
                    ...listenerRuleInputs(),
                    listenerArn: UNKNOWN,
                    actions: [{ type: "forward", targetGroupArn: "arn:tg" }],
                }),
                {},
            );
            assert.deepStrictEqual(await violationsOf(NAME, stackOf(c, r)), []);
        });

        it("follows the rule's property dependency when the listener's ARN is unknown", async () => {
            const c = withListener("defaultActions", [TO_HTTPS]);
            c.listener = withInput(c.listener, "arn", UNKNOWN);
            const r = resource(
                "aws:lb/listenerRule:ListenerRule",
                "api-rule",
                { ...listenerRuleInputs(), listenerArn: UNKNOWN, actions: [{ type: "forward", targetGroupArn: "arn:tg" }] },
                { listenerArn: [c.listener.urn] },
            );
            assert.deepStrictEqual(
                await messagesOf(NAME, stackOf(c, r)),
                expected(
                    NAME,
                    'Listener rule "api-rule" belongs to plain-HTTP listener "api-listener": actions[0] forwards to a target group in plain HTTP; it must only redirect to HTTPS.',
                ),
            );
        });
    });
});
