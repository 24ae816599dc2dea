/**
 * The offline AWS world: Pulumi mocks that answer every invoke this program makes with realistic,
 * deterministic values, and give every resource the computed outputs AWS would give it.
 *
 * The offline preview and the tests both use this module, so what the tests check is what the
 * preview prints. An invoke without an entry in `invokeMocks` fails and names its token.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { parseIpv4Cidr } from "../components/config/rules";

/**
 * Resource hooks under mocks. @pulumi/pulumi 3.270's MockMonitor has no `registerResourceHook`: a
 * hook's registration rejects with "this._monitor.registerResourceHook is not a function" (an
 * unhandled rejection that ends the process) and the resource bound to it never finishes
 * registering (pulumi/pulumi#20874). Hooks never run under mocks anyway
 * (there is no engine to call them back), so the stub accepts every hook and runs none; the hook
 * functions are tested on their own against a mocked AWS SDK client. Which hooks a resource
 * binds still shows: runUnderMocks records each registration's hook names.
 */
(MockMonitor.prototype as unknown as Record<string, unknown>).registerResourceHook = function registerResourceHook(
    _request: unknown,
    callback: (err: Error | null, response: object) => void,
): void {
    callback(null, {});
};

/** The fake account every offline run deploys into. */
export const OFFLINE_ACCOUNT_ID = "123456789012";

/** The role the offline deployer has assumed, as a CI job assumes its deploy role. */
export const OFFLINE_DEPLOYER_ROLE = "api-cluster-deploy";

/** Availability zone letters of the fake region; six, as us-east-1 has. */
const ZONE_LETTERS = ["a", "b", "c", "d", "e", "f"];

/** A deterministic hex string derived from `seed`, `length` characters long. */
export function fakeHex(seed: string, length = 17): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** A subnet the fake account knows: its VPC, zone and IPv4 block. */
export interface OfflineSubnet {
    /** The VPC it belongs to. */
    vpcId: string;
    /** The availability zone. */
    zone: string;
    /** The subnet's CIDR block. */
    cidrBlock: string;
}

/** Instance type families the fake region's fifth zone lacks, as us-east-1e lacks every t3 type. */
const FAMILIES_MISSING_FROM_FIFTH_ZONE = ["t3", "t3a"];

