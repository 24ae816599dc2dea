import * as assert from "assert";
import { LISTENER_RULE_TOKENS, LISTENER_TOKENS, TARGET_GROUP_TOKENS } from "../../policy-pack/policies/shared/tokens";
import {
    TG_ARN,
    cluster,
    listenerRuleInputs,
    nativeCluster,
    nativeStackOf,
    stackOf,
    targetGroupInputs,
    withDependencies,
    withInput,
} from "./fixtures";
import { DELETE, UNKNOWN, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "alb-listener-forwards-to-health-checked-target-group";
const TG2_ARN = TG_ARN.replace("api-tg", "api-tg-2");

function notHealthChecked(listener: string, targetGroup: string, reason: string, kind = "Listener"): string {
    return `${kind} "${listener}" forwards to target group "${targetGroup}", which is not health-checked: ${reason}`;
}

describe(NAME, () => {
    it("passes a listener that forwards to a health-checked target group", async () => {
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(cluster())), []);
    });

    for (const token of LISTENER_TOKENS) {
        describe(token, () => {
            it("passes a forward to a health-checked target group", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, stackOf(cluster({ listener: token }))), []);
            });

            it("reports a forward to a target group without a health check, against the listener", async () => {
                const c = cluster({ listener: token });
                c.targetGroup = withInput(c.targetGroup, "healthCheck", DELETE);
                const violations = await violationsOf(NAME, stackOf(c));
                assert.deepStrictEqual(
                    violations.map((v) => v.message),
                    expected(
                        NAME,
                        notHealthChecked(
                            "api-listener",
                            "api-tg",
                            'the target group declares no healthCheck; add one with an explicit path, such as "/health".',
                        ),
                    ),
                );
                assert.deepStrictEqual(
                    violations.map((v) => [v.enforcementLevel, v.urn]),
                    [["mandatory", c.listener.urn]],
                );
            });
        });
    }

    for (const token of LISTENER_RULE_TOKENS) {
        describe(token, () => {
            const rule = (inputs = listenerRuleInputs()) => resource(token, "api-rule", inputs);

            it("passes a rule that forwards to a health-checked target group", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, stackOf(cluster(), rule())), []);
            });

            it("reports a rule that forwards to a target group without a health check", async () => {
                const c = cluster();
                const unchecked = resource("aws:lb/targetGroup:TargetGroup", "api-tg-2", {
                    ...targetGroupInputs(),
                    healthCheck: undefined,
                    arn: TG2_ARN,
                });
                const r = rule({ ...listenerRuleInputs(), actions: [{ type: "forward", targetGroupArn: TG2_ARN }] });
                assert.deepStrictEqual(
                    await messagesOf(NAME, stackOf(c, unchecked, r)),
                    expected(
                        NAME,
                        notHealthChecked(
                            "api-rule",
                            "api-tg-2",
                            'the target group declares no healthCheck; add one with an explicit path, such as "/health".',
                            "Listener rule",
                        ),
                    ),
                );
            });
        });
    }

    for (const token of TARGET_GROUP_TOKENS) {
        describe(token, () => {
            const withTargetGroup = (path: string, value: unknown) => {
                const c = cluster({ targetGroup: token });
                c.targetGroup = withInput(c.targetGroup, path, value);
                return messagesOf(NAME, stackOf(c));
            };

            it("passes a health-checked target group", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, stackOf(cluster({ targetGroup: token }))), []);
            });

            it("reports a disabled health check", async () => {
                assert.deepStrictEqual(
                    await withTargetGroup("healthCheck.enabled", false),
                    expected(NAME, notHealthChecked("api-listener", "api-tg", "healthCheck.enabled is false; health checks must stay on.")),
                );
            });

            it("reports a TCP health check", async () => {
                assert.deepStrictEqual(
                    await withTargetGroup("healthCheck.protocol", "TCP"),
                    expected(NAME, notHealthChecked("api-listener", "api-tg", 'healthCheck.protocol is "TCP"; use HTTP or HTTPS.')),
                );
            });

            it("reports a health check without a path", async () => {
                assert.deepStrictEqual(
                    await withTargetGroup("healthCheck.path", DELETE),
                    expected(
                        NAME,
                        notHealthChecked("api-listener", "api-tg", 'healthCheck.path is not set; set it explicitly, such as "/health".'),
                    ),
                );
            });

            it('reports a health check path that does not start with "/"', async () => {
                assert.deepStrictEqual(
                    await withTargetGroup("healthCheck.path", "health"),
                    expected(NAME, notHealthChecked("api-listener", "api-tg", 'healthCheck.path "health" does not start with "/".')),
                );
            });

            it("leaves out-of-range settings to the target group's own policy", async () => {
                assert.deepStrictEqual(await withTargetGroup("healthCheck.interval", 1000), []);
            });
        });
    }

    describe("weighted forwards", () => {
        const weighted = (c: ReturnType<typeof cluster>) =>
            withDependencies(
                withInput(c.listener, "defaultActions", [
                    {
                        type: "forward",
                        forward: {
                            targetGroups: [
                                { arn: TG_ARN, weight: 90 },
                                { arn: TG2_ARN, weight: 10 },
                            ],
                        },
                    },
                ]),
                {
                    ...c.listener.propertyDependencies,
                    defaultActions: [c.targetGroup.urn, "urn:pulumi:test::api-cluster::aws:lb/targetGroup:TargetGroup::api-tg-2"],
                },
            );

        it("passes when every weighted target group is health-checked", async () => {
            const c = cluster();
            c.listener = weighted(c);
            const second = resource("aws:lb/targetGroup:TargetGroup", "api-tg-2", { ...targetGroupInputs(), arn: TG2_ARN });
            assert.deepStrictEqual(await messagesOf(NAME, stackOf(c, second)), []);
        });

        it("reports the weighted target group that is not health-checked", async () => {
            const c = cluster();
            c.listener = weighted(c);
            const second = resource("aws:lb/targetGroup:TargetGroup", "api-tg-2", {
                ...targetGroupInputs(),
                healthCheck: { enabled: false, path: "/health" },
                arn: TG2_ARN,
            });
            assert.deepStrictEqual(
                await messagesOf(NAME, stackOf(c, second)),
                expected(NAME, notHealthChecked("api-listener", "api-tg-2", "healthCheck.enabled is false; health checks must stay on.")),
            );
        });
    });

    describe("Lambda target groups", () => {
        const lambda = (healthCheck: unknown) => {
            const c = cluster();
            c.targetGroup = { ...c.targetGroup, inputs: { targetType: "lambda", healthCheck, arn: TG_ARN } };
            return stackOf(c);
        };

        it("passes a Lambda target group with its health check enabled", async () => {
            assert.deepStrictEqual(await messagesOf(NAME, lambda({ enabled: true })), []);
        });

        it("reports a Lambda target group whose health check is left off", async () => {
            assert.deepStrictEqual(
                await messagesOf(NAME, lambda(undefined)),
                expected(
                    NAME,
                    notHealthChecked("api-listener", "api-tg", "its Lambda health check is not enabled (healthCheck.enabled must be true)"),
                ),
            );
        });
    });

    describe("target groups of other protocols", () => {
        const tcp = (healthCheck: unknown) => {
            const c = cluster();
            c.targetGroup = withInput(withInput(c.targetGroup, "protocol", "TCP"), "healthCheck", healthCheck);
            return stackOf(c);
        };

        it("passes a TCP target group that declares no healthCheck, which AWS health-checks by default", async () => {
            assert.deepStrictEqual(await violationsOf(NAME, tcp(DELETE)), []);
        });

        it("reports a TCP target group whose health check is disabled", async () => {
            assert.deepStrictEqual(
                await messagesOf(NAME, tcp({ enabled: false })),
                expected(NAME, notHealthChecked("api-listener", "api-tg", "healthCheck.enabled is false; health checks must stay on.")),
            );
        });
    });

    describe("values unknown during preview", () => {
        it("follows the property dependency when the target group's arn is unknown", async () => {
            const c = cluster();
            c.targetGroup = withInput(withInput(c.targetGroup, "arn", UNKNOWN), "healthCheck", DELETE);
            c.listener = withInput(c.listener, "defaultActions.0.targetGroupArn", UNKNOWN);
            assert.deepStrictEqual(
                await messagesOf(NAME, stackOf(c)),
                expected(
                    NAME,
                    notHealthChecked(
                        "api-listener",
                        "api-tg",
                        'the target group declares no healthCheck; add one with an explicit path, such as "/health".',
                    ),
                ),
            );
        });

        it("skips a forward it cannot place: an unknown ARN with no property dependency", async () => {
            const c = cluster();
            c.targetGroup = withInput(c.targetGroup, "healthCheck", DELETE);
            c.listener = withDependencies(withInput(c.listener, "defaultActions.0.targetGroupArn", UNKNOWN), {});
            assert.deepStrictEqual(await violationsOf(NAME, stackOf(c)), []);
        });

        it("skips a target group whose health check is unknown", async () => {
            const c = cluster();
            c.targetGroup = withInput(c.targetGroup, "healthCheck", UNKNOWN);
            assert.deepStrictEqual(await violationsOf(NAME, stackOf(c)), []);
        });

        it("skips default actions that are unknown", async () => {
            const c = cluster();
            c.targetGroup = withInput(c.targetGroup, "healthCheck", DELETE);
            c.listener = withDependencies(withInput(c.listener, "defaultActions", UNKNOWN), {});
            assert.deepStrictEqual(await violationsOf(NAME, stackOf(c)), []);
        });
    });

    it("skips a target group outside the stack", async () => {
        const c = cluster();
        c.listener = withDependencies(withInput(c.listener, "defaultActions.0.targetGroupArn", TG2_ARN), {});
        assert.deepStrictEqual(await violationsOf(NAME, stackOf(c)), []);
    });

    describe("aws-native:elasticloadbalancingv2:Listener and TargetGroup", () => {
        it("passes a forward to a health-checked target group", async () => {
            assert.deepStrictEqual(await messagesOf(NAME, nativeStackOf(nativeCluster())), []);
        });

        it("reports a forward to a target group whose health check is off, as mandatory against the listener", async () => {
            const c = nativeCluster();
            c.targetGroup = withInput(c.targetGroup, "healthCheckEnabled", false);
            const violations = await violationsOf(NAME, nativeStackOf(c));
            assert.deepStrictEqual(
                violations.map((v) => [v.message, v.enforcementLevel, v.urn]),
                [
                    [
                        expected(
                            NAME,
                            notHealthChecked("api-listener", "api-tg", "healthCheckEnabled is false; health checks must stay on."),
                        )[0],
                        "mandatory",
                        c.listener.urn,
                    ],
                ],
            );
        });

        it("reports a forward to a target group without a health check path", async () => {
            const c = nativeCluster();
            c.targetGroup = withInput(c.targetGroup, "healthCheckPath", DELETE);
            assert.deepStrictEqual(
                await messagesOf(NAME, nativeStackOf(c)),
                expected(
                    NAME,
                    notHealthChecked("api-listener", "api-tg", 'healthCheckPath is not set; set it explicitly, such as "/health".'),
                ),
            );
        });

        it("finds a weighted forwardConfig target group by its targetGroupArn output, with no property dependency", async () => {
            const c = nativeCluster();
            c.targetGroup = withInput(c.targetGroup, "healthCheckProtocol", "TCP");
            c.listener = withDependencies(
                withInput(c.listener, "defaultActions", [
                    { type: "forward", forwardConfig: { targetGroups: [{ targetGroupArn: TG_ARN, weight: 100 }] } },
                ]),
                {},
            );
            assert.deepStrictEqual(
                await messagesOf(NAME, nativeStackOf(c)),
                expected(NAME, notHealthChecked("api-listener", "api-tg", 'healthCheckProtocol is "TCP"; use HTTP or HTTPS.')),
            );
        });

        it("reports a Lambda target group whose health check is not enabled, by its aws-native name", async () => {
            const c = nativeCluster();
            c.targetGroup = withInput(withInput(c.targetGroup, "targetType", "lambda"), "healthCheckEnabled", DELETE);
            assert.deepStrictEqual(
                await messagesOf(NAME, nativeStackOf(c)),
                expected(
                    NAME,
                    notHealthChecked("api-listener", "api-tg", "its Lambda health check is not enabled (healthCheckEnabled must be true)"),
                ),
            );
        });

        it("reports an aws-native listener rule that forwards to an unchecked target group", async () => {
            const c = nativeCluster();
            c.targetGroup = withInput(c.targetGroup, "healthCheckEnabled", false);
            const rule = resource(
                "aws-native:elasticloadbalancingv2:ListenerRule",
                "api-rule",
                { ...listenerRuleInputs(), actions: [{ type: "forward", targetGroupArn: TG_ARN }] },
                { actions: [c.targetGroup.urn] },
            );
            assert.deepStrictEqual(
                await messagesOf(NAME, [c.targetGroup, rule]),
                expected(
                    NAME,
                    notHealthChecked("api-rule", "api-tg", "healthCheckEnabled is false; health checks must stay on.", "Listener rule"),
                ),
            );
        });

        it("skips a target group whose health check setting is unknown during preview", async () => {
            const c = nativeCluster();
            c.targetGroup = withInput(c.targetGroup, "healthCheckEnabled", UNKNOWN);
            c.targetGroup = withInput(c.targetGroup, "healthCheckPath", UNKNOWN);
            assert.deepStrictEqual(await violationsOf(NAME, nativeStackOf(c)), []);
        });
    });
});
