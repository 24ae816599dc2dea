/**
 * With `permissionsBoundaryArn`, every IAM role of the cluster carries that boundary, which is what
 * the deploy role in docs/delivery.md requires of any role it creates (iam:PermissionsBoundary on
 * iam:CreateRole). The provider sends `permissions_boundary` with CreateRole and changes it in place
 * with PutRolePermissionsBoundary (terraform-provider-aws internal/service/iam/role.go).
 */
import * as assert from "assert";
import { offlinePreview } from "../../preview/offlinePreview";

const BOUNDARY = "arn:aws:iam::123456789012:policy/api-cluster-dev-boundary";

/** Each IAM role of dev's plan by name, with its boundary. */
async function roleBoundaries(config: Record<string, string>): Promise<Record<string, unknown>> {
    const { plan } = await offlinePreview({ stack: "dev", configOverrides: config, skipPolicies: true });
    return Object.fromEntries(
        plan.steps
            .filter((step) => step.newState.type === "aws:iam/role:Role")
            .map((step) => [step.urn.split("::").pop(), step.newState.inputs.permissionsBoundary]),
    );
}

describe("the permissions boundary on every role of the cluster", function () {
    this.timeout(120_000);

    it("sets permissionsBoundaryArn on the instance, image build and image lifecycle roles", async () => {
        assert.deepStrictEqual(await roleBoundaries({ "api-cluster:permissionsBoundaryArn": BOUNDARY }), {
            "api-admin-instance": BOUNDARY,
            "api-image-build": BOUNDARY,
            "api-image-lifecycle": BOUNDARY,
        });
    });

    it("sets none when no boundary is given", async () => {
        assert.deepStrictEqual(await roleBoundaries({}), {
            "api-admin-instance": undefined,
            "api-image-build": undefined,
            "api-image-lifecycle": undefined,
        });
    });
});
