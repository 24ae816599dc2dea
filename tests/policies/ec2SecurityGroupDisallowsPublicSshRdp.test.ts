/**
 * Rule shapes: see policy-pack/policies/shared/ingress.ts (@pulumi/aws 7.48 aws.ec2.SecurityGroup `ingress[]`,
 * aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupIngressRule; aws-native ec2 SecurityGroup
 * `securityGroupIngress[]` and SecurityGroupIngress, from pulumi/pulumi-aws-native sdk/nodejs/ec2).
 */
import * as assert from "assert";
import { cluster, stackOf, withDependencies, withInput } from "./fixtures";
import { DELETE, UNKNOWN, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "ec2-security-group-disallows-public-ssh-rdp";
const ADVICE = "use Session Manager, or admit only a bastion's security group or a private range.";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

/** The cluster plus an SSH rule on the instances' group, with `changes` applied. */
function withSsh(changes: Record<string, unknown> = {}) {
    const c = cluster();
    const inputs: Record<string, unknown> = {
        securityGroupId: "sg-instances",
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv4: "0.0.0.0/0",
        ...changes,
    };
    for (const [key, value] of Object.entries(changes)) {
        if (value === DELETE) {
            delete inputs[key];
        }
    }
    const rule = resource(INGRESS, "api-ssh", inputs, { securityGroupId: [c.instanceSecurityGroup.urn] });
    return { c, rule, stack: stackOf(c, rule) };
}

const OPEN = `Security group rule "api-ssh" opens SSH (port 22) to 0.0.0.0/0 on security group "api-instance-sg"; ${ADVICE}`;

describe(NAME, () => {
    it("passes the cluster, whose only internet rule is the load balancer's listener port", async () => {
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(cluster())), []);
    });

    it("reports SSH from 0.0.0.0/0, as advisory against the rule", async () => {
        const { rule, stack } = withSsh();
        const violations = await violationsOf(NAME, stack);
        assert.deepStrictEqual(
            violations.map((v) => [v.message, v.enforcementLevel, v.urn]),
            [[expected(NAME, OPEN)[0], "advisory", rule.urn]],
        );
    });

    it("reports SSH from any public range, such as an office's 203.0.113.7/32", async () => {
        assert.deepStrictEqual(
            await messagesOf(NAME, withSsh({ cidrIpv4: "203.0.113.7/32" }).stack),
            expected(NAME, OPEN.replace("0.0.0.0/0", "203.0.113.7/32")),
        );
    });

    it("reports SSH from ::/0", async () => {
        assert.deepStrictEqual(
            await messagesOf(NAME, withSsh({ cidrIpv4: DELETE, cidrIpv6: "::/0" }).stack),
            expected(NAME, OPEN.replace("0.0.0.0/0", "::/0")),
        );
    });

    it("passes SSH from a private range or from a security group", async () => {
        assert.deepStrictEqual(await messagesOf(NAME, withSsh({ cidrIpv4: "10.0.0.0/8" }).stack), []);
        assert.deepStrictEqual(await messagesOf(NAME, withSsh({ cidrIpv4: DELETE, referencedSecurityGroupId: "sg-bastion" }).stack), []);
    });

    it("reports RDP, and both ports for a rule open to every protocol", async () => {
        assert.deepStrictEqual(
            await messagesOf(NAME, withSsh({ fromPort: 3389, toPort: 3389 }).stack),
            expected(NAME, OPEN.replace("SSH (port 22)", "RDP (port 3389)")),
        );
        assert.deepStrictEqual(
            await messagesOf(NAME, withSsh({ ipProtocol: "-1", fromPort: DELETE, toPort: DELETE }).stack),
            expected(NAME, OPEN.replace("SSH (port 22)", "SSH (port 22) and RDP (port 3389)")),
        );
    });

    it("passes a port range that holds neither port, and UDP", async () => {
        assert.deepStrictEqual(await messagesOf(NAME, withSsh({ fromPort: 23, toPort: 3388 }).stack), []);
        assert.deepStrictEqual(await messagesOf(NAME, withSsh({ ipProtocol: "udp" }).stack), []);
    });

    it("reports 0.0.0.0/1 and 128.0.0.0/1 on two rules of one group, each naming the other", async () => {
        const { c, rule } = withSsh({ cidrIpv4: "0.0.0.0/1" });
        const other = resource(
            INGRESS,
            "api-ssh-2",
            { securityGroupId: "sg-instances", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "128.0.0.0/1" },
            { securityGroupId: [c.instanceSecurityGroup.urn] },
        );
        assert.deepStrictEqual(
            await messagesOf(NAME, stackOf(c, rule, other)),
            expected(
                NAME,
                OPEN.replace("0.0.0.0/0", '0.0.0.0/1 (with security group rule "api-ssh-2", the whole IPv4 internet)'),
                `Security group rule "api-ssh-2" opens SSH (port 22) to 128.0.0.0/1 (with security group rule "api-ssh", the whole IPv4 internet) on security group "api-instance-sg"; ${ADVICE}`,
            ),
        );
    });

    it("does not join halves on different groups into the whole internet", async () => {
        const { c, rule } = withSsh({ cidrIpv4: "0.0.0.0/1" });
        const other = resource(INGRESS, "api-ssh-2", {
            securityGroupId: "sg-alb",
            ipProtocol: "tcp",
            fromPort: 22,
            toPort: 22,
            cidrIpv4: "128.0.0.0/1",
        });
        assert.deepStrictEqual(
            await messagesOf(NAME, stackOf(c, rule, other)),
            expected(
                NAME,
                OPEN.replace("0.0.0.0/0", "0.0.0.0/1"),
                `Security group rule "api-ssh-2" opens SSH (port 22) to 128.0.0.0/1 on security group "api-alb-sg"; ${ADVICE}`,
            ),
        );
    });

    it("reports an inline ingress block, against the group", async () => {
        const c = cluster();
        c.instanceSecurityGroup = withInput(c.instanceSecurityGroup, "ingress", [
            { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] },
        ]);
        const violations = await violationsOf(NAME, stackOf(c));
        assert.deepStrictEqual(
            violations.map((v) => [v.message, v.urn]),
            [
                [
                    expected(
                        NAME,
                        `Security group "api-instance-sg" ingress[0] opens SSH (port 22) to 0.0.0.0/1, 128.0.0.0/1 (the whole IPv4 internet); ${ADVICE}`,
                    )[0],
                    c.instanceSecurityGroup.urn,
                ],
            ],
        );
    });

    it("reports an aws.ec2.SecurityGroupRule of type ingress, and not one of type egress", async () => {
        const c = cluster();
        const rule = (type: string) =>
            resource(
                "aws:ec2/securityGroupRule:SecurityGroupRule",
                "api-ssh",
                { type, securityGroupId: "sg-instances", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
                { securityGroupId: [c.instanceSecurityGroup.urn] },
            );
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c, rule("ingress"))), expected(NAME, OPEN));
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c, rule("egress"))), []);
    });

    it("reports a rule whose group is not in the stack, without naming a group", async () => {
        const c = cluster();
        const rule = resource(INGRESS, "api-ssh", {
            securityGroupId: "sg-elsewhere",
            ipProtocol: "tcp",
            fromPort: 22,
            toPort: 22,
            cidrIpv4: "0.0.0.0/0",
        });
        assert.deepStrictEqual(
            await messagesOf(NAME, stackOf(c, rule)),
            expected(NAME, `Security group rule "api-ssh" opens SSH (port 22) to 0.0.0.0/0; ${ADVICE}`),
        );
    });

    it("reports aws-native inline and standalone rules", async () => {
        const group = resource("aws-native:ec2:SecurityGroup", "api-native-sg", {
            groupDescription: "instances",
            securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv6: "2001:db8::/32" }],
            groupId: "sg-native",
        });
        const rule = resource("aws-native:ec2:SecurityGroupIngress", "api-native-ssh", {
            groupId: "sg-native",
            ipProtocol: "6",
            fromPort: 22,
            toPort: 22,
            cidrIp: "198.51.100.0/24",
        });
        assert.deepStrictEqual(
            await messagesOf(NAME, [group, rule]),
            expected(
                NAME,
                `Security group "api-native-sg" securityGroupIngress[0] opens RDP (port 3389) to 2001:db8::/32; ${ADVICE}`,
                `Security group rule "api-native-ssh" opens SSH (port 22) to 198.51.100.0/24 on security group "api-native-sg"; ${ADVICE}`,
            ),
        );
    });

    describe("values unknown during preview", () => {
        for (const path of ["cidrIpv4", "ipProtocol", "fromPort", "toPort"]) {
            it(`skips a rule whose ${path} is unknown`, async () => {
                assert.deepStrictEqual(await violationsOf(NAME, withSsh({ [path]: UNKNOWN }).stack), []);
            });
        }

        it("still reports a rule whose security group id is unknown, found by property dependency", async () => {
            const { c, rule } = withSsh({ securityGroupId: UNKNOWN });
            c.instanceSecurityGroup = withInput(c.instanceSecurityGroup, "id", UNKNOWN);
            assert.deepStrictEqual(await messagesOf(NAME, stackOf(c, rule)), expected(NAME, OPEN));
            const unplaced = withDependencies(rule, {});
            assert.deepStrictEqual(
                await messagesOf(NAME, stackOf(c, unplaced)),
                expected(NAME, `Security group rule "api-ssh" opens SSH (port 22) to 0.0.0.0/0; ${ADVICE}`),
            );
        });
    });
});