/** An IPv4 address as a dotted string. */
function dotted(address: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/**
 * The fake region's default VPC with one default subnet per availability zone, a VPC another team
 * owns (for `network: existing`) with a public and a private subnet in each of the first three
 * zones, and the subnets mocked VPCs create.
 */
export class OfflineAccount {
    /** Region the fake account lives in. */
    readonly region: string;
    /** Availability zone names, in order. */
    readonly zoneNames: string[];
    /** Id of the default VPC. */
    readonly defaultVpcId: string;
    /** Default subnet id for each availability zone, in zone order. */
    readonly defaultSubnetIds: string[];
    /** Id of the VPC another team owns, 10.99.0.0/16. */
    readonly sharedVpcId: string;
    /** Its public subnets in zones a, b and c. */
    readonly sharedPublicSubnetIds: string[];
    /** Its private subnets (behind NAT) in zones a, b and c. */
    readonly sharedPrivateSubnetIds: string[];
    /** Every subnet by id: the default ones and those a mocked VPC created. */
    private readonly subnets = new Map<string, OfflineSubnet>();

    constructor(region = "us-east-1") {
        this.region = region;
        this.zoneNames = ZONE_LETTERS.map((letter) => `${region}${letter}`);
        this.defaultVpcId = `vpc-${fakeHex(`default-vpc/${region}`)}`;
        this.defaultSubnetIds = this.zoneNames.map((zone, i) =>
            this.addSubnet(`subnet-${fakeHex(`default-subnet/${zone}`)}`, this.defaultVpcId, zone, `172.31.${i * 16}.0/20`),
        );
        this.sharedVpcId = `vpc-${fakeHex(`shared-vpc/${region}`)}`;
        const shared = (kind: string, third: number) =>
            this.zoneNames
                .slice(0, 3)
                .map((zone, i) =>
                    this.addSubnet(`subnet-${fakeHex(`shared-${kind}/${zone}`)}`, this.sharedVpcId, zone, `10.99.${third + i}.0/24`),
                );
        this.sharedPublicSubnetIds = shared("public", 0);
        this.sharedPrivateSubnetIds = shared("private", 10);
    }

    /** Records a subnet and returns its id. */
    addSubnet(id: string, vpcId: string, zone: string, cidrBlock: string): string {
        this.subnets.set(id, { vpcId, zone, cidrBlock });
        return id;
    }

    /** The zones that offer an instance type: all but the fifth for t3 and t3a types, as in us-east-1. */
    zonesOffering(instanceType: string): string[] {
        const family = instanceType.split(".")[0];
        return this.zoneNames.filter((_zone, i) => !(i === 4 && FAMILIES_MISSING_FROM_FIFTH_ZONE.includes(family)));
    }

    /** The subnet with this id; fails naming the id when the account has none. */
    subnet(subnetId: string): OfflineSubnet {
        const subnet = this.subnets.get(subnetId);
        if (!subnet) {
            throw new Error(`offline mocks: unknown subnet ${subnetId}`);
        }
        return subnet;
    }

    /** ARN of a resource in this account. */
    arn(service: string, resource: string): string {
        return `arn:aws:${service}:${this.region}:${OFFLINE_ACCOUNT_ID}:${resource}`;
    }
}

type Inputs = Record<string, any>;
type InvokeMock = (inputs: Inputs, account: OfflineAccount) => Inputs;
type OutputMock = (name: string, inputs: Inputs, account: OfflineAccount) => Inputs;

/** Every invoke the program may make, by token. */
export const invokeMocks: Record<string, InvokeMock> = {
    "aws:index/getPartition:getPartition": () => ({
        id: "aws",
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
    }),
    "aws:index/getRegion:getRegion": (_inputs, account) => ({
        id: account.region,
        name: account.region,
        region: account.region,
        endpoint: `ec2.${account.region}.amazonaws.com`,
        description: account.region,
    }),
    // The deployer: an assumed role, as a CI job's OIDC session is.
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: OFFLINE_ACCOUNT_ID,
        accountId: OFFLINE_ACCOUNT_ID,
        arn: `arn:aws:sts::${OFFLINE_ACCOUNT_ID}:assumed-role/${OFFLINE_DEPLOYER_ROLE}/offline-preview`,
        userId: "AROAOFFLINEDEPLOYER:offline-preview",
    }),
    "aws:iam/getSessionContext:getSessionContext": (inputs) => {
        const assumed = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(String(inputs.arn));
        if (!assumed) {
            return { id: inputs.arn, arn: inputs.arn, issuerArn: inputs.arn, issuerId: "", issuerName: "", sessionName: "" };
        }
        return {
            id: inputs.arn,
            arn: inputs.arn,
            issuerArn: `arn:aws:iam::${assumed[1]}:role/${assumed[2]}`,
            issuerId: "AROAOFFLINEDEPLOYER",
            issuerName: assumed[2],
            sessionName: assumed[3],
        };
    },
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, account) => ({
        id: account.region,
        names: account.zoneNames,
        zoneIds: account.zoneNames.map((_zone, i) => `use1-az${i + 1}`),
        groupNames: [account.region],
        state: "available",
    }),
    "aws:ec2/getVpc:getVpc": (inputs, account) => {
        if (inputs.default !== true) {
            throw new Error("offline mocks: aws:ec2/getVpc:getVpc only knows the default VPC ({ default: true })");
        }
        return {
            id: account.defaultVpcId,
            arn: account.arn("ec2", `vpc/${account.defaultVpcId}`),
            cidrBlock: "172.31.0.0/16",
            default: true,
            state: "available",
        };
    },
    "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": (inputs, account) => {
        const filter = (inputs.filters ?? []) as { name: string; values: string[] }[];
        const types = filter.find((f) => f.name === "instance-type")?.values;
        if (inputs.locationType !== "availability-zone" || !types || filter.length !== 1) {
            throw new Error(
                `offline mocks: getInstanceTypeOfferings knows only locationType availability-zone with one instance-type filter; got ${JSON.stringify(inputs)}`,
            );
        }
        const offerings = types.flatMap((type) => account.zonesOffering(type).map((zone) => ({ type, zone })));
        return {
            id: account.region,
            instanceTypes: offerings.map((offering) => offering.type),
            locations: offerings.map((offering) => offering.zone),
            locationTypes: offerings.map(() => "availability-zone"),
            region: account.region,
        };
    },
    "aws:ec2/getSubnet:getSubnet": (inputs, account) => {
        if (typeof inputs.id === "string") {
            const subnet = account.subnet(inputs.id);
            return {
                id: inputs.id,
                arn: account.arn("ec2", `subnet/${inputs.id}`),
                availabilityZone: subnet.zone,
                cidrBlock: subnet.cidrBlock,
                defaultForAz: subnet.vpcId === account.defaultVpcId,
                mapPublicIpOnLaunch: subnet.vpcId === account.defaultVpcId,
                vpcId: subnet.vpcId,
            };
        }
        const index =
            inputs.defaultForAz === true && inputs.vpcId === account.defaultVpcId ? account.zoneNames.indexOf(inputs.availabilityZone) : -1;
        if (index < 0) {
            throw new Error(
                `offline mocks: aws:ec2/getSubnet:getSubnet knows subnets by id, or default subnets by zone; got ${JSON.stringify(inputs)}`,
            );
        }
        const id = account.defaultSubnetIds[index];
        return {
            id,
            arn: account.arn("ec2", `subnet/${id}`),
            availabilityZone: account.zoneNames[index],
            cidrBlock: account.subnet(id).cidrBlock,
            defaultForAz: true,
            mapPublicIpOnLaunch: true,
            vpcId: account.defaultVpcId,
        };
    },
};

