/**
 * The permissions boundary on every IAM role of the cluster. A deploy role that may create roles
 * only when they carry a given boundary (`iam:PermissionsBoundary` on iam:CreateRole, see
 * docs/delivery.md) can then create the cluster's roles, and no role it creates can do more than
 * the boundary allows, whatever inline policy is later put on it.
 *
 * A resource transformation on the component, like the stack tag (stackTag.ts), so it reaches
 * every role, those that later helpers add included.
 */
import * as pulumi from "@pulumi/pulumi";

/** Type token of an IAM role. */
const IAM_ROLE = "aws:iam/role:Role";

/** The transformation that sets `permissionsBoundary` on every IAM role; none when no boundary is given. */
export function permissionsBoundaryTransformation(boundaryArn: string | undefined): pulumi.ResourceTransformation {
    return ({ type, props, opts }) => {
        if (boundaryArn === undefined || type !== IAM_ROLE) {
            return undefined;
        }
        return { props: { ...props, permissionsBoundary: boundaryArn }, opts };
    };
}
