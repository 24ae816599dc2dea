import * as assert from "assert";
import { AUTOSCALING_GROUP_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { TG_ARN, autoScalingGroupInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "autoscaling-group-requires-elb-health-check";

describe(NAME, () => {
    it("covers the one Auto Scaling group token (no legacy alias exists)", () => {
        assert.deepStrictEqual([...AUTOSCALING_GROUP_TOKENS], ["aws:autoscaling/group:Group"]);
    });

    for (const token of AUTOSCALING_GROUP_TOKENS) {
        describe(token, () => {
            const group = (inputs = autoScalingGroupInputs()) => resource(token, "api-group", inputs);
            const check = (path: string, value: unknown) => messagesOf(NAME, group(changed(autoScalingGroupInputs(), path, value)));

            it("passes a group registered with a target group that uses ELB health checks", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, group()), []);
            });

            it('reports healthCheckType "EC2"', async () => {
                assert.deepStrictEqual(
                    await check("healthCheckType", "EC2"),
                    expected(NAME, 'healthCheckType is "EC2", so the load balancer\'s health checks are ignored; set it to "ELB".'),
                );
            });

            it("reports healthCheckType unset, which is EC2", async () => {
                assert.deepStrictEqual(
                    await check("healthCheckType", DELETE),
                    expected(
                        NAME,
                        'healthCheckType is not set, so it is "EC2" and the load balancer\'s health checks are ignored; set it to "ELB".',
                    ),
                );
            });

            it("reports a group registered through trafficSources", async () => {
                const inputs = changed(changed(autoScalingGroupInputs(), "targetGroupArns", DELETE), "trafficSources", [
                    { identifier: TG_ARN, type: "elbv2" },
                ]);
                assert.deepStrictEqual(
                    await messagesOf(NAME, group(changed(inputs, "healthCheckType", "EC2"))),
                    expected(NAME, 'healthCheckType is "EC2", so the load balancer\'s health checks are ignored; set it to "ELB".'),
                );
            });

            it("reports a group registered with a classic load balancer (loadBalancers)", async () => {
                // loadBalancers: the names of classic ELBs (@pulumi/aws 7.48 autoscaling/group.d.ts).
                const inputs = changed(changed(autoScalingGroupInputs(), "targetGroupArns", DELETE), "loadBalancers", ["api-elb"]);
                assert.deepStrictEqual(await messagesOf(NAME, group(inputs)), []);
                assert.deepStrictEqual(
                    await messagesOf(NAME, group(changed(inputs, "healthCheckType", "EC2"))),
                    expected(NAME, 'healthCheckType is "EC2", so the load balancer\'s health checks are ignored; set it to "ELB".'),
                );
            });

            it("passes a group with no target group, empty or absent", async () => {
                const ec2 = changed(autoScalingGroupInputs(), "healthCheckType", "EC2");
                assert.deepStrictEqual(await messagesOf(NAME, group(changed(ec2, "targetGroupArns", []))), []);
                assert.deepStrictEqual(await messagesOf(NAME, group(changed(ec2, "targetGroupArns", DELETE))), []);
                assert.deepStrictEqual(
                    await messagesOf(NAME, group(changed(changed(ec2, "targetGroupArns", DELETE), "loadBalancers", []))),
                    [],
                );
            });

            for (const path of ["healthCheckType", "targetGroupArns", "trafficSources", "loadBalancers"]) {
                it(`skips ${path} unknown during preview`, async () => {
                    const inputs = changed(changed(autoScalingGroupInputs(), "healthCheckType", "EC2"), path, UNKNOWN);
                    assert.deepStrictEqual(await violationsOf(NAME, group(inputs)), []);
                });
            }

            it("reports as mandatory", async () => {
                const violations = await violationsOf(NAME, group(changed(autoScalingGroupInputs(), "healthCheckType", DELETE)));
                assert.deepStrictEqual(
                    violations.map((v) => v.enforcementLevel),
                    ["mandatory"],
                );
            });
        });
    }

    it("ignores other resource types", async () => {
        assert.deepStrictEqual(
            await violationsOf(NAME, resource("aws:autoscaling/attachment:Attachment", "a", { healthCheckType: "EC2" })),
            [],
        );
    });
});
