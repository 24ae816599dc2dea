import * as assert from "assert";
import { INSTANCE_TOKENS, LAUNCH_TEMPLATE_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { instanceInputs, launchTemplateInputs } from "./fixtures";
import { DELETE, UNKNOWN, changed, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "ec2-instance-requires-imdsv2";

describe(NAME, () => {
    // An instance's and a launch template's metadataOptions share one shape (@pulumi/aws 7.48 types/input.d.ts).
    const families: [string, () => Record<string, unknown>][] = [
        ...[...INSTANCE_TOKENS].map((token): [string, () => Record<string, unknown>] => [token, instanceInputs]),
        ...[...LAUNCH_TEMPLATE_TOKENS].map((token): [string, () => Record<string, unknown>] => [token, launchTemplateInputs]),
    ];
    for (const [token, base] of families) {
        describe(token, () => {
            const instance = (inputs = base()) => resource(token, "api-0", inputs);
            const check = (path: string, value: unknown) => messagesOf(NAME, instance(changed(base(), path, value)));

            it("passes an instance that requires IMDSv2", async () => {
                assert.deepStrictEqual(await messagesOf(NAME, instance()), []);
            });

            it("passes an instance with the metadata service turned off", async () => {
                const inputs = changed(
                    changed(base(), "metadataOptions.httpEndpoint", "disabled"),
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
                    const inputs = changed(changed(base(), "metadataOptions.httpTokens", "optional"), path, UNKNOWN);
                    assert.deepStrictEqual(await violationsOf(NAME, instance(inputs)), []);
                });
            }

            it("reports a hop limit above 1", async () => {
                assert.deepStrictEqual(
                    await check("metadataOptions.httpPutResponseHopLimit", 2),
                    expected(
                        NAME,
                        "metadataOptions.httpPutResponseHopLimit is 2, so a container on the instance can reach the metadata service; set it to 1 unless containers need it.",
                    ),
                );
            });

            it("passes a hop limit of 1, or unset (1 by default), or unknown during preview", async () => {
                assert.deepStrictEqual(await check("metadataOptions.httpPutResponseHopLimit", 1), []);
                assert.deepStrictEqual(await check("metadataOptions.httpPutResponseHopLimit", DELETE), []);
                assert.deepStrictEqual(await check("metadataOptions.httpPutResponseHopLimit", UNKNOWN), []);
            });

            it("reports as advisory", async () => {
                const violations = await violationsOf(NAME, instance(changed(base(), "metadataOptions", DELETE)));
                assert.deepStrictEqual(
                    violations.map((v) => v.enforcementLevel),
                    ["advisory"],
                );
            });
        });
    }

    it("ignores other resource types", async () => {
        assert.deepStrictEqual(await violationsOf(NAME, resource("aws:ec2/spotInstanceRequest:SpotInstanceRequest", "spot", {})), []);
    });
});
