/**
 * ApiImage: bakes the API's AMI with EC2 Image Builder, the way the lesson makes an image from an
 * instance holding the JDK, Maven and the API, but as code.
 *
 *   app (Maven project sources, or a jar) ──zip──▶ private S3 bucket ──aws s3 cp──▶ Image Builder
 *     build instance (AL2023 + Corretto 17 or 21 + Maven + api user; build-app.sh: mvn -B package
 *     → /opt/api/api-server.jar + api.service)
 *     ──snapshot──▶ AMI ──test instance: start, curl /health──▶ imageId
 *
 * The build and test instances run in the subnet given (one with outbound access: a private subnet
 * of the cluster's VPC, or a default subnet) behind a security group of their own that admits
 * nothing and sends only HTTPS, so the bake needs neither a default VPC nor its default group.
 * A lifecycle policy deletes superseded AMIs with their snapshots, keeping the newest few.
 *
 * The component and the recipe are immutable in Image Builder, so their versions come from hashes
 * of their content (contentVersion.ts): an unchanged program keeps them, any change to the
 * document, the app or the parent image replaces them and bakes a new image.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { resolveAppPath } from "../app/appPath";
import { AppSettings } from "../config/schema";
import { artifactArchive, collectArtifact } from "./artifact";
import { contentVersion } from "./contentVersion";
import { renderImageDocument } from "./imageDocument";
import { KEEP_TAG } from "./keepTag";
import { DEFAULT_IMAGE_RETENTION_COUNT, MAX_IMAGE_RETENTION_COUNT } from "../config/schema";
import { EC2_ASSUME_ROLE_POLICY } from "../ec2TrustPolicy";
import { sessionManagerAgentPolicy } from "../credentials/sessionManagerAgent";

/** Latest Amazon Linux 2023 (x86_64, standard kernel) through its public SSM parameter. */
export const DEFAULT_PARENT_IMAGE = "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/** Build (and test) instance types when none are given. */
export const DEFAULT_BUILD_INSTANCE_TYPES = ["t3.small"];

/** Stands in for the bucket name while the version is hashed, as the name is known only after creation. */
const BUCKET_PLACEHOLDER = "artifact-bucket";

/** Minutes Image Builder may spend on the image's tests (its minimum is 60). */
const IMAGE_TESTS_TIMEOUT_MINUTES = 60;

/** Port of the build instances' only egress: HTTPS, for SSM, S3, the package repositories and Maven Central. */
export const BUILD_EGRESS_PORT = 443;

/** Days after an instance last launched from an AMI during which the lifecycle policy leaves the AMI alone. */
export const LAST_LAUNCHED_GRACE_DAYS = 14;

/**
 * The managed policy the build and test instances keep: Image Builder's own
 * (EC2InstanceProfileForImageBuilder: its components, its S3 buckets `ec2imagebuilder*`, its log
 * groups, and kms:Decrypt only for Image Builder's own encryption context). The Systems Manager
 * agent's permissions come from sessionManagerAgent.ts instead of AmazonSSMManagedInstanceCore.
 */
export const BUILD_MANAGED_POLICIES = ["EC2InstanceProfileForImageBuilder"];

/** Tag key that marks the Image Builder images of one ApiImage, which its lifecycle policy selects. */
export const IMAGE_SELECTION_TAG_KEY = "api-cluster:image";

/** Arguments of an ApiImage. */
export interface ApiImageArgs {
    /** The API to build and install: a Maven project folder or a jar (`path` relative to the project root, or absolute), its Java version, JVM options and main class. */
    app: AppSettings;
    /** Port the API listens on; the image test checks /health on it. */
    appPort: number;
    /** EC2 instance types Image Builder may build and test on. Default ["t3.small"]. */
    buildInstanceTypes?: string[];
    /** Parent image: an AMI id, an Image Builder image ARN or `ssm:<parameter>`. Default the latest Amazon Linux 2023 via its public SSM parameter. */
    parentImage?: string;
    /** Tags for every taggable child, and for the build instances. */
    tags?: Record<string, string>;
    /** VPC of `subnetId`; the build instances' security group is created in it. */
    vpcId: pulumi.Input<string>;
    /** Subnet with outbound access (NAT or a public IP) where the build and test instances run. */
    subnetId: pulumi.Input<string>;
    /** Newest AMIs (with their snapshots) the lifecycle policy keeps, 1 to 50; older ones are deleted. Default 3. */
    retainedImageCount?: number;
}

