/** Cross-checks of the existing network: existingNetwork against the network mode, its fields and its subnet lists. */
import { ClusterSettings, EXISTING_NETWORK_FIELDS, ExistingNetworkSettings, MIN_LOAD_BALANCER_SUBNETS, NetworkMode } from "../schema";
import { Label, show } from "../valueCheck";

/** The ids in a list that appear more than once, each named once; ids not yet known are skipped. */
function repeatedIds(ids: unknown[]): string[] {
    const known = ids.filter((id): id is string => typeof id === "string");
    return [...new Set(known.filter((id, i) => known.indexOf(id) !== i))];
}

/**
 * `existingNetwork` is required with `network: existing` and refused otherwise; with it, each field
 * is required, the load balancer needs two subnets and the instances one, and no list repeats an id.
 */
export function existingNetworkProblems(settings: ClusterSettings, label: Label): string[] {
    const given = settings.existingNetwork as Partial<Record<keyof ExistingNetworkSettings, unknown>> | undefined;
    if (settings.network !== NetworkMode.Existing) {
        return given === undefined
            ? []
            : [`${label("existingNetwork")} is only used with network existing; got it with network ${show(settings.network)}`];
    }
    if (given === undefined) {
        return [`${label("existingNetwork")} is required when network is existing; got nothing`];
    }
    if (typeof given !== "object" || given === null || Array.isArray(given)) {
        return []; // Already reported as not an object.
    }
    const problems: string[] = [];
    for (const field of Object.keys(EXISTING_NETWORK_FIELDS) as (keyof ExistingNetworkSettings)[]) {
        if (given[field] === undefined) {
            problems.push(`${label(`existingNetwork.${field}`)} is required when network is existing; got nothing`);
        }
    }
    const lists: [keyof ExistingNetworkSettings, number][] = [
        ["loadBalancerSubnetIds", MIN_LOAD_BALANCER_SUBNETS],
        ["instanceSubnetIds", 1],
    ];
    for (const [field, fewest] of lists) {
        const ids = given[field];
        if (!Array.isArray(ids)) {
            continue; // Missing, or already reported as not a list.
        }
        if (ids.length < fewest) {
            problems.push(
                `${label(`existingNetwork.${field}`)} must list at least ${fewest} subnet${fewest === 1 ? "" : "s"}; got ${ids.length}`,
            );
        }
        for (const id of repeatedIds(ids)) {
            problems.push(`${label(`existingNetwork.${field}`)} must not list a subnet twice; got ${show(id)} more than once`);
        }
    }
    return problems;
}
