import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { ApiImage, ApiImageArgs, DEFAULT_PARENT_IMAGE } from "../../components/image/apiImage";
import { AppSettings, AppSource } from "../../components/config/schema";
import { collectArtifact, copyArtifact } from "../../components/image/artifact";
import { renderImageDocument } from "../../components/image/imageDocument";
import { EC2_MESSAGES_ACTIONS, SSM_MESSAGES_ACTIONS } from "../../components/credentials/sessionManagerAgent";
import { fakeHex, RegisteredResource } from "../../preview/mocks";
import { runUnderMocks } from "../../preview/runUnderMocks";
import { countByType, named, onlyOfType, ofType } from "../support/resources";

const APP_DIRECTORY = path.join(__dirname, "..", "..", "app");

/** The network the image bakes in: a private subnet of a VPC, as a dedicated network gives it. */
const BUILD_VPC_ID = "vpc-0a1b2c3d4e5f60718";
const BUILD_SUBNET_ID = "subnet-0f1e2d3c4b5a69788";
/** The default app, the reference Maven project, with `changes`. */
function mavenApp(changes: Partial<AppSettings> = {}): AppSettings {
    return { source: AppSource.Maven, path: "app", javaVersion: 17, jvmOptions: [], ...changes };
}

/** The reference project's artifact. */
const referenceArtifact = () => collectArtifact(AppSource.Maven, APP_DIRECTORY);

/** Runs one ApiImage named "api" under the offline mocks in dev, us-east-1; its outputs resolve to strings. */
function runImage(args: Partial<ApiImageArgs> = {}) {
    const { vpcId = BUILD_VPC_ID, subnetId = BUILD_SUBNET_ID, ...rest } = args;
    return runUnderMocks(
        () => {
            const image = new ApiImage("api", {
                app: mavenApp(),
                appPort: 8082,
                ...rest,
                vpcId,
                subnetId,
            });
            return {
                imageId: image.imageId,
                artifactBucketName: image.artifactBucketName,
                componentVersion: image.componentVersion,
                recipeVersion: image.recipeVersion,
            };
        },
        { stack: "dev", config: { "aws:region": "us-east-1" } },
    );
}

const TYPES = {
    bucket: "aws:s3/bucket:Bucket",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    profile: "aws:iam/instanceProfile:InstanceProfile",
    component: "aws:imagebuilder/component:Component",
    recipe: "aws:imagebuilder/imageRecipe:ImageRecipe",
    infrastructure: "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration",
    image: "aws:imagebuilder/image:Image",
    lifecyclePolicy: "aws:imagebuilder/lifecyclePolicy:LifecyclePolicy",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
};

