/**
 * Checks settings against the schema and applies defaults. Every problem is collected, so the
 * user sees all of them at once; nothing here registers a resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { appPathProblem } from "../app/appPath";
import {
    APP_FIELDS,
    AppSettings,
    ClusterSettings,
    ClusterSettingsArgs,
    EXISTING_NETWORK_FIELDS,
    ExistingNetworkSettings,
    DEFAULT_MAX_INSTANCE_FACTOR,
    FLEET_SIZE_CEILING,
    HEALTH_CHECK_FIELDS,
    MIN_LOAD_BALANCER_SUBNETS,
    NetworkMode,
    HealthCheckSettings,
    HTTPS_PORT,
    HTTP_REDIRECT_PORT,
    SETTINGS,
    STICKINESS_FIELDS,
    SettingSpec,
    StickinessSettings,
    usesTls,
} from "./schema";
import { parseIpv4Cidr, zoneRegion } from "./rules";
import {
    AddressRange,
    CidrBlock,
    IpFamily,
    blockSize,
    coversWholeInternet,
    formatAddress,
    parseCidr,
    publicRanges,
    widestPublicRange,
} from "../../policy-pack/policies/shared/cidr";

/** Turns a setting's path (`instanceCount`, `healthCheck.path`) into the name the user knows it by. */
export type Label = (path: string) => string;

