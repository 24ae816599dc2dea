import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AdminCredential, validateParameterName } from "../../components/credentials/adminCredential";
import { fakeHex } from "../../preview/mocks";
import { runUnderMocks } from "../../preview/runUnderMocks";
import { countByType, isSecret, onlyOfType, plaintextOccurrences, unwrapSecret } from "../support/resources";

const PASSWORD = "s3cr3t-test-pw";
const PARAMETER_NAME = "/api-cluster/dev/admin-password";
const PARAMETER_ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/api-cluster/dev/admin-password";

/** Runs one AdminCredential named "admin" under the offline mocks in dev, us-east-1; its outputs resolve to strings. */
function runCredential(password: () => pulumi.Input<string>, sessionManager?: boolean) {
    return runUnderMocks(
        () => {
            const credential = new AdminCredential("admin", { password: password(), parameterName: PARAMETER_NAME, sessionManager });
            return {
                parameterArn: credential.parameterArn,
                parameterName: credential.parameterName,
                instanceProfileName: credential.instanceProfileName,
                roleArn: credential.roleArn,
            };
        },
        { stack: "dev", config: { "aws:region": "us-east-1" } },
    );
}

const TYPES = {
    parameter: "aws:ssm/parameter:Parameter",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    profile: "aws:iam/instanceProfile:InstanceProfile",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
};

/** The instance role's name under the offline mocks. */
const ROLE_NAME = `admin-instance-${fakeHex("role/admin-instance", 7)}`;

/** The only inline policy the instance role has: read the one parameter. */
const READ_PASSWORD_POLICY = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: PARAMETER_ARN }],
};

/** Everything that grants the instance role a permission, as registered: inline policies and managed policy attachments. */
function rolePermissions(resources: Awaited<ReturnType<typeof runCredential>>["resources"]) {
    const role = onlyOfType(resources, TYPES.role);
    return {
        inlineOnRole: role.inputs.inlinePolicies,
        managedOnRole: role.inputs.managedPolicyArns,
        inline: resources
            .filter((resource) => resource.type === TYPES.rolePolicy)
            .map((policy) => ({ role: policy.inputs.role, policy: JSON.parse(policy.inputs.policy) })),
        attached: resources.filter((resource) => resource.type === TYPES.attachment).map((attachment) => attachment.inputs),
        description: role.inputs.description,
    };
}

