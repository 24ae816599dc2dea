/**
 * The stack tag: every resource the ApiCluster component creates carries `api-cluster:stack` = the
 * stack's name, so a deploy role can be limited to its own stack's resources by tag
 * (`aws:ResourceTag/api-cluster:stack`, `aws:RequestTag/api-cluster:stack`; see docs/delivery.md),
 * even when several stacks share an account.
 *
 * One mechanism covers every child, those added later included: a resource transformation on the
 * component, which the SDK applies to each descendant as it is constructed. A resource takes tags
 * when its registered inputs have a `tags` key: every generated resource class (@pulumi/aws,
 * @pulumi/awsx's remote components) sets each of its input keys, `undefined` when not given, so
 * the key's presence is the type's own declaration, not a list kept here. Existing tags are kept;
 * the stack tag is set last, so no other tag overrides it.
 *
 * The shapes that differ: an Auto Scaling group takes a list of `{ key, value, propagateAtLaunch }`
 * (propagated here, so its instances carry the tag); a launch template also gets the tag in
 * `tagSpecifications` for the instances and volumes it launches; awsx's Vpc (a remote component,
 * whose children the awsx provider creates) gets it in `tags` and in each subnet spec's `tags`.
 */
import * as pulumi from "@pulumi/pulumi";

/** The tag key that names the stack a resource belongs to. */
export const STACK_TAG_KEY = "api-cluster:stack";

/** Type token of the Auto Scaling group, whose `tags` is a list. */
const AUTO_SCALING_GROUP = "aws:autoscaling/group:Group";
/** Type token of the launch template, which also tags what it launches. */
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
/** Type token of awsx's VPC, whose subnets take tags in their specs. */
const AWSX_VPC = "awsx:ec2:Vpc";
/** What a launch template tags at launch besides itself. */
const LAUNCHED_RESOURCE_TYPES = ["instance", "volume"];

type Tags = Record<string, string>;
interface GroupTag {
    key: string;
    value: string;
    propagateAtLaunch: boolean;
}
interface TagSpecification {
    resourceType: string;
    tags?: Tags;
}

/** `tags` with the stack tag set last. */
function withStackTag(tags: pulumi.Input<Tags> | undefined, stack: string): pulumi.Output<Tags> {
    return pulumi.output(tags).apply((given): Tags => ({ ...(given ?? {}), [STACK_TAG_KEY]: stack }));
}

/** The transformation that gives every taggable resource the stack tag. */
export function stackTagTransformation(stack: string): pulumi.ResourceTransformation {
    return ({ type, props, opts }) => {
        if (!Object.prototype.hasOwnProperty.call(props, "tags")) {
            return undefined;
        }
        const tagged: pulumi.Inputs = { ...props };
        if (type === AUTO_SCALING_GROUP) {
            tagged.tags = pulumi
                .output(props.tags as pulumi.Input<GroupTag[]> | undefined)
                .apply((given) => [
                    ...(given ?? []).filter((tag) => tag.key !== STACK_TAG_KEY),
                    { key: STACK_TAG_KEY, value: stack, propagateAtLaunch: true },
                ]);
            return { props: tagged, opts };
        }
        tagged.tags = withStackTag(props.tags, stack);
        if (type === LAUNCH_TEMPLATE) {
            tagged.tagSpecifications = pulumi
                .output(props.tagSpecifications as pulumi.Input<TagSpecification[]> | undefined)
                .apply((given) => {
                    const specifications = given ?? [];
                    const missing = LAUNCHED_RESOURCE_TYPES.filter((resourceType) =>
                        specifications.every((specification) => specification.resourceType !== resourceType),
                    ).map((resourceType): TagSpecification => ({ resourceType }));
                    return [...specifications, ...missing].map((specification) => ({
                        ...specification,
                        tags: { ...(specification.tags ?? {}), [STACK_TAG_KEY]: stack },
                    }));
                });
        }
        if (type === AWSX_VPC && Array.isArray(props.subnetSpecs)) {
            tagged.subnetSpecs = (props.subnetSpecs as Record<string, unknown>[]).map((spec) => ({
                ...spec,
                tags: withStackTag(spec.tags as pulumi.Input<Tags> | undefined, stack),
            }));
        }
        return { props: tagged, opts };
    };
}