describe("ApiImage", () => {
    let run: Awaited<ReturnType<typeof runImage>>;
    let byType: (type: string) => RegisteredResource;
    before(async () => {
        run = await runImage();
        byType = (type) => onlyOfType(run.resources, type);
    });

    it("registers exactly its children, each parented to the component", () => {
        assert.deepStrictEqual(countByType(run.resources), {
            "pulumi:pulumi:Stack": 1,
            "api-cluster:image:ApiImage": 1,
            [TYPES.bucket]: 1,
            [TYPES.publicAccessBlock]: 1,
            [TYPES.encryption]: 1,
            [TYPES.ownership]: 1,
            [TYPES.bucketPolicy]: 1,
            [TYPES.object]: 1,
            [TYPES.role]: 2,
            [TYPES.attachment]: 2,
            [TYPES.rolePolicy]: 2,
            [TYPES.profile]: 1,
            [TYPES.securityGroup]: 1,
            [TYPES.egressRule]: 1,
            [TYPES.component]: 1,
            [TYPES.recipe]: 1,
            [TYPES.infrastructure]: 1,
            [TYPES.image]: 1,
            [TYPES.lifecyclePolicy]: 1,
        });
        const component = byType("api-cluster:image:ApiImage");
        for (const resource of run.resources.filter((r) => r.custom)) {
            assert.strictEqual(resource.parent, component.urn, `${resource.type} ${resource.name}`);
            assert.match(resource.name, /^api-/, resource.name);
        }
    });

    it("keeps the artifact bucket private, encrypted, bucket-owner enforced, TLS only and destroyable", () => {
        const bucket = byType(TYPES.bucket);
        assert.strictEqual(bucket.inputs.forceDestroy, true);
        assert.strictEqual(bucket.inputs.bucket, undefined, "the bucket is autonamed");
        const bucketName = run.outputs.artifactBucketName;
        assert.match(bucketName, /^api-artifacts-[0-9a-f]{7}$/);

        const block = byType(TYPES.publicAccessBlock).inputs;
        assert.deepStrictEqual(
            {
                bucket: block.bucket,
                blockPublicAcls: block.blockPublicAcls,
                blockPublicPolicy: block.blockPublicPolicy,
                ignorePublicAcls: block.ignorePublicAcls,
                restrictPublicBuckets: block.restrictPublicBuckets,
            },
            { bucket: bucketName, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        );
        const encryption = byType(TYPES.encryption).inputs;
        assert.strictEqual(encryption.bucket, bucketName);
        assert.deepStrictEqual(encryption.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
        const ownership = byType(TYPES.ownership).inputs;
        assert.deepStrictEqual(ownership, { bucket: bucketName, rule: { objectOwnership: "BucketOwnerEnforced" } });

        const policy = JSON.parse(byType(TYPES.bucketPolicy).inputs.policy);
        assert.deepStrictEqual(policy.Statement, [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ]);
        assert.ok(byType(TYPES.bucketPolicy).dependencies.includes(byType(TYPES.publicAccessBlock).urn));
    });

    it("uploads the app's sources as a content-addressed zip, after the bucket is locked down", async () => {
        const object = byType(TYPES.object);
        const artifact = referenceArtifact();
        assert.strictEqual(object.inputs.bucket, run.outputs.artifactBucketName);
        assert.strictEqual(object.inputs.key, artifact.key);
        assert.strictEqual(object.inputs.contentType, "application/zip");
        const assets = (await object.inputs.source.assets) as Record<string, { path: Promise<string> }>;
        assert.deepStrictEqual(Object.keys(assets).sort(), ["pom.xml", "src/main/java/com/example/apicluster/ApiServer.java"]);
        assert.deepStrictEqual(
            Object.keys(assets).sort(),
            artifact.files.map((file) => file.name),
        );
        for (const [name, asset] of Object.entries(assets)) {
            assert.strictEqual(await asset.path, path.join(path.resolve(APP_DIRECTORY), ...name.split("/")));
        }
        for (const type of [TYPES.publicAccessBlock, TYPES.encryption, TYPES.ownership, TYPES.bucketPolicy]) {
            assert.ok(object.dependencies.includes(byType(type).urn), type);
        }
    });

    /*
     * Image Builder's documentation asks for EC2InstanceProfileForImageBuilder and
     * AmazonSSMManagedInstanceCore on the build instance's profile: Image Builder drives the build
     * through Systems Manager Run Command, so the agent must register (ssm:UpdateInstanceInformation)
     * and take its messages (ec2messages:*, ssmmessages:*). AmazonSSMManagedInstanceCore also grants
     * ssm:GetParameter(s) on `*`, which any build step (a Maven plugin) could use to read every
     * parameter of the account, so the agent's own policy (sessionManagerAgent.ts) replaces it.
     */
    it("gives the build instance Image Builder's own managed policy, the agent's policy, and read access to the artifact only", () => {
        const role = ofType(run.resources, TYPES.role).find((r) => r.name === "api-build");
        assert.ok(role, "the build role");
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy), {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
        // The offline mocks name an autonamed role as AWS would: logical name, dash, random suffix.
        const buildRoleName = `api-build-${fakeHex("role/api-build", 7)}`;
        const attachments = ofType(run.resources, TYPES.attachment).filter((a) => a.name.startsWith("api-build-"));
        assert.deepStrictEqual(
            attachments.map((a) => [a.inputs.role, a.inputs.policyArn]),
            [[buildRoleName, "arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder"]],
        );

        const artifactRead = named(run.resources, "api-build-read-artifact");
        assert.strictEqual(artifactRead.inputs.role, buildRoleName);
        assert.deepStrictEqual(JSON.parse(artifactRead.inputs.policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: "s3:GetObject",
                    Resource: `arn:aws:s3:::${run.outputs.artifactBucketName}/${referenceArtifact().key}`,
                },
            ],
        });
        const agent = named(run.resources, "api-build-ssm-agent");
        assert.strictEqual(agent.inputs.role, buildRoleName);
        const statements = JSON.parse(agent.inputs.policy).Statement;
        assert.deepStrictEqual(
            statements.map((statement: { Sid: string; Action: string | string[]; Resource: string }) => [
                statement.Sid,
                statement.Action,
                statement.Resource,
            ]),
            [
                ["RegisterThisAccountsInstances", "ssm:UpdateInstanceInformation", "arn:aws:ec2:us-east-1:123456789012:instance/*"],
                ["SessionManagerChannels", SSM_MESSAGES_ACTIONS, "*"],
                ["RunCommandMessages", EC2_MESSAGES_ACTIONS, "*"],
            ],
        );
        assert.strictEqual(byType(TYPES.profile).inputs.role, buildRoleName);
        // The build starts only once the agent may register.
        for (const dependent of [byType(TYPES.infrastructure), byType(TYPES.image)]) {
            assert.ok(dependent.dependencies.includes(agent.urn), dependent.name);
        }
    });

    it("launches the build and test instances in the subnet given, behind a group that admits nothing and sends only HTTPS", () => {
        const group = byType(TYPES.securityGroup);
        assert.strictEqual(group.name, "api-build-sg");
        assert.deepStrictEqual(group.inputs, {
            vpcId: BUILD_VPC_ID,
            description: "Image Builder instances of api: no ingress, HTTPS out only",
            revokeRulesOnDelete: true,
            tags: {},
        });
        const egress = byType(TYPES.egressRule);
        assert.strictEqual(egress.name, "api-build-egress-https");
        assert.deepStrictEqual(egress.inputs, {
            securityGroupId: group.outputs.id,
            cidrIpv4: "0.0.0.0/0",
            description: "HTTPS to SSM, S3, package repositories and Maven Central",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
        });
        assert.strictEqual(countByType(run.resources)["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"], undefined);

        const infrastructure = byType(TYPES.infrastructure);
        assert.strictEqual(infrastructure.inputs.subnetId, BUILD_SUBNET_ID);
        assert.deepStrictEqual(infrastructure.inputs.securityGroupIds, [group.outputs.id]);
        assert.ok(infrastructure.dependencies.includes(egress.urn), "the build waits for its egress rule");
    });

    it("deletes superseded AMIs with their snapshots through a lifecycle policy that keeps the newest 3 of this image", () => {
        const policy = byType(TYPES.lifecyclePolicy);
        const role = ofType(run.resources, TYPES.role).find((r) => r.name === "api-lifecycle");
        assert.ok(role, "the lifecycle role");
        assert.deepStrictEqual(policy.inputs, {
            name: "api-cluster-dev-api-lifecycle",
            description: "Deletes superseded AMIs of api and their snapshots, keeping the newest 3",
            executionRole: role.outputs.arn,
            resourceType: "AMI_IMAGE",
            resourceSelection: { tagMap: { "api-cluster:image": "api-cluster-dev-api-image" } },
            policyDetails: [
                {
                    action: { type: "DELETE", includeResources: { amis: true, snapshots: true } },
                    filter: { type: "COUNT", value: 3 },
                    exclusionRules: {
                        amis: {
                            lastLaunched: { value: 14, unit: "DAYS" },
                            tagMap: { "api-cluster:keep": "true" },
                        },
                    },
                },
            ],
            tags: {},
        });
        // The policy selects the images by the tag the image carries.
        assert.deepStrictEqual(byType(TYPES.image).inputs.tags, { "api-cluster:image": "api-cluster-dev-api-image" });
        // Image Builder may assume the role only for this account (aws:SourceAccount), so no other
        // account's lifecycle policy can make Image Builder delete this account's images.
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Service: "imagebuilder.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
                },
            ],
        });
        const execution = named(run.resources, "api-lifecycle-execution");
        assert.deepStrictEqual(execution.inputs, {
            role: role.outputs.name,
            policyArn: "arn:aws:iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy",
        });
        assert.ok(policy.dependencies.includes(execution.urn), "the policy waits for its role's permissions");
    });

    it("leaves a replaced image to the lifecycle policy instead of deleting it, which would orphan its AMI", () => {
        assert.deepStrictEqual(
            run.resources.filter((resource) => resource.retainOnDelete).map((resource) => resource.type),
            [TYPES.image],
        );
    });

    for (const count of [1, 50]) {
        it(`keeps the newest ${count} when asked`, async () => {
            const custom = await runImage({ retainedImageCount: count });
            const [detail] = onlyOfType(custom.resources, TYPES.lifecyclePolicy).inputs.policyDetails;
            assert.deepStrictEqual(detail.filter, { type: "COUNT", value: count });
        });
    }

    for (const count of [0, 51, 2.5]) {
        it(`refuses to keep ${count} images`, async () => {
            await assert.rejects(runImage({ retainedImageCount: count }), {
                message: `ApiImage: retainedImageCount must be an integer from 1 to 50; got ${count}`,
            });
        });
    }

    it("creates the component from the document, versioned by content", () => {
        const component = byType(TYPES.component).inputs;
        assert.strictEqual(component.name, "api-cluster-dev-api-component");
        assert.strictEqual(component.platform, "Linux");
        assert.strictEqual(component.version, run.outputs.componentVersion);
        assert.match(component.version, /^\d+\.\d+\.\d+$/);
        const uri = `s3://${run.outputs.artifactBucketName}/${referenceArtifact().key}`;
        assert.strictEqual(component.data, renderImageDocument({ artifactUri: uri, appPort: 8082, app: mavenApp() }));
        assert.strictEqual(component.description, "Corretto 17, Maven, the api-cluster REST API and its hardened systemd unit");
        const document = YAML.parse(component.data);
        assert.deepStrictEqual(
            document.phases.map((phase: { name: string }) => phase.name),
            ["build", "validate", "test"],
        );
    });

    it("bases the recipe on the latest Amazon Linux 2023, with an encrypted gp3 root volume", () => {
        const recipe = byType(TYPES.recipe).inputs;
        assert.strictEqual(recipe.name, "api-cluster-dev-api-recipe");
        assert.strictEqual(recipe.parentImage, "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
        assert.strictEqual(recipe.parentImage, DEFAULT_PARENT_IMAGE);
        assert.strictEqual(recipe.version, run.outputs.recipeVersion);
        assert.deepStrictEqual(recipe.components, [
            {
                componentArn: `arn:aws:imagebuilder:us-east-1:123456789012:component/api-cluster-dev-api-component/${run.outputs.componentVersion}/1`,
            },
        ]);
        assert.deepStrictEqual(recipe.blockDeviceMappings, [
            { deviceName: "/dev/xvda", ebs: { volumeType: "gp3", volumeSize: 10, encrypted: "true", deleteOnTermination: "true" } },
        ]);
    });

    it("builds on t3.small with IMDSv2 required, terminating a failed build instance", () => {
        const infrastructure = byType(TYPES.infrastructure).inputs;
        assert.strictEqual(infrastructure.name, "api-cluster-dev-api-infrastructure");
        assert.strictEqual(infrastructure.terminateInstanceOnFailure, true);
        assert.deepStrictEqual(infrastructure.instanceTypes, ["t3.small"]);
        assert.deepStrictEqual(infrastructure.instanceMetadataOptions, { httpTokens: "required", httpPutResponseHopLimit: 1 });
        assert.strictEqual(infrastructure.instanceProfileName, `api-build-${fakeHex("instance-profile/api-build", 7)}`);
        const attachmentUrns = ofType(run.resources, TYPES.attachment)
            .filter((a) => a.name.startsWith("api-build-"))
            .map((a) => a.urn);
        for (const urn of attachmentUrns) {
            assert.ok(byType(TYPES.infrastructure).dependencies.includes(urn));
        }
    });

    it("bakes the image from the recipe with tests on, after the artifact and its read policy exist", () => {
        const image = byType(TYPES.image);
        assert.strictEqual(
            image.inputs.imageRecipeArn,
            `arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/api-cluster-dev-api-recipe/${run.outputs.recipeVersion}`,
        );
        assert.strictEqual(
            image.inputs.infrastructureConfigurationArn,
            "arn:aws:imagebuilder:us-east-1:123456789012:infrastructure-configuration/api-cluster-dev-api-infrastructure",
        );
        assert.deepStrictEqual(image.inputs.imageTestsConfiguration, { imageTestsEnabled: true, timeoutMinutes: 60 });
        for (const dependency of [byType(TYPES.object), named(run.resources, "api-build-read-artifact")]) {
            assert.ok(image.dependencies.includes(dependency.urn), dependency.name);
        }
    });

    it("exposes the AMI from the image's outputResources[0].amis[0].image", () => {
        assert.match(run.outputs.imageId, /^ami-[0-9a-f]{17}$/);
        // The mock derives the AMI from the image's logical name and the recipe version it was built from.
        assert.strictEqual(run.outputs.imageId, `ami-${fakeHex(`ami/api-image/${run.outputs.recipeVersion}`)}`);
    });

    it("tags every taggable child and the build instances", async () => {
        const tagged = await runImage({ tags: { project: "api-cluster", stack: "dev" } });
        const tags = { project: "api-cluster", stack: "dev" };
        for (const role of ofType(tagged.resources, TYPES.role)) {
            assert.deepStrictEqual(role.inputs.tags, tags, role.name);
        }
        for (const type of [TYPES.bucket, TYPES.object, TYPES.profile, TYPES.component, TYPES.recipe, TYPES.infrastructure, TYPES.image]) {
            const expected = type === TYPES.image ? { ...tags, "api-cluster:image": "api-cluster-dev-api-image" } : tags;
            assert.deepStrictEqual(onlyOfType(tagged.resources, type).inputs.tags, expected, type);
        }
        for (const type of [TYPES.securityGroup, TYPES.lifecyclePolicy]) {
            assert.deepStrictEqual(onlyOfType(tagged.resources, type).inputs.tags, tags, type);
        }
        assert.deepStrictEqual(onlyOfType(tagged.resources, TYPES.infrastructure).inputs.resourceTags, tags);
    });

    it("takes other build instance types and another parent image", async () => {
        const custom = await runImage({ buildInstanceTypes: ["m7i.large", "m6i.large"], parentImage: "ami-0123456789abcdef0" });
        assert.deepStrictEqual(onlyOfType(custom.resources, TYPES.infrastructure).inputs.instanceTypes, ["m7i.large", "m6i.large"]);
        assert.strictEqual(onlyOfType(custom.resources, TYPES.recipe).inputs.parentImage, "ami-0123456789abcdef0");
    });

    it("rejects an empty list of build instance types and an app folder without a pom.xml", async () => {
        await assert.rejects(runImage({ buildInstanceTypes: [] }), /buildInstanceTypes/);
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "api-empty-"));
        try {
            await assert.rejects(runImage({ app: mavenApp({ path: empty }) }), /holds no pom\.xml/);
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });
});

