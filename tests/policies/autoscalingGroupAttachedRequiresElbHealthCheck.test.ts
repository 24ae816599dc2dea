import * as assert from "assert";
import {
    AUTOSCALING_ATTACHMENT_TOKEN,
    AUTOSCALING_GROUP_TOKENS,
    AUTOSCALING_TRAFFIC_SOURCE_ATTACHMENT_TOKEN,
} from "../../policy-pack/policies/shared/tokens";
import { TG_ARN, autoScalingGroupInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, urnOf, violationsOf } from "./harness";

const NAME = "autoscaling-group-attached-requires-elb-health-check";
const EC2_TYPE = 'healthCheckType is "EC2", so the load balancer\'s health checks are ignored; set it to "ELB".';
const UNSET_TYPE = 'healthCheckType is not set, so it is "EC2" and the load balancer\'s health checks are ignored; set it to "ELB".';

/** A group named api-group, registered by nothing of its own, with `healthCheckType` as given (DELETE for unset). */
function groupWith(token: string, healthCheckType: unknown, name: unknown = "api-group") {
    const inputs = changed(changed(autoScalingGroupInputs(), "targetGroupArns", DELETE), "healthCheckType", healthCheckType);
    return resource(token, "api-group", { ...inputs, name });
}

/** An aws.autoscaling.Attachment of api-group to the target group. */
function attachment(name = "api-group-attachment", groupName: unknown = "api-group", dependencies: Record<string, string[]> = {}) {
    return resource(AUTOSCALING_ATTACHMENT_TOKEN, name, { autoscalingGroupName: groupName, lbTargetGroupArn: TG_ARN }, dependencies);
}

describe(NAME, () => {
    for (const token of AUTOSCALING_GROUP_TOKENS) {
        describe(token, () => {
            it("passes an attached group that uses ELB health checks", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, [groupWith(token, "ELB"), attachment()]), []);
            });

            it('reports an attached group with healthCheckType "EC2", as mandatory against the group', async () => {
                const group = groupWith(token, "EC2");
                const violations = await violationsOf(NAME, [group, attachment()]);
                assert.deepStrictEqual(
                    violations.map((v) => v.message),
                    expected(NAME, `Auto Scaling group "api-group" is registered by "api-group-attachment": ${EC2_TYPE}`),
                );
                assert.deepStrictEqual(
                    violations.map((v) => [v.enforcementLevel, v.urn]),
                    [["mandatory", group.urn]],
                );
            });

            it("reports a group with healthCheckType unset that a traffic source attachment registers", async () => {
                const sourceAttachment = resource(AUTOSCALING_TRAFFIC_SOURCE_ATTACHMENT_TOKEN, "api-group-source", {
                    autoscalingGroupName: "api-group",
                    trafficSource: { identifier: TG_ARN, type: "elbv2" },
                });
                assert.deepStrictEqual(
                    await messagesOf(NAME, [groupWith(token, DELETE), sourceAttachment]),
                    expected(NAME, `Auto Scaling group "api-group" is registered by "api-group-source": ${UNSET_TYPE}`),
                );
            });

            it("follows the attachment's property dependency when the group's name is unknown during preview", async () => {
                const group = groupWith(token, "EC2", UNKNOWN);
                const linked = attachment("api-group-attachment", UNKNOWN, { autoscalingGroupName: [urnOf(token, "api-group")] });
                assert.deepStrictEqual(
                    await messagesOf(NAME, [group, linked]),
                    expected(NAME, `Auto Scaling group "api-group" is registered by "api-group-attachment": ${EC2_TYPE}`),
                );
            });

            it("reports a group once, however many attachments register it", async () => {
                const violations = await violationsOf(NAME, [groupWith(token, "EC2"), attachment(), attachment("api-group-second")]);
                assert.strictEqual(violations.length, 1);
            });

            it("ignores a group that no attachment registers, and an attachment of another group", async () => {
                assert.deepStrictEqual(await violationsOf(NAME, groupWith(token, "EC2")), []);
                assert.deepStrictEqual(await violationsOf(NAME, [groupWith(token, "EC2"), attachment("other", "other-group")]), []);
            });

            it("skips a healthCheckType unknown during preview", async () => {
                assert.deepStrictEqual(await violationsOf(NAME, [groupWith(token, UNKNOWN), attachment()]), []);
            });
        });
    }
});