/** The physical name Pulumi's auto-naming gives: the logical name, a dash and 7 random hex digits. */
export function autoName(logicalName: string): string {
    return `${logicalName}-${fakeHex(`autoname/${logicalName}`, 7)}`;
}

/** A private IPv4 address inside a subnet, past the 4 addresses AWS reserves at its start, derived from the resource name. */
function fakePrivateIp(cidrBlock: string, name: string): string {
    const cidr = parseIpv4Cidr(cidrBlock);
    if (!cidr) {
        throw new Error(`offline mocks: ${cidrBlock} is not a CIDR block`);
    }
    const usable = 2 ** (32 - cidr.prefix) - 5;
    return dotted(cidr.address + 4 + (parseInt(fakeHex(name, 6), 16) % usable));
}

/** One subnet spec of an awsx VPC, as its inputs give it. */
interface AwsxSubnetSpec {
    type: string;
    name?: string;
    cidrMask?: number;
}

/**
 * awsx's "Auto" subnet allocation (awsx/ec2/subnetDistributorNew.ts): zone i gets the i-th block of
 * `availabilityZoneCidrMask` (by default the VPC's prefix plus the bits the zone count needs), and
 * each spec in turn gets the next block of its mask inside it (by default an equal share).
 */
export function awsxAutoLayout(vpcCidr: string, zoneCount: number, zoneMask: number | undefined, specs: AwsxSubnetSpec[]): string[][] {
    const vpc = parseIpv4Cidr(vpcCidr);
    if (!vpc) {
        throw new Error(`offline mocks: ${vpcCidr} is not a CIDR block`);
    }
    const bits = (count: number) => (count <= 1 ? 0 : Math.ceil(Math.log2(count)));
    const azMask = zoneMask ?? vpc.prefix + bits(zoneCount);
    const defaultMask = azMask + bits(specs.length);
    return Array.from({ length: zoneCount }, (_unused, zone) => {
        let cursor = vpc.address + zone * 2 ** (32 - azMask);
        return specs.map((spec) => {
            const mask = spec.cidrMask ?? defaultMask;
            const size = 2 ** (32 - mask);
            cursor = Math.ceil(cursor / size) * size;
            const block = `${dotted(cursor)}/${mask}`;
            cursor += size;
            return block;
        });
    });
}