describe("ApiImage versions", () => {
    const folders: string[] = [];
    const SOURCE = "src/main/java/com/example/apicluster/ApiServer.java";
    /** A copy of the reference project's sources with `changes` (relative path to content) applied; its app settings. */
    function appCopy(changes: Record<string, string> = {}): AppSettings {
        const directory = fs.mkdtempSync(path.join(os.tmpdir(), "api-app-"));
        folders.push(directory);
        copyArtifact(referenceArtifact(), directory);
        for (const [name, content] of Object.entries(changes)) {
            fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
            fs.writeFileSync(path.join(directory, name), content);
        }
        return mavenApp({ path: directory });
    }
    after(() => folders.forEach((directory) => fs.rmSync(directory, { recursive: true, force: true })));

    async function versions(args: Partial<ApiImageArgs>): Promise<{ component: string; recipe: string }> {
        const run = await runImage(args);
        // The versions the resources carry are the ones the component exposes.
        assert.strictEqual(onlyOfType(run.resources, TYPES.component).inputs.version, run.outputs.componentVersion);
        assert.strictEqual(onlyOfType(run.resources, TYPES.recipe).inputs.version, run.outputs.recipeVersion);
        return { component: run.outputs.componentVersion, recipe: run.outputs.recipeVersion };
    }

    let baseApp: AppSettings;
    let base: { component: string; recipe: string };
    before(async () => {
        baseApp = appCopy();
        base = await versions({ app: baseApp });
    });

    it("stay the same when nothing changes, in another run and from another copy of the same files", async () => {
        assert.deepStrictEqual(await versions({ app: baseApp }), base);
        assert.deepStrictEqual(await versions({ app: appCopy() }), base);
        assert.deepStrictEqual(await versions({ app: mavenApp() }), base, "the reference project itself");
    });

    it("stay the same for changes that need no new image: tags, build instance types, target/ and files outside the artifact", async () => {
        assert.deepStrictEqual(await versions({ app: baseApp, tags: { team: "api" } }), base);
        assert.deepStrictEqual(await versions({ app: baseApp, buildInstanceTypes: ["t3.medium"] }), base);
        assert.deepStrictEqual(
            await versions({
                app: appCopy({ "notes.txt": "scratch", ".env": "X=1", "README.md": "# notes\n", "target/api-server.jar": "PK" }),
            }),
            base,
        );
    });

    it("both change when a source file or the pom changes", async () => {
        const source = fs.readFileSync(path.join(APP_DIRECTORY, SOURCE), "utf8");
        const edits: Record<string, string>[] = [
            { [SOURCE]: `${source}\n// changed\n` },
            { "pom.xml": "<project/>\n" },
            { "src/main/resources/a.properties": "a=1\n" },
        ];
        for (const changes of edits) {
            const changed = await versions({ app: appCopy(changes) });
            assert.notStrictEqual(changed.component, base.component, Object.keys(changes)[0]);
            assert.notStrictEqual(changed.recipe, base.recipe, Object.keys(changes)[0]);
        }
    });

    it("both change when the document changes: the port the test phase checks, the Java version, the JVM options, the main class", async () => {
        for (const args of [
            { app: baseApp, appPort: 9090 },
            { app: { ...baseApp, javaVersion: 21 } },
            { app: { ...baseApp, jvmOptions: ["-Xmx512m"] } },
            { app: { ...baseApp, mainClass: "com.example.apicluster.ApiServer" } },
        ]) {
            const changed = await versions(args);
            assert.notStrictEqual(changed.component, base.component, JSON.stringify(args));
            assert.notStrictEqual(changed.recipe, base.recipe, JSON.stringify(args));
        }
    });

    it("only the recipe's changes when the parent image changes", async () => {
        const changed = await versions({
            app: baseApp,
            parentImage: "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.12-x86_64",
        });
        assert.strictEqual(changed.component, base.component);
        assert.notStrictEqual(changed.recipe, base.recipe);
    });
});
