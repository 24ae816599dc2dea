/**
 * Ingress rules however they are declared, judged by the addresses they cover (cidr.ts). The shapes:
 * - @pulumi/aws 7.48 `aws.ec2.SecurityGroup` inline `ingress[]` (protocol, fromPort, toPort, cidrBlocks,
 *   ipv6CidrBlocks); `aws.ec2.SecurityGroupRule` with `type: "ingress"` (securityGroupId, the same
 *   fields); `aws.vpc.SecurityGroupIngressRule` (securityGroupId, ipProtocol, cidrIpv4, cidrIpv6);
 * - aws-native `aws-native:ec2:SecurityGroup` inline `securityGroupIngress[]` and the standalone
 *   `aws-native:ec2:SecurityGroupIngress` (groupId), both with ipProtocol, fromPort, toPort, cidrIp and
 *   cidrIpv6 (pulumi/pulumi-aws-native sdk/nodejs/ec2/securityGroup.ts, securityGroupIngress.ts; CloudFormation's
 *   AWS::EC2::SecurityGroup Ingress); the group's id is its `groupId` output.
 * A protocol of "-1" (or "all") opens every port; "tcp" (or "6") the range fromPort to toPort.
 */
import { CidrBlock, IpFamily, coversPublicAddress, coversWholeInternet, parseCidr } from "./cidr";
import { KeyedResources, StackIndex, follow } from "./links";
import { StackResource } from "./policy";
import {
    NATIVE_SECURITY_GROUP_INGRESS_TOKEN,
    NATIVE_SECURITY_GROUP_TOKEN,
    ANY_SECURITY_GROUP_TOKENS,
    SECURITY_GROUP_INGRESS_RULE_TOKEN,
    SECURITY_GROUP_RULE_TOKEN,
} from "./tokens";
import { Props, asArray, asObject, isUnknown, knownString, listValues } from "./values";

/** Every resource type that declares ingress rules. */
export const INGRESS_TOKENS: readonly string[] = [
    ...ANY_SECURITY_GROUP_TOKENS,
    SECURITY_GROUP_RULE_TOKEN,
    SECURITY_GROUP_INGRESS_RULE_TOKEN,
    NATIVE_SECURITY_GROUP_INGRESS_TOKEN,
];

/** One ingress rule, however it is declared. */
export interface IngressRule {
    /** The resource a violation is reported against: the group for an inline rule, else the rule. */
    readonly resource: StackResource;
    /** The rule as a message names it: `Security group "x" ingress[1]`, `Security group rule "y"`. */
    readonly label: string;
    /** Whether the rule is a block inside its security group. */
    readonly inline: boolean;
    /** The security groups of the stack the rule belongs to. */
    readonly groups: readonly StackResource[];
    readonly protocol: unknown;
    readonly fromPort: unknown;
    readonly toPort: unknown;
    /** The CIDR blocks the rule admits, as written, unknown values included. */
    readonly cidrs: readonly unknown[];
}

/** The stack's security groups keyed by id: `id`, or aws-native's `groupId`. */
export function groupsById(index: StackIndex): KeyedResources {
    return index.keyed(ANY_SECURITY_GROUP_TOKENS, (type) => (type === NATIVE_SECURITY_GROUP_TOKEN ? "groupId" : "id"));
}

/** The stack's security groups keyed by name: `name`, or aws-native's `groupName`. */
export function groupsByName(index: StackIndex): KeyedResources {
    return index.keyed(ANY_SECURITY_GROUP_TOKENS, (type) => (type === NATIVE_SECURITY_GROUP_TOKEN ? "groupName" : "name"));
}

function inlineRules(group: StackResource): IngressRule[] {
    const native = group.type === NATIVE_SECURITY_GROUP_TOKEN;
    const property = native ? "securityGroupIngress" : "ingress";
    const rules: IngressRule[] = [];
    (asArray(group.props[property]) ?? []).forEach((item, position) => {
        const block: Props | undefined = asObject(item);
        if (!block) {
            return;
        }
        rules.push({
            resource: group,
            label: `Security group "${group.name}" ${property}[${position}]`,
            inline: true,
            groups: [group],
            protocol: native ? block.ipProtocol : block.protocol,
            fromPort: block.fromPort,
            toPort: block.toPort,
            cidrs: native ? [block.cidrIp, block.cidrIpv6] : [...listValues(block.cidrBlocks), ...listValues(block.ipv6CidrBlocks)],
        });
    });
    return rules;
}

