import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AdminCredential, KEY_ADMINISTRATION_ACTIONS, validateParameterName } from "../../components/credentials/adminCredential";
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
    key: "aws:kms/key:Key",
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

/** The agent's policy under the offline mocks: register this account's instances, Session Manager's and Run Command's channels. */
const AGENT_POLICY = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "RegisterThisAccountsInstances",
            Effect: "Allow",
            Action: "ssm:UpdateInstanceInformation",
            Resource: "arn:aws:ec2:us-east-1:123456789012:instance/*",
        },
        {
            Sid: "SessionManagerChannels",
            Effect: "Allow",
            Action: [
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ],
            Resource: "*",
        },
        {
            Sid: "RunCommandMessages",
            Effect: "Allow",
            Action: [
                "ec2messages:AcknowledgeMessage",
                "ec2messages:DeleteMessage",
                "ec2messages:FailMessage",
                "ec2messages:GetEndpoint",
                "ec2messages:GetMessages",
                "ec2messages:SendReply",
            ],
            Resource: "*",
        },
    ],
};

/** Everything that grants the instance role a permission, as registered: inline policies and managed policy attachments. */
function rolePermissions(resources: Awaited<ReturnType<typeof runCredential>>["resources"]) {
    const role = onlyOfType(resources, TYPES.role);
    return {
        inlineOnRole: role.inputs.inlinePolicies,
        managedOnRole: role.inputs.managedPolicyArns,
        // By name, since registration order follows when each policy's inputs resolve.
        inline: resources
            .filter((resource) => resource.type === TYPES.rolePolicy)
            .sort((a, b) => a.name.localeCompare(b.name))
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

    it("registers a KMS key, a SecureString parameter, an instance role with two inline policies, and its profile", () => {
        assert.deepStrictEqual(countByType(run.resources), {
            "pulumi:pulumi:Stack": 1,
            "api-cluster:credentials:AdminCredential": 1,
            [TYPES.key]: 1,
            [TYPES.parameter]: 1,
            [TYPES.role]: 1,
            [TYPES.rolePolicy]: 2,
            [TYPES.profile]: 1,
        });
        const component = onlyOfType(run.resources, "api-cluster:credentials:AdminCredential");
        for (const resource of run.resources.filter((r) => r.custom)) {
            assert.strictEqual(resource.parent, component.urn, resource.name);
            assert.match(resource.name, /^admin-/);
        }
    });

    /*
     * The key, and what AWS and the provider do with it:
     * - Parameter Store encrypts a Standard SecureString directly under the key with kms:Encrypt when
     *   it is created or changed, and decrypts it with kms:Decrypt when read with decryption, each
     *   call made with the caller's permissions through SSM (kms:ViaService ssm.<region>.amazonaws.com)
     *   and with the encryption context PARAMETER_ARN = the parameter's ARN (AWS KMS developer guide,
     *   "How AWS Systems Manager Parameter Store uses AWS KMS"). The default key aws/ssm lets every
     *   principal of the account decrypt through SSM ("Restricting decryption of SecureString
     *   parameter values"), hence a key of its own.
     * - The deployer decrypts too: terraform-provider-aws internal/service/ssm/parameter.go reads the
     *   parameter back after every create and update with findParameterByName(..., withDecryption
     *   true), so a deployer without kms:Decrypt fails the create. A changed keyId is an update
     *   (PutParameter with Overwrite and the new KeyId), which re-encrypts the value, held in the
     *   stack's config or state, under the new key: replacing the key (key_usage and multi_region
     *   force a new key) creates the new key, rewrites the parameter, then schedules the old key's
     *   deletion, so no ciphertext is left under a key about to go.
     * - internal/service/kms/key.go: CreateKey retries while IAM propagates a principal the policy
     *   names (the instance role is new); a policy change is PutKeyPolicy in place; delete is
     *   ScheduleKeyDeletion with deletion_window_in_days (7 to 30), and rotation is
     *   EnableKeyRotation after create.
     */
    it("encrypts the parameter under a rotating key whose policy lets only the deployer and the instance role decrypt, through SSM, for this parameter", () => {
        const key = onlyOfType(run.resources, TYPES.key);
        const parameter = onlyOfType(run.resources, TYPES.parameter).inputs;
        const hex = fakeHex("kms-key/admin-key", 32);
        const keyId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
        assert.strictEqual(parameter.keyId, `arn:aws:kms:us-east-1:123456789012:key/${keyId}`);
        assert.strictEqual(key.inputs.enableKeyRotation, true);
        assert.strictEqual(key.inputs.deletionWindowInDays, 30);
        const throughSsm = {
            StringEquals: { "kms:ViaService": "ssm.us-east-1.amazonaws.com", "kms:EncryptionContext:PARAMETER_ARN": PARAMETER_ARN },
        };
        assert.deepStrictEqual(JSON.parse(key.inputs.policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AccountAdministersTheKey",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::123456789012:root" },
                    Action: KEY_ADMINISTRATION_ACTIONS,
                    Resource: "*",
                },
                {
                    Sid: "DeployerWritesAndReadsThePasswordThroughSsm",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::123456789012:role/api-cluster-deploy" },
                    Action: ["kms:Encrypt", "kms:Decrypt"],
                    Resource: "*",
                    Condition: throughSsm,
                },
                {
                    Sid: "InstanceRoleReadsThePasswordThroughSsm",
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::123456789012:role/${ROLE_NAME}` },
                    Action: "kms:Decrypt",
                    Resource: "*",
                    Condition: throughSsm,
                },
            ],
        });
    });

    it("gives the account's root only administration of the key: nothing that decrypts, encrypts or grants", () => {
        const uses = KEY_ADMINISTRATION_ACTIONS.filter((action) => /Decrypt|Encrypt|GenerateDataKey|CreateGrant|\*/.test(action));
        assert.deepStrictEqual(uses, []);
        assert.strictEqual(KEY_ADMINISTRATION_ACTIONS.length, 16);
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
        const policy = run.resources.find((resource) => resource.name === "admin-read-password")?.inputs ?? {};
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

    it("gives the instance role exactly the password read and the agent's policy, no managed policy, as its description says", () => {
        assert.deepStrictEqual(rolePermissions(run.resources), {
            inlineOnRole: undefined,
            managedOnRole: undefined,
            inline: [
                { role: ROLE_NAME, policy: READ_PASSWORD_POLICY },
                { role: ROLE_NAME, policy: AGENT_POLICY },
            ],
            attached: [],
            description:
                "api-cluster API instances: may read the admin password parameter, and run the Systems Manager agent for Session Manager",
        });
    });

    it("never lets the instance role read any other parameter: no ssm:GetParameters, no wildcard, no managed policy", () => {
        const statements = rolePermissions(run.resources).inline.flatMap(({ policy }) => policy.Statement);
        const ssmReads = statements.filter((statement) =>
            [statement.Action].flat().some((action: string) => /^ssm:(Get|\*)|^ssm:\*$|^\*$/.test(action)),
        );
        assert.deepStrictEqual(ssmReads, [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: PARAMETER_ARN }]);
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

    it("lists what grants the role its permissions, the key included, for whatever launches instances to depend on", async () => {
        const urn = (type: string, name: string) => `urn:pulumi:dev::api-cluster::api-cluster:credentials:AdminCredential$${type}::${name}`;
        for (const [sessionManager, expected] of [
            [
                true,
                [urn(TYPES.rolePolicy, "admin-read-password"), urn(TYPES.key, "admin-key"), urn(TYPES.rolePolicy, "admin-session-manager")],
            ],
            [false, [urn(TYPES.rolePolicy, "admin-read-password"), urn(TYPES.key, "admin-key")]],
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