/**
 * Bakes the API's AMI: a private artifact bucket and object, the build instance's role and profile,
 * and the Image Builder component, recipe, infrastructure configuration and image.
 */
export class ApiImage extends pulumi.ComponentResource {
    /** Id of the baked AMI, from the Image's `outputResources[0].amis[0].image`. */
    readonly imageId: pulumi.Output<string>;
    /** Name of the private bucket holding the API artifact. */
    readonly artifactBucketName: pulumi.Output<string>;
    /** Version of the Image Builder component, derived from its content (document, app, port) and its settings. */
    readonly componentVersion: string;
    /** Version of the Image Builder recipe, derived from the component version, the parent image and the recipe's settings. */
    readonly recipeVersion: string;

    constructor(name: string, args: ApiImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("api-cluster:image:ApiImage", name, {}, opts);

        const parentImage = args.parentImage ?? DEFAULT_PARENT_IMAGE;
        const buildInstanceTypes = args.buildInstanceTypes ?? DEFAULT_BUILD_INSTANCE_TYPES;
        if (buildInstanceTypes.length === 0) {
            throw new Error("ApiImage: buildInstanceTypes must name at least one instance type");
        }
        if (parentImage.trim() === "") {
            throw new Error("ApiImage: parentImage must not be empty");
        }
        const retainedImageCount = args.retainedImageCount ?? DEFAULT_IMAGE_RETENTION_COUNT;
        if (!Number.isInteger(retainedImageCount) || retainedImageCount < 1 || retainedImageCount > MAX_IMAGE_RETENTION_COUNT) {
            throw new Error(
                `ApiImage: retainedImageCount must be an integer from 1 to ${MAX_IMAGE_RETENTION_COUNT}; got ${retainedImageCount}`,
            );
        }
        const tags = args.tags ?? {};
        const artifact = collectArtifact(args.app.source, resolveAppPath(args.app.path));
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;

        // --- Artifact bucket: private, encrypted, bucket owner enforced, TLS only.
        const bucketArgs: aws.s3.BucketArgs = { forceDestroy: true };
        const bucket = new aws.s3.Bucket(`${name}-artifacts`, { ...bucketArgs, tags }, { parent: this });
        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            `${name}-artifacts`,
            {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            { parent: this },
        );
        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-artifacts`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            { parent: this },
        );
        const ownership = new aws.s3.BucketOwnershipControls(
            `${name}-artifacts`,
            { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            { parent: this },
        );
        const tlsOnly = new aws.s3.BucketPolicy(
            `${name}-artifacts`,
            {
                bucket: bucket.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            },
            // S3 rejects a policy written while the public access block is changing.
            { parent: this, dependsOn: [publicAccessBlock] },
        );
        const artifactObject = new aws.s3.BucketObjectv2(
            `${name}-artifact`,
            {
                bucket: bucket.id,
                key: artifact.key,
                source: artifactArchive(artifact),
                contentType: "application/zip",
                tags,
            },
            { parent: this, dependsOn: [publicAccessBlock, encryption, ownership, tlsOnly] },
        );

        // --- Build instance identity: Image Builder's own managed policy, the agent's policy in place of
        // AmazonSSMManagedInstanceCore (which would let the build read every SSM parameter of the
        // account), plus reading this artifact only.
        const buildRole = new aws.iam.Role(
            `${name}-build`,
            {
                description: "EC2 Image Builder build and test instances of the api-cluster image",
                assumeRolePolicy: EC2_ASSUME_ROLE_POLICY,
                tags,
            },
            { parent: this },
        );
        const managedPolicies = BUILD_MANAGED_POLICIES.map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-build-${policy}`,
                    { role: buildRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
                    { parent: this },
                ),
        );
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const buildAgent = new aws.iam.RolePolicy(
            `${name}-build-ssm-agent`,
            { role: buildRole.name, policy: sessionManagerAgentPolicy({ partition, region, accountId }) },
            { parent: this },
        );
        const buildPermissions = [...managedPolicies, buildAgent];
        const readArtifact = new aws.iam.RolePolicy(
            `${name}-build-read-artifact`,
            {
                role: buildRole.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: "s3:GetObject",
                            Resource: pulumi.interpolate`arn:${partition}:s3:::${bucket.bucket}/${artifact.key}`,
                        },
                    ],
                }),
            },
            { parent: this },
        );
        const buildProfile = new aws.iam.InstanceProfile(`${name}-build`, { role: buildRole.name, tags }, { parent: this });

        // --- Build instance network: the subnet given, and a group that admits nothing and sends only HTTPS.
        const buildSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-build-sg`,
            {
                vpcId: args.vpcId,
                description: `Image Builder instances of ${name}: no ingress, HTTPS out only`,
                revokeRulesOnDelete: true,
                tags,
            },
            { parent: this },
        );
        const buildEgress = new aws.vpc.SecurityGroupEgressRule(
            `${name}-build-egress-https`,
            {
                securityGroupId: buildSecurityGroup.id,
                cidrIpv4: "0.0.0.0/0",
                description: "HTTPS to SSM, S3, package repositories and Maven Central",
                ipProtocol: "tcp",
                fromPort: BUILD_EGRESS_PORT,
                toPort: BUILD_EGRESS_PORT,
            },
            { parent: this },
        );

        // --- Versions, from content alone so they are known before anything exists.
        const documentForVersion = renderImageDocument({
            artifactUri: `s3://${BUCKET_PLACEHOLDER}/${artifact.key}`,
            appPort: args.appPort,
            app: args.app,
        });
        // Every other argument of the component and the recipe but tags forces a replacement, which
        // must come with a new version (the same name and version cannot be created twice), so the
        // settings are hashed as well. The bucket's arguments are hashed too: a change that replaces
        // the bucket renames it, which changes the real document.
        const componentSettings = {
            description: `Corretto ${args.app.javaVersion}, Maven, the api-cluster REST API and its hardened systemd unit`,
            platform: "Linux",
        };
        this.componentVersion = contentVersion(
            "component",
            documentForVersion,
            artifact.sha256,
            JSON.stringify(bucketArgs),
            JSON.stringify(componentSettings),
        );
        const recipeSettings: Pick<aws.imagebuilder.ImageRecipeArgs, "description" | "blockDeviceMappings"> = {
            description: "Amazon Linux 2023 with the api-cluster REST API",
            blockDeviceMappings: [
                {
                    deviceName: "/dev/xvda",
                    ebs: { volumeType: "gp3", volumeSize: 10, encrypted: "true", deleteOnTermination: "true" },
                },
            ],
        };
        this.recipeVersion = contentVersion("recipe", this.componentVersion, parentImage, JSON.stringify(recipeSettings));

        // --- Image Builder.
        const component = new aws.imagebuilder.Component(
            `${name}-component`,
            {
                name: imageBuilderName(name, "component"),
                ...componentSettings,
                version: this.componentVersion,
                data: bucket.bucket.apply((bucketName) =>
                    renderImageDocument({ artifactUri: `s3://${bucketName}/${artifact.key}`, appPort: args.appPort, app: args.app }),
                ),
                tags,
            },
            { parent: this },
        );
        const recipe = new aws.imagebuilder.ImageRecipe(
            `${name}-recipe`,
            {
                name: imageBuilderName(name, "recipe"),
                ...recipeSettings,
                parentImage,
                version: this.recipeVersion,
                components: [{ componentArn: component.arn }],
                tags,
            },
            { parent: this },
        );
        const infrastructure = new aws.imagebuilder.InfrastructureConfiguration(
            `${name}-infrastructure`,
            {
                name: imageBuilderName(name, "infrastructure"),
                description: "Build and test instances of the api-cluster image",
                instanceProfileName: buildProfile.name,
                instanceTypes: buildInstanceTypes,
                terminateInstanceOnFailure: true,
                instanceMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
                subnetId: args.subnetId,
                securityGroupIds: [buildSecurityGroup.id],
                resourceTags: tags,
                tags,
            },
            // The build instance reaches SSM only once its egress rule exists.
            { parent: this, dependsOn: [...buildPermissions, buildEgress] },
        );
        const selectionTag = { [IMAGE_SELECTION_TAG_KEY]: imageBuilderName(name, "image") };
        const image = new aws.imagebuilder.Image(
            `${name}-image`,
            {
                imageRecipeArn: recipe.arn,
                infrastructureConfigurationArn: infrastructure.arn,
                imageTestsConfiguration: { imageTestsEnabled: true, timeoutMinutes: IMAGE_TESTS_TIMEOUT_MINUTES },
                enhancedImageMetadataEnabled: true,
                tags: { ...tags, ...selectionTag },
            },
            {
                parent: this,
                // The build reads the artifact with the profile's policies: both must exist first.
                dependsOn: [artifactObject, readArtifact, ...buildPermissions],
                // Builds commonly take 20 to 40 minutes; the provider's default gives up at 60.
                customTimeouts: { create: "120m", delete: "30m" },
                // A rebake replaces this resource. Deleting the old Image Builder image would orphan
                // its AMI where no lifecycle policy sees it, so it is left for the policy below.
                retainOnDelete: true,
            },
        );

        // --- Lifecycle: Image Builder deletes superseded AMIs and their snapshots, keeping the newest.
        const lifecycleRole = new aws.iam.Role(
            `${name}-lifecycle`,
            {
                description: "EC2 Image Builder lifecycle policy of the api-cluster image: deletes superseded AMIs",
                // Only Image Builder acting for this account: no confused deputy from another account.
                assumeRolePolicy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "imagebuilder.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
                        },
                    ],
                }),
                tags,
            },
            { parent: this },
        );
        const lifecycleExecution = new aws.iam.RolePolicyAttachment(
            `${name}-lifecycle-execution`,
            {
                role: lifecycleRole.name,
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy`,
            },
            { parent: this },
        );
        new aws.imagebuilder.LifecyclePolicy(
            `${name}-lifecycle`,
            {
                name: imageBuilderName(name, "lifecycle"),
                description: `Deletes superseded AMIs of ${name} and their snapshots, keeping the newest ${retainedImageCount}`,
                executionRole: lifecycleRole.arn,
                resourceType: "AMI_IMAGE",
                // This component's images only: another stack's images carry another tag value.
                resourceSelection: { tagMap: selectionTag },
                policyDetails: [
                    {
                        action: { type: "DELETE", includeResources: { amis: true, snapshots: true } },
                        filter: { type: "COUNT", value: retainedImageCount },
                        // Never an AMI that launched an instance lately, nor one tagged to keep.
                        exclusionRules: {
                            amis: {
                                lastLaunched: { value: LAST_LAUNCHED_GRACE_DAYS, unit: "DAYS" },
                                tagMap: { [KEEP_TAG.key]: KEEP_TAG.value },
                            },
                        },
                    },
                ],
                tags,
            },
            { parent: this, dependsOn: [lifecycleExecution] },
        );

        this.imageId = image.outputResources.apply((resources) => {
            const ami = resources?.[0]?.amis?.[0]?.image;
            if (!ami) {
                throw new Error("ApiImage: the Image Builder image reported no AMI in outputResources[0].amis[0]");
            }
            return ami;
        });
        this.artifactBucketName = bucket.bucket;
        this.registerOutputs({
            imageId: this.imageId,
            artifactBucketName: this.artifactBucketName,
            componentVersion: this.componentVersion,
            recipeVersion: this.recipeVersion,
        });
    }
}

/**
 * Name of an Image Builder resource, which Image Builder requires and which must be unique in the
 * account and region: project, stack, component name and kind, in the characters Image Builder allows.
 */
function imageBuilderName(componentName: string, kind: string): string {
    const raw = `${pulumi.getProject()}-${pulumi.getStack()}-${componentName}-${kind}`;
    return raw.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 126);
}
