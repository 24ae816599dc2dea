/**
 * Reading an Amazon Resource Name (`arn:partition:service:region:account:resource`).
 */

/** The region field of an ARN, or undefined when it has none (a global service's ARN, or not an ARN). */
export function arnRegion(arn: string): string | undefined {
    return arn.split(":")[3] || undefined;
}
