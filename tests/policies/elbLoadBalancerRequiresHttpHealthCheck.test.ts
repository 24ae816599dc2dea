/**
 * The classic ELB's health check is `healthCheck.target`, "${PROTOCOL}:${PORT}${PATH}" (@pulumi/aws 7.48,
 * types/input.d.ts LoadBalancerHealthCheck: HTTP and HTTPS need a port and a path, TCP and SSL a port only).
 */
import * as assert from "assert";
import { CLASSIC_LOAD_BALANCER_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { classicLoadBalancerInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "elb-load-balancer-requires-http-health-check";

describe(NAME, () => {
    for (const token of CLASSIC_LOAD_BALANCER_TOKENS) {
        describe(token, () => {
            const elb = (inputs = classicLoadBalancerInputs()) => resource(token, "api-elb", inputs);
            const check = (path: string, value: unknown) => messagesOf(NAME, elb(changed(classicLoadBalancerInputs(), path, value)));

            it("passes an HTTP health check on a path", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, elb()), []);
            });

            it("passes an HTTPS health check, in any case", async () => {
                assert.deepStrictEqual(await check("healthCheck.target", "https:8443/health"), []);
            });

            it("reports a TCP health check", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck.target", "TCP:8082"),
                    expected(
                        NAME,
                        'healthCheck.target is "TCP:8082", which only checks that a connection opens; use an HTTP or HTTPS path, such as "HTTP:8082/health".',
                    ),
                );
            });

            it("reports an SSL health check", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck.target", "SSL:8443"),
                    expected(
                        NAME,
                        'healthCheck.target is "SSL:8443", which only checks that a connection opens; use an HTTP or HTTPS path, such as "HTTP:8443/health".',
                    ),
                );
            });

            it("reports an HTTP health check without a path", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck.target", "HTTP:8082"),
                    expected(NAME, 'healthCheck.target "HTTP:8082" names no path; add one, such as "HTTP:8082/health".'),
                );
            });

            it("reports a target that is not PROTOCOL:PORT/PATH", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck.target", "/health"),
                    expected(
                        NAME,
                        'healthCheck.target "/health" is not PROTOCOL:PORT/PATH; use an HTTP or HTTPS path, such as "HTTP:8082/health".',
                    ),
                );
            });

            it("reports a missing target", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck.target", DELETE),
                    expected(NAME, 'healthCheck.target is not set; set it to an HTTP or HTTPS path, such as "HTTP:8082/health".'),
                );
            });

            it("reports a missing health check, suggesting the first listener's instance port", async () => {
                assert.deepStrictEqual(
                    await check("healthCheck", DELETE),
                    expected(
                        NAME,
                        'healthCheck is not set, so AWS only checks that a TCP connection opens; set healthCheck.target to an HTTP or HTTPS path, such as "HTTP:8082/health".',
                    ),
                );
            });

            for (const path of ["healthCheck", "healthCheck.target"]) {
                it(`skips ${path} unknown during preview`, async () => {
                    assert.deepStrictEqual(await violationsOf(NAME, elb(changed(classicLoadBalancerInputs(), path, UNKNOWN))), []);
                });
            }

            it("reports as mandatory, against the load balancer", async () => {
                const target = elb(changed(classicLoadBalancerInputs(), "healthCheck.target", "TCP:8082"));
                const violations = await violationsOf(NAME, target);
                assert.deepStrictEqual(
                    violations.map((v) => [v.enforcementLevel, v.urn]),
                    [["mandatory", target.urn]],
                );
            });
        });
    }

    it("ignores other resource types", async () => {
        assert.deepStrictEqual(await violationsOf(NAME, resource("aws:lb/loadBalancer:LoadBalancer", "lb", {})), []);
    });
});