/** Computed outputs AWS gives a resource of each type, on top of its inputs. */
export const outputMocks: Record<string, OutputMock> = {
    "aws:ec2/securityGroup:SecurityGroup": (name, _inputs, account) => {
        const id = `sg-${fakeHex(name)}`;
        return { id, arn: account.arn("ec2", `security-group/${id}`), ownerId: OFFLINE_ACCOUNT_ID };
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (name) => ({ id: `sgr-${fakeHex(name)}` }),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (name) => ({ id: `sgr-${fakeHex(name)}` }),
    // A tag on any EC2 resource: the provider's id is the resource id and the key, comma-separated.
    "aws:ec2/tag:Tag": (_name, inputs) => ({ id: `${inputs.resourceId},${inputs.key}` }),
    "aws:ec2/instance:Instance": (name, inputs, account) => {
        const id = `i-${fakeHex(name)}`;
        const subnet = account.subnet(inputs.subnetId);
        const privateIp = fakePrivateIp(subnet.cidrBlock, name);
        return {
            id,
            arn: account.arn("ec2", `instance/${id}`),
            availabilityZone: subnet.zone,
            privateIp,
            privateDns: `ip-${privateIp.replace(/\./g, "-")}.ec2.internal`,
            instanceState: "running",
        };
    },
    "aws:lb/loadBalancer:LoadBalancer": (name, inputs, account) => {
        const lbName = inputs.name ?? autoName(name);
        const suffix = fakeHex(`lb/${name}`, 16);
        const arn = account.arn("elasticloadbalancing", `loadbalancer/app/${lbName}/${suffix}`);
        return {
            id: arn,
            arn,
            arnSuffix: `app/${lbName}/${suffix}`,
            name: lbName,
            dnsName: `${lbName}-${parseInt(fakeHex(name, 8), 16)}.${account.region}.elb.amazonaws.com`,
            zoneId: "Z35SXDOTRQ7X7K",
        };
    },
    "aws:lb/targetGroup:TargetGroup": (name, inputs, account) => {
        const tgName = inputs.name ?? autoName(name);
        const arn = account.arn("elasticloadbalancing", `targetgroup/${tgName}/${fakeHex(`tg/${name}`, 16)}`);
        return { id: arn, arn, arnSuffix: arn.split(":").pop(), name: tgName };
    },
    "aws:lb/listener:Listener": (name, _inputs, account) => {
        const arn = account.arn("elasticloadbalancing", `listener/app/${name}/${fakeHex(`listener/${name}`, 16)}`);
        return { id: arn, arn };
    },
    // The autoscaling fleet (components/fleet): a template's first version is 1; a group autonames.
    "aws:ec2/launchTemplate:LaunchTemplate": (name, _inputs, account) => {
        const id = `lt-${fakeHex(name)}`;
        return { id, arn: account.arn("ec2", `launch-template/${id}`), latestVersion: 1, defaultVersion: 1, name: autoName(name) };
    },
    "aws:autoscaling/group:Group": (name, inputs, account) => {
        const groupName: string = inputs.name ?? autoName(name);
        return {
            id: groupName,
            name: groupName,
            arn: account.arn(
                "autoscaling",
                `autoScalingGroup:${fakeHex(`asg/${name}`, 8)}-0000-4000-8000-${fakeHex(`asg-id/${name}`, 12)}:autoScalingGroupName/${groupName}`,
            ),
            availabilityZones: (inputs.vpcZoneIdentifiers as string[]).map((subnetId) => account.subnet(subnetId).zone),
            serviceLinkedRoleArn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
        };
    },
    "aws:autoscaling/policy:Policy": (name, inputs, account) => ({
        id: name,
        name,
        arn: account.arn(
            "autoscaling",
            `scalingPolicy:${fakeHex(`policy/${name}`, 8)}:autoScalingGroupName/${inputs.autoscalingGroupName}:policyName/${name}`,
        ),
    }),
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": (name) => ({
        id: `attachment-${fakeHex(name, 12)}`,
    }),
    "awsx:ec2:Vpc": (name, inputs, account) => {
        // awsx's Auto strategy with explicit subnet specs, the only way this program uses it.
        if (inputs.subnetStrategy !== "Auto" || !Array.isArray(inputs.subnetSpecs)) {
            throw new Error(
                `offline mocks: awsx:ec2:Vpc is mocked for subnetStrategy Auto with subnetSpecs only; got ${JSON.stringify(inputs)}`,
            );
        }
        if (inputs.availabilityZoneNames !== undefined && inputs.numberOfAvailabilityZones !== undefined) {
            throw new Error("Only one of [availabilityZoneNames] and [numberOfAvailabilityZones] can be specified");
        }
        const zones: string[] = inputs.availabilityZoneNames ?? account.zoneNames.slice(0, inputs.numberOfAvailabilityZones ?? 3);
        const specs = inputs.subnetSpecs as AwsxSubnetSpec[];
        const layout = awsxAutoLayout(inputs.cidrBlock ?? "10.0.0.0/16", zones.length, inputs.availabilityZoneCidrMask, specs);
        const vpcId = `vpc-${fakeHex(name)}`;
        const subnetIds = (type: string) =>
            zones.map((zone, i) => {
                const spec = specs.findIndex((candidate) => candidate.type === type);
                return account.addSubnet(`subnet-${fakeHex(`${name}/${type}/${i + 1}`)}`, vpcId, zone, layout[i][spec]);
            });
        return { vpcId, privateSubnetIds: subnetIds("Private"), publicSubnetIds: subnetIds("Public") };
    },
    "random:index/randomPassword:RandomPassword": (name) => ({
        id: "none",
        result: `offline-${fakeHex(`password/${name}`, 24)}`,
    }),
    // Artifact bucket of the image bake (components/image): S3 autonames a bucket from its logical name.
    "aws:s3/bucket:Bucket": (name, inputs, account) => {
        const bucket: string = inputs.bucket ?? `${inputs.bucketPrefix ?? name}-${fakeHex(`bucket/${name}`, 7)}`;
        return {
            id: bucket,
            bucket,
            arn: `arn:aws:s3:::${bucket}`,
            bucketDomainName: `${bucket}.s3.amazonaws.com`,
            bucketRegionalDomainName: `${bucket}.s3.${account.region}.amazonaws.com`,
            hostedZoneId: "Z3AQBSTGFYJSTF",
            region: account.region,
        };
    },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (_name, inputs) => ({ id: inputs.bucket }),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (_name, inputs) => ({
        id: inputs.bucket,
    }),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (_name, inputs) => ({ id: inputs.bucket }),
    "aws:s3/bucketPolicy:BucketPolicy": (_name, inputs) => ({ id: inputs.bucket }),
    "aws:s3/bucketObjectv2:BucketObjectv2": (name, inputs) => ({
        id: `${inputs.bucket}/${inputs.key}`,
        arn: `arn:aws:s3:::${inputs.bucket}/${inputs.key}`,
        etag: fakeHex(`etag/${name}/${inputs.key}`, 32),
        versionId: "",
        storageClass: "STANDARD",
        serverSideEncryption: "AES256",
    }),
    // IAM: roles and instance profiles autoname from their logical names.
    "aws:iam/role:Role": (name, inputs) => {
        const roleName: string = inputs.name ?? `${name}-${fakeHex(`role/${name}`, 7)}`;
        return {
            id: roleName,
            name: roleName,
            arn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:role/${roleName}`,
            uniqueId: `AROA${fakeHex(`role-id/${name}`, 17).toUpperCase()}`,
            createDate: "2025-01-01T00:00:00Z",
        };
    },
    "aws:iam/rolePolicy:RolePolicy": (name, inputs) => {
        const policyName: string = inputs.name ?? `${name}-${fakeHex(`role-policy/${name}`, 7)}`;
        return { id: `${inputs.role}:${policyName}`, name: policyName };
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (name, inputs) => ({
        id: `${inputs.role}-${fakeHex(`attachment/${name}`, 8)}`,
    }),
    "aws:iam/instanceProfile:InstanceProfile": (name, inputs) => {
        const profileName: string = inputs.name ?? `${name}-${fakeHex(`instance-profile/${name}`, 7)}`;
        return {
            id: profileName,
            name: profileName,
            arn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:instance-profile/${profileName}`,
            uniqueId: `AIPA${fakeHex(`instance-profile-id/${name}`, 17).toUpperCase()}`,
            createDate: "2025-01-01T00:00:00Z",
        };
    },
    // The admin password's KMS key (components/credentials): a key id is a UUID.
    "aws:kms/key:Key": (name, _inputs, account) => {
        const hex = fakeHex(`kms-key/${name}`, 32);
        const keyId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
        return { id: keyId, keyId, arn: account.arn("kms", `key/${keyId}`), keyUsage: "ENCRYPT_DECRYPT", multiRegion: false };
    },
    // The admin password's SecureString (components/credentials); a path name gives parameter/<path>.
    "aws:ssm/parameter:Parameter": (name, inputs, account) => {
        const parameterName: string = inputs.name ?? name;
        const path = parameterName.startsWith("/") ? parameterName : `/${parameterName}`;
        return {
            id: parameterName,
            name: parameterName,
            arn: account.arn("ssm", `parameter${path}`),
            version: 1,
            tier: inputs.tier ?? "Standard",
            dataType: inputs.dataType ?? "text",
            keyId: inputs.keyId ?? "alias/aws/ssm",
        };
    },
    // EC2 Image Builder (components/image): ARNs carry the lower-cased name and the version.
    "aws:imagebuilder/component:Component": (_name, inputs, account) => {
        const arn = account.arn("imagebuilder", `component/${String(inputs.name).toLowerCase()}/${inputs.version}/1`);
        return {
            id: arn,
            arn,
            dateCreated: "2025-01-01T00:00:00.000Z",
            encrypted: true,
            owner: OFFLINE_ACCOUNT_ID,
            type: "BUILD",
        };
    },
    "aws:imagebuilder/imageRecipe:ImageRecipe": (_name, inputs, account) => {
        const arn = account.arn("imagebuilder", `image-recipe/${String(inputs.name).toLowerCase()}/${inputs.version}`);
        return { id: arn, arn, dateCreated: "2025-01-01T00:00:00.000Z", owner: OFFLINE_ACCOUNT_ID, platform: "Linux" };
    },
    "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration": (_name, inputs, account) => {
        const arn = account.arn("imagebuilder", `infrastructure-configuration/${String(inputs.name).toLowerCase()}`);
        return { id: arn, arn, dateCreated: "2025-01-01T00:00:00.000Z" };
    },
    "aws:imagebuilder/lifecyclePolicy:LifecyclePolicy": (_name, inputs, account) => {
        const arn = account.arn("imagebuilder", `lifecycle-policy/${String(inputs.name).toLowerCase()}`);
        return { id: arn, arn, status: inputs.status ?? "ENABLED" };
    },
    "aws:imagebuilder/image:Image": (name, inputs, account) => {
        const recipe = /image-recipe\/([^/]+)\/([^/]+)$/.exec(String(inputs.imageRecipeArn ?? ""));
        const imageName = recipe?.[1] ?? name;
        const version = recipe?.[2] ?? "1.0.0";
        const arn = account.arn("imagebuilder", `image/${imageName}/${version}/1`);
        return {
            id: arn,
            arn,
            name: imageName,
            version,
            platform: "Linux",
            osVersion: "Amazon Linux 2023",
            dateCreated: "2025-01-01T00:00:00.000Z",
            executionRole: "",
            outputResources: [
                {
                    amis: [
                        {
                            accountId: OFFLINE_ACCOUNT_ID,
                            description: `${imageName} ${version}`,
                            image: `ami-${fakeHex(`ami/${name}/${version}`)}`,
                            name: `${imageName} ${version}/1`,
                            region: account.region,
                        },
                    ],
                    containers: [],
                },
            ],
        };
    },
};

