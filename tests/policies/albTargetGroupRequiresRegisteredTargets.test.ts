import * as assert from "assert";
import { TARGET_GROUP_ATTACHMENT_TOKENS, TARGET_GROUP_TOKENS } from "../../policy-pack/policies/shared/tokens";
import {
    Cluster,
    TG_ARN,
    autoScalingGroupInputs,
    cluster,
    nativeCluster,
    nativeStackOf,
    stackOf,
    withDependencies,
    withInput,
} from "./fixtures";
import { UNKNOWN, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "alb-target-group-requires-registered-targets";
const NO_TARGETS =
    'Target group "api-tg" receives traffic from a listener but has no registered targets; attach instances, an Auto Scaling group or an ECS service.';

/** The cluster's resources without its target group attachment. */
function withoutAttachment(c: Cluster, ...extra: ReturnType<typeof resource>[]) {
    return stackOf(c, ...extra).filter((r) => r !== c.attachment);
}

describe(NAME, () => {
    for (const token of TARGET_GROUP_TOKENS) {
        describe(token, () => {
            it("passes a forwarded-to target group with a registered instance", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, stackOf(cluster({ targetGroup: token }))), []);
            });

            it("reports a forwarded-to target group with no registered target, as advisory against it", async () => {
                const c = cluster({ targetGroup: token });
                const violations = await violationsOf(NAME, withoutAttachment(c));
                assert.deepStrictEqual(
                    violations.map((v) => v.message),
                    expected(NAME, NO_TARGETS),
                );
                assert.deepStrictEqual(
                    violations.map((v) => [v.enforcementLevel, v.urn]),
                    [["advisory", c.targetGroup.urn]],
                );
            });

            it("ignores a target group that no listener forwards to", async () => {
                const c = cluster({ targetGroup: token });
                assert.deepStrictEqual(
                    await violationsOf(
                        NAME,
                        withoutAttachment(c).filter((r) => r !== c.listener),
                    ),
                    [],
                );
            });
        });
    }

    for (const token of TARGET_GROUP_ATTACHMENT_TOKENS) {
        describe(token, () => {
            it("counts an attachment of this type", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, stackOf(cluster({ attachment: token }))), []);
            });

            it("reports the target group when the attachment registers with another one", async () => {
                const c = cluster({ attachment: token });
                c.attachment = withDependencies(withInput(c.attachment, "targetGroupArn", TG_ARN.replace("api-tg", "other-tg")), {});
                assert.deepStrictEqual(await messagesOf(NAME, stackOf(c)), expected(NAME, NO_TARGETS));
            });
        });
    }

    describe("other registrations", () => {
        it("counts an Auto Scaling group's targetGroupArns", async () => {
            const asg = resource("aws:autoscaling/group:Group", "api-asg", { maxSize: 2, minSize: 1, targetGroupArns: [TG_ARN] });
            assert.deepStrictEqual(await messagesOf(NAME, withoutAttachment(cluster(), asg)), []);
        });

        it("counts an Auto Scaling group's traffic sources", async () => {
            const asg = resource("aws:autoscaling/group:Group", "api-asg", {
                maxSize: 2,
                minSize: 1,
                trafficSources: [{ identifier: TG_ARN, type: "elbv2" }],
            });
            assert.deepStrictEqual(await messagesOf(NAME, withoutAttachment(cluster(), asg)), []);
        });

        it("counts an Auto Scaling attachment", async () => {
            const attachment = resource("aws:autoscaling/attachment:Attachment", "api-asg-attachment", {
                autoscalingGroupName: "api",
                lbTargetGroupArn: TG_ARN,
            });
            assert.deepStrictEqual(await messagesOf(NAME, withoutAttachment(cluster(), attachment)), []);
        });

        it("counts an Auto Scaling traffic source attachment", async () => {
            const attachment = resource("aws:autoscaling/trafficSourceAttachment:TrafficSourceAttachment", "api-tsa", {
                autoscalingGroupName: "api",
                trafficSource: { identifier: TG_ARN, type: "elbv2" },
            });
            assert.deepStrictEqual(await messagesOf(NAME, withoutAttachment(cluster(), attachment)), []);
        });

        it("counts an ECS service's load balancer", async () => {
            const service = resource("aws:ecs/service:Service", "api-service", {
                loadBalancers: [{ targetGroupArn: TG_ARN, containerName: "api", containerPort: 8082 }],
            });
            assert.deepStrictEqual(await messagesOf(NAME, withoutAttachment(cluster(), service)), []);
        });
    });

    describe("values unknown during preview", () => {
        it("follows the property dependency when the target group's arn is unknown", async () => {
            const c = cluster();
            c.targetGroup = withInput(c.targetGroup, "arn", UNKNOWN);
            c.attachment = withInput(c.attachment, "targetGroupArn", UNKNOWN);
            c.listener = withInput(c.listener, "defaultActions.0.targetGroupArn", UNKNOWN);
            assert.deepStrictEqual(await messagesOf(NAME, stackOf(c)), []);
        });

        it("stays silent when a registration cannot be placed", async () => {
            const c = cluster();
            const asg = resource("aws:autoscaling/group:Group", "api-asg", { maxSize: 2, minSize: 1, targetGroupArns: UNKNOWN });
            assert.deepStrictEqual(await violationsOf(NAME, withoutAttachment(c, asg)), []);
        });

        it("still reports when the unknown registration is linked to another target group", async () => {
            const c = cluster();
            const other = resource("aws:lb/targetGroup:TargetGroup", "other-tg", {
                protocol: "HTTP",
                arn: TG_ARN.replace("api-tg", "other-tg"),
            });
            const attachment = resource(
                "aws:lb/targetGroupAttachment:TargetGroupAttachment",
                "other-attachment",
                { targetGroupArn: UNKNOWN },
                { targetGroupArn: [other.urn] },
            );
            assert.deepStrictEqual(await messagesOf(NAME, withoutAttachment(c, other, attachment)), expected(NAME, NO_TARGETS));
        });
    });

    describe("aws-native:elasticloadbalancingv2:TargetGroup", () => {
        it("reports a forwarded-to target group with no targets, as advisory against it", async () => {
            const c = nativeCluster();
            const violations = await violationsOf(NAME, nativeStackOf(c));
            assert.deepStrictEqual(
                violations.map((v) => [v.message, v.enforcementLevel, v.urn]),
                [
                    [
                        expected(
                            NAME,
                            'Target group "api-tg" receives traffic from a listener but has no registered targets; attach instances, an Auto Scaling group or an ECS service.',
                        )[0],
                        "advisory",
                        c.targetGroup.urn,
                    ],
                ],
            );
        });

        it("counts the target group's own targets list", async () => {
            const c = nativeCluster();
            c.targetGroup = withInput(c.targetGroup, "targets", [{ id: "i-0123", port: 8082 }]);
            assert.deepStrictEqual(await messagesOf(NAME, nativeStackOf(c)), []);
        });

        it("counts an Auto Scaling group that names it by its targetGroupArn output", async () => {
            const c = nativeCluster();
            const group = resource("aws:autoscaling/group:Group", "api-group", autoScalingGroupInputs());
            assert.deepStrictEqual(await messagesOf(NAME, nativeStackOf(c, group)), []);
        });

        it("stays silent when a native target group's targets are unknown during preview", async () => {
            const c = nativeCluster();
            c.targetGroup = withInput(c.targetGroup, "targets", UNKNOWN);
            assert.deepStrictEqual(await violationsOf(NAME, nativeStackOf(c)), []);
        });
    });
});
