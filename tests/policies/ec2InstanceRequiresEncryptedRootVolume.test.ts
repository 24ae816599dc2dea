import * as assert from "assert";
import { INSTANCE_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { instanceInputs } from "./fixtures";
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
});
