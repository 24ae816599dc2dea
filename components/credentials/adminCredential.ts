/**
 * AdminCredential: the API's admin password as an SSM Parameter Store SecureString under a KMS key
 * of its own, and the instance role that may read exactly that parameter, plus, with
 * `sessionManager`, a policy of its own for the Systems Manager agent (sessionManagerAgent.ts).
 *
 *   Pulumi secret ──▶ SSM SecureString (this stack's KMS key) ──ssm:GetParameter (this ARN only)
 *     + kms:Decrypt (key policy: through SSM, for this parameter) ──▶ instance role
 *     ──boot script──▶ /etc/api-cluster/api.env (0600, owner api) ──▶ the API's environment
 *
 * The password never appears in user data, the AMI, plain outputs or the repository. The account's
 * default key `aws/ssm` would let every principal of the account with ssm:GetParameter decrypt it
 * (its key policy allows Decrypt to the whole account through SSM), so the parameter uses a
 * customer managed key whose policy lets only the deployer and this instance role decrypt, only
 * through SSM and only for this parameter.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EC2_ASSUME_ROLE_POLICY } from "../ec2TrustPolicy";
import { sessionManagerAgentPolicy } from "./sessionManagerAgent";

/** Arguments of an AdminCredential. */
export interface AdminCredentialArgs {
    /** The admin password; must be a Pulumi secret, and is wrapped in pulumi.secret regardless. */
    password: pulumi.Input<string>;
    /** Fully qualified name of the SSM parameter, e.g. "/api-cluster/dev/admin-password". */
    parameterName: string;
    /**
     * Gives the instance role the Systems Manager agent's policy (sessionManagerAgent.ts), so the
     * instances register with Systems Manager and accept Session Manager sessions and port
     * forwards. Default true.
     */
    sessionManager?: boolean;
}

/** Days a deleted key stays recoverable (KMS allows 7 to 30): the longest, since losing it loses the password. */
export const KEY_DELETION_WINDOW_DAYS = 30;

/**
 * What the account (its root principal, so IAM policies may delegate it) may do with the key:
 * administer it, and nothing that encrypts, decrypts or grants. No kms:CreateGrant, which could hand
 * Decrypt to anyone; no kms:Decrypt, which the key policy gives only to the deployer and the role.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:PutKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:ListResourceTags",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateKeyDescription",
    "kms:EnableKey",
    "kms:DisableKey",
    "kms:ListGrants",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
];

/**
 * The key policy statement that lets the account administer a key (KEY_ADMINISTRATION_ACTIONS) and
 * use it for nothing; every key of the cluster starts its policy with it.
 */
export function accountAdministersTheKey(partition: pulumi.Input<string>, accountId: pulumi.Input<string>) {
    return {
        Sid: "AccountAdministersTheKey",
        Effect: "Allow",
        Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
        Action: KEY_ADMINISTRATION_ACTIONS,
        // In a key policy, Resource "*" means this key and nothing else.
        Resource: "*",
    };
}

/** SSM parameter names this component accepts: a leading slash, then SSM's allowed characters. */
const PARAMETER_NAME = /^\/[A-Za-z0-9_.\-/]{1,1010}$/;

/** Checks a parameter name against SSM's rules; throws on one SSM would reject. */
export function validateParameterName(parameterName: string): void {
    if (!PARAMETER_NAME.test(parameterName) || parameterName.includes("//") || parameterName.endsWith("/")) {
        throw new Error(
            `AdminCredential: parameterName must be a path such as /api-cluster/dev/admin-password ` +
                `(letters, digits, _ . - /), got ${JSON.stringify(parameterName)}`,
        );
    }
    if (/^\/?(aws|ssm)/i.test(parameterName)) {
        throw new Error(`AdminCredential: parameterName must not begin with aws or ssm, got ${JSON.stringify(parameterName)}`);
    }
}

/**
 * Stores the admin password as a SecureString under a key of its own and creates the instance role
 * and profile of the API instances, whose own permissions are ssm:GetParameter on that parameter
 * and kms:Decrypt of it through SSM, with the agent's policy when `sessionManager` is on.
 */
export class AdminCredential extends pulumi.ComponentResource {
    /** ARN of the SecureString parameter. */
    readonly parameterArn: pulumi.Output<string>;
    /** Name of the SecureString parameter, as the boot script reads it. */
    readonly parameterName: pulumi.Output<string>;
    /** Name of the instance profile the API instances launch with. */
    readonly instanceProfileName: pulumi.Output<string>;
    /** ARN of the instance role behind that profile. */
    readonly roleArn: pulumi.Output<string>;
    /** ARN of the KMS key that encrypts the parameter. */
    readonly keyArn: pulumi.Output<string>;
    /**
     * What grants the instance role its permissions: the inline policy that lets it read the
     * password, the key whose policy lets it decrypt, then the agent's policy when there is one. Whatever launches instances
     * depends on these, so no instance boots before its role may read the password.
     */
    readonly instancePermissions: pulumi.Resource[];

