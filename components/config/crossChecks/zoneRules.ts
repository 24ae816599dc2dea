/** Cross-checks of the availability zones: availabilityZones against the network mode and availabilityZoneCount. */
import { zoneRegion } from "../rules";
import { ClusterSettings, NetworkMode, SETTINGS } from "../schema";
import { Label, passes, show } from "../valueCheck";

/**
 * `availabilityZones`, when set: not with `network: existing` (its subnets decide the zones),
 * exactly `availabilityZoneCount` of them, each once, all in the first one's region. Checked only
 * where the list and its zone names passed their own rules; the region's own zones and the
 * instance type's offerings are checked at deploy time (components/network.ts).
 */
export function availabilityZonesProblems(settings: ClusterSettings, label: Label): string[] {
    const zones = settings.availabilityZones;
    if (zones === undefined || !passes(SETTINGS.availabilityZones, zones)) {
        return [];
    }
    if (settings.network === NetworkMode.Existing) {
        return [
            `${label("availabilityZones")} is only used with network default-vpc or dedicated; with existing, its subnets decide the zones; got ${show(zones)}`,
        ];
    }
    const problems: string[] = [];
    if (passes(SETTINGS.availabilityZoneCount, settings.availabilityZoneCount) && zones.length !== settings.availabilityZoneCount) {
        problems.push(
            `${label("availabilityZones")} must list exactly availabilityZoneCount (${settings.availabilityZoneCount}) zones; got ${zones.length}`,
        );
    }
    zones.forEach((zone, i) => {
        const first = zones.indexOf(zone);
        if (first < i) {
            problems.push(
                `${label(`availabilityZones[${i}]`)} repeats availabilityZones[${first}]; each zone may appear once; got ${show(zone)}`,
            );
        } else if (zoneRegion(zone) !== zoneRegion(zones[0])) {
            problems.push(
                `${label(`availabilityZones[${i}]`)} must be in the region of availabilityZones[0] (${zoneRegion(zones[0])}); got ${show(zone)}`,
            );
        }
    });
    return problems;
}
