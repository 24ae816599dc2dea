/**
 * Component names. Child names derive from the component's name, and AWS caps load balancer and
 * target group names at 32 characters; Pulumi's auto-naming appends 8 (a dash and 7 hex digits).
 * The longest child that is auto-named is `<name>-alb`, so a name may have at most 20 characters.
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

/** The problem with a component name, or undefined when it is valid. */
export function componentNameProblem(name: string): string | undefined {
    return COMPONENT_NAME.test(name)
        ? undefined
        : `ApiCluster name must be 1 to ${MAX_COMPONENT_NAME_LENGTH} lowercase letters, digits or inner hyphens, starting with a letter; got ${JSON.stringify(name)}`;
}
