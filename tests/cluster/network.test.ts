import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { ApiCluster, ApiClusterArgs } from "../../components/apiCluster";
import { SettingsError } from "../../components/config/validate";
import { existingNetworkProblems, instanceEgressProblem } from "../../components/network";
import { withoutSerializationChain } from "../../preview/cli";
import { OfflineAccount, OfflineMocks, RegisteredResource, awsxAutoLayout, fakeHex } from "../../preview/mocks";
import { runUnderMocks } from "../../preview/runUnderMocks";
import { countByType, named, ofType, onlyOfType } from "../support/resources";

const account = new OfflineAccount("us-east-1");
const AMI = "ami-0123456789abcdef0";

/**
 * The fake account of the run in progress: runUnderMocks installs its OfflineMocks through
 * pulumi.runtime.setMocks, whose MockMonitor keeps them as `mocks` (@pulumi/pulumi 3.270,
 * runtime/mocks.js). A test changes the account from inside its program, before the cluster.
 */
function mocksInUse(): OfflineMocks {
    return (settings.getMonitor() as unknown as { mocks: OfflineMocks }).mocks;
}

/** The fake account of the run in progress (see mocksInUse). */
function accountInUse(): OfflineAccount {
    return mocksInUse().account;
}

/** A private subnet of the shared VPC in zone e (which lacks t3 types), behind a NAT gateway; returns its id. */
function privateSubnetInZoneE(world: OfflineAccount): string {
    const id = world.addSubnet(`subnet-${fakeHex("test-private/us-east-1e")}`, world.sharedVpcId, "us-east-1e", "10.99.20.0/24");
    world.addRouteTable(`rtb-${fakeHex("test-private/us-east-1e")}`, {
        vpcId: world.sharedVpcId,
        main: false,
        subnetIds: [id],
        defaultRoute: { field: "natGatewayId", id: `nat-${fakeHex("test-nat/us-east-1e")}` },
    });
    return id;
}

/** Builds one cluster named "api" under the offline mocks; `prepare` may first change the fake account or the recorded state. */
function build(args: ApiClusterArgs, prepare: (world: OfflineAccount, mocks: OfflineMocks) => void = () => undefined) {
    return runUnderMocks(
        () => {
            prepare(accountInUse(), mocksInUse());
            const cluster = new ApiCluster("api", args);
            return { instances: cluster.instances, albSecurityGroupId: cluster.albSecurityGroupId };
        },
        { stack: "dev", config: { "aws:region": "us-east-1" } },
    );
}

/** The message of the deploy-time failure a build ends with; fails when it succeeds. */
async function deployFailure(args: ApiClusterArgs, prepare?: (world: OfflineAccount, mocks: OfflineMocks) => void): Promise<string> {
    try {
        await build(args, prepare);
    } catch (err) {
        assert.ok(err instanceof pulumi.RunError, `expected a RunError; got ${String(err)}`);
        return err.message;
    }
    assert.fail("expected the deployment to fail");
}

/** The problems of a construction that must fail validation. */
async function validationProblems(args: ApiClusterArgs): Promise<string[]> {
    let error: unknown;
    await runUnderMocks(() => {
        try {
            new ApiCluster("api", args);
        } catch (err) {
            error = err;
        }
        return {};
    });
    assert.ok(error instanceof SettingsError, `expected a SettingsError; got ${String(error)}`);
    return error.problems;
}

/** Each subnet's zone and CIDR block in the fake account, by subnet id. */
function subnetBlocks(mocksAccount: OfflineAccount, ids: string[]): string[] {
    return ids.map((id) => `${mocksAccount.subnet(id).zone} ${mocksAccount.subnet(id).cidrBlock}`);
}

/** The dedicated VPC's public and private subnets, zone and block each. */
function dedicatedLayout(run: { resources: RegisteredResource[]; mocks: { account: OfflineAccount } }) {
    const vpc = onlyOfType(run.resources, "awsx:ec2:Vpc").outputs as { publicSubnetIds: string[]; privateSubnetIds: string[] };
    return { public: subnetBlocks(run.mocks.account, vpc.publicSubnetIds), private: subnetBlocks(run.mocks.account, vpc.privateSubnetIds) };
}

