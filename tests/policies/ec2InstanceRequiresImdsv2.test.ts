import * as assert from "assert";
import { INSTANCE_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { instanceInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "ec2-instance-requires-imdsv2";

describe(NAME, () => {
    for (const token of INSTANCE_TOKENS) {
        describe(token, () => {
            const instance = (inputs = instanceInputs()) => resource(token, "api-0", inputs);
            const check = (path: string, value: unknown) => messagesOf(NAME, instance(changed(instanceInputs(), path, value)));

            it("passes an instance that requires IMDSv2", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, instance()), []);
            });

            it("passes an instance with the metadata service turned off", async () => {
                const inputs = changed(
                    changed(instanceInputs(), "metadataOptions.httpEndpoint", "disabled"),
                    "metadataOptions.httpTokens",
                    "optional",
                );
                assert.deepStrictEqual(await messagesOf(NAME, instance(inputs)), []);
            });

            it('reports httpTokens: "optional"', async () => {
                assert.deepStrictEqual(
                    await check("metadataOptions.httpTokens", "optional"),
                    expected(NAME, 'metadataOptions.httpTokens is "optional"; set it to "required".'),
                );
            });

            it("reports httpTokens unset", async () => {
                assert.deepStrictEqual(
                    await check("metadataOptions.httpTokens", DELETE),
                    expected(NAME, 'metadataOptions.httpTokens is not set, so IMDSv1 stays available; set it to "required".'),
                );
            });

            it("reports metadataOptions unset", async () => {
                assert.deepStrictEqual(
                    await check("metadataOptions", DELETE),
                    expected(NAME, 'metadataOptions is not set, so IMDSv1 stays available; set metadataOptions.httpTokens to "required".'),
                );
            });

            for (const path of ["metadataOptions", "metadataOptions.httpTokens", "metadataOptions.httpEndpoint"]) {
                it(`skips ${path} unknown during preview`, async () => {
                    const inputs = changed(changed(instanceInputs(), "metadataOptions.httpTokens", "optional"), path, UNKNOWN);
                    assert.deepStrictEqual(await violationsOf(NAME, instance(inputs)), []);
                });
            }

            it("reports as advisory", async () => {
                const violations = await violationsOf(NAME, instance(changed(instanceInputs(), "metadataOptions", DELETE)));
                assert.deepStrictEqual(
                    violations.map((v) => v.enforcementLevel),
                    ["advisory"],
                );
            });
        });
    }

    it("ignores other resource types", async () => {
        assert.deepStrictEqual(await violationsOf(NAME, resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", {})), []);
    });
});
