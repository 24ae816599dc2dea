import * as assert from "assert";
import { AUTOSCALING_GROUP_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { autoScalingGroupInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "autoscaling-group-requires-pinned-launch-template-version";

/** The group's inputs with a mixed instances policy in place of its own launch template. */
function mixedInputs(version: unknown): Record<string, unknown> {
    const specification: Record<string, unknown> = { launchTemplateId: "lt-0123456789abcdef0" };
    if (version !== DELETE) {
        specification.version = version;
    }
    return changed(changed(autoScalingGroupInputs(), "launchTemplate", DELETE), "mixedInstancesPolicy", {
        launchTemplate: { launchTemplateSpecification: specification, overrides: [{ instanceType: "t3.small" }] },
    });
}

describe(NAME, () => {
    for (const token of AUTOSCALING_GROUP_TOKENS) {
        describe(token, () => {
            const group = (inputs = autoScalingGroupInputs()) => resource(token, "api-group", inputs);
            const check = (path: string, value: unknown) => messagesOf(NAME, group(changed(autoScalingGroupInputs(), path, value)));

            it("passes a numbered version", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, group()), []);
            });

            for (const version of ["$Latest", "$Default"]) {
                it(`reports version ${version}`, async () => {
                    assert.deepStrictEqual(
                        await check("launchTemplate.version", version),
                        expected(
                            NAME,
                            `launchTemplate.version is "${version}", so a new template version starts no instance refresh; set it to the template's latestVersion.`,
                        ),
                    );
                });
            }

            it("reports an unset version, which is $Default", async () => {
                assert.deepStrictEqual(
                    await check("launchTemplate.version", DELETE),
                    expected(
                        NAME,
                        'launchTemplate.version is not set, so it is "$Default" and a new template version starts no instance refresh; set it to the template\'s latestVersion.',
                    ),
                );
            });

            it("reports $Latest in a mixed instances policy, and passes a number there", async () => {
                assert.deepStrictEqual(
                    await messagesOf(NAME, group(mixedInputs("$Latest"))),
                    expected(
                        NAME,
                        'mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.version is "$Latest", so a new template version starts no instance refresh; set it to the template\'s latestVersion.',
                    ),
                );
                assert.deepStrictEqual(await messagesOf(NAME, group(mixedInputs("3"))), []);
            });

            it("passes $Latest on a group without an instance refresh", async () => {
                const inputs = changed(changed(autoScalingGroupInputs(), "instanceRefresh", DELETE), "launchTemplate.version", "$Latest");
                assert.deepStrictEqual(await messagesOf(NAME, group(inputs)), []);
            });

            for (const path of ["launchTemplate", "launchTemplate.version", "instanceRefresh"]) {
                it(`skips ${path} unknown during preview`, async () => {
                    const inputs = changed(changed(autoScalingGroupInputs(), "launchTemplate.version", "$Latest"), path, UNKNOWN);
                    assert.deepStrictEqual(await violationsOf(NAME, group(inputs)), []);
                });
            }

            it("skips a mixed instances policy unknown during preview", async () => {
                assert.deepStrictEqual(
                    await violationsOf(NAME, group(changed(mixedInputs("$Latest"), "mixedInstancesPolicy", UNKNOWN))),
                    [],
                );
            });

            it("reports as advisory", async () => {
                const violations = await violationsOf(NAME, group(changed(autoScalingGroupInputs(), "launchTemplate.version", "$Latest")));
                assert.deepStrictEqual(
                    violations.map((v) => v.enforcementLevel),
                    ["advisory"],
                );
            });
        });
    }

    it("ignores other resource types", async () => {
        assert.deepStrictEqual(
            await violationsOf(NAME, resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", { launchTemplate: { version: "$Latest" } })),
            [],
        );
    });
});
