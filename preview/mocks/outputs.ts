/** The computed-output mocks: what AWS gives a resource of each type on top of its inputs, in the fake account. */
import { parseIpv4Cidr } from "../../components/config/rules";
import { OFFLINE_ACCOUNT_ID } from "./account";
import { AwsxSubnetSpec, awsxAutoLayout, awsxRouteReference } from "./awsxVpc";
import { autoName, dotted, fakeHex } from "./fakeValues";
import type { OutputMock } from "./mockTypes";
import { monitoringOutputMocks } from "./monitoring";
import { tlsOutputMocks } from "./tls";

/** A private IPv4 address inside a subnet, past the 4 addresses AWS reserves at its start, derived from the resource name. */
function fakePrivateIp(cidrBlock: string, name: string): string {
    const cidr = parseIpv4Cidr(cidrBlock);
    if (!cidr) {
        throw new Error(`offline mocks: ${cidrBlock} is not a CIDR block`);
    }
    const usable = 2 ** (32 - cidr.prefix) - 5;
    return dotted(cidr.address + 4 + (parseInt(fakeHex(name, 6), 16) % usable));
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
        const routes = zones.flatMap((_zone, i) =>
            specs.map((spec) => awsxRouteReference(`${name}-${spec.name ?? spec.type.toLowerCase()}-${i + 1}`)),
        );
        return { vpcId, privateSubnetIds: subnetIds("Private"), publicSubnetIds: subnetIds("Public"), routes };
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
    ...tlsOutputMocks,
    ...monitoringOutputMocks,
};
