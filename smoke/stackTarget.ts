/**
 * The smoke target of a deployed stack, found as the runbook finds it: the `url` output, the admin
 * password from the SSM parameter the `adminPasswordParameterName` output names, the instance count
 * from the `instances` output (none with fleet `autoscaling`, whose group sizes itself), stickiness and the admin's username from the stack's config. The
 * Pulumi CLI and SSM sit behind `StackSources`, so tests hand in their own.
 */
import { execFile } from "child_process";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { arnRegion } from "../components/arn";
import { readStackSettings } from "../components/config/stackConfig";
import { readStackConfig } from "../cli/stackFiles";
import { SmokeTarget } from "./checks";
import { SmokeEndpoints, smokeEndpoints } from "./endpoints";
import { CredentialPolicy, SECURE_CREDENTIALS, credentialRefusal } from "./plainHttp";

/** Where a stack's facts come from. */
export interface StackSources {
    /** The stack's outputs, as `pulumi stack output --json --stack <stack>` prints them. */
    stackOutputs: (stack: string) => Promise<Record<string, unknown>>;
    /** A SecureString parameter's decrypted value, from SSM in `region` (undefined: the SDK's default region). */
    parameterValue: (name: string, region: string | undefined) => Promise<string>;
    /**
     * The stack's stickiness, admin username and the API's endpoints (smoke/endpoints.ts; left out:
     * the reference API's), from Pulumi.yaml and Pulumi.<stack>.yaml.
     */
    stackSettings: (stack: string) => { stickiness: boolean; adminUsername: string; endpoints?: SmokeEndpoints };
}

/** Raised when a stack's facts cannot be read; its message says which and why. */
export class StackTargetError extends Error {}

/** Runs `pulumi stack output --json --stack <stack>` and parses it. */
function pulumiStackOutputs(stack: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
        execFile("pulumi", ["stack", "output", "--json", "--stack", stack], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
            if (err !== null) {
                const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
                reject(
                    new StackTargetError(
                        missing
                            ? "the Pulumi CLI is not installed (https://www.pulumi.com/docs/install/)"
                            : `pulumi stack output failed: ${stderr.trim() || err.message}`,
                    ),
                );
                return;
            }
            try {
                resolve(JSON.parse(stdout) as Record<string, unknown>);
            } catch {
                reject(new StackTargetError(`pulumi stack output --json printed no JSON object: ${stdout.slice(0, 80)}`));
            }
        });
    });
}

/** Reads a SecureString from SSM Parameter Store, decrypted (GetParameter WithDecryption). */
async function ssmParameterValue(name: string, region: string | undefined): Promise<string> {
    const client = new SSMClient(region === undefined ? {} : { region });
    try {
        const answer = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
        const value = answer.Parameter?.Value;
        if (value === undefined) {
            throw new StackTargetError(`SSM parameter ${name} has no value`);
        }
        return value;
    } finally {
        client.destroy();
    }
}

/** The stack file's name of a stack given as `stack`, `org/stack` or `org/project/stack`. */
export function stackFileName(stack: string): string {
    return stack.split("/").pop() ?? stack;
}

/** The real sources: the Pulumi CLI, SSM, and the stack files in `projectDir`. */
export function realStackSources(projectDir: string): StackSources {
    return {
        stackOutputs: pulumiStackOutputs,
        parameterValue: ssmParameterValue,
        stackSettings: (stack) => {
            const { settings } = readStackSettings(readStackConfig(projectDir, stackFileName(stack)).config);
            return { stickiness: settings.stickiness.enabled, adminUsername: settings.adminUsername, endpoints: smokeEndpoints(settings) };
        },
    };
}

/** What the caller may set instead of reading it from the stack. */
export interface StackTargetOverrides {
    /** The admin's username (ADMIN_USERNAME); default: the stack's `adminUsername`. */
    adminUsername?: string;
    /** The admin's password (ADMIN_PASSWORD); default: read from SSM. */
    adminPassword?: string;
    /**
     * Instances that must answer; default: the length of the `instances` output, or none (the check
     * is skipped) with fleet `autoscaling`, where the group's size moves with load and its
     * `instances` output is empty.
     */
    expectInstances?: number;
    /** Whether stickiness is on; default: the stack's `stickiness.enabled`. */
    stickiness?: boolean;
}

/**
 * The smoke target of a deployed stack. The `url` output is checked against `credentials` before
 * the password is read: a stack on plain HTTP (as dev is) is refused unless the policy sends no
 * credentials or allows plain HTTP, and with no credentials the password is never read.
 */
export async function stackTarget(
    stack: string,
    sources: StackSources,
    overrides: StackTargetOverrides = {},
    credentials: CredentialPolicy = SECURE_CREDENTIALS,
): Promise<SmokeTarget> {
    const outputs = await sources.stackOutputs(stack);
    const url = outputs.url;
    if (typeof url !== "string" || url === "") {
        throw new StackTargetError(`stack ${stack} has no url output; is it deployed?`);
    }
    const refusal = credentialRefusal(url, credentials);
    if (refusal !== undefined) {
        throw new StackTargetError(`stack ${stack}: ${refusal}`);
    }
    const settings = sources.stackSettings(stack);
    let adminPassword = credentials.send ? overrides.adminPassword : undefined;
    if (adminPassword === undefined && credentials.send) {
        const parameter = outputs.adminPasswordParameterName;
        if (typeof parameter !== "string") {
            throw new StackTargetError(`stack ${stack} has no adminPasswordParameterName output; set ADMIN_PASSWORD instead`);
        }
        // The parameter lives in the stack's region, which the target group's ARN names.
        adminPassword = await sources.parameterValue(
            parameter,
            typeof outputs.targetGroupArn === "string" ? arnRegion(outputs.targetGroupArn) : undefined,
        );
    }
    const instances = outputs.instances;
    const autoscaling = typeof outputs.autoScalingGroupName === "string" && outputs.autoScalingGroupName !== "";
    return {
        url: url.replace(/\/+$/, ""),
        adminUsername: overrides.adminUsername ?? settings.adminUsername,
        adminPassword,
        expectInstances: overrides.expectInstances ?? (!autoscaling && Array.isArray(instances) ? instances.length : undefined),
        stickiness: overrides.stickiness ?? settings.stickiness,
        ...(settings.endpoints !== undefined ? { endpoints: settings.endpoints } : {}),
    };
}