/** One resource as the program registered it, in registration order. */
export interface RegisteredResource {
    /** The resource's URN. */
    urn: string;
    /** The resource's type token. */
    type: string;
    /** The resource's logical name. */
    name: string;
    /** The parent's URN; unset for the stack itself. */
    parent?: string;
    /** Whether a provider manages the resource (false for components). */
    custom: boolean;
    /** Inputs as registered; secret values are kept wrapped so callers can show them as secret. */
    inputs: Inputs;
    /** State the mocks returned: the inputs plus computed outputs such as `arn`; secrets wrapped likewise. */
    outputs: Inputs;
    /** URNs of the resources this one depends on. */
    dependencies: string[];
    /** URNs each input property depends on. */
    propertyDependencies: Record<string, string[]>;
    /** Whether `pulumi destroy` (or a replacement) leaves the cloud resource in place. */
    retainOnDelete: boolean;
    /** Input properties whose changes Pulumi ignores (the `ignoreChanges` option). */
    ignoreChanges: string[];
    /** Names of the resource hooks bound to it, by when they run (hooks never run under mocks). */
    hooks: RegisteredHooks;
    /** The aliases the resource was registered with: earlier identities the engine may find it under. */
    aliases: RegisteredAlias[];
}

/** One alias of a registered resource: a full URN, or the parts of its identity that differ. */
export interface RegisteredAlias {
    /** The alias as a whole URN. */
    urn?: string;
    /** An earlier logical name. */
    name?: string;
    /** An earlier type token. */
    type?: string;
    /** An earlier parent's URN. */
    parentUrn?: string;
    /** The resource had no parent. */
    noParent?: boolean;
}

