import * as assert from "assert";
import { TARGET_GROUP_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { NATIVE_TG, nativeTargetGroupInputs, targetGroupInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "alb-target-group-requires-valid-stickiness";

/** Target group inputs with enabled app-cookie stickiness. */
function appCookieInputs(): Record<string, unknown> {
    return changed(targetGroupInputs(), "stickiness", { enabled: true, type: "app_cookie", cookieName: "SESSION", cookieDuration: 3600 });
}

describe(NAME, () => {
    for (const token of TARGET_GROUP_TOKENS) {
        describe(token, () => {
            const tg = (inputs = targetGroupInputs()) => resource(token, "api-tg", inputs);
            const check = (path: string, value: unknown, base = targetGroupInputs()) => messagesOf(NAME, tg(changed(base, path, value)));

            it("passes lb_cookie stickiness", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, tg()), []);
            });

            it("passes app_cookie stickiness with a cookie name", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, tg(appCookieInputs())), []);
            });

            it("passes a target group without stickiness", async () => {
                assert.deepStrictEqual(await check("stickiness", DELETE), []);
            });

            it("reports a stickiness type an HTTP target group does not accept", async () => {
                assert.deepStrictEqual(
                    await check("stickiness.type", "source_ip"),
                    expected(NAME, 'stickiness.type is "source_ip"; an HTTP or HTTPS target group accepts lb_cookie or app_cookie.'),
                );
            });

            it("reports an unknown stickiness type on a TCP target group", async () => {
                assert.deepStrictEqual(
                    await check("stickiness.type", "cookie", changed(targetGroupInputs(), "protocol", "TCP")),
                    expected(
                        NAME,
                        'stickiness.type is "cookie"; a target group accepts lb_cookie, app_cookie, source_ip, source_ip_dest_ip or source_ip_dest_ip_proto.',
                    ),
                );
            });

            it("reports stickiness without a type", async () => {
                assert.deepStrictEqual(
                    await check("stickiness.type", DELETE),
                    expected(NAME, "stickiness.type is not set; an HTTP or HTTPS target group accepts lb_cookie or app_cookie."),
                );
            });

            it("reports app_cookie stickiness without a cookie name", async () => {
                assert.deepStrictEqual(
                    await check("stickiness.cookieName", DELETE, appCookieInputs()),
                    expected(NAME, "stickiness.cookieName is not set; app_cookie stickiness needs the application's cookie name."),
                );
            });

            for (const cookieName of ["AWSALB", "AWSALBAPP", "awsalbtg-session"]) {
                it(`reports the reserved cookie name "${cookieName}"`, async () => {
                    assert.deepStrictEqual(
                        await check("stickiness.cookieName", cookieName, appCookieInputs()),
                        expected(NAME, `stickiness.cookieName "${cookieName}" is reserved by AWS (AWSALB, AWSALBAPP, AWSALBTG).`),
                    );
                });
            }

            for (const duration of [0, 604801, 1.5]) {
                it(`reports a cookieDuration of ${duration}`, async () => {
                    assert.deepStrictEqual(
                        await check("stickiness.cookieDuration", duration),
                        expected(NAME, `stickiness.cookieDuration is ${duration}; AWS allows whole numbers from 1 to 604800 seconds.`),
                    );
                });
            }

            for (const path of [
                "stickiness",
                "stickiness.type",
                "stickiness.cookieName",
                "stickiness.cookieDuration",
                "protocol",
                "targetType",
            ]) {
                it(`skips ${path} unknown during preview`, async () => {
                    assert.deepStrictEqual(await violationsOf(NAME, tg(changed(appCookieInputs(), path, UNKNOWN))), []);
                });
            }

            it("ignores a Lambda target group", async () => {
                assert.deepStrictEqual(await violationsOf(NAME, tg({ targetType: "lambda", stickiness: { type: "bogus" } })), []);
            });
        });
    }

    it("reports as advisory", async () => {
        const violations = await violationsOf(
            NAME,
            resource("aws:lb/targetGroup:TargetGroup", "tg", changed(targetGroupInputs(), "stickiness.type", "x")),
        );
        assert.deepStrictEqual(
            violations.map((v) => v.enforcementLevel),
            ["advisory"],
        );
    });

    describe("aws-native:elasticloadbalancingv2:TargetGroup", () => {
        // targetGroupAttributes: [{ key, value }] with string values (pulumi/pulumi-aws-native
        // sdk/nodejs/elasticloadbalancingv2/targetGroup.ts; the keys of AWS's ModifyTargetGroupAttributes).
        const tg = (attributes: Record<string, string>) =>
            resource(NATIVE_TG, "api-tg", {
                ...nativeTargetGroupInputs(),
                targetGroupAttributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
            });
        const LB_COOKIE = {
            "stickiness.enabled": "true",
            "stickiness.type": "lb_cookie",
            "stickiness.lb_cookie.duration_seconds": "86400",
        };

        it("passes lb_cookie and app_cookie stickiness, and none", async () => {
            assert.deepStrictEqual(await messagesOf(NAME, tg(LB_COOKIE)), []);
            const appCookie = {
                "stickiness.enabled": "true",
                "stickiness.type": "app_cookie",
                "stickiness.app_cookie.cookie_name": "API_SESSION",
                "stickiness.app_cookie.duration_seconds": "3600",
            };
            assert.deepStrictEqual(await messagesOf(NAME, tg(appCookie)), []);
            assert.deepStrictEqual(await messagesOf(NAME, tg({ "deregistration_delay.timeout_seconds": "30" })), []);
        });

        it("reports source_ip stickiness on an HTTP target group", async () => {
            assert.deepStrictEqual(
                await messagesOf(NAME, tg({ ...LB_COOKIE, "stickiness.type": "source_ip" })),
                expected(
                    NAME,
                    'targetGroupAttributes "stickiness.type" is "source_ip"; an HTTP or HTTPS target group accepts lb_cookie or app_cookie.',
                ),
            );
        });

        it("reports app_cookie stickiness without a cookie name, and a reserved one", async () => {
            const appCookie = { "stickiness.enabled": "true", "stickiness.type": "app_cookie" };
            assert.deepStrictEqual(
                await messagesOf(NAME, tg(appCookie)),
                expected(
                    NAME,
                    'targetGroupAttributes "stickiness.app_cookie.cookie_name" is not set; app_cookie stickiness needs the application\'s cookie name.',
                ),
            );
            assert.deepStrictEqual(
                await messagesOf(NAME, tg({ ...appCookie, "stickiness.app_cookie.cookie_name": "AWSALBAPP-0" })),
                expected(
                    NAME,
                    'targetGroupAttributes "stickiness.app_cookie.cookie_name" "AWSALBAPP-0" is reserved by AWS (AWSALB, AWSALBAPP, AWSALBTG).',
                ),
            );
        });

        it("reports a duration outside one second to seven days", async () => {
            assert.deepStrictEqual(
                await messagesOf(NAME, tg({ ...LB_COOKIE, "stickiness.lb_cookie.duration_seconds": "604801" })),
                expected(
                    NAME,
                    'targetGroupAttributes "stickiness.lb_cookie.duration_seconds" is 604801; AWS allows whole numbers from 1 to 604800 seconds.',
                ),
            );
        });

        it("skips attributes unknown during preview", async () => {
            const unknown = resource(NATIVE_TG, "api-tg", { ...nativeTargetGroupInputs(), targetGroupAttributes: UNKNOWN });
            assert.deepStrictEqual(await violationsOf(NAME, unknown), []);
        });
    });
});
