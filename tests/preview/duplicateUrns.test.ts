import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DuplicateUrnError, runUnderMocks } from "../../preview/runUnderMocks";

/** A component with one child named `child`, as ApiCluster has many. */
class Holder extends pulumi.ComponentResource {
    constructor(name: string, type = "test:index:Holder") {
        super(type, name, {}, {});
        new pulumi.ComponentResource("test:index:Child", "child", {}, { parent: this });
        this.registerOutputs({});
    }
}

describe("runUnderMocks and duplicate URNs", () => {
    it("accepts one name under two types: their URNs differ", async () => {
        const { resources } = await runUnderMocks(() => {
            new Holder("a");
            new Holder("a", "test:index:OtherHolder");
            return {};
        });
        assert.strictEqual(resources.length, 5);
    });

    it("refuses one child name under two parents of one type: a URN holds the parent's type, not its name", async () => {
        await assert.rejects(
            runUnderMocks(() => {
                new Holder("a");
                new Holder("b");
                return {};
            }),
            {
                name: "DuplicateUrnError",
                message:
                    "Duplicate resource URN 'urn:pulumi:dev::api-cluster::test:index:Holder$test:index:Child::child': " +
                    'two resources named "child" of type test:index:Child under urn:pulumi:dev::api-cluster::pulumi:pulumi:Stack$test:index:Holder::b; ' +
                    "give each a unique name",
            },
        );
    });

    it("refuses a second resource of one type and name, naming it once, not each of its children", async () => {
        await assert.rejects(
            runUnderMocks(() => {
                new Holder("orders");
                new Holder("orders");
                new Holder("billing");
                new Holder("billing");
                return {};
            }),
            (err: unknown) => {
                assert.ok(err instanceof DuplicateUrnError);
                assert.deepStrictEqual(
                    err.message.split("\n"),
                    ["orders", "billing"].map(
                        (name) =>
                            `Duplicate resource URN 'urn:pulumi:dev::api-cluster::pulumi:pulumi:Stack$test:index:Holder::${name}': ` +
                            `two resources named "${name}" of type test:index:Holder; give each a unique name`,
                    ),
                );
                return true;
            },
        );
    });
});
