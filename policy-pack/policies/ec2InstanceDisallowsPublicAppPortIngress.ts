import { StackValidationPolicy } from "@pulumi/policy";
import { INGRESS_TOKENS, groupsById, groupsByName, ingressRules, publicCidrs, tcpPortsOpened, wholeInternetNote } from "./shared/ingress";
import { StackIndex, follow } from "./shared/links";
import { StackResource, readConfig, validateStackResources } from "./shared/policy";
import { INSTANCE_TOKENS, LAUNCH_TEMPLATE_TOKENS, NATIVE_INSTANCE_TOKEN } from "./shared/tokens";
import { asObject, isUnknown, listValues } from "./shared/values";

/** This policy's options. */
export interface PublicAppPortConfig {
    /** The ports the application listens on. */
    appPorts: number[];
}

/** Defaults, used when the pack runs with no config file: the API's port. */
export const PUBLIC_APP_PORT_DEFAULTS: PublicAppPortConfig = { appPorts: [8082] };

/** The resources that attach security groups to the instances they run. */
const HOLDER_TOKENS = [...INSTANCE_TOKENS, NATIVE_INSTANCE_TOKEN, ...LAUNCH_TEMPLATE_TOKENS];

/**
 * Where each kind of holder names its security groups, by id and by name: an @pulumi/aws instance's
 * `vpcSecurityGroupIds` and `securityGroups`; an aws-native instance's `securityGroupIds` and
 * `securityGroups`; a launch template's `vpcSecurityGroupIds`, `securityGroupNames` and
 * `networkInterfaces[].securityGroups` (ids; @pulumi/aws 7.48 types/input.d.ts LaunchTemplateNetworkInterface).
 */
function groupReferences(holder: StackResource): { byId: [string, unknown[]][]; byName: [string, unknown[]][] } {
    const props = holder.props;
    if (LAUNCH_TEMPLATE_TOKENS.has(holder.type)) {
        const interfaces = listValues(props.networkInterfaces).flatMap((item) =>
            isUnknown(item) ? [item] : listValues(asObject(item)?.securityGroups),
        );
        return {
            byId: [
                ["vpcSecurityGroupIds", listValues(props.vpcSecurityGroupIds)],
                ["networkInterfaces", interfaces],
            ],
            byName: [["securityGroupNames", listValues(props.securityGroupNames)]],
        };
    }
    const idProperty = holder.type === NATIVE_INSTANCE_TOKEN ? "securityGroupIds" : "vpcSecurityGroupIds";
    return { byId: [[idProperty, listValues(props[idProperty])]], byName: [["securityGroups", listValues(props.securityGroups)]] };
}

/** `instance "api-0"`, `instances "api-0", "api-1" and launch template "lt"`. */
function describeHolders(holders: readonly StackResource[]): string {
    const kinds: [string, string, StackResource[]][] = [
        ["instance", "instances", holders.filter((h) => !LAUNCH_TEMPLATE_TOKENS.has(h.type))],
        ["launch template", "launch templates", holders.filter((h) => LAUNCH_TEMPLATE_TOKENS.has(h.type))],
    ];
    return kinds
        .filter(([, , list]) => list.length > 0)
        .map(([one, many, list]) => `${list.length === 1 ? one : many} ${list.map((h) => `"${h.name}"`).join(", ")}`)
        .join(" and ");
}

/** No security group of an instance or launch template lets any public address reach the application's port directly. */
export const ec2InstanceDisallowsPublicAppPortIngress: StackValidationPolicy = {
    name: "ec2-instance-disallows-public-app-port-ingress",
    description:
        "Security groups attached to EC2 instances or launch templates must not open the application's ports to any " +
        "public address range (0.0.0.0/0, ::/0, or any block that is not private, loopback, link-local or carrier-grade " +
        "NAT). Requests should reach the instances through the load balancer, whose security group is the only source " +
        "the instances need to admit.",
    enforcementLevel: "advisory",
    severity: "high",
    remediationSteps:
        "Replace the open rule with one whose source is the load balancer's security group, such as an " +
        "aws.vpc.SecurityGroupIngressRule with referencedSecurityGroupId set to the load balancer's security group id.",
    configSchema: {
        properties: {
            appPorts: {
                type: "array",
                description: "The TCP ports the application listens on.",
                items: { type: "integer", minimum: 1, maximum: 65535 },
                minItems: 1,
                default: PUBLIC_APP_PORT_DEFAULTS.appPorts,
            },
        },
    },
    validateStack: validateStackResources([...HOLDER_TOKENS, ...INGRESS_TOKENS], (resources, args, reportViolation) => {
        const { appPorts } = readConfig(args, PUBLIC_APP_PORT_DEFAULTS);
        const index = new StackIndex(resources);
        const byId = groupsById(index);
        const byName = groupsByName(index);

        // The instances and launch templates each security group is attached to.
        const holdersOf = new Map<string, StackResource[]>();
        for (const holder of index.ofTypes(HOLDER_TOKENS)) {
            const { byId: idRefs, byName: nameRefs } = groupReferences(holder);
            const groups = [
                ...idRefs.flatMap(([property, values]) => follow(index, holder, property, values, byId).linked),
                ...nameRefs.flatMap(([property, values]) => follow(index, holder, property, values, byName).linked),
            ];
            for (const group of new Set(groups)) {
                holdersOf.set(group.urn, [...(holdersOf.get(group.urn) ?? []), holder]);
            }
        }
        if (holdersOf.size === 0) {
            return;
        }
        const rules = ingressRules(index);
        for (const rule of rules) {
            const holders = [...new Set(rule.groups.flatMap((group) => holdersOf.get(group.urn) ?? []))];
            const ports = holders.length === 0 ? [] : tcpPortsOpened(rule, appPorts);
            const cidrs = ports.length === 0 ? [] : publicCidrs(rule);
            if (cidrs.length === 0) {
                continue;
            }
            const portText = ports.length === 1 ? `app port ${ports[0]}` : `app ports ${ports.join(", ")}`;
            reportViolation(
                `${rule.label} opens ${portText} to ${cidrs.join(", ")}${wholeInternetNote(rule, ports, rules)} on ` +
                    `${describeHolders(holders)}; admit only the load balancer's security group.`,
                rule.resource.urn,
            );
        }
    }),
};
