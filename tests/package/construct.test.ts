/**
 * ApiCluster built through the provider path, as a Python, Go, C#, Java or YAML program gets it:
 * the engine sends the args over gRPC, the SDK's own `deserializeInputs` turns secrets and values
 * that depend on other resources into Outputs, and the ComponentProvider constructs the class.
 * It must register exactly what `new ApiCluster` registers with the same values given plainly.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as providerServer from "@pulumi/pulumi/provider/server";
import { specialOutputValueSig, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { API_CLUSTER_TYPE, ApiCluster, ApiClusterArgs } from "../../components/apiCluster";
import { SettingsError } from "../../components/config/validate";
import { OfflineAccount, RegisteredResource } from "../../preview/mocks";
import { runUnderMocks } from "../../preview/runUnderMocks";
import { SCHEMA_BUILD_TIMEOUT_MS, packageProvider, packageSchema } from "../support/packageSchema";
import { isSecret, named, onlyOfType } from "../support/resources";

/** Resources the consumer's program owns, whose outputs it passes to the cluster. */
const CERTIFICATE_URN = "urn:pulumi:dev::consumer::aws:acm/certificate:Certificate::api-cert";
const IMAGE_URN = "urn:pulumi:dev::consumer::aws:imagebuilder/image:Image::api-image";
const NETWORK_STACK_URN = "urn:pulumi:dev::consumer::pulumi:pulumi:StackReference::network";

/** The offline account the mocks answer for: its shared VPC stands for a network another team owns. */
const ACCOUNT = new OfflineAccount();

const CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const AMI_ID = "ami-0123456789abcdef0";
const PASSWORD = "construct-test-password";

/** The cluster every test builds, with every value given plainly. */
const PLAIN_ARGS: ApiClusterArgs = {
    instanceCount: 3,
    availabilityZoneCount: 3,
    appPort: 8082,
    network: "existing",
    existingNetwork: {
        vpcId: ACCOUNT.sharedVpcId,
        loadBalancerSubnetIds: ACCOUNT.sharedPublicSubnetIds,
        instanceSubnetIds: ACCOUNT.sharedPrivateSubnetIds,
    },
    fleet: "autoscaling",
    healthCheck: { path: "/health", intervalSeconds: 15 },
    stickiness: { enabled: true, type: "app_cookie", cookieName: "API_SESSION" },
    allowedCidrs: ["203.0.113.0/24"],
    sshCidrs: ["198.51.100.0/24"],
    sessionManager: false,
    keyName: "ops",
    amiId: AMI_ID,
    certificateArn: CERTIFICATE_ARN,
    adminPassword: PASSWORD,
};

/** A secret on the wire. */
function wireSecret(value: unknown): Record<string, unknown> {
    return { [specialSigKey]: specialSecretSig, value };
}

/** An output value on the wire: known, depending on `urn`. */
function wireOutput(value: unknown, urn: string): Record<string, unknown> {
    return { [specialSigKey]: specialOutputValueSig, value, dependencies: [urn] };
}

/** The SDK's deserializer of construct inputs; exported by the SDK but marked @internal in its typings. */
const { deserializeInputs } = providerServer as unknown as {
    deserializeInputs(
        inputs: { toJavaScript(): Record<string, unknown> },
        dependencies: { get(key: string): { getUrnsList(): string[] } | undefined },
    ): Promise<pulumi.Inputs>;
};

/**
 * Args as the engine hands them to `construct`: `wire` is the inputs struct, `dependencies` the
 * property dependencies map, both as the gRPC request carries them.
 */
function engineInputs(wire: Record<string, unknown>, dependencies: Record<string, string[]> = {}): Promise<pulumi.Inputs> {
    return deserializeInputs(
        { toJavaScript: () => wire },
        { get: (key) => (dependencies[key] ? { getUrnsList: () => dependencies[key] } : undefined) },
    );
}

/**
 * The plain args, with the admin password and key pair secret, the AMI and certificate from other
 * resources, and the existing network's VPC and first subnet from another stack's outputs.
 */
function engineArgs(): Promise<pulumi.Inputs> {
    return engineInputs(
        {
            ...PLAIN_ARGS,
            adminPassword: wireSecret(PASSWORD),
            keyName: wireSecret("ops"),
            amiId: AMI_ID,
            certificateArn: wireOutput(CERTIFICATE_ARN, CERTIFICATE_URN),
            existingNetwork: {
                vpcId: wireOutput(ACCOUNT.sharedVpcId, NETWORK_STACK_URN),
                loadBalancerSubnetIds: [
                    wireOutput(ACCOUNT.sharedPublicSubnetIds[0], NETWORK_STACK_URN),
                    ...ACCOUNT.sharedPublicSubnetIds.slice(1),
                ],
                instanceSubnetIds: ACCOUNT.sharedPrivateSubnetIds,
            },
        },
        { amiId: [IMAGE_URN] },
    );
}

/** Builds a cluster through the provider's construct under the offline mocks; returns its state and registrations. */
function constructUnderMocks(inputs: () => Promise<pulumi.Inputs>) {
    return runUnderMocks(async () => {
        const result = await packageProvider().construct("api", API_CLUSTER_TYPE, await inputs(), {});
        // The state holds the outputs the schema lists; four of them are compared here.
        const state = result.state as Record<"url" | "loadBalancerDnsName" | "imageId", pulumi.Output<string>> & {
            instances: pulumi.Output<unknown[]>;
        };
        return { ...state, urn: result.urn };
    });
}

/** A value with every secret wrapper removed. */
function revealed(value: unknown): unknown {
    if (isSecret(value)) return revealed(value.value);
    if (Array.isArray(value)) return value.map(revealed);
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revealed(item)]));
    }
    return value;
}