describe("AdminCredential", () => {
    let run: Awaited<ReturnType<typeof runCredential>>;
    before(async () => {
        run = await runCredential(() => pulumi.secret(PASSWORD));
    });

    it("registers a SecureString parameter, an instance role with one inline policy and one managed policy, and its profile", () => {
        assert.deepStrictEqual(countByType(run.resources), {
            "pulumi:pulumi:Stack": 1,
            "api-cluster:credentials:AdminCredential": 1,
            [TYPES.parameter]: 1,
            [TYPES.role]: 1,
            [TYPES.rolePolicy]: 1,
            [TYPES.attachment]: 1,
            [TYPES.profile]: 1,
        });
        const component = onlyOfType(run.resources, "api-cluster:credentials:AdminCredential");
        for (const resource of run.resources.filter((r) => r.custom)) {
            assert.strictEqual(resource.parent, component.urn, resource.name);
            assert.match(resource.name, /^admin-/);
        }
    });

    it("stores the password as a SecureString whose value is a secret", () => {
        const parameter = onlyOfType(run.resources, TYPES.parameter).inputs;
        assert.strictEqual(parameter.type, "SecureString");
        assert.strictEqual(parameter.name, PARAMETER_NAME);
        assert.strictEqual(parameter.insecureValue, undefined);
        assert.ok(isSecret(parameter.value), "the value must be registered as a secret");
        assert.strictEqual(unwrapSecret(parameter.value), PASSWORD);
    });

    it("lets the instance role call ssm:GetParameter on that one parameter in its inline policy, and trusts EC2 alone", () => {
        const policy = onlyOfType(run.resources, TYPES.rolePolicy).inputs;
        const roleName = `admin-instance-${fakeHex("role/admin-instance", 7)}`;
        assert.strictEqual(policy.role, roleName);
        assert.deepStrictEqual(JSON.parse(policy.policy), {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: PARAMETER_ARN }],
        });
        const role = onlyOfType(run.resources, TYPES.role).inputs;
        assert.deepStrictEqual(JSON.parse(role.assumeRolePolicy), {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
        assert.strictEqual(role.managedPolicyArns, undefined);
        assert.strictEqual(role.inlinePolicies, undefined);
        assert.strictEqual(onlyOfType(run.resources, TYPES.profile).inputs.role, roleName);
    });

    it("gives the instance role exactly the password read and AmazonSSMManagedInstanceCore, as its description says", () => {
        assert.deepStrictEqual(rolePermissions(run.resources), {
            inlineOnRole: undefined,
            managedOnRole: undefined,
            inline: [{ role: ROLE_NAME, policy: READ_PASSWORD_POLICY }],
            attached: [{ role: ROLE_NAME, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }],
            description:
                "api-cluster API instances: may read the admin password parameter, and Systems Manager's AmazonSSMManagedInstanceCore for Session Manager",
        });
    });

    it("gives the instance role the password read alone with sessionManager off", async () => {
        const off = await runCredential(() => pulumi.secret(PASSWORD), false);
        assert.deepStrictEqual(rolePermissions(off.resources), {
            inlineOnRole: undefined,
            managedOnRole: undefined,
            inline: [{ role: ROLE_NAME, policy: READ_PASSWORD_POLICY }],
            attached: [],
            description: "api-cluster API instances: may read the admin password parameter and nothing else",
        });
    });

    it("lists what grants the role its permissions, for whatever launches instances to depend on", async () => {
        const urn = (type: string, name: string) => `urn:pulumi:dev::api-cluster::api-cluster:credentials:AdminCredential$${type}::${name}`;
        for (const [sessionManager, expected] of [
            [true, [urn(TYPES.rolePolicy, "admin-read-password"), urn(TYPES.attachment, "admin-session-manager")]],
            [false, [urn(TYPES.rolePolicy, "admin-read-password")]],
        ] as const) {
            const { outputs } = await runUnderMocks(
                () => {
                    const credential = new AdminCredential("admin", { password: PASSWORD, parameterName: PARAMETER_NAME, sessionManager });
                    return { permissions: credential.instancePermissions.map((resource) => resource.urn) };
                },
                { stack: "dev", config: { "aws:region": "us-east-1" } },
            );
            assert.deepStrictEqual(outputs.permissions, expected, `sessionManager ${sessionManager}`);
        }
    });

    it("outputs the parameter, the profile and the role, none of them secret", async () => {
        const secrecy = await runUnderMocks(
            async () => {
                const credential = new AdminCredential("admin", { password: pulumi.secret(PASSWORD), parameterName: PARAMETER_NAME });
                return {
                    parameterArn: await pulumi.isSecret(credential.parameterArn),
                    parameterName: await pulumi.isSecret(credential.parameterName),
                    instanceProfileName: await pulumi.isSecret(credential.instanceProfileName),
                    roleArn: await pulumi.isSecret(credential.roleArn),
                };
            },
            { stack: "dev", config: { "aws:region": "us-east-1" } },
        );
        assert.deepStrictEqual(secrecy.outputs, { parameterArn: false, parameterName: false, instanceProfileName: false, roleArn: false });
        assert.deepStrictEqual(run.outputs, {
            parameterArn: PARAMETER_ARN,
            parameterName: PARAMETER_NAME,
            instanceProfileName: `admin-instance-${fakeHex("instance-profile/admin-instance", 7)}`,
            roleArn: `arn:aws:iam::123456789012:role/admin-instance-${fakeHex("role/admin-instance", 7)}`,
        });
    });

    it("never shows the password outside a secret, in inputs or outputs", () => {
        for (const resource of run.resources) {
            assert.deepStrictEqual(plaintextOccurrences(resource.inputs, PASSWORD), [], `${resource.type} ${resource.name}`);
        }
        assert.deepStrictEqual(plaintextOccurrences(run.outputs, PASSWORD), []);
    });

    it("keeps a password given as plain text secret too", async () => {
        const plain = await runCredential(() => PASSWORD);
        const parameter = onlyOfType(plain.resources, TYPES.parameter).inputs;
        assert.strictEqual(unwrapSecret(parameter.value), PASSWORD);
        for (const resource of plain.resources) {
            assert.deepStrictEqual(plaintextOccurrences(resource.inputs, PASSWORD), [], `${resource.type} ${resource.name}`);
        }
    });

    it("accepts SSM parameter paths and rejects names SSM would refuse", () => {
        for (const name of [PARAMETER_NAME, "/api-cluster/prod/admin_password.v2", "/x"]) {
            assert.doesNotThrow(() => validateParameterName(name), name);
        }
        for (const name of ["admin-password", "", "/", "/a//b", "/a/", "/a b", "/a'b", "/aws/x", "/ssm-x", "/a$(id)"]) {
            assert.throws(() => validateParameterName(name), /parameterName/, name);
        }
    });
});
