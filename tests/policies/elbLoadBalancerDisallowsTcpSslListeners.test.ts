import * as assert from "assert";
import { CLASSIC_LOAD_BALANCER_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { classicLoadBalancerInputs } from "./fixtures";
import { UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "elb-load-balancer-disallows-tcp-ssl-listeners";

describe(NAME, () => {
    for (const token of CLASSIC_LOAD_BALANCER_TOKENS) {
        describe(token, () => {
            const elb = (inputs = classicLoadBalancerInputs()) => resource(token, "api-elb", inputs);

            it("passes HTTP listeners", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, elb()), []);
            });

            it("passes an HTTPS listener", async () => {
                const inputs = changed(changed(classicLoadBalancerInputs(), "listeners.0.lbProtocol", "HTTPS"), "listeners.0.lbPort", 443);
                assert.deepStrictEqual(await messagesOf(NAME, elb(inputs)), []);
            });

            for (const protocol of ["TCP", "SSL"]) {
                it(`reports a ${protocol} lbProtocol`, async () => {
                    assert.deepStrictEqual(
                        await messagesOf(NAME, elb(changed(classicLoadBalancerInputs(), "listeners.0.lbProtocol", protocol))),
                        expected(NAME, `listeners[0].lbProtocol is "${protocol}" (port 80); use HTTP or HTTPS.`),
                    );
                });

                it(`reports a ${protocol} instanceProtocol`, async () => {
                    assert.deepStrictEqual(
                        await messagesOf(NAME, elb(changed(classicLoadBalancerInputs(), "listeners.0.instanceProtocol", protocol))),
                        expected(NAME, `listeners[0].instanceProtocol is "${protocol}" (port 8082); use HTTP or HTTPS.`),
                    );
                });
            }

            it("leaves out a port that is not set", async () => {
                const inputs = changed(changed(classicLoadBalancerInputs(), "listeners.0.lbProtocol", "TCP"), "listeners.0.lbPort", null);
                assert.deepStrictEqual(
                    await messagesOf(NAME, elb(inputs)),
                    expected(NAME, 'listeners[0].lbProtocol is "TCP"; use HTTP or HTTPS.'),
                );
            });

            it("reports each offending listener", async () => {
                const inputs = {
                    listeners: [
                        { instancePort: 8082, instanceProtocol: "HTTP", lbPort: 80, lbProtocol: "HTTP" },
                        { instancePort: 8443, instanceProtocol: "tcp", lbPort: 443, lbProtocol: "tcp" },
                    ],
                };
                assert.deepStrictEqual(
                    await messagesOf(NAME, elb(inputs)),
                    expected(
                        NAME,
                        'listeners[1].lbProtocol is "tcp" (port 443); use HTTP or HTTPS.',
                        'listeners[1].instanceProtocol is "tcp" (port 8443); use HTTP or HTTPS.',
                    ),
                );
            });

            it("skips a protocol unknown during preview", async () => {
                assert.deepStrictEqual(
                    await violationsOf(NAME, elb(changed(classicLoadBalancerInputs(), "listeners.0.lbProtocol", UNKNOWN))),
                    [],
                );
            });

            it("skips listeners unknown during preview", async () => {
                assert.deepStrictEqual(await violationsOf(NAME, elb(changed(classicLoadBalancerInputs(), "listeners", UNKNOWN))), []);
            });

            it("reports as mandatory", async () => {
                const violations = await violationsOf(NAME, elb(changed(classicLoadBalancerInputs(), "listeners.0.lbProtocol", "TCP")));
                assert.deepStrictEqual(
                    violations.map((v) => v.enforcementLevel),
                    ["mandatory"],
                );
            });
        });
    }
});