/** Raised with every problem found in the settings. A RunError, so Pulumi prints no stack trace. */
export class SettingsError extends pulumi.RunError {
    constructor(readonly problems: string[]) {
        super(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
        this.name = "SettingsError";
    }
}

/** How a value is shown in a message: as the user wrote it. */
function show(value: unknown): string {
    return JSON.stringify(value) ?? String(value);
}

/** Levenshtein distance between two strings, case-insensitive. */
function distance(a: string, b: string): number {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    let previous = Array.from({ length: y.length + 1 }, (_unused, j) => j);
    for (let i = 1; i <= x.length; i++) {
        const current = [i];
        for (let j = 1; j <= y.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[y.length];
}

/** The message for a key that is not known, suggesting the closest known key when one is near. */
export function unknownKeyProblem(labelled: string, key: string, known: readonly string[]): string {
    const ranked = [...known].sort((a, b) => distance(key, a) - distance(key, b));
    const closest = ranked[0];
    const near = closest !== undefined && distance(key, closest) <= Math.max(2, Math.floor(key.length / 3));
    return near
        ? `${labelled} is not a known key; did you mean ${closest}?`
        : `${labelled} is not a known key; known keys are ${[...known].sort().join(", ")}`;
}

/** Whether a value is known only later: an Output (a secret, another resource's output) or a Promise. */
function isDeferred(value: unknown): value is pulumi.Output<unknown> | Promise<unknown> {
    return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/** Whether a setting may be given as an Output: it is typed `pulumi.Input` in ClusterSettingsArgs. */
function acceptsOutputs(spec: SettingSpec): boolean {
    return spec.kind === "string" && spec.acceptsOutputs === true;
}

/**
 * Checks one value against its spec, pushing problems; `shown` overrides how the value is quoted.
 * An Output is left for `checkedWhenKnown` (or, inside existingNetwork, for the deploy-time
 * lookups) where the spec accepts one, and refused elsewhere: the other settings shape the
 * resources and must be known when the cluster is declared.
 */
function checkValue(spec: SettingSpec, value: unknown, path: string, label: Label, problems: string[], shown?: string): void {
    if (isDeferred(value)) {
        if (!acceptsOutputs(spec)) {
            problems.push(
                `${label(path)} must be a plain value known when the cluster is declared, since it shapes the resources; got an Output (a secret or another resource's output)`,
            );
        }
        return;
    }
    const got = `; got ${shown ?? show(value)}`;
    switch (spec.kind) {
        case "integer": {
            const verdict = typeof value === "number" ? spec.rule(value) : spec.rule(Number.NaN);
            if (verdict) problems.push(`${label(path)} ${verdict}${got}`);
            return;
        }
        case "string": {
            const verdict = typeof value === "string" ? spec.rule(value) : "must be a string";
            if (verdict) problems.push(`${label(path)} ${verdict}${got}`);
            return;
        }
        case "choice":
            if (typeof value !== "string" || !spec.choices.includes(value)) {
                problems.push(`${label(path)} must be one of ${spec.choices.join(", ")}${got}`);
            }
            return;
        case "boolean":
            if (typeof value !== "boolean") problems.push(`${label(path)} must be true or false${got}`);
            return;
        case "stringList":
            if (!Array.isArray(value)) {
                problems.push(`${label(path)} must be a list of strings${got}`);
                return;
            }
            if (spec.maxItems !== undefined && value.length > spec.maxItems) {
                problems.push(`${label(path)} must hold at most ${spec.maxItems} items; got ${value.length}`);
            }
            value.forEach((item, i) => {
                if (spec.acceptsOutputs && isDeferred(item)) return;
                const verdict = typeof item === "string" ? spec.itemRule(item) : "must be a string";
                if (verdict) problems.push(`${label(`${path}[${i}]`)} ${verdict}; got ${show(item)}`);
            });
            return;
        case "object":
            if (typeof value !== "object" || value === null || Array.isArray(value)) {
                problems.push(`${label(path)} must be an object with fields ${Object.keys(spec.fields).join(", ")}${got}`);
                return;
            }
            checkFields(spec.fields, value as Record<string, unknown>, path, label, problems);
            return;
    }
}

/** Checks every present field of an object against its field specs, and flags unknown fields. */
function checkFields(
    fields: Record<string, SettingSpec>,
    values: Record<string, unknown>,
    path: string,
    label: Label,
    problems: string[],
    shown: Record<string, string> = {},
): void {
    const prefix = path ? `${path}.` : "";
    for (const [key, value] of Object.entries(values)) {
        const spec = fields[key];
        if (!spec) {
            problems.push(unknownKeyProblem(label(`${prefix}${key}`), key, Object.keys(fields)));
        } else if (value !== undefined) {
            checkValue(spec, value, `${prefix}${key}`, label, problems, shown[key]);
        }
    }
}

/** The value if it is a plain object, otherwise undefined (its problem is already reported). */
function asObject(value: unknown): Record<string, unknown> | undefined {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !isDeferred(value)
        ? (value as Record<string, unknown>)
        : undefined;
}

/** Fills unset fields with the spec's defaults. */
function withDefaults<T>(fields: Record<string, SettingSpec>, values: Record<string, unknown> | undefined): T {
    const result: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(fields)) {
        const value = values?.[key];
        result[key] = value !== undefined ? value : "default" in spec ? structuredClone(spec.default) : undefined;
    }
    return result as T;
}

/** Whether a value passes its own spec; cross-checks skip values that already have a problem. */
function passes(spec: SettingSpec, value: unknown): boolean {
    const problems: string[] = [];
    checkValue(spec, value, "", String, problems);
    return problems.length === 0;
}

/**
 * The Auto Scaling group's sizes must nest: minInstanceCount ≤ instanceCount ≤ maxInstanceCount (each
 * already 1 to 100 on its own). Checked only where all three passed their own rule.
 */
function fleetSizeProblems(settings: ClusterSettings, label: Label): string[] {
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

/** Rules that tie two settings together, run only where each side passed its own rule. */
function crossChecks(settings: ClusterSettings, label: Label): string[] {
    const problems: string[] = [];
    const { healthCheck, stickiness } = settings;
    const timingsValid =
        passes(HEALTH_CHECK_FIELDS.timeoutSeconds, healthCheck.timeoutSeconds) &&
        passes(HEALTH_CHECK_FIELDS.intervalSeconds, healthCheck.intervalSeconds);
    if (timingsValid && healthCheck.timeoutSeconds >= healthCheck.intervalSeconds) {
        problems.push(
            `${label("healthCheck.timeoutSeconds")} must be below healthCheck.intervalSeconds (${healthCheck.intervalSeconds}); got ${healthCheck.timeoutSeconds}`,
        );
    }
    if (stickiness.type === "app_cookie" && stickiness.cookieName === undefined) {
        problems.push(`${label("stickiness.cookieName")} is required when stickiness.type is app_cookie; got nothing`);
    }
    if (stickiness.type === "lb_cookie" && stickiness.cookieName !== undefined) {
        problems.push(
            `${label("stickiness.cookieName")} is only used with stickiness.type app_cookie; got ${show(stickiness.cookieName)} with lb_cookie`,
        );
    }
    const app = settings.app;
    if (settings.amiId === undefined && passes(APP_FIELDS.source, app.source) && passes(APP_FIELDS.path, app.path)) {
        const problem = appPathProblem(app);
        if (problem) problems.push(`${label("app.path")} ${problem}`);
    }
    problems.push(...fleetSizeProblems(settings, label));
    problems.push(...sshCoverageProblems(settings.sshCidrs, label));
    problems.push(...coveredCidrs("allowedCidrs", settings.allowedCidrs, label));
    problems.push(...coveredCidrs("sshCidrs", settings.sshCidrs, label));
    if (settings.network === NetworkMode.Dedicated && Array.isArray(settings.sshCidrs) && settings.sshCidrs.length > 0) {
        problems.push(
            `${label("sshCidrs")} must be empty with network dedicated: the instances sit in private subnets with no public address, ` +
                `so no SSH client can reach them; reach an instance through a Session Manager port forward instead ` +
                `(sessionManager, on by default; see docs/deploying.md); got ${show(settings.sshCidrs)}`,
        );
    }
    problems.push(...existingNetworkProblems(settings, label));
    problems.push(...tlsProblems(settings, label));
    problems.push(...availabilityZonesProblems(settings, label));
    return problems;
}

/**
 * `availabilityZones`, when set: not with `network: existing` (its subnets decide the zones),
 * exactly `availabilityZoneCount` of them, each once, all in the first one's region. Checked only
 * where the list and its zone names passed their own rules; the region's own zones and the
 * instance type's offerings are checked at deploy time (components/network.ts).
 */
function availabilityZonesProblems(settings: ClusterSettings, label: Label): string[] {
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

/**
 * A hosted zone is named one way, by id or by name, and needs `domainName` (the certificate's and
 * the alias record's name), which must lie in the zone when the zone is named (a zone given by id
 * is checked when its lookup answers). With TLS, `port` stays at its default: the listeners are
 * then HTTPS_PORT and HTTP_REDIRECT_PORT, and a `port` of 443 or 8443 would promise what is not built.
 */
function tlsProblems(settings: ClusterSettings, label: Label): string[] {
    const problems: string[] = [];
    const { hostedZoneId, hostedZoneName, domainName } = settings;
    if (hostedZoneId !== undefined && hostedZoneName !== undefined) {
        problems.push(
            `${label("hostedZoneName")} must not be given with hostedZoneId: name the zone one way, by id or by name; got ${show(hostedZoneName)} and ${show(hostedZoneId)}`,
        );
    }
    if ((hostedZoneId !== undefined || hostedZoneName !== undefined) && domainName === undefined) {
        problems.push(
            `${label("domainName")} is required with ${hostedZoneId !== undefined ? "hostedZoneId" : "hostedZoneName"}: it names the certificate and the alias record; got nothing`,
        );
    }
    if (
        hostedZoneName !== undefined &&
        domainName !== undefined &&
        passes(SETTINGS.hostedZoneName, hostedZoneName) &&
        passes(SETTINGS.domainName, domainName) &&
        !isInZone(domainName, hostedZoneName)
    ) {
        problems.push(
            `${label("domainName")} must be in hostedZoneName ${hostedZoneName}: that name or one ending in .${hostedZoneName}; got ${show(domainName)}`,
        );
    }
    const defaultPort = SETTINGS.port.kind === "integer" ? SETTINGS.port.default : undefined;
    if (usesTls(settings) && passes(SETTINGS.port, settings.port) && settings.port !== defaultPort) {
        problems.push(
            `${label("port")} must stay ${defaultPort} with TLS (certificateArn, hostedZoneId or hostedZoneName): the load balancer then listens on ${HTTPS_PORT} for HTTPS and on ${HTTP_REDIRECT_PORT} only to redirect to it; set appPort for the API's port inside the instances; got ${settings.port}`,
        );
    }
    return problems;
}

/** Whether a DNS name lies in a zone: it is the zone's name or ends with a dot and that name (both lowercase). */
export function isInZone(domainName: string, zoneName: string): boolean {
    return domainName === zoneName || domainName.endsWith(`.${zoneName}`);
}

/** The widest run of public addresses the SSH rules may cover together: a /16, 65,536 addresses. */
export const MAX_SSH_PUBLIC_PREFIX = 16;

/** The valid IPv4 blocks of a list, each with its index; the item rule reports the others. */
function listedBlocks(cidrs: unknown): { index: number; text: string; block: CidrBlock }[] {
    if (!Array.isArray(cidrs)) {
        return [];
    }
    return cidrs.flatMap((text, index) => {
        const block = typeof text === "string" && parseIpv4Cidr(text) !== undefined ? parseCidr(text) : undefined;
        return block ? [{ index, text: text as string, block }] : [];
    });
}

/**
 * The SSH rule judged by the addresses its blocks cover together, not by their text: never the
 * whole internet (`0.0.0.0/0`, or split as `0.0.0.0/1` + `128.0.0.0/1`), and no contiguous run of
 * public addresses wider than a /16. Private ranges (10.0.0.0/8, …) count for nothing.
 */
function sshCoverageProblems(cidrs: unknown, label: Label): string[] {
    const blocks = listedBlocks(cidrs).map(({ block }) => block);
    if (blocks.length === 0) {
        return [];
    }
    if (coversWholeInternet(blocks, IpFamily.V4)) {
        return [`${label("sshCidrs")} must not cover the whole internet, in one block or split into several; got ${show(cidrs)}`];
    }
    const limit = blockSize(IpFamily.V4, MAX_SSH_PUBLIC_PREFIX);
    const widest = widestPublicRange(blocks, IpFamily.V4);
    if (widest <= limit) {
        return [];
    }
    const run = publicRanges(blocks, IpFamily.V4).find((range) => range.last - range.first + 1n === widest) as AddressRange;
    return [
        `${label("sshCidrs")} must cover no public address range wider than a /${MAX_SSH_PUBLIC_PREFIX} (${limit} addresses) ` +
            `together; got ${show(cidrs)}, which covers the ${widest} public addresses ` +
            `${formatAddress(run.first, IpFamily.V4)} to ${formatAddress(run.last, IpFamily.V4)}`,
    ];
}

/**
 * A problem for each CIDR block that another block of the same list already covers: a repeat (as
 * networks, so `10.0.0.0/8` and `010.0.0.0/8` match) or a block inside a wider one. Each block
 * names its own security group rule, so a repeat would register two rules with one name (AWS
 * refuses a duplicate rule), and a block inside another adds a rule that admits no one new. Two
 * CIDR blocks are either disjoint or one holds the other, so comparing them in pairs finds every
 * block that the others cover.
 */
function coveredCidrs(key: string, cidrs: unknown, label: Label): string[] {
    const listed = listedBlocks(cidrs);
    const problems: string[] = [];
    for (const item of listed) {
        const same = listed.find(
            (other) => other.index < item.index && other.block.first === item.block.first && other.block.prefix === item.block.prefix,
        );
        if (same) {
            problems.push(
                `${label(`${key}[${item.index}]`)} repeats ${key}[${same.index}]; each CIDR block may appear once; got ${show(item.text)}`,
            );
            continue;
        }
        const wider = listed.find(
            (other) =>
                other.block.prefix < item.block.prefix && other.block.first <= item.block.first && item.block.last <= other.block.last,
        );
        if (wider) {
            problems.push(
                `${label(`${key}[${item.index}]`)} lies within ${key}[${wider.index}] (${wider.text}), which already allows every address of it; ` +
                    `list each address once; got ${show(item.text)}`,
            );
        }
    }
    return problems;
}

/** The ids in a list that appear more than once, each named once; ids not yet known are skipped. */
function repeatedIds(ids: unknown[]): string[] {
    const known = ids.filter((id): id is string => typeof id === "string");
    return [...new Set(known.filter((id, i) => known.indexOf(id) !== i))];
}

/**
 * `existingNetwork` is required with `network: existing` and refused otherwise; with it, each field
 * is required, the load balancer needs two subnets and the instances one, and no list repeats an id.
 */
function existingNetworkProblems(settings: ClusterSettings, label: Label): string[] {
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

/**
 * A setting given as an Output, checked once its value is known: an invalid value fails the
 * deployment with a SettingsError. A secret value is never quoted in the message.
 */
function checkedWhenKnown(spec: SettingSpec, value: pulumi.Input<unknown>, path: string, label: Label): pulumi.Output<unknown> {
    const output = pulumi.output(value);
    return pulumi.all([output, pulumi.isSecret(output)]).apply(([known, secret]) => {
        const problems: string[] = [];
        if (known !== undefined) {
            checkValue(spec, known, path, label, problems, secret ? "a secret" : undefined);
        }
        if (problems.length > 0) {
            throw new SettingsError(problems);
        }
        return known;
    });
}

/**
 * Validates partial settings and returns them complete, with defaults applied. Throws one
 * SettingsError naming every problem. `shown` gives, per top-level key, the value as the user
 * wrote it (a config string), for the messages.
 */
export function resolveSettings(
    input: Partial<Record<keyof ClusterSettingsArgs, unknown>>,
    label: Label,
    shown: Record<string, string> = {},
    earlierProblems: string[] = [],
): ClusterSettings {
    const problems = [...earlierProblems];
    checkFields(SETTINGS, input, "", label, problems, shown);
    const settings = withDefaults<ClusterSettings>(SETTINGS, input);
    settings.appPort = settings.appPort ?? settings.port;
    settings.minInstanceCount = settings.minInstanceCount ?? settings.instanceCount;
    settings.maxInstanceCount =
        settings.maxInstanceCount ??
        (typeof settings.instanceCount === "number"
            ? Math.min(FLEET_SIZE_CEILING, settings.instanceCount * DEFAULT_MAX_INSTANCE_FACTOR)
            : settings.instanceCount);
    settings.healthCheck = withDefaults<HealthCheckSettings>(HEALTH_CHECK_FIELDS, asObject(input.healthCheck));
    settings.stickiness = withDefaults<StickinessSettings>(STICKINESS_FIELDS, asObject(input.stickiness));
    settings.app = withDefaults<AppSettings>(APP_FIELDS, asObject(input.app));
    problems.push(...crossChecks(settings, label));
    if (problems.length > 0) {
        throw new SettingsError(problems);
    }
    for (const [key, spec] of Object.entries(SETTINGS)) {
        const value = input[key as keyof ClusterSettingsArgs];
        if (isDeferred(value)) {
            Object.assign(settings, { [key]: checkedWhenKnown(spec, value, key, label) });
        }
    }
    return settings;
}
