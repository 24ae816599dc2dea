/** Cross-check of the fleet's sizes: minInstanceCount, instanceCount and maxInstanceCount must nest. */
import { ClusterSettings, SETTINGS } from "../schema";
import { Label, passes } from "../valueCheck";

/**
 * The Auto Scaling group's sizes must nest: minInstanceCount ≤ instanceCount ≤ maxInstanceCount (each
 * already 1 to 100 on its own). Checked only where all three passed their own rule.
 */
export function fleetSizeProblems(settings: ClusterSettings, label: Label): string[] {
    const { minInstanceCount: min, instanceCount: desired, maxInstanceCount: max } = settings;
    const sizesValid =
        passes(SETTINGS.minInstanceCount, min) && passes(SETTINGS.instanceCount, desired) && passes(SETTINGS.maxInstanceCount, max);
    if (!sizesValid) {
        return [];
    }
    const problems: string[] = [];
    if (min > desired) {
        problems.push(`${label("minInstanceCount")} must be at most instanceCount (${desired}); got ${min}`);
    }
    if (max < desired) {
        problems.push(`${label("maxInstanceCount")} must be at least instanceCount (${desired}); got ${max}`);
    }
    return problems;
}
