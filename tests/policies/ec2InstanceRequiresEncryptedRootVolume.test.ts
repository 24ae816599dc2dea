import * as assert from "assert";
import { INSTANCE_TOKENS, LAUNCH_TEMPLATE_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { instanceInputs, launchTemplateInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "ec2-instance-requires-encrypted-root-volume";

describe(NAME, () => {
    for (const token of INSTANCE_TOKENS) {
        describe(token, () => {
            const instance = (inputs = instanceInputs()) => resource(token, "api-0", inputs);
            const check = (path: string, value: unknown) => messagesOf(NAME, instance(changed(instanceInputs(), path, value)));

            it("passes an encrypted root volume", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, instance()), []);
            });

            it("reports encrypted: false", async () => {
                assert.deepStrictEqual(
                    await check("rootBlockDevice.encrypted", false),
                    expected(NAME, "rootBlockDevice.encrypted is false; set it to true."),
                );
            });

            it("reports encrypted unset", async () => {
                assert.deepStrictEqual(
                    await check("rootBlockDevice.encrypted", DELETE),
                    expected(NAME, "rootBlockDevice.encrypted is not set; set it to true."),
                );
            });

            it("reports rootBlockDevice unset", async () => {
                assert.deepStrictEqual(
                    await check("rootBlockDevice", DELETE),
                    expected(
                        NAME,
                        "rootBlockDevice is not set, so the root volume is encrypted only if the account defaults to it; set rootBlockDevice.encrypted to true.",
                    ),
                );
            });

            for (const path of ["rootBlockDevice", "rootBlockDevice.encrypted"]) {
                it(`skips ${path} unknown during preview`, async () => {
                    assert.deepStrictEqual(await violationsOf(NAME, instance(changed(instanceInputs(), path, UNKNOWN))), []);
                });
            }

            it("reports as advisory", async () => {
                const violations = await violationsOf(NAME, instance(changed(instanceInputs(), "rootBlockDevice", DELETE)));
                assert.deepStrictEqual(
                    violations.map((v) => v.enforcementLevel),
                    ["advisory"],
                );
            });
        });
    }

    for (const token of LAUNCH_TEMPLATE_TOKENS) {
        describe(token, () => {
            // blockDeviceMappings[].ebs.encrypted is a string, "true" or "false" (@pulumi/aws 7.48 types/input.d.ts).
            const template = (inputs = launchTemplateInputs()) => resource(token, "api-launch-template", inputs);
            const check = (path: string, value: unknown) => messagesOf(NAME, template(changed(launchTemplateInputs(), path, value)));

            it("passes a template whose EBS volumes are encrypted", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, template()), []);
            });

            it('reports ebs.encrypted "false"', async () => {
                assert.deepStrictEqual(
                    await check("blockDeviceMappings.0.ebs.encrypted", "false"),
                    expected(NAME, 'blockDeviceMappings[0].ebs.encrypted is "false"; set it to "true".'),
                );
            });

            it("reports ebs.encrypted unset", async () => {
                assert.deepStrictEqual(
                    await check("blockDeviceMappings.0.ebs.encrypted", DELETE),
                    expected(NAME, 'blockDeviceMappings[0].ebs.encrypted is not set; set it to "true".'),
                );
            });

            it("reports a template that maps no volume", async () => {
                assert.deepStrictEqual(
                    await check("blockDeviceMappings", DELETE),
                    expected(
                        NAME,
                        'blockDeviceMappings is not set, so the volumes are encrypted only if the AMI\'s snapshots or the account default are; add the root device with ebs.encrypted "true".',
                    ),
                );
            });

            it("reports each unencrypted volume, and not an instance store mapping", async () => {
                const inputs = changed(launchTemplateInputs(), "blockDeviceMappings", [
                    { deviceName: "/dev/xvda", ebs: { encrypted: "true" } },
                    { deviceName: "/dev/sdb", virtualName: "ephemeral0" },
                    { deviceName: "/dev/sdc", ebs: { encrypted: "false", volumeSize: 100 } },
                ]);
                assert.deepStrictEqual(
                    await messagesOf(NAME, template(inputs)),
                    expected(NAME, 'blockDeviceMappings[2].ebs.encrypted is "false"; set it to "true".'),
                );
            });

            for (const path of ["blockDeviceMappings", "blockDeviceMappings.0.ebs", "blockDeviceMappings.0.ebs.encrypted"]) {
                it(`skips ${path} unknown during preview`, async () => {
                    assert.deepStrictEqual(await violationsOf(NAME, template(changed(launchTemplateInputs(), path, UNKNOWN))), []);
                });
            }

            it("reports as advisory, against the template", async () => {
                const target = template(changed(launchTemplateInputs(), "blockDeviceMappings.0.ebs.encrypted", "false"));
                const violations = await violationsOf(NAME, target);
                assert.deepStrictEqual(
                    violations.map((v) => [v.enforcementLevel, v.urn]),
                    [["advisory", target.urn]],
                );
            });
        });
    }
});
