import * as assert from "assert";
import { INSTANCE_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { cluster, instanceInputs, launchTemplateInputs, stackOf, withDependencies, withInput } from "./fixtures";
import { DELETE, UNKNOWN, expected, messagesOf, resource, violationsOf } from "./harness";

const NAME = "ec2-instance-disallows-public-app-port-ingress";
const OPEN_RULE =
    'Security group rule "api-instance-ingress" opens app port 8082 to 0.0.0.0/0 on instance "api-0"; admit only the load balancer\'s security group.';

/** The cluster with its instance ingress rule changed at `path`. */
function withRule(path: string, value: unknown) {
    const c = cluster();
    c.instanceIngress = withInput(c.instanceIngress, path, value);
    return c;
}

/** The cluster with its instance ingress rule open to 0.0.0.0/0. */
function openCluster() {
    const c = withRule("referencedSecurityGroupId", DELETE);
    c.instanceIngress = withInput(c.instanceIngress, "cidrIpv4", "0.0.0.0/0");
    return c;
}

describe(NAME, () => {
    it("passes instances that admit only the load balancer's security group, while the load balancer is open", async () => {
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(cluster())), []);
    });

    for (const token of INSTANCE_TOKENS) {
        describe(token, () => {
            it("reports a rule that opens the app port to 0.0.0.0/0, as advisory against the rule", async () => {
                const c = openCluster();
                c.instance = { ...c.instance, type: token };
                const violations = await violationsOf(NAME, stackOf(c));
                assert.deepStrictEqual(
                    violations.map((v) => v.message),
                    expected(NAME, OPEN_RULE),
                );
                assert.deepStrictEqual(
                    violations.map((v) => [v.enforcementLevel, v.urn]),
                    [["advisory", c.instanceIngress.urn]],
                );
            });
        });
    }

    it("reports a rule open to ::/0", async () => {
        const c = withRule("referencedSecurityGroupId", DELETE);
        c.instanceIngress = withInput(c.instanceIngress, "cidrIpv6", "::/0");
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c)), expected(NAME, OPEN_RULE.replace("0.0.0.0/0", "::/0")));
    });

    it("reports a rule open to all protocols", async () => {
        const c = openCluster();
        c.instanceIngress = withInput(withInput(withInput(c.instanceIngress, "ipProtocol", "-1"), "fromPort", DELETE), "toPort", DELETE);
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c)), expected(NAME, OPEN_RULE));
    });

    it("reports a port range that covers the app port", async () => {
        const c = openCluster();
        c.instanceIngress = withInput(withInput(c.instanceIngress, "fromPort", 8000), "toPort", 9000);
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c)), expected(NAME, OPEN_RULE));
    });

    it("passes an open rule for a port that is not an app port", async () => {
        const c = openCluster();
        c.instanceIngress = withInput(withInput(c.instanceIngress, "fromPort", 22), "toPort", 22);
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c)), []);
    });

    it("passes an open UDP rule", async () => {
        const c = openCluster();
        c.instanceIngress = withInput(c.instanceIngress, "ipProtocol", "udp");
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c)), []);
    });

    it("reads the app ports from config", async () => {
        const c = openCluster();
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c), { config: { appPorts: [9000] } }), []);
        c.instanceIngress = withInput(withInput(c.instanceIngress, "fromPort", 8000), "toPort", 9000);
        assert.deepStrictEqual(
            await messagesOf(NAME, stackOf(c), { config: { appPorts: [8082, 9000] } }),
            expected(NAME, OPEN_RULE.replace("app port 8082", "app ports 8082, 9000")),
        );
    });

    it("reports an inline ingress block of the instance's security group", async () => {
        const c = cluster();
        c.instanceSecurityGroup = withInput(c.instanceSecurityGroup, "ingress", [
            { protocol: "tcp", fromPort: 8082, toPort: 8082, securityGroups: ["sg-alb"] },
            { protocol: "tcp", fromPort: 8082, toPort: 8082, cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"] },
        ]);
        assert.deepStrictEqual(await violationsOf(NAME, stackOf(c)).then((v) => v.map((x) => [x.message, x.urn])), [
            [
                expected(
                    NAME,
                    'Security group "api-instance-sg" ingress[1] opens app port 8082 to 0.0.0.0/0 on instance "api-0"; admit only the load balancer\'s security group.',
                )[0],
                c.instanceSecurityGroup.urn,
            ],
        ]);
    });

    it("reports an aws.ec2.SecurityGroupRule of type ingress, and not one of type egress", async () => {
        const c = cluster();
        const rule = (type: string) =>
            resource(
                "aws:ec2/securityGroupRule:SecurityGroupRule",
                "api-open",
                { type, securityGroupId: "sg-instances", protocol: "tcp", fromPort: 8082, toPort: 8082, cidrBlocks: ["0.0.0.0/0"] },
                { securityGroupId: [c.instanceSecurityGroup.urn] },
            );
        assert.deepStrictEqual(
            await messagesOf(NAME, stackOf(c, rule("ingress"))),
            expected(NAME, OPEN_RULE.replace('rule "api-instance-ingress"', 'rule "api-open"')),
        );
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c, rule("egress"))), []);
    });

    it("lists every instance the security group is attached to", async () => {
        const c = openCluster();
        const second = resource(
            "aws:ec2/instance:Instance",
            "api-1",
            { ...instanceInputs(), id: "i-1" },
            { vpcSecurityGroupIds: [c.instanceSecurityGroup.urn] },
        );
        assert.deepStrictEqual(
            await messagesOf(NAME, stackOf(c, second)),
            expected(NAME, OPEN_RULE.replace('on instance "api-0"', 'on instances "api-0", "api-1"')),
        );
    });

    it("finds a security group named in the instance's securityGroups", async () => {
        const c = openCluster();
        c.instanceSecurityGroup = withInput(c.instanceSecurityGroup, "name", "api-instances");
        c.instance = withDependencies(
            withInput(withInput(c.instance, "vpcSecurityGroupIds", DELETE), "securityGroups", ["api-instances"]),
            {},
        );
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c)), expected(NAME, OPEN_RULE));
    });

    it("passes an open security group that no instance uses", async () => {
        const c = openCluster();
        c.instance = withDependencies(withInput(c.instance, "vpcSecurityGroupIds", ["sg-other"]), {});
        assert.deepStrictEqual(await messagesOf(NAME, stackOf(c)), []);
    });

    describe("coverage, not text (policy-pack/policies/shared/cidr.ts)", () => {
        const openTo = (cidr: string) => {
            const c = withRule("referencedSecurityGroupId", DELETE);
            c.instanceIngress = withInput(c.instanceIngress, "cidrIpv4", cidr);
            return c;
        };

        it("reports any public range, such as 203.0.113.0/24", async () => {
            assert.deepStrictEqual(
                await messagesOf(NAME, stackOf(openTo("203.0.113.0/24"))),
                expected(NAME, OPEN_RULE.replace("0.0.0.0/0", "203.0.113.0/24")),
            );
        });

        for (const cidr of ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "127.0.0.0/8"]) {
            it(`passes ${cidr}, which covers no public address`, async () => {
                assert.deepStrictEqual(await messagesOf(NAME, stackOf(openTo(cidr))), []);
            });
        }

        it("reports 0.0.0.0/1 and 128.0.0.0/1 in one block as the whole internet", async () => {
            const c = cluster();
            c.instanceSecurityGroup = withInput(c.instanceSecurityGroup, "ingress", [
                { protocol: "tcp", fromPort: 8082, toPort: 8082, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] },
            ]);
            assert.deepStrictEqual(
                await messagesOf(NAME, stackOf(c)),
                expected(
                    NAME,
                    'Security group "api-instance-sg" ingress[0] opens app port 8082 to 0.0.0.0/1, 128.0.0.0/1 (the whole IPv4 internet) on instance "api-0"; admit only the load balancer\'s security group.',
                ),
            );
        });

        it("reports two rules on the same group and port that together cover the whole internet, each naming the other", async () => {
            const c = openTo("0.0.0.0/1");
            const second = resource(
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                "api-other-half",
                { securityGroupId: "sg-instances", ipProtocol: "tcp", fromPort: 8000, toPort: 9000, cidrIpv4: "128.0.0.0/1" },
                { securityGroupId: [c.instanceSecurityGroup.urn] },
            );
            assert.deepStrictEqual(
                await messagesOf(NAME, stackOf(c, second)),
                expected(
                    NAME,
                    OPEN_RULE.replace("0.0.0.0/0", '0.0.0.0/1 (with security group rule "api-other-half", the whole IPv4 internet)'),
                    'Security group rule "api-other-half" opens app port 8082 to 128.0.0.0/1 (with security group rule "api-instance-ingress", the whole IPv4 internet) on instance "api-0"; admit only the load balancer\'s security group.',
                ),
            );
        });
    });

    describe("aws:ec2/launchTemplate:LaunchTemplate", () => {
        // networkInterfaces[].securityGroups holds ids (@pulumi/aws 7.48 types/input.d.ts LaunchTemplateNetworkInterface).
        const withTemplate = (c: ReturnType<typeof cluster>, inputs = launchTemplateInputs()) =>
            resource("aws:ec2/launchTemplate:LaunchTemplate", "api-launch-template", inputs, {
                networkInterfaces: [c.instanceSecurityGroup.urn],
            });

        it("reports an open rule on the template's network interface group", async () => {
            const c = openCluster();
            const template = withTemplate(c);
            assert.deepStrictEqual(
                await messagesOf(NAME, stackOf(c, template)),
                expected(NAME, OPEN_RULE.replace('on instance "api-0"', 'on instance "api-0" and launch template "api-launch-template"')),
            );
        });

        it("finds the group by id without a property dependency, in networkInterfaces or vpcSecurityGroupIds", async () => {
            const c = openCluster();
            c.instance = withDependencies(withInput(c.instance, "vpcSecurityGroupIds", ["sg-other"]), {});
            const message = OPEN_RULE.replace('on instance "api-0"', 'on launch template "api-launch-template"');
            const viaInterface = withDependencies(withTemplate(c), {});
            assert.deepStrictEqual(await messagesOf(NAME, stackOf(c, viaInterface)), expected(NAME, message));
            const viaTemplate = withDependencies(
                withTemplate(c, { ...launchTemplateInputs(), networkInterfaces: undefined, vpcSecurityGroupIds: ["sg-instances"] }),
                {},
            );
            assert.deepStrictEqual(await messagesOf(NAME, stackOf(c, viaTemplate)), expected(NAME, message));
        });

        it("passes a template whose group admits only the load balancer", async () => {
            const c = cluster();
            assert.deepStrictEqual(await messagesOf(NAME, stackOf(c, withTemplate(c))), []);
        });
    });

    describe("aws-native:ec2:SecurityGroup, SecurityGroupIngress and Instance", () => {
        // securityGroupIngress[] / SecurityGroupIngress: ipProtocol, fromPort, toPort, cidrIp, cidrIpv6; the
        // group's id is its groupId output; an instance's groups are securityGroupIds (pulumi/pulumi-aws-native).
        const nativeGroup = (ingress: unknown[] = []) =>
            resource("aws-native:ec2:SecurityGroup", "api-native-sg", {
                groupDescription: "instances",
                vpcId: "vpc-1",
                securityGroupIngress: ingress,
                groupId: "sg-native",
            });
        const nativeInstance = (group: ReturnType<typeof nativeGroup>) =>
            resource(
                "aws-native:ec2:Instance",
                "api-native-0",
                { imageId: "ami-1", securityGroupIds: ["sg-native"] },
                {
                    securityGroupIds: [group.urn],
                },
            );

        it("reports an inline securityGroupIngress rule open to a public range", async () => {
            const group = nativeGroup([{ ipProtocol: "tcp", fromPort: 8082, toPort: 8082, cidrIp: "0.0.0.0/0" }]);
            const violations = await violationsOf(NAME, [group, nativeInstance(group)]);
            assert.deepStrictEqual(
                violations.map((v) => [v.message, v.urn]),
                [
                    [
                        expected(
                            NAME,
                            'Security group "api-native-sg" securityGroupIngress[0] opens app port 8082 to 0.0.0.0/0 on instance "api-native-0"; admit only the load balancer\'s security group.',
                        )[0],
                        group.urn,
                    ],
                ],
            );
        });

        it("reports a standalone SecurityGroupIngress found by groupId, and passes a private one", async () => {
            const group = nativeGroup();
            const rule = (cidrIp: string) =>
                resource("aws-native:ec2:SecurityGroupIngress", "api-native-rule", {
                    groupId: "sg-native",
                    ipProtocol: "-1",
                    cidrIp,
                });
            assert.deepStrictEqual(
                await messagesOf(NAME, [group, nativeInstance(group), rule("198.51.100.0/24")]),
                expected(
                    NAME,
                    'Security group rule "api-native-rule" opens app port 8082 to 198.51.100.0/24 on instance "api-native-0"; admit only the load balancer\'s security group.',
                ),
            );
            assert.deepStrictEqual(await messagesOf(NAME, [group, nativeInstance(group), rule("10.1.0.0/16")]), []);
        });

        it("skips a native rule whose cidrIp is unknown during preview", async () => {
            const group = nativeGroup([{ ipProtocol: "tcp", fromPort: 8082, toPort: 8082, cidrIp: UNKNOWN }]);
            assert.deepStrictEqual(await violationsOf(NAME, [group, nativeInstance(group)]), []);
        });
    });

    describe("values unknown during preview", () => {
        it("follows the property dependency when the instance's security group ids are unknown", async () => {
            const c = openCluster();
            c.instanceSecurityGroup = withInput(c.instanceSecurityGroup, "id", UNKNOWN);
            c.instance = withInput(c.instance, "vpcSecurityGroupIds", UNKNOWN);
            c.instanceIngress = withInput(c.instanceIngress, "securityGroupId", UNKNOWN);
            assert.deepStrictEqual(await messagesOf(NAME, stackOf(c)), expected(NAME, OPEN_RULE));
        });

        for (const path of ["cidrIpv4", "ipProtocol", "fromPort", "toPort"]) {
            it(`skips a rule whose ${path} is unknown`, async () => {
                const c = openCluster();
                c.instanceIngress = withInput(c.instanceIngress, path, UNKNOWN);
                assert.deepStrictEqual(await violationsOf(NAME, stackOf(c)), []);
            });
        }

        it("skips a rule whose security group cannot be placed", async () => {
            const c = openCluster();
            c.instanceIngress = withDependencies(withInput(c.instanceIngress, "securityGroupId", UNKNOWN), {});
            assert.deepStrictEqual(await violationsOf(NAME, stackOf(c)), []);
        });
    });
});