function standaloneRule(index: StackIndex, rule: StackResource, byId: KeyedResources): IngressRule | undefined {
    const props = rule.props;
    const groupProperty = rule.type === NATIVE_SECURITY_GROUP_INGRESS_TOKEN ? "groupId" : "securityGroupId";
    const groups = follow(index, rule, groupProperty, [props[groupProperty]], byId).linked;
    const common = {
        resource: rule,
        label: `Security group rule "${rule.name}"`,
        inline: false,
        groups,
        fromPort: props.fromPort,
        toPort: props.toPort,
    };
    switch (rule.type) {
        case SECURITY_GROUP_RULE_TOKEN:
            return props.type !== "ingress"
                ? undefined
                : { ...common, protocol: props.protocol, cidrs: [...listValues(props.cidrBlocks), ...listValues(props.ipv6CidrBlocks)] };
        case SECURITY_GROUP_INGRESS_RULE_TOKEN:
            return { ...common, protocol: props.ipProtocol, cidrs: [props.cidrIpv4, props.cidrIpv6] };
        default:
            return { ...common, protocol: props.ipProtocol, cidrs: [props.cidrIp, props.cidrIpv6] };
    }
}

/** Every ingress rule of the stack: inline blocks first, then standalone rules, in stack order. */
export function ingressRules(index: StackIndex): IngressRule[] {
    const byId = groupsById(index);
    const rules = index.ofTypes(ANY_SECURITY_GROUP_TOKENS).flatMap(inlineRules);
    for (const rule of index.ofTypes([SECURITY_GROUP_RULE_TOKEN, SECURITY_GROUP_INGRESS_RULE_TOKEN, NATIVE_SECURITY_GROUP_INGRESS_TOKEN])) {
        const spec = standaloneRule(index, rule, byId);
        if (spec) {
            rules.push(spec);
        }
    }
    return rules;
}

/** The ports of `ports` that a rule opens over TCP; empty when none or when unknown during preview. */
export function tcpPortsOpened(rule: IngressRule, ports: readonly number[]): number[] {
    const protocol = knownString(rule.protocol)?.toLowerCase();
    if (protocol === "-1" || protocol === "all") {
        return [...ports];
    }
    if (protocol !== "tcp" && protocol !== "6") {
        return [];
    }
    const { fromPort, toPort } = rule;
    if (typeof fromPort !== "number" || typeof toPort !== "number") {
        return [];
    }
    return ports.filter((port) => fromPort <= port && port <= toPort);
}

/** The rule's known CIDR blocks, parsed, with their text. */
function knownBlocks(rule: IngressRule): { text: string; block: CidrBlock }[] {
    const result: { text: string; block: CidrBlock }[] = [];
    for (const value of rule.cidrs) {
        const text = knownString(value);
        const block = text === undefined || isUnknown(value) ? undefined : parseCidr(text);
        if (text !== undefined && block) {
            result.push({ text, block });
        }
    }
    return result;
}

/** The rule's CIDR blocks, as written, that cover at least one public address. */
export function publicCidrs(rule: IngressRule): string[] {
    return knownBlocks(rule)
        .filter(({ block }) => coversPublicAddress(block))
        .map(({ text }) => text);
}

const FAMILY_NAMES: Record<IpFamily, string> = { 4: "IPv4", 6: "IPv6" };
const ANYWHERE: Record<IpFamily, string> = { 4: "0.0.0.0/0", 6: "::/0" };

/**
 * How `rule` reaches the whole internet on `ports` together with the other rules of its groups, as a
 * note for its message: "" when it does not, or when it says so itself with 0.0.0.0/0 or ::/0;
 * " (the whole IPv4 internet)" when its own blocks cover it split; " (with …, the whole IPv4
 * internet)" naming the other rules whose blocks complete the coverage.
 */
export function wholeInternetNote(rule: IngressRule, ports: readonly number[], all: readonly IngressRule[]): string {
    const notes: string[] = [];
    for (const family of [IpFamily.V4, IpFamily.V6]) {
        const own = knownBlocks(rule).map(({ block }) => block);
        if (rule.cidrs.includes(ANYWHERE[family])) {
            continue;
        }
        if (coversWholeInternet(own, family)) {
            notes.push(`the whole ${FAMILY_NAMES[family]} internet`);
            continue;
        }
        const groupUrns = new Set(rule.groups.map((group) => group.urn));
        const others = new Set<string>();
        for (const port of ports) {
            const peers = all.filter(
                (other) =>
                    other !== rule && other.groups.some((group) => groupUrns.has(group.urn)) && tcpPortsOpened(other, [port]).length > 0,
            );
            const blocks = [...own, ...peers.flatMap((peer) => knownBlocks(peer).map(({ block }) => block))];
            if (coversWholeInternet(blocks, family)) {
                for (const peer of peers.filter((p) =>
                    knownBlocks(p).some(({ block }) => block.family === family && coversPublicAddress(block)),
                )) {
                    others.add(peer.label.replace(/^Security group/, "security group"));
                }
            }
        }
        if (others.size > 0) {
            notes.push(`with ${[...others].join(", ")}, the whole ${FAMILY_NAMES[family]} internet`);
        }
    }
    return notes.length > 0 ? ` (${notes.join("; ")})` : "";
}
