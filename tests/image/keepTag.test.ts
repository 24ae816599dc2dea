import * as assert from "assert";
import { ApiCluster } from "../../components/apiCluster";
import { KEEP_TAG } from "../../components/image/keepTag";
import { runUnderMocks } from "../../preview/runUnderMocks";
import { countByType, onlyOfType } from "../support/resources";

describe("the keep tag on an AMI a stack runs but did not bake", () => {
    it("tags the amiId it runs, so the baking stack's lifecycle policy leaves that AMI alone", async () => {
        const { resources } = await runUnderMocks(() => {
            new ApiCluster("api", { amiId: "ami-0123456789abcdef0" });
            return {};
        });
        const tag = onlyOfType(resources, "aws:ec2/tag:Tag");
        assert.strictEqual(tag.name, "api-ami-keep");
        assert.deepStrictEqual(tag.inputs, { resourceId: "ami-0123456789abcdef0", key: "api-cluster:keep", value: "true" });
    });

    it("is the tag the lifecycle policy excludes, and a stack that bakes tags nothing", async () => {
        const { resources } = await runUnderMocks(() => {
            new ApiCluster("api", {});
            return {};
        });
        assert.strictEqual(countByType(resources)["aws:ec2/tag:Tag"], undefined);
        const [detail] = onlyOfType(resources, "aws:imagebuilder/lifecyclePolicy:LifecyclePolicy").inputs.policyDetails;
        assert.deepStrictEqual(detail.exclusionRules.amis.tagMap, { [KEEP_TAG.key]: KEEP_TAG.value });
    });
});
