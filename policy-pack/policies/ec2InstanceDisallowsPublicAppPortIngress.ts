import { StackValidationPolicy } from "@pulumi/policy";
import { StackIndex, follow } from "./shared/links";
import { StackResource, readConfig, validateStackResources } from "./shared/policy";
import { INSTANCE_TOKENS, SECURITY_GROUP_INGRESS_RULE_TOKEN, SECURITY_GROUP_RULE_TOKEN, SECURITY_GROUP_TOKENS } from "./shared/tokens";
import { Props, asArray, asObject, isUnknown, listValues } from "./shared/values";

/** This policy's options. */
export interface PublicAppPortConfig {
    /** The ports the application listens on. */
    appPorts: number[];
}

/** Defaults, used when the pack runs with no config file: the API's port. */
export const PUBLIC_APP_PORT_DEFAULTS: PublicAppPortConfig = { appPorts: [8082] };

const ANYWHERE_IPV4 = "0.0.0.0/0";
const ANYWHERE_IPV6 = "::/0";

/** An ingress rule, however it is declared. */
interface IngressRule {
    protocol: unknown;
    fromPort: unknown;
    toPort: unknown;
    /** Every CIDR block the rule admits. */
    cidrs: unknown[];
}

/** The app ports an ingress rule opens to the whole internet (IPv4 or IPv6), and from where. */
function publicPorts(rule: IngressRule, appPorts: readonly number[]): { ports: number[]; cidr: string } | undefined {
    const cidr = rule.cidrs.includes(ANYWHERE_IPV4) ? ANYWHERE_IPV4 : rule.cidrs.includes(ANYWHERE_IPV6) ? ANYWHERE_IPV6 : undefined;
    if (cidr === undefined || isUnknown(rule.protocol) || typeof rule.protocol !== "string") {
        return undefined;
    }
    const protocol = rule.protocol.toLowerCase();
    let ports: number[];
    if (protocol === "-1" || protocol === "all") {
        ports = [...appPorts];
    } else if (protocol === "tcp" || protocol === "6") {
        const { fromPort, toPort } = rule;
        if (typeof fromPort !== "number" || typeof toPort !== "number") {
            return undefined;
        }
        ports = appPorts.filter((port) => fromPort <= port && port <= toPort);
    } else {
        return undefined;
    }
    return ports.length > 0 ? { ports, cidr } : undefined;
}

function describe(ports: number[], cidr: string, instances: readonly string[]): string {
    const portText = ports.length === 1 ? `app port ${ports[0]}` : `app ports ${ports.join(", ")}`;
    const instanceText = instances.map((name) => `"${name}"`).join(", ");
    return (
        `opens ${portText} to ${cidr} on ${instances.length === 1 ? "instance" : "instances"} ${instanceText}; ` +
        "admit only the load balancer's security group."
    );
}

/** No security group of an instance lets the whole internet reach the application's port directly. */
export const ec2InstanceDisallowsPublicAppPortIngress: StackValidationPolicy = {
    name: "ec2-instance-disallows-public-app-port-ingress",
    description:
        "Security groups attached to EC2 instances must not open the application's ports to 0.0.0.0/0 or ::/0. " +
        "Requests should reach the instances through the load balancer, whose security group is the only source " +
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
    validateStack: validateStackResources(
        [...INSTANCE_TOKENS, ...SECURITY_GROUP_TOKENS, SECURITY_GROUP_RULE_TOKEN, SECURITY_GROUP_INGRESS_RULE_TOKEN],
        (resources, args, reportViolation) => {
            const { appPorts } = readConfig(args, PUBLIC_APP_PORT_DEFAULTS);
            const index = new StackIndex(resources);
            const groupsById = index.keyed(SECURITY_GROUP_TOKENS, "id");
            const groupsByName = index.keyed(SECURITY_GROUP_TOKENS, "name");

            // The instances each security group is attached to.
            const instancesOf = new Map<string, string[]>();
            for (const instance of index.ofTypes(INSTANCE_TOKENS)) {
                const groups = [
                    ...follow(index, instance, "vpcSecurityGroupIds", listValues(instance.props.vpcSecurityGroupIds), groupsById).linked,
                    ...follow(index, instance, "securityGroups", listValues(instance.props.securityGroups), groupsByName).linked,
                ];
                for (const group of new Set(groups)) {
                    instancesOf.set(group.urn, [...(instancesOf.get(group.urn) ?? []), instance.name]);
                }
            }
            if (instancesOf.size === 0) {
                return;
            }
            const attachedInstances = (rule: StackResource): string[] => {
                const instances = new Set<string>();
                for (const group of follow(index, rule, "securityGroupId", [rule.props.securityGroupId], groupsById).linked) {
                    for (const name of instancesOf.get(group.urn) ?? []) {
                        instances.add(name);
                    }
                }
                return [...instances];
            };

            // Inline ingress blocks of the attached security groups.
            for (const group of index.ofTypes(SECURITY_GROUP_TOKENS)) {
                const instances = instancesOf.get(group.urn);
                if (!instances) {
                    continue;
                }
                (asArray(group.props.ingress) ?? []).forEach((item, position) => {
                    const block: Props | undefined = asObject(item);
                    if (!block) {
                        return;
                    }
                    const cidrs = [...listValues(block.cidrBlocks), ...listValues(block.ipv6CidrBlocks)];
                    const open = publicPorts({ protocol: block.protocol, fromPort: block.fromPort, toPort: block.toPort, cidrs }, appPorts);
                    if (open) {
                        reportViolation(
                            `Security group "${group.name}" ingress[${position}] ${describe(open.ports, open.cidr, instances)}`,
                            group.urn,
                        );
                    }
                });
            }

            // Standalone rules on the attached security groups.
            for (const rule of index.ofTypes([SECURITY_GROUP_RULE_TOKEN, SECURITY_GROUP_INGRESS_RULE_TOKEN])) {
                const props = rule.props;
                const standalone = rule.type === SECURITY_GROUP_RULE_TOKEN;
                if (standalone && props.type !== "ingress") {
                    continue;
                }
                const spec: IngressRule = standalone
                    ? {
                          protocol: props.protocol,
                          fromPort: props.fromPort,
                          toPort: props.toPort,
                          cidrs: [...listValues(props.cidrBlocks), ...listValues(props.ipv6CidrBlocks)],
                      }
                    : {
                          protocol: props.ipProtocol,
                          fromPort: props.fromPort,
                          toPort: props.toPort,
                          cidrs: [props.cidrIpv4, props.cidrIpv6],
                      };
                const open = publicPorts(spec, appPorts);
                if (!open) {
                    continue;
                }
                const instances = attachedInstances(rule);
                if (instances.length > 0) {
                    reportViolation(`Security group rule "${rule.name}" ${describe(open.ports, open.cidr, instances)}`, rule.urn);
                }
            }
        },
    ),
};