    constructor(name: string, args: AdminCredentialArgs, opts?: pulumi.ComponentResourceOptions) {
        super("api-cluster:credentials:AdminCredential", name, {}, opts);
        validateParameterName(args.parameterName);

        const password = pulumi.secret(args.password).apply((value) => {
            if (typeof value !== "string" || value.length === 0) {
                throw new Error("AdminCredential: the admin password must be a non-empty string");
            }
            return value;
        });
        const sessionManager = args.sessionManager ?? true;
        const role = new aws.iam.Role(
            `${name}-instance`,
            {
                description: sessionManager
                    ? "api-cluster API instances: may read the admin password parameter, and run the Systems Manager agent for Session Manager"
                    : "api-cluster API instances: may read the admin password parameter and nothing else",
                assumeRolePolicy: EC2_ASSUME_ROLE_POLICY,
            },
            { parent: this },
        );

        // The key: its policy names the parameter's ARN, which is known before the parameter exists.
        const partition = aws.getPartitionOutput({}, { parent: this });
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const caller = aws.getCallerIdentityOutput({}, { parent: this });
        // The deployer as a principal a key policy accepts: an assumed role's session is named by its role.
        const deployer = aws.iam.getSessionContextOutput({ arn: caller.arn }, { parent: this }).issuerArn;
        const parameterArn = pulumi.interpolate`arn:${partition.partition}:ssm:${region}:${caller.accountId}:parameter${args.parameterName}`;
        const throughSsmForThisParameter = {
            StringEquals: {
                "kms:ViaService": pulumi.interpolate`ssm.${region}.${partition.dnsSuffix}`,
                "kms:EncryptionContext:PARAMETER_ARN": parameterArn,
            },
        };
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `api-cluster admin password ${args.parameterName}: decrypted only by its instance role and the deployer, through SSM`,
                enableKeyRotation: true,
                deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
                // In a key policy, Resource "*" means this key and nothing else (a key policy governs only its own key).
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        accountAdministersTheKey(partition.partition, caller.accountId),
                        {
                            Sid: "DeployerWritesAndReadsThePasswordThroughSsm",
                            Effect: "Allow",
                            Principal: { AWS: deployer },
                            Action: ["kms:Encrypt", "kms:Decrypt"],
                            Resource: "*",
                            Condition: throughSsmForThisParameter,
                        },
                        {
                            Sid: "InstanceRoleReadsThePasswordThroughSsm",
                            Effect: "Allow",
                            Principal: { AWS: role.arn },
                            Action: "kms:Decrypt",
                            Resource: "*",
                            Condition: throughSsmForThisParameter,
                        },
                    ],
                }),
            },
            { parent: this },
        );
        const parameter = new aws.ssm.Parameter(
            `${name}-password`,
            {
                name: args.parameterName,
                description: "Admin password of the api-cluster REST API; read by the instances at boot",
                type: "SecureString",
                value: password,
                keyId: key.arn,
                tier: "Standard",
            },
            { parent: this },
        );

        const readPassword = new aws.iam.RolePolicy(
            `${name}-read-password`,
            {
                role: role.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: parameter.arn }],
                }),
            },
            { parent: this },
        );
        // The key is listed too: its policy is what lets the role decrypt.
        const instancePermissions: pulumi.Resource[] = [readPassword, key];
        if (sessionManager) {
            instancePermissions.push(
                new aws.iam.RolePolicy(
                    `${name}-session-manager`,
                    {
                        role: role.name,
                        policy: sessionManagerAgentPolicy({ partition: partition.partition, region, accountId: caller.accountId }),
                    },
                    { parent: this },
                ),
            );
        }
        const profile = new aws.iam.InstanceProfile(`${name}-instance`, { role: role.name }, { parent: this });

        this.parameterArn = parameter.arn;
        this.keyArn = key.arn;
        this.parameterName = parameter.name;
        this.instanceProfileName = profile.name;
        this.roleArn = role.arn;
        this.instancePermissions = instancePermissions;
        this.registerOutputs({
            parameterArn: this.parameterArn,
            parameterName: this.parameterName,
            instanceProfileName: this.instanceProfileName,
            roleArn: this.roleArn,
            keyArn: this.keyArn,
        });
    }
}