/** What a registration is, compared across the two paths: type, name, parent and inputs, secrets revealed. */
function registration(resource: RegisteredResource) {
    return { urn: resource.urn, type: resource.type, name: resource.name, parent: resource.parent, inputs: revealed(resource.inputs) };
}

/** Registrations in URN order (registration order is not deterministic). */
function registrations(resources: RegisteredResource[]) {
    return resources.map(registration).sort((a, b) => a.urn.localeCompare(b.urn));
}

describe("ApiCluster through the provider's construct", function () {
    this.timeout(SCHEMA_BUILD_TIMEOUT_MS);

    before(async () => {
        // construct reads the component's outputs from the schema; build it once for the run.
        await packageSchema();
    });

    it("registers the same resources with the same inputs as new ApiCluster with plain values", async () => {
        const direct = await runUnderMocks(() => {
            const cluster = new ApiCluster("api", PLAIN_ARGS);
            return { urn: cluster.urn, url: cluster.url, instances: cluster.instances, imageId: cluster.imageId };
        });
        const constructed = await constructUnderMocks(engineArgs);

        assert.strictEqual(constructed.resources.length, direct.resources.length);
        assert.deepStrictEqual(registrations(constructed.resources), registrations(direct.resources));
        assert.strictEqual(constructed.outputs.urn, direct.outputs.urn);
        assert.strictEqual(constructed.outputs.url, `https://${constructed.outputs.loadBalancerDnsName}`);
        assert.strictEqual(constructed.outputs.url, direct.outputs.url);
        assert.deepStrictEqual(constructed.outputs.instances, direct.outputs.instances);
        assert.strictEqual(constructed.outputs.imageId, AMI_ID);
    });

    it("returns exactly the schema's outputs as the component's state", async () => {
        const { outputs } = await constructUnderMocks(engineArgs);
        const schema = await packageSchema();
        assert.deepStrictEqual(Object.keys(outputs).sort(), ["urn", ...Object.keys(schema.resources[API_CLUSTER_TYPE].properties)].sort());
    });

    it("keeps secret args secret and records the dependencies of args from other resources", async () => {
        const { resources } = await constructUnderMocks(engineArgs);
        const template = onlyOfType(resources, "aws:ec2/launchTemplate:LaunchTemplate");
        assert.ok(isSecret(template.inputs.keyName), "the launch template's keyName stays secret");
        assert.deepStrictEqual(template.propertyDependencies.imageId, [IMAGE_URN], "the launch template's AMI depends on the image");
        const groups = resources.filter((resource) => resource.type === "aws:ec2/securityGroup:SecurityGroup");
        assert.deepStrictEqual(groups.map((group) => group.name).sort(), ["api-alb-sg", "api-instance-sg"]);
        for (const group of groups) {
            assert.deepStrictEqual(
                group.propertyDependencies.vpcId,
                [NETWORK_STACK_URN],
                `${group.name}'s VPC comes from the network stack`,
            );
        }
        const listener = named(resources, "api-listener");
        assert.deepStrictEqual(listener.propertyDependencies.certificateArn, [CERTIFICATE_URN]);
        assert.strictEqual(listener.inputs.certificateArn, CERTIFICATE_ARN);
        const parameter = onlyOfType(resources, "aws:ssm/parameter:Parameter");
        assert.ok(isSecret(parameter.inputs.value));
        assert.strictEqual(parameter.inputs.value.value, PASSWORD);
    });

    it("refuses a setting that shapes the resources when it arrives as a secret, registering nothing", async () => {
        let error: unknown;
        const { resources } = await runUnderMocks(async () => {
            const inputs = await engineInputs({ instanceCount: wireSecret(3), availabilityZoneCount: 3, amiId: AMI_ID });
            try {
                await packageProvider().construct("api", API_CLUSTER_TYPE, inputs, {});
            } catch (err) {
                error = err;
            }
            return {};
        });
        assert.ok(error instanceof SettingsError, `expected a SettingsError; got ${String(error)}`);
        assert.deepStrictEqual(error.problems, [
            "ApiClusterArgs.instanceCount must be a plain value known when the cluster is declared, since it shapes the resources; got an Output (a secret or another resource's output)",
        ]);
        assert.deepStrictEqual(
            resources.map((resource) => resource.type),
            ["pulumi:pulumi:Stack"],
        );
    });

    /** Builds through construct with args that must fail; returns the SettingsError the deployment fails with. */
    async function deploymentFailure(wire: Record<string, unknown>): Promise<SettingsError> {
        const failure = await constructUnderMocks(() => engineInputs(wire)).then(
            () => undefined,
            (err: unknown) => err,
        );
        assert.ok(failure instanceof SettingsError, `expected a SettingsError; got ${String(failure)}`);
        return failure;
    }

    it("checks an arg from another resource once its value is known, and fails the deployment naming it", async () => {
        const failure = await deploymentFailure({ amiId: wireOutput("ami-not-an-id", IMAGE_URN) });
        assert.deepStrictEqual(failure.problems, [
            'ApiClusterArgs.amiId must be an AMI id such as ami-0123456789abcdef0; got "ami-not-an-id"',
        ]);
    });

    it("never quotes a secret arg that fails its check", async () => {
        const failure = await deploymentFailure({ amiId: AMI_ID, keyName: wireSecret("bad\u0001key-name") });
        assert.deepStrictEqual(failure.problems, [
            "ApiClusterArgs.keyName must be an EC2 key pair name of 1 to 255 printable characters; got a secret",
        ]);
        assert.doesNotMatch(failure.message, /key-name/);
    });
});
