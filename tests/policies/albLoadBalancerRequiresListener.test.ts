import * as assert from "assert";
import { LISTENER_TOKENS, LOAD_BALANCER_TOKENS } from "../../policy-pack/policies/shared/tokens";
import {
    Cluster,
    LB_ARN,
    NATIVE_LB,
    cluster,
    loadBalancerInputs,
    nativeCluster,
    nativeLoadBalancerInputs,
    nativeStackOf,
    stackOf,
    withDependencies,
    withInput,
} from "./fixtures";
import { DELETE, UNKNOWN, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "alb-load-balancer-requires-listener";
const LB2_ARN = LB_ARN.replace("api-alb", "api-alb-2");

/** The cluster's resources without its listener. */
function withoutListener(c: Cluster) {
    return stackOf(c).filter((r) => r !== c.listener);
}

describe(NAME, () => {
    for (const token of LOAD_BALANCER_TOKENS) {
        describe(token, () => {
            it("passes an application load balancer with a listener", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, stackOf(cluster({ loadBalancer: token }))), []);
            });

            it("reports an application load balancer without a listener, against the load balancer", async () => {
                const c = cluster({ loadBalancer: token });
                const violations = await violationsOf(NAME, withoutListener(c));
                assert.deepStrictEqual(
                    violations.map((v) => v.message),
                    expected(NAME, 'Application load balancer "api-alb" has no listener; add an HTTP or HTTPS listener.'),
                );
                assert.deepStrictEqual(
                    violations.map((v) => [v.enforcementLevel, v.urn]),
                    [["mandatory", c.loadBalancer.urn]],
                );
            });

            it("reports a load balancer with loadBalancerType unset, which is application", async () => {
                const c = cluster({ loadBalancer: token });
                c.loadBalancer = withInput(c.loadBalancer, "loadBalancerType", DELETE);
                assert.deepStrictEqual(
                    await messagesOf(NAME, withoutListener(c)),
                    expected(NAME, 'Application load balancer "api-alb" has no listener; add an HTTP or HTTPS listener.'),
                );
            });

            it("ignores a network load balancer", async () => {
                const c = cluster({ loadBalancer: token });
                c.loadBalancer = withInput(c.loadBalancer, "loadBalancerType", "network");
                assert.deepStrictEqual(await violationsOf(NAME, withoutListener(c)), []);
            });
        });
    }

    for (const token of LISTENER_TOKENS) {
        describe(token, () => {
            it("counts a listener of this type", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, stackOf(cluster({ listener: token }))), []);
            });

            it("reports the load balancer that no listener uses", async () => {
                const c = cluster({ listener: token });
                const second = resource("aws:lb/loadBalancer:LoadBalancer", "api-alb-2", { ...loadBalancerInputs(), arn: LB2_ARN });
                assert.deepStrictEqual(
                    await messagesOf(NAME, stackOf(c, second)),
                    expected(NAME, 'Application load balancer "api-alb-2" has no listener; add an HTTP or HTTPS listener.'),
                );
            });
        });
    }

    describe("values unknown during preview", () => {
        it("follows the property dependency when the load balancer's arn is unknown", async () => {
            const c = cluster();
            c.loadBalancer = withInput(c.loadBalancer, "arn", UNKNOWN);
            c.listener = withInput(c.listener, "loadBalancerArn", UNKNOWN);
            const second = resource("aws:lb/loadBalancer:LoadBalancer", "api-alb-2", { ...loadBalancerInputs(), arn: UNKNOWN });
            assert.deepStrictEqual(
                await messagesOf(NAME, stackOf(c, second)),
                expected(NAME, 'Application load balancer "api-alb-2" has no listener; add an HTTP or HTTPS listener.'),
            );
        });

        it("stays silent when a listener's load balancer cannot be placed", async () => {
            const c = cluster();
            c.listener = withDependencies(withInput(c.listener, "loadBalancerArn", UNKNOWN), {});
            assert.deepStrictEqual(await violationsOf(NAME, stackOf(c)), []);
        });

        it("stays silent when a load balancer's arn is absent and the listener names an ARN", async () => {
            const c = cluster();
            c.loadBalancer = withInput(c.loadBalancer, "arn", DELETE);
            c.listener = withDependencies(c.listener, {});
            assert.deepStrictEqual(await violationsOf(NAME, stackOf(c)), []);
        });

        it("skips a load balancer whose type is unknown", async () => {
            const c = cluster();
            c.loadBalancer = withInput(c.loadBalancer, "loadBalancerType", UNKNOWN);
            assert.deepStrictEqual(await violationsOf(NAME, withoutListener(c)), []);
        });
    });

    describe("aws-native:elasticloadbalancingv2:LoadBalancer and Listener", () => {
        // The listener names the load balancer by its loadBalancerArn output (aws-native has no `arn`).
        it("passes a load balancer with a listener", async () => {
            assert.deepStrictEqual(await messagesOf(NAME, nativeStackOf(nativeCluster())), []);
        });

        it("reports a load balancer without a listener, as mandatory against it", async () => {
            const c = nativeCluster();
            const violations = await violationsOf(NAME, [c.loadBalancer, c.targetGroup]);
            assert.deepStrictEqual(
                violations.map((v) => [v.message, v.enforcementLevel, v.urn]),
                [
                    [
                        expected(NAME, 'Application load balancer "api-alb" has no listener; add an HTTP or HTTPS listener.')[0],
                        "mandatory",
                        c.loadBalancer.urn,
                    ],
                ],
            );
        });

        it("finds the load balancer by its loadBalancerArn output when there is no property dependency", async () => {
            const c = nativeCluster();
            c.listener = withDependencies(c.listener, {});
            assert.deepStrictEqual(await messagesOf(NAME, nativeStackOf(c)), []);
        });

        it("ignores a network load balancer without a listener", async () => {
            const c = nativeCluster();
            c.loadBalancer = withInput(c.loadBalancer, "type", "network");
            assert.deepStrictEqual(await messagesOf(NAME, [c.loadBalancer]), []);
        });

        it("stays silent when a listener's load balancer cannot be placed during preview", async () => {
            const c = nativeCluster();
            c.listener = withDependencies(withInput(c.listener, "loadBalancerArn", UNKNOWN), {});
            const other = resource(NATIVE_LB, "api-alb-2", { ...nativeLoadBalancerInputs(), loadBalancerArn: UNKNOWN });
            assert.deepStrictEqual(await violationsOf(NAME, [...nativeStackOf(c), other]), []);
        });
    });
});
