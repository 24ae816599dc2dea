/**
 * AdminCredential: the API's admin password as an SSM Parameter Store SecureString, and the
 * instance role that may read exactly that parameter, plus, with `sessionManager`, AWS's managed
 * policy AmazonSSMManagedInstanceCore for Session Manager.
 *
 *   Pulumi secret ──▶ SSM SecureString ──ssm:GetParameter (this ARN only)──▶ instance role
 *     ──boot script──▶ /etc/api-cluster/api.env (0600, owner api) ──▶ the API's environment
 *
 * The password never appears in user data, the AMI, plain outputs or the repository.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EC2_ASSUME_ROLE_POLICY } from "../ec2TrustPolicy";

/** Arguments of an AdminCredential. */
export interface AdminCredentialArgs {
    /** The admin password; must be a Pulumi secret, and is wrapped in pulumi.secret regardless. */
    password: pulumi.Input<string>;
    /** Fully qualified name of the SSM parameter, e.g. "/api-cluster/dev/admin-password". */
    parameterName: string;
    /**
     * Attaches AmazonSSMManagedInstanceCore to the instance role, so the instances register with
     * Systems Manager and accept Session Manager sessions and port forwards. Default true.
     */
    sessionManager?: boolean;
}

/** The managed policy Systems Manager's agent needs for Session Manager, by name. */
export const SESSION_MANAGER_POLICY = "AmazonSSMManagedInstanceCore";

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
 * Stores the admin password as a SecureString and creates the instance role and profile of the API
 * instances, whose own permission is ssm:GetParameter on that parameter, with
 * AmazonSSMManagedInstanceCore attached when `sessionManager` is on.
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
    /**
     * What grants the instance role its permissions: the inline policy that lets it read the
     * password, then the Session Manager attachment when there is one. Whatever launches instances
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
        const parameter = new aws.ssm.Parameter(
            `${name}-password`,
            {
                name: args.parameterName,
                description: "Admin password of the api-cluster REST API; read by the instances at boot",
                type: "SecureString",
                value: password,
                tier: "Standard",
            },
            { parent: this },
        );

        const sessionManager = args.sessionManager ?? true;
        const role = new aws.iam.Role(
            `${name}-instance`,
            {
                description: sessionManager
                    ? `api-cluster API instances: may read the admin password parameter, and Systems Manager's ${SESSION_MANAGER_POLICY} for Session Manager`
                    : "api-cluster API instances: may read the admin password parameter and nothing else",
                assumeRolePolicy: EC2_ASSUME_ROLE_POLICY,
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
        const instancePermissions: pulumi.Resource[] = [readPassword];
        if (sessionManager) {
            const partition = aws.getPartitionOutput({}, { parent: this }).partition;
            instancePermissions.push(
                new aws.iam.RolePolicyAttachment(
                    `${name}-session-manager`,
                    { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${SESSION_MANAGER_POLICY}` },
                    { parent: this },
                ),
            );
        }
        const profile = new aws.iam.InstanceProfile(`${name}-instance`, { role: role.name }, { parent: this });

        this.parameterArn = parameter.arn;
        this.parameterName = parameter.name;
        this.instanceProfileName = profile.name;
        this.roleArn = role.arn;
        this.instancePermissions = instancePermissions;
        this.registerOutputs({
            parameterArn: this.parameterArn,
            parameterName: this.parameterName,
            instanceProfileName: this.instanceProfileName,
            roleArn: this.roleArn,
        });
    }
}
