import * as assert from "assert";
import { ApiCluster, ApiClusterArgs } from "../../components/apiCluster";
import { SettingsError } from "../../components/config/validate";
import { MAX_COMPONENT_NAME_LENGTH } from "../../components/naming";
import { OfflineAccount, autoName } from "../../preview/mocks";
import { runUnderMocks } from "../../preview/runUnderMocks";
import { FIXED_WITH_AMI } from "../support/clusterCounts";
import { countByType, named, ofType, unwrapSecret } from "../support/resources";
import { STACK_TAG_KEY } from "../../components/stackTag";

const account = new OfflineAccount("us-east-1");
const [subnetA, subnetB, subnetC] = account.defaultSubnetIds;

/** Builds one cluster under the offline mocks and returns its outputs and registrations. */
function build(args: ApiClusterArgs = {}, name = "api") {
    return runUnderMocks(
        () => {
            const cluster = new ApiCluster(name, args);
            return {
                url: cluster.url,
                loadBalancerDnsName: cluster.loadBalancerDnsName,
                loadBalancerArn: cluster.loadBalancerArn,
                targetGroupArn: cluster.targetGroupArn,
                instances: cluster.instances,
                albSecurityGroupId: cluster.albSecurityGroupId,
                instanceSecurityGroupId: cluster.instanceSecurityGroupId,
                imageId: cluster.imageId,
                adminPasswordParameterName: cluster.adminPasswordParameterName,
                appPort: cluster.appPort,
                adminUsername: cluster.adminUsername,
            };
        },
        { stack: "dev", config: { "aws:region": "us-east-1" } },
    );
}

/** Constructs a cluster that must fail validation; returns the error and what got registered. */
async function constructionFailure(name: string, args: ApiClusterArgs) {
    let error: unknown;
    const { resources } = await runUnderMocks(() => {
        try {
            new ApiCluster(name, args);
        } catch (err) {
            error = err;
        }
        return {};
    });
    assert.ok(error instanceof SettingsError, `expected a SettingsError; got ${String(error)}`);
    return { error, registeredTypes: resources.map((resource) => resource.type) };
}

/** The stack tag every taggable child carries in dev (components/stackTag.ts). */
const DEV_TAGS = { [STACK_TAG_KEY]: "dev" };