describe("the cluster's network", () => {
    describe("zones that offer the instance type", () => {
        it("skips the zone that lacks t3 types, as us-east-1e does", async () => {
            const { outputs } = await build({ amiId: AMI, instanceCount: 5, availabilityZoneCount: 5 });
            assert.deepStrictEqual(
                outputs.instances.map((instance) => instance.availabilityZone),
                ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1f"],
            );
        });

        it("uses all six zones for a type every zone offers", async () => {
            const { outputs } = await build({ amiId: AMI, instanceType: "m7i.large", instanceCount: 6, availabilityZoneCount: 6 });
            assert.deepStrictEqual(
                outputs.instances.map((instance) => instance.availabilityZone),
                account.zoneNames,
            );
        });

        it("fails naming instanceType and availabilityZoneCount when too few zones offer the type", async () => {
            const message = await deployFailure({ amiId: AMI, availabilityZoneCount: 6 });
            assert.match(
                message,
                /api-cluster:availabilityZoneCount asks for 6 availability zones, but only 5 zones of the region offer api-cluster:instanceType t3\.micro \(us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f\); lower availabilityZoneCount or choose another instanceType$/,
            );
        });

        it("gives a dedicated VPC the zones that offer the type", async () => {
            const { resources } = await build({ amiId: AMI, network: "dedicated", availabilityZoneCount: 5, instanceCount: 5 });
            assert.deepStrictEqual(onlyOfType(resources, "awsx:ec2:Vpc").inputs.availabilityZoneNames, [
                "us-east-1a",
                "us-east-1b",
                "us-east-1c",
                "us-east-1d",
                "us-east-1f",
            ]);
        });
    });

    describe("zones chosen once", () => {
        // The engine keeps a Stash's output on every update whatever its new input (pulumi
        // pkg/resource/deploy/builtins.go: Create copies `input` to `output`, Update keeps the old
        // `output`, Diff reports a changed `input` as an update); a replacement (`pulumi up
        // --replace`) creates it afresh. Under mocks every run creates it, unless the test records
        // an earlier output in OfflineMocks.recordedStashes, which the mock then keeps, as Update does.
        const zonesOf = (outputs: { instances: { availabilityZone: string }[] }) =>
            outputs.instances.map((instance) => instance.availabilityZone);
        const allZones = account.zoneNames;

        it("records the region's available zones once, in a Stash, and runs in the first that offer the type", async () => {
            const { resources, outputs } = await build({ amiId: AMI, instanceCount: 3, availabilityZoneCount: 3 });
            const record = onlyOfType(resources, "pulumi:index:Stash");
            assert.deepStrictEqual(
                [record.name, record.inputs, record.outputs],
                ["api-zones", { input: allZones }, { input: allZones, output: allZones }],
            );
            assert.deepStrictEqual(zonesOf(outputs), ["us-east-1a", "us-east-1b", "us-east-1c"]);
        });

        it("keeps the instances and the dedicated VPC's subnets in the recorded zones when one of them turns impaired", async () => {
            const impairedLater = (world: OfflineAccount, mocks: OfflineMocks) => {
                world.impairedZones = ["us-east-1a"];
                mocks.recordedStashes.set("api-zones", allZones);
            };
            const { outputs } = await build({ amiId: AMI, instanceCount: 2 }, impairedLater);
            assert.deepStrictEqual(zonesOf(outputs), ["us-east-1a", "us-east-1b"]);
            const { resources } = await build({ amiId: AMI, network: "dedicated", instanceType: "m7i.large" }, impairedLater);
            assert.deepStrictEqual(onlyOfType(resources, "awsx:ec2:Vpc").inputs.availabilityZoneNames, ["us-east-1a", "us-east-1b"]);
            assert.deepStrictEqual(onlyOfType(resources, "pulumi:index:Stash").inputs.input, allZones.slice(1));
        });

        it("leaves an impaired zone out of a first deployment's record", async () => {
            const { resources, outputs } = await build({ amiId: AMI, instanceCount: 2 }, (world) => {
                world.impairedZones = ["us-east-1a"];
            });
            assert.deepStrictEqual(onlyOfType(resources, "pulumi:index:Stash").outputs.output, allZones.slice(1));
            assert.deepStrictEqual(zonesOf(outputs), ["us-east-1b", "us-east-1c"]);
        });

        it("takes more of the recorded zones when availabilityZoneCount grows, and skips those without the instance type", async () => {
            const { outputs } = await build({ amiId: AMI, instanceCount: 5, availabilityZoneCount: 5 }, (world, mocks) => {
                world.impairedZones = ["us-east-1b"];
                mocks.recordedStashes.set("api-zones", allZones);
            });
            assert.deepStrictEqual(zonesOf(outputs), ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1f"]);
        });

        it("runs in availabilityZones when they are given, in their order, with no record", async () => {
            const { resources } = await build({
                amiId: AMI,
                network: "dedicated",
                availabilityZones: ["us-east-1c", "us-east-1a"],
            });
            assert.deepStrictEqual(onlyOfType(resources, "awsx:ec2:Vpc").inputs.availabilityZoneNames, ["us-east-1c", "us-east-1a"]);
            assert.strictEqual(ofType(resources, "pulumi:index:Stash").length, 0);
            const { outputs } = await build({ amiId: AMI, availabilityZones: ["us-east-1d", "us-east-1b"] }, (world) => {
                world.impairedZones = ["us-east-1d"];
            });
            assert.deepStrictEqual(zonesOf(outputs), ["us-east-1d", "us-east-1b"]);
        });

        it("fails at deploy time, one line each, for a given zone the region lacks or one without the instance type", async () => {
            const message = await deployFailure({ amiId: AMI, availabilityZones: ["us-east-1g", "us-east-1e"] });
            assert.strictEqual(
                withoutSerializationChain(message),
                [
                    "api-cluster:availabilityZones[0] us-east-1g is not a zone of the region (us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f)",
                    "api-cluster:availabilityZones[1] us-east-1e does not offer api-cluster:instanceType t3.micro",
                ].join("\n"),
            );
        });

        it("refuses, before registering anything, given zones that do not match the count, repeat, mix regions or are no zone names", async () => {
            assert.deepStrictEqual(
                await validationProblems({ availabilityZones: ["us-east-1a", "us-east-1a", "us-west-2b"], availabilityZoneCount: 3 }),
                [
                    'ApiClusterArgs.availabilityZones[1] repeats availabilityZones[0]; each zone may appear once; got "us-east-1a"',
                    'ApiClusterArgs.availabilityZones[2] must be in the region of availabilityZones[0] (us-east-1); got "us-west-2b"',
                ],
            );
            assert.deepStrictEqual(await validationProblems({ availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] }), [
                "ApiClusterArgs.availabilityZones must list exactly availabilityZoneCount (2) zones; got 3",
            ]);
            assert.deepStrictEqual(await validationProblems({ availabilityZones: ["us-east-1a", "use1-az1"] }), [
                'ApiClusterArgs.availabilityZones[1] must be an availability zone name such as us-east-1a; got "use1-az1"',
            ]);
            assert.deepStrictEqual(
                await validationProblems({
                    availabilityZones: ["us-east-1a", "us-east-1b"],
                    network: "existing",
                    existingNetwork: {
                        vpcId: account.sharedVpcId,
                        loadBalancerSubnetIds: account.sharedPublicSubnetIds,
                        instanceSubnetIds: account.sharedPrivateSubnetIds,
                    },
                }),
                [
                    'ApiClusterArgs.availabilityZones is only used with network default-vpc or dedicated; with existing, its subnets decide the zones; got ["us-east-1a","us-east-1b"]',
                ],
            );
        });
    });

    describe("the dedicated VPC's address plan", () => {
        const dedicated = (availabilityZoneCount: number, vpcCidr = "10.20.0.0/16"): ApiClusterArgs => ({
            amiId: AMI,
            network: "dedicated",
            vpcCidr,
            availabilityZoneCount,
            instanceType: "m7i.large",
        });

        it("gives each zone an eighth of the VPC, halved into a public and a private subnet", async () => {
            const run = await build(dedicated(3));
            assert.deepStrictEqual(dedicatedLayout(run), {
                public: ["us-east-1a 10.20.0.0/20", "us-east-1b 10.20.32.0/20", "us-east-1c 10.20.64.0/20"],
                private: ["us-east-1a 10.20.16.0/20", "us-east-1b 10.20.48.0/20", "us-east-1c 10.20.80.0/20"],
            });
        });

        it("keeps every zone's subnets where they were when zones are added across a power of two (2 to 3, 4 to 5, up to 6)", async () => {
            const layouts: ReturnType<typeof dedicatedLayout>[] = [];
            for (const zones of [2, 3, 4, 5, 6]) {
                layouts.push(dedicatedLayout(await build(dedicated(zones))));
            }
            for (let i = 1; i < layouts.length; i++) {
                const previous = layouts[i - 1];
                assert.deepStrictEqual(layouts[i].public.slice(0, previous.public.length), previous.public);
                assert.deepStrictEqual(layouts[i].private.slice(0, previous.private.length), previous.private);
            }
            assert.deepStrictEqual(layouts[4].public.slice(4), ["us-east-1e 10.20.128.0/20", "us-east-1f 10.20.160.0/20"]);
        });

        it("would have moved them without the zone mask: awsx sizes zone blocks from the zone count (pulumi-awsx#520)", () => {
            const specs = [
                { type: "Public", cidrMask: undefined },
                { type: "Private", cidrMask: undefined },
            ];
            assert.deepStrictEqual(awsxAutoLayout("10.20.0.0/16", 2, undefined, specs)[1], ["10.20.128.0/18", "10.20.192.0/18"]);
            assert.deepStrictEqual(awsxAutoLayout("10.20.0.0/16", 3, undefined, specs)[1], ["10.20.64.0/19", "10.20.96.0/19"]);
        });

        it("gives /27 subnets, the smallest a load balancer takes, in the smallest VPC allowed (/23)", async () => {
            const run = await build(dedicated(6, "10.20.0.0/23"));
            const vpc = onlyOfType(run.resources, "awsx:ec2:Vpc");
            assert.strictEqual(vpc.inputs.availabilityZoneCidrMask, 26);
            assert.deepStrictEqual(
                vpc.inputs.subnetSpecs.map((spec: { cidrMask: number }) => spec.cidrMask),
                [27, 27],
            );
            assert.deepStrictEqual(dedicatedLayout(run).public, [
                "us-east-1a 10.20.0.0/27",
                "us-east-1b 10.20.0.64/27",
                "us-east-1c 10.20.0.128/27",
                "us-east-1d 10.20.0.192/27",
                "us-east-1e 10.20.1.0/27",
                "us-east-1f 10.20.1.64/27",
            ]);
        });

        it("refuses a vpcCidr too small for /27 subnets, naming the key and the allowed range", async () => {
            assert.deepStrictEqual(await validationProblems({ ...dedicated(2), vpcCidr: "10.20.0.0/24" }), [
                'ApiClusterArgs.vpcCidr must be an IPv4 CIDR block from /16 to /23, such as 10.0.0.0/16: each zone gets an eighth of the block, halved into two subnets, and a load balancer subnet needs at least a /27 (a /24 would give /28 subnets); got "10.20.0.0/24"',
            ]);
            assert.deepStrictEqual(await validationProblems({ ...dedicated(2), vpcCidr: "10.0.0.0/15" }), [
                'ApiClusterArgs.vpcCidr must be an IPv4 CIDR block from /16 to /23, such as 10.0.0.0/16; got "10.0.0.0/15"',
            ]);
        });
    });

    describe("the dedicated VPC's way out", () => {
        // awsx (pulumi-awsx awsx/ec2/vpc.ts) gives each zone's public and private subnet a route
        // table and a 0.0.0.0/0 route, named <vpc>-public-<n> and <vpc>-private-<n>, and returns
        // them in the VPC's `routes`; its privateSubnetIds are the subnets' ids, so a use of them
        // depends on the subnets only. A remote component's construct answers once every output
        // has resolved (pulumi sdk/nodejs/provider/server.ts, construct: serializeResourceProperties
        // of the whole state, then waitForRPCs), but the state dependencies it reports for
        // privateSubnetIds are the subnets, so the engine's graph had no edge from an instance to
        // its NAT route: a later update that replaces a route or a NAT gateway may run beside the
        // instances that need it. Under mocks the VPC is one resource whose outputs preview/mocks/outputs.ts
        // supplies, routes included, as references the program rehydrates.
        const routeUrns = (zones: number) =>
            Array.from({ length: zones }, (_unused, i) =>
                ["public", "private"].map(
                    (kind) => `urn:pulumi:dev::api-cluster::aws:ec2/routeTable:RouteTable$aws:ec2/route:Route::api-vpc-${kind}-${i + 1}`,
                ),
            ).flat();
        const vpcUrn = "urn:pulumi:dev::api-cluster::api-cluster:index:ApiCluster$awsx:ec2:Vpc::api-vpc";
        // They wait for the recorded zones as well (see "zones chosen once").
        const zonesUrn = "urn:pulumi:dev::api-cluster::api-cluster:index:ApiCluster$pulumi:index:Stash::api-zones";

        it("makes every instance and the bake wait for each zone's NAT and internet gateway routes", async () => {
            const { resources } = await build({ network: "dedicated", availabilityZoneCount: 3, instanceCount: 3 });
            for (const name of ["api-api-0", "api-api-1", "api-api-2"]) {
                assert.deepStrictEqual(named(resources, name).propertyDependencies.subnetId, [zonesUrn, vpcUrn, ...routeUrns(3)], name);
            }
            assert.deepStrictEqual(named(resources, "api-image-infrastructure").propertyDependencies.subnetId, [
                zonesUrn,
                vpcUrn,
                ...routeUrns(3),
            ]);
        });

        it("makes the Auto Scaling group wait for them too", async () => {
            const { resources } = await build({ amiId: AMI, network: "dedicated", availabilityZoneCount: 2, fleet: "autoscaling" });
            assert.deepStrictEqual(onlyOfType(resources, "aws:autoscaling/group:Group").propertyDependencies.vpcZoneIdentifiers, [
                zonesUrn,
                vpcUrn,
                ...routeUrns(2),
            ]);
        });
    });

    describe("the image bake's network", () => {
        /** The bake's subnet, and its security group's VPC, for a cluster that bakes. */
        async function bakeNetwork(args: ApiClusterArgs, prepare?: (world: OfflineAccount) => void) {
            const { resources } = await build(args, prepare);
            const infrastructure = onlyOfType(resources, "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration");
            const group = named(resources, "api-image-build-sg");
            assert.deepStrictEqual(infrastructure.inputs.securityGroupIds, [group.outputs.id]);
            return { subnetId: infrastructure.inputs.subnetId, vpcId: group.inputs.vpcId, resources };
        }

        it("runs in the default VPC's first default subnet with network default-vpc", async () => {
            assert.deepStrictEqual(await bakeNetwork({}).then(({ subnetId, vpcId }) => ({ subnetId, vpcId })), {
                subnetId: account.defaultSubnetIds[0],
                vpcId: account.defaultVpcId,
            });
        });

        it("runs in the dedicated VPC's first private subnet, which reaches out through NAT", async () => {
            const { subnetId, vpcId, resources } = await bakeNetwork({ network: "dedicated", availabilityZoneCount: 3, instanceCount: 3 });
            const vpc = onlyOfType(resources, "awsx:ec2:Vpc").outputs as { vpcId: string; privateSubnetIds: string[] };
            assert.deepStrictEqual({ subnetId, vpcId }, { subnetId: vpc.privateSubnetIds[0], vpcId: vpc.vpcId });
        });

        it("runs in the first instance subnet of an existing network", async () => {
            const { subnetId, vpcId } = await bakeNetwork({
                network: "existing",
                existingNetwork: {
                    vpcId: account.sharedVpcId,
                    loadBalancerSubnetIds: account.sharedPublicSubnetIds.slice(0, 2),
                    instanceSubnetIds: account.sharedPrivateSubnetIds.slice(1),
                },
            });
            assert.deepStrictEqual({ subnetId, vpcId }, { subnetId: account.sharedPrivateSubnetIds[1], vpcId: account.sharedVpcId });
        });
        it("skips an instance subnet whose zone lacks the bake's t3.small", async () => {
            const zoneE = privateSubnetInZoneE(new OfflineAccount("us-east-1"));
            const [privateA] = account.sharedPrivateSubnetIds;
            const { subnetId } = await bakeNetwork(
                {
                    instanceType: "m7i.large",
                    network: "existing",
                    existingNetwork: {
                        vpcId: account.sharedVpcId,
                        loadBalancerSubnetIds: account.sharedPublicSubnetIds,
                        instanceSubnetIds: [zoneE, privateA],
                    },
                },
                privateSubnetInZoneE,
            );
            assert.strictEqual(subnetId, privateA);
        });

        it("fails at deploy time when no instance subnet's zone offers the bake's instance type", async () => {
            const zoneE = privateSubnetInZoneE(new OfflineAccount("us-east-1"));
            const message = await deployFailure(
                {
                    instanceType: "m7i.large",
                    network: "existing",
                    existingNetwork: {
                        vpcId: account.sharedVpcId,
                        loadBalancerSubnetIds: account.sharedPublicSubnetIds,
                        instanceSubnetIds: [zoneE],
                    },
                },
                privateSubnetInZoneE,
            );
            assert.match(
                message,
                new RegExp(
                    `the image bake's instance type t3\\.small is not offered in the zone of any instance subnet \\(${zoneE} in us-east-1e\\); add an instance subnet in another zone, or set api-cluster:amiId$`,
                ),
            );
        });
    });

    describe("an existing network", () => {
        const existing = (network: Partial<NonNullable<ApiClusterArgs["existingNetwork"]>> = {}): ApiClusterArgs => ({
            amiId: AMI,
            instanceCount: 3,
            network: "existing",
            existingNetwork: {
                vpcId: account.sharedVpcId,
                loadBalancerSubnetIds: account.sharedPublicSubnetIds,
                instanceSubnetIds: account.sharedPrivateSubnetIds.slice(0, 2),
                ...network,
            },
        });

        it("creates nothing network-related and places the load balancer and instances in the subnets given", async () => {
            const { resources } = await build(existing());
            assert.deepStrictEqual(countByType(resources), {
                "api-cluster:credentials:AdminCredential": 1,
                "api-cluster:index:ApiCluster": 1,
                "aws:cloudwatch/dashboard:Dashboard": 1,
                "aws:cloudwatch/metricAlarm:MetricAlarm": 4,
                "aws:ec2/instance:Instance": 3,
                "aws:ec2/securityGroup:SecurityGroup": 2,
                "aws:ec2/tag:Tag": 1,
                "aws:iam/instanceProfile:InstanceProfile": 1,
                "aws:iam/role:Role": 1,
                "aws:iam/rolePolicy:RolePolicy": 2,
                "aws:kms/key:Key": 2,
                "aws:lb/listener:Listener": 1,
                "aws:lb/loadBalancer:LoadBalancer": 1,
                "aws:lb/targetGroup:TargetGroup": 1,
                "aws:lb/targetGroupAttachment:TargetGroupAttachment": 3,
                "aws:s3/bucket:Bucket": 1,
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 1,
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
                "aws:s3/bucketPolicy:BucketPolicy": 1,
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
                "aws:sns/topic:Topic": 1,
                "aws:sns/topicPolicy:TopicPolicy": 1,
                "aws:ssm/parameter:Parameter": 1,
                "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 2,
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 2,
                "pulumi:pulumi:Stack": 1,
                "random:index/randomPassword:RandomPassword": 1,
            });
            assert.deepStrictEqual(onlyOfType(resources, "aws:lb/loadBalancer:LoadBalancer").inputs.subnets, account.sharedPublicSubnetIds);
            const [a, b] = account.sharedPrivateSubnetIds;
            assert.deepStrictEqual(
                ["api-api-0", "api-api-1", "api-api-2"]
                    .map((name) => named(resources, name))
                    .map((instance) => [instance.inputs.subnetId, instance.inputs.associatePublicIpAddress]),
                [
                    [a, false],
                    [b, false],
                    [a, false],
                ],
            );
            assert.strictEqual(onlyOfType(resources, "aws:lb/targetGroup:TargetGroup").inputs.vpcId, account.sharedVpcId);
            for (const group of ofType(resources, "aws:ec2/securityGroup:SecurityGroup")) {
                assert.strictEqual(group.inputs.vpcId, account.sharedVpcId, group.name);
            }
        });

        it("takes the ids as Outputs, as a StackReference gives them", async () => {
            const { resources } = await build(
                existing({
                    vpcId: pulumi.output(account.sharedVpcId),
                    loadBalancerSubnetIds: account.sharedPublicSubnetIds.slice(0, 2).map((id) => pulumi.output(id)),
                    instanceSubnetIds: [Promise.resolve(account.sharedPrivateSubnetIds[2])],
                }),
            );
            assert.deepStrictEqual(
                onlyOfType(resources, "aws:lb/loadBalancer:LoadBalancer").inputs.subnets,
                account.sharedPublicSubnetIds.slice(0, 2),
            );
            assert.deepStrictEqual(
                ofType(resources, "aws:ec2/instance:Instance").map((instance) => instance.inputs.subnetId),
                Array(3).fill(account.sharedPrivateSubnetIds[2]),
            );
        });

        it("fails at deploy time, naming each field, when subnets are outside the VPC or two load balancer subnets share a zone", async () => {
            const [defaultA] = account.defaultSubnetIds;
            const [publicA, publicB] = account.sharedPublicSubnetIds;
            const [privateA] = account.sharedPrivateSubnetIds;
            const message = await deployFailure(
                existing({
                    loadBalancerSubnetIds: [publicA, privateA, pulumi.output(publicB)],
                    instanceSubnetIds: [privateA, pulumi.output(defaultA)],
                }),
            );
            assert.match(
                message,
                new RegExp(
                    [
                        "invalid existing network:",
                        `  - api-cluster:existingNetwork.instanceSubnetIds\\[1\\] ${defaultA} is in ${account.defaultVpcId}, not in existingNetwork.vpcId ${account.sharedVpcId}`,
                        `  - api-cluster:existingNetwork.loadBalancerSubnetIds\\[1\\] ${privateA} is in us-east-1a, as api-cluster:existingNetwork.loadBalancerSubnetIds\\[0\\] ${publicA} is; the load balancer needs each subnet in its own availability zone$`,
                    ].join("\\n"),
                ),
            );
        });

        it("fails at deploy time when an id that was an Output repeats another", async () => {
            const [publicA, publicB] = account.sharedPublicSubnetIds;
            const message = await deployFailure(existing({ loadBalancerSubnetIds: [publicA, publicB, pulumi.output(publicA)] }));
            assert.match(
                message,
                new RegExp(
                    `invalid existing network:\\n  - api-cluster:existingNetwork.loadBalancerSubnetIds\\[2\\] ${publicA} repeats api-cluster:existingNetwork.loadBalancerSubnetIds\\[0\\]$`,
                ),
            );
        });

        it("fails at deploy time when an instance subnet's zone does not offer the instance type", async () => {
            const zoneE = account.defaultSubnetIds[4];
            const message = await deployFailure({
                amiId: AMI,
                network: "existing",
                existingNetwork: {
                    vpcId: account.defaultVpcId,
                    loadBalancerSubnetIds: account.defaultSubnetIds.slice(0, 2),
                    instanceSubnetIds: [zoneE],
                },
            });
            assert.match(
                message,
                new RegExp(
                    `invalid existing network:\\n  - api-cluster:existingNetwork.instanceSubnetIds\\[0\\] ${zoneE} is in us-east-1e, which does not offer api-cluster:instanceType t3.micro$`,
                ),
            );
        });

        describe("the instance subnets' way out", () => {
            // At deploy time the route table serving each instance subnet is looked up as AWS picks
            // it: its explicit association (aws.ec2.getRouteTables, `association.subnet-id`, which
            // answers an empty list when there is none), else the VPC's main table
            // (aws.ec2.getRouteTable, vpcId and `association.main`). aws.ec2.getRouteTable by
            // subnetId alone fails with "query returned no results" for a subnet without an explicit
            // association, and its `routes` leave out the local route
            // (terraform-provider-aws internal/service/ec2/vpc_route_table_data_source.go and
            // vpc_route_tables_data_source.go). The fake account answers both the same way.
            const refusal = (i: number, subnetId: string, target: string, table: string) =>
                `api-cluster:existingNetwork.instanceSubnetIds[${i}] ${subnetId} ${target} (route table ${table}), not to a NAT gateway: ` +
                "instances get no public IP there, so they could not reach SSM, S3 or the bake's package repositories; " +
                "give instance subnets whose 0.0.0.0/0 route goes to a NAT gateway (or a transit gateway to a shared egress VPC)";

            it("refuses, in one line, an instance subnet whose explicit route table sends 0.0.0.0/0 to an internet gateway", async () => {
                const [, publicB] = account.sharedPublicSubnetIds;
                const message = await deployFailure(existing({ instanceSubnetIds: [account.sharedPrivateSubnetIds[0], publicB] }));
                assert.strictEqual(
                    withoutSerializationChain(message),
                    refusal(
                        1,
                        publicB,
                        `routes 0.0.0.0/0 to internet gateway igw-${fakeHex("shared-igw/us-east-1")}`,
                        `rtb-${fakeHex("shared-public/us-east-1")}`,
                    ),
                );
            });

            it("falls back to the VPC's main route table for a subnet without an explicit association, as AWS does", async () => {
                const [defaultA, defaultB] = account.defaultSubnetIds;
                const message = await deployFailure({
                    amiId: AMI,
                    network: "existing",
                    existingNetwork: {
                        vpcId: account.defaultVpcId,
                        loadBalancerSubnetIds: [defaultA, defaultB],
                        instanceSubnetIds: [defaultB],
                    },
                });
                assert.strictEqual(
                    withoutSerializationChain(message),
                    refusal(
                        0,
                        defaultB,
                        `routes 0.0.0.0/0 to internet gateway igw-${fakeHex("default-igw/us-east-1")}`,
                        `rtb-${fakeHex("default-main/us-east-1")}`,
                    ),
                );
            });

            it("refuses a subnet whose main route table has no 0.0.0.0/0 route at all", async () => {
                const isolated = `subnet-${fakeHex("test-isolated/us-east-1a")}`;
                const message = await deployFailure(existing({ instanceSubnetIds: [isolated] }), (world) => {
                    world.addSubnet(isolated, world.sharedVpcId, "us-east-1a", "10.99.30.0/24");
                });
                assert.strictEqual(
                    withoutSerializationChain(message),
                    refusal(0, isolated, "has no 0.0.0.0/0 route", `rtb-${fakeHex("shared-main/us-east-1")}`),
                );
            });

            it("accepts instance subnets whose 0.0.0.0/0 route goes to a NAT gateway", async () => {
                const { resources } = await build(existing());
                assert.deepStrictEqual(
                    ["api-api-0", "api-api-1", "api-api-2"].map((name) => named(resources, name).inputs.subnetId),
                    [account.sharedPrivateSubnetIds[0], account.sharedPrivateSubnetIds[1], account.sharedPrivateSubnetIds[0]],
                );
            });

            it("accepts a NAT gateway or a transit gateway, and names every other target", () => {
                const table = (defaultRoute?: Record<string, string>) => ({
                    id: "rtb-1",
                    defaultRoute: defaultRoute && { cidrBlock: "0.0.0.0/0", ...defaultRoute },
                });
                const verdict = (defaultRoute?: Record<string, string>) =>
                    instanceEgressProblem("instanceSubnetIds[0]", "subnet-1", table(defaultRoute));
                assert.strictEqual(verdict({ natGatewayId: "nat-1" }), undefined);
                assert.strictEqual(verdict({ transitGatewayId: "tgw-1" }), undefined);
                const targets: [Record<string, string> | undefined, string][] = [
                    [{ gatewayId: "igw-1" }, "routes 0.0.0.0/0 to internet gateway igw-1"],
                    [{ gatewayId: "vgw-1" }, "routes 0.0.0.0/0 to virtual private gateway vgw-1"],
                    [{ networkInterfaceId: "eni-1" }, "routes 0.0.0.0/0 to network interface eni-1 (a NAT instance or appliance)"],
                    [{ instanceId: "i-1" }, "routes 0.0.0.0/0 to instance i-1 (a NAT instance or appliance)"],
                    [{ vpcPeeringConnectionId: "pcx-1" }, "routes 0.0.0.0/0 to VPC peering connection pcx-1"],
                    [{ vpcEndpointId: "vpce-1" }, "routes 0.0.0.0/0 to VPC endpoint vpce-1"],
                    [{ natGatewayId: "", gatewayId: "" }, "routes 0.0.0.0/0 to no target"],
                    [undefined, "has no 0.0.0.0/0 route"],
                ];
                for (const [route, where] of targets) {
                    assert.strictEqual(verdict(route), refusal(0, "subnet-1", where, "rtb-1"), JSON.stringify(route));
                }
            });
        });

        it("checks ids given as strings before registering anything, and leaves Outputs to the deploy-time check", async () => {
            assert.deepStrictEqual(
                await validationProblems(
                    existing({
                        vpcId: pulumi.output("not-a-vpc"),
                        loadBalancerSubnetIds: [pulumi.output("not-a-subnet")],
                        instanceSubnetIds: ["subnet-1", pulumi.output("x")],
                    }),
                ),
                [
                    'ApiClusterArgs.existingNetwork.instanceSubnetIds[0] must be a subnet id such as subnet-0123456789abcdef0; got "subnet-1"',
                    "ApiClusterArgs.existingNetwork.loadBalancerSubnetIds must list at least 2 subnets; got 1",
                ],
            );
        });

        it("reports nothing for a sound network", () => {
            const subnet = (id: string, availabilityZone: string) => ({ id, vpcId: "vpc-1", availabilityZone });
            assert.deepStrictEqual(
                existingNetworkProblems("vpc-1", [subnet("s1", "z1"), subnet("s2", "z2")], [subnet("s1", "z1")], "t3.micro", ["z1", "z2"]),
                [],
            );
        });
    });
});
