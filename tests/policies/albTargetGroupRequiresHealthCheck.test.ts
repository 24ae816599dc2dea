import * as assert from "assert";
import { TARGET_GROUP_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { NATIVE_TG, nativeTargetGroupInputs, targetGroupInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, secret, violationsOf } from "./harness";

const NAME = "alb-target-group-requires-health-check";

describe(NAME, () => {
    for (const token of TARGET_GROUP_TOKENS) {
        describe(token, () => {
            const tg = (inputs = targetGroupInputs()) => resource(token, "api-tg", inputs);
            const check = (path: string, value: unknown, config?: Record<string, unknown>) =>
                messagesOf(NAME, tg(changed(targetGroupInputs(), path, value)), { config });

            it("passes a health-checked HTTP target group", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, tg()), []);
            });

            it("passes the path that the requiredPath option names", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, tg(), { config: { requiredPath: "/health" } }), []);
            });

            it("passes an HTTPS target group and health check", async () => {
                const inputs = changed(changed(targetGroupInputs(), "protocol", "HTTPS"), "healthCheck.protocol", "HTTPS");
                assert.deepStrictEqual(await messagesOf(NAME, tg(inputs)), []);
            });

            it("passes an unset health check protocol, which is HTTP", async () => {
                assert.deepStrictEqual(await check("healthCheck.protocol", DELETE), []);
            });

            it("passes an unset matcher, an empty one, a range and a list", async () => {
                assert.deepStrictEqual(await check("healthCheck.matcher", DELETE), []);
                assert.deepStrictEqual(await check("healthCheck.matcher", ""), []);
                assert.deepStrictEqual(await check("healthCheck.matcher", "200-299"), []);
                assert.deepStrictEqual(await check("healthCheck.matcher", "200,202,301-302"), []);
            });

            it("passes a gRPC matcher on a gRPC target group", async () => {
                const inputs = changed(changed(targetGroupInputs(), "protocolVersion", "GRPC"), "healthCheck.matcher", "0-12");
                assert.deepStrictEqual(await messagesOf(NAME, tg(inputs)), []);
            });

            it("passes settings at the edges of AWS's ranges", async () => {
                const inputs = targetGroupInputs();
                Object.assign(inputs.healthCheck as object, { interval: 300, timeout: 120, healthyThreshold: 10, unhealthyThreshold: 10 });
                assert.deepStrictEqual(await messagesOf(NAME, tg(inputs)), []);
                Object.assign(inputs.healthCheck as object, { interval: 5, timeout: 2, healthyThreshold: 2, unhealthyThreshold: 2 });
                assert.deepStrictEqual(await messagesOf(NAME, tg(inputs)), []);
            });

            it("reports a missing health check", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck", DELETE),
                    expected(NAME, 'The target group declares no healthCheck; add one with an explicit path, such as "/health".'),
                );
            });

            it("reports a missing health check, naming the required path", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck", DELETE, { requiredPath: "/actuator/health" }),
                    expected(NAME, 'The target group declares no healthCheck; add one with an explicit path, such as "/actuator/health".'),
                );
            });

            it("reports a disabled health check", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck.enabled", false),
                    expected(NAME, "healthCheck.enabled is false; health checks must stay on."),
                );
            });

            it("reports a TCP health check", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck.protocol", "TCP"),
                    expected(NAME, 'healthCheck.protocol is "TCP"; use HTTP or HTTPS.'),
                );
            });

            it("reports a missing path", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck.path", DELETE),
                    expected(NAME, 'healthCheck.path is not set; set it explicitly, such as "/health".'),
                );
            });

            it("reports an empty path", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck.path", ""),
                    expected(NAME, 'healthCheck.path is not set; set it explicitly, such as "/health".'),
                );
            });

            it('reports a path that does not start with "/"', async () => {
                assert.deepStrictEqual(
                    await check("healthCheck.path", "health"),
                    expected(NAME, 'healthCheck.path "health" does not start with "/".'),
                );
            });

            it("reports a path other than the required one", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck.path", "/health", { requiredPath: "/actuator/health" }),
                    expected(NAME, 'healthCheck.path is "/health"; this pack\'s configuration requires "/actuator/health".'),
                );
            });

            it("reads a secret path as its plain value", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck.path", secret("health")),
                    expected(NAME, 'healthCheck.path "health" does not start with "/".'),
                );
            });

            for (const matcher of ["199", "200-599", "200,500"]) {
                it(`reports the matcher "${matcher}"`, async () => {
                    assert.deepStrictEqual(
                        await check("healthCheck.matcher", matcher),
                        expected(NAME, `healthCheck.matcher "${matcher}" reaches outside 200 to 499.`),
                    );
                });
            }

            for (const matcher of ["ok", "299-200", "200-"]) {
                it(`reports the malformed matcher "${matcher}"`, async () => {
                    assert.deepStrictEqual(
                        await check("healthCheck.matcher", matcher),
                        expected(NAME, `healthCheck.matcher "${matcher}" is not a list of codes or ranges, such as "200" or "200-299".`),
                    );
                });
            }

            it("reports an HTTP matcher on a gRPC target group", async () => {
                assert.deepStrictEqual(
                    await check("protocolVersion", "GRPC"),
                    expected(NAME, 'healthCheck.matcher "200" reaches outside 0 to 99 for gRPC.'),
                );
            });

            const ranges: [string, number, number, string][] = [
                ["interval", 4, 301, " seconds"],
                ["timeout", 1, 121, " seconds"],
                ["healthyThreshold", 1, 11, ""],
                ["unhealthyThreshold", 1, 11, ""],
            ];
            const limits: Record<string, [number, number]> = {
                interval: [5, 300],
                timeout: [2, 120],
                healthyThreshold: [2, 10],
                unhealthyThreshold: [2, 10],
            };
            for (const [key, low, high, unit] of ranges) {
                const [min, max] = limits[key];
                const message = (value: unknown) =>
                    `healthCheck.${key} is ${JSON.stringify(value)}; AWS allows whole numbers from ${min} to ${max}${unit}.`;

                it(`reports a ${key} below AWS's range`, async () => {
                    // An interval of 4 is also not above the timeout of 5.
                    const extra = key === "interval" ? ["healthCheck.timeout (5) must be less than healthCheck.interval (4)."] : [];
                    assert.deepStrictEqual(await check(`healthCheck.${key}`, low), expected(NAME, message(low), ...extra));
                });

                it(`reports a ${key} above AWS's range`, async () => {
                    // A timeout of 121 is also not below the interval of 10.
                    const extra = key === "timeout" ? ["healthCheck.timeout (121) must be less than healthCheck.interval (10)."] : [];
                    assert.deepStrictEqual(await check(`healthCheck.${key}`, high), expected(NAME, message(high), ...extra));
                });

                it(`reports a ${key} that is not a whole number`, async () => {
                    assert.deepStrictEqual(await check(`healthCheck.${key}`, 7.5), expected(NAME, message(7.5)));
                });
            }

            it("reports a timeout that is not below the interval", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck.timeout", 10),
                    expected(NAME, "healthCheck.timeout (10) must be less than healthCheck.interval (10)."),
                );
            });

            it("reports every fault of one health check", async () => {
                const inputs = targetGroupInputs();
                inputs.healthCheck = { enabled: false, protocol: "TCP", matcher: "500" };
                assert.deepStrictEqual(
                    await messagesOf(NAME, tg(inputs)),
                    expected(
                        NAME,
                        "healthCheck.enabled is false; health checks must stay on.",
                        'healthCheck.protocol is "TCP"; use HTTP or HTTPS.',
                        'healthCheck.path is not set; set it explicitly, such as "/health".',
                        'healthCheck.matcher "500" reaches outside 200 to 499.',
                    ),
                );
            });

            it("ignores a target group that is not HTTP or HTTPS", async () => {
                const inputs = changed(changed(targetGroupInputs(), "protocol", "TCP"), "healthCheck", DELETE);
                assert.deepStrictEqual(await violationsOf(NAME, tg(inputs)), []);
            });

            it("ignores a Lambda target group", async () => {
                assert.deepStrictEqual(await violationsOf(NAME, tg({ targetType: "lambda" })), []);
            });

            for (const path of [
                "healthCheck",
                "healthCheck.enabled",
                "healthCheck.protocol",
                "healthCheck.path",
                "healthCheck.matcher",
                "healthCheck.interval",
                "healthCheck.timeout",
                "healthCheck.healthyThreshold",
                "healthCheck.unhealthyThreshold",
                "protocol",
                "protocolVersion",
                "targetType",
            ]) {
                it(`skips ${path} unknown during preview`, async () => {
                    assert.deepStrictEqual(
                        await violationsOf(NAME, tg(changed(targetGroupInputs(), path, UNKNOWN)), { config: { requiredPath: "/health" } }),
                        [],
                    );
                });
            }

            it("still reports a known fault next to an unknown value", async () => {
                const inputs = changed(changed(targetGroupInputs(), "healthCheck.interval", UNKNOWN), "healthCheck.path", "health");
                assert.deepStrictEqual(
                    await messagesOf(NAME, tg(inputs)),
                    expected(NAME, 'healthCheck.path "health" does not start with "/".'),
                );
            });
        });
    }

    it("reports as mandatory, against the target group", async () => {
        const tg = resource("aws:lb/targetGroup:TargetGroup", "api-tg", changed(targetGroupInputs(), "healthCheck", DELETE));
        const violations = await violationsOf(NAME, tg);
        assert.deepStrictEqual(
            violations.map((v) => [v.enforcementLevel, v.urn]),
            [["mandatory", tg.urn]],
        );
    });

    it("rejects a requiredPath that is not a path", async () => {
        await assert.rejects(
            messagesOf(NAME, resource("aws:lb/targetGroup:TargetGroup", "api-tg", targetGroupInputs()), {
                config: { requiredPath: "health" },
            }),
            /alb-target-group-requires-health-check: requiredPath must match/,
        );
    });

    describe("aws-native:elasticloadbalancingv2:TargetGroup", () => {
        // Flat settings (pulumi/pulumi-aws-native sdk/nodejs/elasticloadbalancingv2/targetGroup.ts):
        // healthCheckEnabled, healthCheckProtocol, healthCheckPath, healthCheckIntervalSeconds,
        // healthCheckTimeoutSeconds, healthyThresholdCount, unhealthyThresholdCount, matcher.httpCode/grpcCode.
        const tg = (inputs = nativeTargetGroupInputs()) => resource(NATIVE_TG, "api-tg", inputs);
        const check = (path: string, value: unknown, config?: Record<string, unknown>) =>
            messagesOf(NAME, tg(changed(nativeTargetGroupInputs(), path, value)), { config });

        it("passes a health-checked HTTP target group", async () => {
            assert.deepStrictEqual(await messagesOf(NAME, tg(), { config: { requiredPath: "/health" } }), []);
        });

        it("reports a health check turned off", async () => {
            assert.deepStrictEqual(
                await check("healthCheckEnabled", false),
                expected(NAME, "healthCheckEnabled is false; health checks must stay on."),
            );
        });

        it("reports a TCP health check", async () => {
            assert.deepStrictEqual(
                await check("healthCheckProtocol", "TCP"),
                expected(NAME, 'healthCheckProtocol is "TCP"; use HTTP or HTTPS.'),
            );
        });

        it("reports a missing path", async () => {
            assert.deepStrictEqual(
                await check("healthCheckPath", DELETE),
                expected(NAME, 'healthCheckPath is not set; set it explicitly, such as "/health".'),
            );
        });

        it("reports a path other than the required one", async () => {
            assert.deepStrictEqual(
                await check("healthCheckPath", "/", { requiredPath: "/health" }),
                expected(NAME, 'healthCheckPath is "/"; this pack\'s configuration requires "/health".'),
            );
        });

        it("reports a matcher outside 200 to 499", async () => {
            assert.deepStrictEqual(
                await check("matcher.httpCode", "500"),
                expected(NAME, 'matcher.httpCode "500" reaches outside 200 to 499.'),
            );
        });

        it("reads a gRPC target group's grpcCode", async () => {
            const grpc = changed(nativeTargetGroupInputs(), "protocolVersion", "GRPC");
            assert.deepStrictEqual(await messagesOf(NAME, tg(changed(grpc, "matcher", { grpcCode: "0-12" }))), []);
            assert.deepStrictEqual(
                await messagesOf(NAME, tg(changed(grpc, "matcher", { grpcCode: "200" }))),
                expected(NAME, 'matcher.grpcCode "200" reaches outside 0 to 99 for gRPC.'),
            );
        });

        it("reports an interval outside AWS's range, and a timeout not below it", async () => {
            assert.deepStrictEqual(
                await check("healthCheckIntervalSeconds", 4),
                expected(
                    NAME,
                    "healthCheckIntervalSeconds is 4; AWS allows whole numbers from 5 to 300 seconds.",
                    "healthCheckTimeoutSeconds (5) must be less than healthCheckIntervalSeconds (4).",
                ),
            );
        });

        it("reports thresholds outside AWS's range", async () => {
            assert.deepStrictEqual(
                await check("healthyThresholdCount", 1),
                expected(NAME, "healthyThresholdCount is 1; AWS allows whole numbers from 2 to 10."),
            );
            assert.deepStrictEqual(
                await check("unhealthyThresholdCount", 11),
                expected(NAME, "unhealthyThresholdCount is 11; AWS allows whole numbers from 2 to 10."),
            );
        });

        it("ignores a TCP target group and a Lambda one", async () => {
            const tcp = changed(changed(nativeTargetGroupInputs(), "protocol", "TCP"), "healthCheckEnabled", false);
            assert.deepStrictEqual(await violationsOf(NAME, tg(tcp)), []);
            assert.deepStrictEqual(await violationsOf(NAME, tg({ targetType: "lambda" })), []);
        });

        for (const path of [
            "healthCheckEnabled",
            "healthCheckProtocol",
            "healthCheckPath",
            "healthCheckIntervalSeconds",
            "matcher",
            "matcher.httpCode",
            "protocol",
            "protocolVersion",
            "targetType",
        ]) {
            it(`skips ${path} unknown during preview`, async () => {
                const broken = {
                    ...nativeTargetGroupInputs(),
                    healthCheckEnabled: false,
                    healthCheckProtocol: "TCP",
                    healthCheckPath: "health",
                    healthCheckIntervalSeconds: 4,
                    matcher: { httpCode: "500" },
                };
                const messages = await messagesOf(NAME, tg(changed(broken, path, UNKNOWN)));
                // Only the faults that read the unknown value disappear; nothing crashes.
                const all = expected(
                    NAME,
                    "healthCheckEnabled is false; health checks must stay on.",
                    'healthCheckProtocol is "TCP"; use HTTP or HTTPS.',
                    'healthCheckPath "health" does not start with "/".',
                    'matcher.httpCode "500" reaches outside 200 to 499.',
                    "healthCheckIntervalSeconds is 4; AWS allows whole numbers from 5 to 300 seconds.",
                    "healthCheckTimeoutSeconds (5) must be less than healthCheckIntervalSeconds (4).",
                );
                const dropped: Record<string, number[]> = {
                    healthCheckEnabled: [0],
                    healthCheckProtocol: [1],
                    healthCheckPath: [2],
                    healthCheckIntervalSeconds: [4, 5],
                    matcher: [3],
                    "matcher.httpCode": [3],
                    protocol: [0, 1, 2, 3, 4, 5],
                    protocolVersion: [3],
                    targetType: [0, 1, 2, 3, 4, 5],
                };
                assert.deepStrictEqual(
                    messages,
                    all.filter((_m, i) => !dropped[path].includes(i)),
                );
            });
        }

        it("reports as mandatory, against the target group", async () => {
            const resourceUnderTest = tg(changed(nativeTargetGroupInputs(), "healthCheckEnabled", false));
            const violations = await violationsOf(NAME, resourceUnderTest);
            assert.deepStrictEqual(
                violations.map((v) => [v.enforcementLevel, v.urn]),
                [["mandatory", resourceUnderTest.urn]],
            );
        });
    });
});