/** Names of the resource hooks bound to one resource. */
export interface RegisteredHooks {
    /** Hooks that run after the resource is created. */
    afterCreate: string[];
    /** Hooks that run after the resource is deleted. */
    afterDelete: string[];
}

/**
 * Pulumi mocks for the offline AWS world. `resources` fills as the program registers resources,
 * including component resources and the stack, with each one's parent.
 */
export class OfflineMocks implements pulumi.runtime.Mocks {
    /** The fake account's region, VPC and subnets. */
    readonly account: OfflineAccount;
    /** Resources in registration order. */
    readonly resources: RegisteredResource[] = [];

    constructor(region = "us-east-1") {
        this.account = new OfflineAccount(region);
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Inputs } {
        const computed = outputMocks[args.type]?.(args.name, args.inputs, this.account) ?? {};
        const id = computed.id ?? (args.custom === false ? undefined : `${args.name}-${fakeHex(args.name, 8)}`);
        return { id, state: { ...args.inputs, ...computed } };
    }

    call(args: pulumi.runtime.MockCallArgs): Inputs {
        try {
            const mock = invokeMocks[args.token];
            if (!mock) {
                throw new Error(`offline mocks: no mock for invoke ${args.token}; add one to preview/mocks.ts`);
            }
            return mock(args.inputs, this.account);
        } catch (err) {
            // The SDK shows an invoke's failure through `details`, as the engine's gRPC errors carry it.
            throw Object.assign(err instanceof Error ? err : new Error(String(err)), { details: String((err as Error).message ?? err) });
        }
    }
}
