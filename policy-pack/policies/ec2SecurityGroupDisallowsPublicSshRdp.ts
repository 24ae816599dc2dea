import { StackValidationPolicy } from "@pulumi/policy";
import { INGRESS_TOKENS, ingressRules, publicCidrs, tcpPortsOpened, wholeInternetNote } from "./shared/ingress";
import { StackIndex } from "./shared/links";
import { validateStackResources } from "./shared/policy";

/** The remote administration ports, by name. */
const ADMIN_PORTS: ReadonlyMap<number, string> = new Map([
    [22, "SSH"],
    [3389, "RDP"],
]);

/** No security group admits SSH or RDP from a public address range, whatever it is attached to. */
export const ec2SecurityGroupDisallowsPublicSshRdp: StackValidationPolicy = {
    name: "ec2-security-group-disallows-public-ssh-rdp",
    description:
        "Security groups must not admit SSH (port 22) or RDP (port 3389) from any public address range: 0.0.0.0/0, ::/0, " +
        "a split such as 0.0.0.0/1 plus 128.0.0.0/1, or any block that is not private, loopback, link-local or " +
        "carrier-grade NAT. Scanners find such ports within minutes of launch.",
    enforcementLevel: "advisory",
    severity: "high",
    remediationSteps:
        "Reach the instances through AWS Systems Manager Session Manager, which needs no inbound rule, or " +
        "admit SSH only from a bastion's security group or a private range.",
    validateStack: validateStackResources(INGRESS_TOKENS, (resources, _args, reportViolation) => {
        const rules = ingressRules(new StackIndex(resources));
        for (const rule of rules) {
            const ports = tcpPortsOpened(rule, [...ADMIN_PORTS.keys()]);
            const cidrs = ports.length === 0 ? [] : publicCidrs(rule);
            if (cidrs.length === 0) {
                continue;
            }
            const portText = ports.map((port) => `${ADMIN_PORTS.get(port)} (port ${port})`).join(" and ");
            const groupText =
                rule.inline || rule.groups.length === 0
                    ? ""
                    : ` on security group ${rule.groups.map((group) => `"${group.name}"`).join(", ")}`;
            reportViolation(
                `${rule.label} opens ${portText} to ${cidrs.join(", ")}${wholeInternetNote(rule, ports, rules)}${groupText}; ` +
                    "use Session Manager, or admit only a bastion's security group or a private range.",
                rule.resource.urn,
            );
        }
    }),
};
