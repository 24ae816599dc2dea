/**
 * Component names. Child names derive from the component's name, and AWS caps load balancer and
 * target group names at 32 characters; Pulumi's auto-naming appends 8 (a dash and 7 hex digits).
 * The longest child that is auto-named is `<name>-alb`, so a name may have at most 20 characters.
 * Children's AWS names also begin with the component's name, so a name must not begin with a
 * prefix AWS refuses for one of them.
 */

/** AWS's limit on load balancer and target group names. */
export const AWS_LB_NAME_LIMIT = 32;

/** Characters Pulumi's auto-naming appends to a logical name. */
export const AUTONAME_SUFFIX_LENGTH = 8;

/** The longest suffix a child that AWS limits to 32 characters adds to the component's name. */
export const LONGEST_LIMITED_CHILD_SUFFIX = "-alb";

/** Longest component name whose children stay within AWS's limit. */
export const MAX_COMPONENT_NAME_LENGTH = AWS_LB_NAME_LIMIT - AUTONAME_SUFFIX_LENGTH - LONGEST_LIMITED_CHILD_SUFFIX.length;

/** Lowercase letters, digits and inner hyphens: valid in every AWS name the component derives. */
const COMPONENT_NAME = new RegExp(`^[a-z](?:[a-z0-9-]{0,${MAX_COMPONENT_NAME_LENGTH - 2}}[a-z0-9])?$`);

/** A prefix AWS refuses at the start of a name the component derives, and why. */
export interface ForbiddenPrefix {
    /** The prefix, as AWS refuses it at the start of a child's name (`<name>-…`). */
    prefix: string;
    /** Which AWS name would carry it, and AWS's rule. */
    reason: string;
}

/** Prefixes AWS refuses at the start of the names of the component's children. */
export const FORBIDDEN_NAME_PREFIXES: readonly ForbiddenPrefix[] = [
    { prefix: "internal-", reason: "the load balancer's name (<name>-alb-…) would begin with internal-, which AWS refuses" },
    { prefix: "sg-", reason: "the security groups' names (<name>-alb-sg-…) would begin with sg-, which AWS refuses" },
    { prefix: "xn--", reason: "the image bake's S3 bucket name (<name>-image-artifacts-…) would begin with xn--, which S3 refuses" },
    { prefix: "sthree-", reason: "the image bake's S3 bucket name (<name>-image-artifacts-…) would begin with sthree-, which S3 refuses" },
    {
        prefix: "amzn-s3-demo-",
        reason: "the image bake's S3 bucket name (<name>-image-artifacts-…) would begin with amzn-s3-demo-, which S3 refuses",
    },
];

/** The problem with a component name, or undefined when it is valid. */
export function componentNameProblem(name: string): string | undefined {
    if (!COMPONENT_NAME.test(name)) {
        return `ApiCluster name must be 1 to ${MAX_COMPONENT_NAME_LENGTH} lowercase letters, digits or inner hyphens, starting with a letter; got ${JSON.stringify(name)}`;
    }
    const forbidden = FORBIDDEN_NAME_PREFIXES.find(({ prefix }) => `${name}-`.startsWith(prefix));
    if (!forbidden) {
        return undefined;
    }
    // A name equal to the prefix without its last hyphen gives the same child names ("sg" gives "sg-alb-sg-…").
    const bare = forbidden.prefix.slice(0, -1);
    const rule = bare.endsWith("-") ? `begin with "${forbidden.prefix}"` : `be "${bare}" or begin with "${forbidden.prefix}"`;
    return `ApiCluster name must not ${rule}: ${forbidden.reason}; got ${JSON.stringify(name)}`;
}