describe("ApiCluster", () => {
    describe("resource counts", () => {
        for (const n of [1, 2, 5]) {
            it(`registers exactly one instance and one target group attachment per instance for N = ${n}`, async () => {
                const { resources } = await build({ instanceCount: n, amiId: "ami-0123456789abcdef0" });
                assert.deepStrictEqual(countByType(resources), {
                    ...FIXED_WITH_AMI,
                    "aws:ec2/instance:Instance": n,
                    "aws:lb/targetGroupAttachment:TargetGroupAttachment": n,
                });
            });
        }
    });

    describe("listener", () => {
        it("listens on 8082 over HTTP and forwards to the target group", async () => {
            const { resources, outputs } = await build({ amiId: "ami-0123456789abcdef0" });
            const [listener] = ofType(resources, "aws:lb/listener:Listener");
            assert.deepStrictEqual(listener.inputs, {
                loadBalancerArn: outputs.loadBalancerArn,
                port: 8082,
                protocol: "HTTP",
                defaultActions: [{ type: "forward", targetGroupArn: outputs.targetGroupArn }],
                tags: DEV_TAGS,
            });
            assert.strictEqual(outputs.url, `http://${outputs.loadBalancerDnsName}:8082`);
        });

        it("speaks HTTPS with TLS 1.3 on 443 when given a certificate (more in tests/cluster/tls.test.ts)", async () => {
            const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
            const { resources, outputs } = await build({ amiId: "ami-0123456789abcdef0", certificateArn });
            const listener = named(resources, "api-listener");
            assert.strictEqual(listener.inputs.port, 443);
            assert.strictEqual(listener.inputs.protocol, "HTTPS");
            assert.strictEqual(listener.inputs.certificateArn, certificateArn);
            assert.strictEqual(listener.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
            assert.strictEqual(outputs.url, `https://${outputs.loadBalancerDnsName}`);
        });

        it("puts domainName in the url, which a certificate can cover and the load balancer's name cannot", async () => {
            const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
            const https = await build({ amiId: "ami-0123456789abcdef0", certificateArn, domainName: "api.example.com" });
            assert.strictEqual(https.outputs.url, "https://api.example.com");
            assert.match(https.outputs.loadBalancerDnsName, /\.us-east-1\.elb\.amazonaws\.com$/);
            const http = await build({ amiId: "ami-0123456789abcdef0", domainName: "api.example.com" });
            assert.strictEqual(http.outputs.url, "http://api.example.com:8082");
        });
    });

    describe("load balancer", () => {
        it("is an internet-facing application load balancer across two zones that drops invalid headers and writes access logs", async () => {
            const { resources, outputs } = await build({ amiId: "ami-0123456789abcdef0" });
            const [lb] = ofType(resources, "aws:lb/loadBalancer:LoadBalancer");
            const bucket = named(resources, "api-access-logs");
            assert.deepStrictEqual(lb.inputs, {
                internal: false,
                subnets: [subnetA, subnetB],
                securityGroups: [outputs.albSecurityGroupId],
                dropInvalidHeaderFields: true,
                enableDeletionProtection: false,
                accessLogs: { bucket: bucket.outputs.bucket, enabled: true },
                loadBalancerType: "application",
                tags: DEV_TAGS,
            });
        });

        it("turns deletion protection on when asked", async () => {
            const { resources } = await build({ amiId: "ami-0123456789abcdef0", deletionProtection: true });
            assert.strictEqual(ofType(resources, "aws:lb/loadBalancer:LoadBalancer")[0].inputs.enableDeletionProtection, true);
        });
    });

    describe("target group", () => {
        it("health-checks every instance with each configured field", async () => {
            const { resources } = await build({
                amiId: "ami-0123456789abcdef0",
                appPort: 8080,
                deregistrationDelaySeconds: 45,
                healthCheck: {
                    path: "/actuator/health",
                    intervalSeconds: 30,
                    timeoutSeconds: 6,
                    healthyThreshold: 3,
                    unhealthyThreshold: 4,
                    matcher: "200-299",
                },
            });
            const [group] = ofType(resources, "aws:lb/targetGroup:TargetGroup");
            assert.deepStrictEqual(group.inputs, {
                vpcId: account.defaultVpcId,
                port: 8080,
                protocol: "HTTP",
                targetType: "instance",
                deregistrationDelay: 45,
                healthCheck: {
                    enabled: true,
                    protocol: "HTTP",
                    port: "traffic-port",
                    path: "/actuator/health",
                    interval: 30,
                    timeout: 6,
                    healthyThreshold: 3,
                    unhealthyThreshold: 4,
                    matcher: "200-299",
                },
                stickiness: { enabled: false, type: "lb_cookie", cookieDuration: 86400 },
                tags: DEV_TAGS,
            });
        });

        it("has no fixed name, so a replacement never collides with the old group", async () => {
            const { resources } = await build({ amiId: "ami-0123456789abcdef0" });
            assert.strictEqual(ofType(resources, "aws:lb/targetGroup:TargetGroup")[0].inputs.name, undefined);
            assert.strictEqual(ofType(resources, "aws:lb/loadBalancer:LoadBalancer")[0].inputs.name, undefined);
        });

        const stickinessCases: [string, ApiClusterArgs["stickiness"], object][] = [
            ["off by default, with the block still emitted", undefined, { enabled: false, type: "lb_cookie", cookieDuration: 86400 }],
            ["lb_cookie", { enabled: true, durationSeconds: 3600 }, { enabled: true, type: "lb_cookie", cookieDuration: 3600 }],
            [
                "app_cookie with the API's cookie",
                { enabled: true, type: "app_cookie", cookieName: "API_SESSION" },
                { enabled: true, type: "app_cookie", cookieDuration: 86400, cookieName: "API_SESSION" },
            ],
        ];
        for (const [title, stickiness, expected] of stickinessCases) {
            it(`sets stickiness ${title}`, async () => {
                const { resources } = await build({ amiId: "ami-0123456789abcdef0", stickiness });
                assert.deepStrictEqual(ofType(resources, "aws:lb/targetGroup:TargetGroup")[0].inputs.stickiness, expected);
            });
        }
    });

    describe("security groups", () => {
        it("admits the listener from the allowed CIDRs and the app port only from the load balancer", async () => {
            const { resources, outputs } = await build({
                amiId: "ami-0123456789abcdef0",
                appPort: 8080,
                allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
            });
            const alb = outputs.albSecurityGroupId;
            const instances = outputs.instanceSecurityGroupId;
            const rules = [
                ...ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
                ...ofType(resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
            ]
                .map((rule) => ({ type: rule.type.split(":").pop(), name: rule.name, ...rule.inputs }))
                .sort((a, b) => a.name.localeCompare(b.name));
            const tcp = (port: number) => ({ ipProtocol: "tcp", fromPort: port, toPort: port, tags: DEV_TAGS });
            assert.deepStrictEqual(rules, [
                {
                    type: "SecurityGroupEgressRule",
                    name: "api-alb-egress-app",
                    securityGroupId: alb,
                    referencedSecurityGroupId: instances,
                    description: "App port to the instances",
                    ...tcp(8080),
                },
                {
                    type: "SecurityGroupIngressRule",
                    name: "api-alb-ingress-198-51-100-0-24",
                    securityGroupId: alb,
                    cidrIpv4: "198.51.100.0/24",
                    description: "Listener from 198.51.100.0/24",
                    ...tcp(8082),
                },
                {
                    type: "SecurityGroupIngressRule",
                    name: "api-alb-ingress-203-0-113-0-24",
                    securityGroupId: alb,
                    cidrIpv4: "203.0.113.0/24",
                    description: "Listener from 203.0.113.0/24",
                    ...tcp(8082),
                },
                {
                    type: "SecurityGroupEgressRule",
                    name: "api-instance-egress-https",
                    securityGroupId: instances,
                    cidrIpv4: "0.0.0.0/0",
                    description: "HTTPS to AWS APIs: SSM at boot, Session Manager",
                    ...tcp(443),
                },
                {
                    type: "SecurityGroupIngressRule",
                    name: "api-instance-ingress-app",
                    securityGroupId: instances,
                    referencedSecurityGroupId: alb,
                    description: "App port from the load balancer",
                    ...tcp(8080),
                },
            ]);
            for (const group of ofType(resources, "aws:ec2/securityGroup:SecurityGroup")) {
                assert.strictEqual(group.inputs.ingress, undefined, `${group.name} has no inline rules`);
                assert.strictEqual(group.inputs.egress, undefined, `${group.name} has no inline rules`);
            }
        });

        it("names each CIDR rule after its CIDR, so removing a middle CIDR leaves the other rules' URNs as they were", async () => {
            const cidrRules = (resources: Awaited<ReturnType<typeof build>>["resources"]) =>
                ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                    .filter((rule) => rule.inputs.cidrIpv4 !== undefined)
                    .map((rule) => [rule.urn, rule.inputs.cidrIpv4]);
            const urn = (name: string) =>
                `urn:pulumi:dev::api-cluster::api-cluster:index:ApiCluster$aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::${name}`;
            const before = await build({
                amiId: "ami-0123456789abcdef0",
                allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/25"],
                sshCidrs: ["198.51.100.7/32", "198.51.100.8/32", "10.1.0.0/16"],
            });
            assert.deepStrictEqual(cidrRules(before.resources), [
                [urn("api-alb-ingress-203-0-113-0-24"), "203.0.113.0/24"],
                [urn("api-alb-ingress-198-51-100-0-24"), "198.51.100.0/24"],
                [urn("api-alb-ingress-192-0-2-0-25"), "192.0.2.0/25"],
                [urn("api-instance-ingress-ssh-198-51-100-7-32"), "198.51.100.7/32"],
                [urn("api-instance-ingress-ssh-198-51-100-8-32"), "198.51.100.8/32"],
                [urn("api-instance-ingress-ssh-10-1-0-0-16"), "10.1.0.0/16"],
            ]);
            const after = await build({
                amiId: "ami-0123456789abcdef0",
                allowedCidrs: ["203.0.113.0/24", "192.0.2.0/25"],
                sshCidrs: ["198.51.100.7/32", "10.1.0.0/16"],
            });
            assert.deepStrictEqual(cidrRules(after.resources), [
                [urn("api-alb-ingress-203-0-113-0-24"), "203.0.113.0/24"],
                [urn("api-alb-ingress-192-0-2-0-25"), "192.0.2.0/25"],
                [urn("api-instance-ingress-ssh-198-51-100-7-32"), "198.51.100.7/32"],
                [urn("api-instance-ingress-ssh-10-1-0-0-16"), "10.1.0.0/16"],
            ]);
        });

        it("aliases each CIDR rule to its positional name, so the update that renames them keeps every rule in place", async () => {
            const { resources } = await build({
                amiId: "ami-0123456789abcdef0",
                allowedCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
                sshCidrs: ["198.51.100.7/32"],
            });
            const cluster = "urn:pulumi:dev::api-cluster::pulumi:pulumi:Stack$api-cluster:index:ApiCluster::api";
            assert.deepStrictEqual(
                ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                    .map((rule) => [rule.name, rule.aliases])
                    .sort(),
                [
                    ["api-alb-ingress-198-51-100-0-24", [{ name: "api-alb-ingress-1", parentUrn: cluster }]],
                    ["api-alb-ingress-203-0-113-0-24", [{ name: "api-alb-ingress-0", parentUrn: cluster }]],
                    ["api-instance-ingress-app", []],
                    ["api-instance-ingress-ssh-198-51-100-7-32", [{ name: "api-instance-ingress-ssh-0", parentUrn: cluster }]],
                ],
            );
        });

        it("sends nothing from the instances but HTTPS, all Session Manager needs", async () => {
            const { resources, outputs } = await build({ amiId: "ami-0123456789abcdef0" });
            const egress = ofType(resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter(
                (rule) => rule.inputs.securityGroupId === outputs.instanceSecurityGroupId,
            );
            assert.deepStrictEqual(
                egress.map((rule) => rule.inputs),
                [
                    {
                        securityGroupId: outputs.instanceSecurityGroupId,
                        cidrIpv4: "0.0.0.0/0",
                        description: "HTTPS to AWS APIs: SSM at boot, Session Manager",
                        ipProtocol: "tcp",
                        fromPort: 443,
                        toPort: 443,
                        tags: DEV_TAGS,
                    },
                ],
            );
        });

        it("opens SSH only from the CIDRs asked for", async () => {
            const { resources, outputs } = await build({ amiId: "ami-0123456789abcdef0", sshCidrs: ["198.51.100.7/32"] });
            const ssh = ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
                (rule) => rule.inputs.fromPort === 22,
            );
            assert.deepStrictEqual(
                ssh.map((rule) => rule.inputs),
                [
                    {
                        securityGroupId: outputs.instanceSecurityGroupId,
                        cidrIpv4: "198.51.100.7/32",
                        description: "SSH from 198.51.100.7/32",
                        ipProtocol: "tcp",
                        fromPort: 22,
                        toPort: 22,
                        tags: DEV_TAGS,
                    },
                ],
            );
        });
    });

    describe("instances", () => {
        it("spreads instances round-robin across the zones", async () => {
            const { resources, outputs } = await build({ amiId: "ami-0123456789abcdef0", instanceCount: 5, availabilityZoneCount: 3 });
            // By name: resources register as their inputs resolve, not in the order the program declared them.
            assert.deepStrictEqual(
                [0, 1, 2, 3, 4].map((i) => named(resources, `api-api-${i}`).inputs.subnetId),
                [subnetA, subnetB, subnetC, subnetA, subnetB],
            );
            assert.deepStrictEqual(
                outputs.instances.map((instance) => instance.availabilityZone),
                ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1a", "us-east-1b"],
            );
            assert.deepStrictEqual(ofType(resources, "aws:lb/loadBalancer:LoadBalancer")[0].inputs.subnets, [subnetA, subnetB, subnetC]);
        });

        it("requires IMDSv2, encrypts the root volume and launches from the AMI", async () => {
            const { resources, outputs } = await build({ amiId: "ami-0123456789abcdef0", instanceType: "t3.small" });
            for (const instance of ofType(resources, "aws:ec2/instance:Instance")) {
                assert.deepStrictEqual(instance.inputs.metadataOptions, {
                    httpTokens: "required",
                    httpEndpoint: "enabled",
                    httpPutResponseHopLimit: 1,
                });
                assert.deepStrictEqual(instance.inputs.rootBlockDevice, { encrypted: true, volumeType: "gp3", deleteOnTermination: true });
                assert.strictEqual(instance.inputs.ami, "ami-0123456789abcdef0");
                assert.strictEqual(instance.inputs.instanceType, "t3.small");
                assert.deepStrictEqual(instance.inputs.vpcSecurityGroupIds, [outputs.instanceSecurityGroupId]);
                assert.strictEqual(instance.inputs.keyName, undefined);
            }
        });

        it("launches every instance only after the role's policies, so none boots before it may read the password", async () => {
            const credential = "api-cluster:credentials:AdminCredential";
            const urn = (parent: string, type: string, name: string) => `urn:pulumi:dev::api-cluster::${parent}$${type}::${name}`;
            const readPassword = urn(credential, "aws:iam/rolePolicy:RolePolicy", "api-admin-read-password");
            const key = urn(credential, "aws:kms/key:Key", "api-admin-key");
            const sessionManager = urn(credential, "aws:iam/rolePolicy:RolePolicy", "api-admin-session-manager");
            const profile = urn(credential, "aws:iam/instanceProfile:InstanceProfile", "api-admin-instance");
            const group = urn("api-cluster:index:ApiCluster", "aws:ec2/securityGroup:SecurityGroup", "api-instance-sg");
            // The recorded zones place the instance's subnet (components/network.ts).
            const zones = urn("api-cluster:index:ApiCluster", "pulumi:index:Stash", "api-zones");
            for (const [sessionManagerOn, dependencies] of [
                [true, [readPassword, key, sessionManager, profile, zones, group]],
                [false, [readPassword, key, profile, zones, group]],
            ] as const) {
                const { resources } = await build({ amiId: "ami-0123456789abcdef0", instanceCount: 2, sessionManager: sessionManagerOn });
                const instances = ofType(resources, "aws:ec2/instance:Instance");
                assert.strictEqual(instances.length, 2);
                for (const instance of instances) {
                    assert.deepStrictEqual(instance.dependencies, dependencies, `${instance.name}, sessionManager ${sessionManagerOn}`);
                }
            }
        });

        it("registers every instance with the target group on the app port", async () => {
            const { resources, outputs } = await build({ amiId: "ami-0123456789abcdef0", instanceCount: 3, appPort: 9000 });
            // By name: resources register as their inputs resolve, not in the order the program declared them.
            assert.deepStrictEqual(
                [0, 1, 2].map((i) => named(resources, `api-api-${i}-attachment`).inputs),
                outputs.instances.map((instance) => ({ targetGroupArn: outputs.targetGroupArn, targetId: instance.id, port: 9000 })),
            );
        });
    });

    describe("network", () => {
        it("puts the load balancer in the default VPC's default subnets and gives instances a public IP for egress", async () => {
            const { resources } = await build({ amiId: "ami-0123456789abcdef0" });
            assert.deepStrictEqual(countByType(resources)["awsx:ec2:Vpc"], undefined);
            for (const instance of ofType(resources, "aws:ec2/instance:Instance")) {
                assert.strictEqual(instance.inputs.associatePublicIpAddress, true);
            }
        });

        it("builds a dedicated VPC with the load balancer in public subnets and the instances in private ones", async () => {
            const { resources } = await build({
                amiId: "ami-0123456789abcdef0",
                network: "dedicated",
                vpcCidr: "10.20.0.0/16",
                availabilityZoneCount: 3,
                instanceCount: 3,
            });
            const [vpc] = ofType(resources, "awsx:ec2:Vpc");
            assert.deepStrictEqual(vpc.inputs, {
                cidrBlock: "10.20.0.0/16",
                availabilityZoneNames: ["us-east-1a", "us-east-1b", "us-east-1c"],
                availabilityZoneCidrMask: 19,
                natGateways: { strategy: "OnePerAz" },
                subnetStrategy: "Auto",
                subnetSpecs: [
                    { type: "Public", name: "public", cidrMask: 20, tags: DEV_TAGS },
                    { type: "Private", name: "private", cidrMask: 20, tags: DEV_TAGS },
                ],
                enableDnsHostnames: true,
                tags: DEV_TAGS,
            });
            const state = vpc.outputs as { vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[] };
            const [lb] = ofType(resources, "aws:lb/loadBalancer:LoadBalancer");
            assert.deepStrictEqual(lb.inputs.subnets, state.publicSubnetIds);
            const instances = ofType(resources, "aws:ec2/instance:Instance");
            assert.deepStrictEqual(
                instances.map((instance) => instance.inputs.subnetId),
                state.privateSubnetIds,
            );
            for (const instance of instances) {
                assert.strictEqual(instance.inputs.associatePublicIpAddress, false);
            }
            assert.strictEqual(ofType(resources, "aws:lb/targetGroup:TargetGroup")[0].inputs.vpcId, state.vpcId);
        });
    });

    describe("the admin password", () => {
        it("reaches the instances only through SSM: never in user data", async () => {
            const password = "s3cr3t-cluster-pw-0001";
            const { resources } = await build({ amiId: "ami-0123456789abcdef0", adminPassword: password });
            const [parameter] = ofType(resources, "aws:ssm/parameter:Parameter");
            assert.deepStrictEqual(unwrapSecret(parameter.inputs.value), password);
            assert.strictEqual(countByType(resources)["random:index/randomPassword:RandomPassword"], undefined);
            for (const instance of ofType(resources, "aws:ec2/instance:Instance")) {
                assert.strictEqual(typeof instance.inputs.userData, "string");
                assert.strictEqual((instance.inputs.userData as string).includes(password), false);
                assert.strictEqual(JSON.stringify(instance.inputs).includes(password), false);
            }
        });

        it("is generated, and still secret, when none is given", async () => {
            const { resources } = await build({ amiId: "ami-0123456789abcdef0" });
            const [generated] = ofType(resources, "random:index/randomPassword:RandomPassword");
            assert.deepStrictEqual(generated.inputs, { length: 32, special: false });
            const [parameter] = ofType(resources, "aws:ssm/parameter:Parameter");
            assert.strictEqual(unwrapSecret(parameter.inputs.value), generated.outputs.result);
        });
    });

    describe("outputs", () => {
        it("reports the URL, load balancer, target group, instances and security groups", async () => {
            const { resources, outputs } = await build({ amiId: "ami-0123456789abcdef0" });
            const lb = named(resources, "api-alb").outputs;
            const instances = ofType(resources, "aws:ec2/instance:Instance").map((instance) => instance.outputs);
            assert.deepStrictEqual(outputs, {
                url: `http://${lb.dnsName}:8082`,
                loadBalancerDnsName: lb.dnsName,
                loadBalancerArn: lb.arn,
                targetGroupArn: named(resources, "api-tg").outputs.arn,
                instances: instances.map((instance) => ({
                    id: instance.id,
                    availabilityZone: instance.availabilityZone,
                    privateIp: instance.privateIp,
                })),
                albSecurityGroupId: named(resources, "api-alb-sg").outputs.id,
                instanceSecurityGroupId: named(resources, "api-instance-sg").outputs.id,
                imageId: "ami-0123456789abcdef0",
                adminPasswordParameterName: "/api-cluster/dev/api/admin-password",
                appPort: 8082,
                adminUsername: "admin@fake.com",
            });
            assert.deepStrictEqual(
                outputs.instances.map((instance) => instance.availabilityZone),
                ["us-east-1a", "us-east-1b"],
            );
        });
    });

    describe("names and validation", () => {
        it(`keeps load balancer and target group names within 32 characters for a ${MAX_COMPONENT_NAME_LENGTH}-character name`, async () => {
            const longest = "a".repeat(MAX_COMPONENT_NAME_LENGTH);
            const { resources } = await build({ amiId: "ami-0123456789abcdef0" }, longest);
            const lbName = named(resources, `${longest}-alb`).outputs.name as string;
            const tgName = named(resources, `${longest}-tg`).outputs.name as string;
            assert.strictEqual(lbName, autoName(`${longest}-alb`));
            assert.strictEqual(lbName.length, 32);
            assert.strictEqual(tgName.length, 31);
        });

        it("rejects a name one character longer, before registering anything", async () => {
            const tooLong = "a".repeat(MAX_COMPONENT_NAME_LENGTH + 1);
            const { error, registeredTypes } = await constructionFailure(tooLong, { amiId: "ami-0123456789abcdef0" });
            assert.deepStrictEqual(error.problems, [
                `ApiCluster name must be 1 to ${MAX_COMPONENT_NAME_LENGTH} lowercase letters, digits or inner hyphens, starting with a letter; got "${tooLong}"`,
            ]);
            assert.deepStrictEqual(registeredTypes, ["pulumi:pulumi:Stack"]);
        });

        const forbiddenNames: [string, string][] = [
            [
                "internal",
                'must not be "internal" or begin with "internal-": the load balancer\'s name (<name>-alb-…) would begin with internal-, which AWS refuses',
            ],
            [
                "internal-api",
                'must not be "internal" or begin with "internal-": the load balancer\'s name (<name>-alb-…) would begin with internal-, which AWS refuses',
            ],
            [
                "sg",
                'must not be "sg" or begin with "sg-": the security groups\' names (<name>-alb-sg-…) would begin with sg-, which AWS refuses',
            ],
            [
                "sg-api",
                'must not be "sg" or begin with "sg-": the security groups\' names (<name>-alb-sg-…) would begin with sg-, which AWS refuses',
            ],
            [
                "xn--api",
                'must not begin with "xn--": the image bake\'s S3 bucket name (<name>-image-artifacts-…) would begin with xn--, which S3 refuses',
            ],
            [
                "sthree-api",
                'must not be "sthree" or begin with "sthree-": the image bake\'s S3 bucket name (<name>-image-artifacts-…) would begin with sthree-, which S3 refuses',
            ],
            [
                "amzn-s3-demo-api",
                'must not be "amzn-s3-demo" or begin with "amzn-s3-demo-": the image bake\'s S3 bucket name (<name>-image-artifacts-…) would begin with amzn-s3-demo-, which S3 refuses',
            ],
        ];
        for (const [name, rule] of forbiddenNames) {
            it(`rejects the name ${name}, which gives a child a name AWS refuses, before registering anything`, async () => {
                const { error, registeredTypes } = await constructionFailure(name, { amiId: "ami-0123456789abcdef0" });
                assert.deepStrictEqual(error.problems, [`ApiCluster name ${rule}; got "${name}"`]);
                assert.deepStrictEqual(registeredTypes, ["pulumi:pulumi:Stack"]);
            });
        }

        it("accepts names that merely contain those words: internals, sgx, xn-api, api-internal", async () => {
            for (const name of ["internals", "sgx", "xn-api", "api-internal"]) {
                const { resources } = await build({ amiId: "ami-0123456789abcdef0" }, name);
                assert.strictEqual(named(resources, `${name}-alb`).type, "aws:lb/loadBalancer:LoadBalancer");
            }
        });

        it("reports every bad argument at once and registers nothing but the stack", async () => {
            const { error, registeredTypes } = await constructionFailure("api", {
                instanceCount: 0,
                port: 70000,
                stickiness: { type: "app_cookie" },
            });
            assert.deepStrictEqual(error.problems, [
                "ApiClusterArgs.instanceCount must be an integer from 1 to 100; got 0",
                "ApiClusterArgs.port must be an integer from 1 to 65535; got 70000",
                "ApiClusterArgs.stickiness.cookieName is required when stickiness.type is app_cookie; got nothing",
            ]);
            assert.deepStrictEqual(registeredTypes, ["pulumi:pulumi:Stack"]);
        });
    });
});
