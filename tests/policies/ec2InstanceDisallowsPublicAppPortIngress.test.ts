import * as assert from "assert";
import { INSTANCE_TOKENS } from "../../policy-pack/policies/shared/tokens";
import { cluster, instanceInputs, stackOf, withDependencies, withInput } from "./fixtures";
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
