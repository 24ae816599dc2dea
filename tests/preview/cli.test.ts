import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import * as fs from "fs";
import * as os from "os";
import { PREVIEW_NODE_ARGS } from "../../preview/command";
import { OfflineAccount, fakeHex } from "../../preview/mocks";
import { PROJECT_DIR } from "../../preview/offlinePreview";
import { listStacks } from "../../cli/stackFiles";
import { writeJar } from "../support/zipFile";

/** Runs the offline preview CLI as `npm run preview:offline` does; returns its exit code and output. */
function preview(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [...PREVIEW_NODE_ARGS, ...args], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run preview:offline", () => {
    it("is the command the tests and the benchmark run", () => {
        const { scripts } = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
            scripts: Record<string, string>;
        };
        assert.strictEqual(scripts["preview:offline"], `node ${PREVIEW_NODE_ARGS.join(" ")}`);
        assert.strictEqual(
            scripts["preview:all"],
            `node ${PREVIEW_NODE_ARGS.join(" ")} --all-stacks --policy-pack-config policy-pack/config.json --policy-pack-config dev=policy-pack/config.dev.json`,
        );
    });

    it("prints one JSON object shaped like pulumi preview --json, and exits 0", () => {
        const { status, stdout, stderr } = preview("--stack", "dev", "--json");
        assert.strictEqual(status, 0, stderr);
        const report = JSON.parse(stdout);
        assert.deepStrictEqual(Object.keys(report), [
            "stack",
            "steps",
            "changeSummary",
            "outputs",
            "secretPlaceholders",
            "policyViolations",
        ]);
        assert.strictEqual(report.stack, "dev");
        assert.deepStrictEqual(report.changeSummary, { create: 59 });
        assert.strictEqual(report.steps.length, 59);
        const urns = new Set(report.steps.map((step: { urn: string }) => step.urn));
        for (const step of report.steps) {
            assert.strictEqual(step.op, "create");
            assert.deepStrictEqual(Object.keys(step), ["op", "urn", "newState"]);
            assert.strictEqual(step.newState.urn, step.urn);
            if (step.newState.type === "pulumi:pulumi:Stack") {
                assert.strictEqual(step.newState.parent, undefined);
            } else {
                assert.ok(urns.has(step.newState.parent), `${step.urn} has a planned parent`);
            }
        }
        assert.deepStrictEqual(report.secretPlaceholders, []);
        // dev keeps the lesson's plain HTTP listener on 8082: the TLS policy's one advisory verdict.
        assert.deepStrictEqual(
            report.policyViolations.map((v: { policyName: string; enforcementLevel: string; urn: string }) => [
                v.policyName,
                v.enforcementLevel,
                v.urn.split("::").pop(),
            ]),
            [["alb-listener-redirects-http-to-https", "advisory", "api-listener"]],
        );
    });

    it("records each resource's dependencies and property dependencies as pulumi preview --json does", () => {
        const { status, stdout, stderr } = preview("--stack", "dev", "--json");
        assert.strictEqual(status, 0, stderr);
        const steps: { urn: string; newState: Record<string, unknown> }[] = JSON.parse(stdout).steps;
        const urns = new Set(steps.map((step) => step.urn));
        for (const { urn, newState } of steps) {
            const dependencies = (newState.dependencies ?? []) as string[];
            const byProperty = Object.values((newState.propertyDependencies ?? {}) as Record<string, string[] | null>);
            for (const dependency of [...dependencies, ...byProperty.flatMap((list) => list ?? [])]) {
                assert.ok(urns.has(dependency), `${urn} depends on ${dependency}, which the plan has`);
            }
            assert.notDeepStrictEqual(newState.dependencies, [], `${urn}: an empty list is left out, as the engine does`);
        }
        const under = (type: string, parent: string, name: string) => `urn:pulumi:dev::api-cluster::${parent}$${type}::${name}`;
        const cluster = "api-cluster:index:ApiCluster";
        const credential = "api-cluster:credentials:AdminCredential";
        const readPassword = under("aws:iam/rolePolicy:RolePolicy", credential, "api-admin-read-password");
        const key = under("aws:kms/key:Key", credential, "api-admin-key");
        const sessionManager = under("aws:iam/rolePolicy:RolePolicy", credential, "api-admin-session-manager");
        const image = under("aws:imagebuilder/image:Image", "api-cluster:image:ApiImage", "api-image-image");
        const profile = under("aws:iam/instanceProfile:InstanceProfile", credential, "api-admin-instance");
        const group = under("aws:ec2/securityGroup:SecurityGroup", cluster, "api-instance-sg");
        const zones = under("pulumi:index:Stash", cluster, "api-zones");
        const instance = steps.find((step) => step.urn === under("aws:ec2/instance:Instance", cluster, "api-api-0"));
        assert.ok(instance, "the plan has the instance api-api-0");
        assert.deepStrictEqual(instance.newState.dependencies, [readPassword, key, sessionManager, image, profile, zones, group]);
        assert.deepStrictEqual(instance.newState.propertyDependencies, {
            ami: [image],
            associatePublicIpAddress: null,
            iamInstanceProfile: [profile],
            instanceType: null,
            metadataOptions: null,
            rootBlockDevice: null,
            subnetId: [zones],
            tags: null,
            userData: null,
            userDataReplaceOnChange: null,
            vpcSecurityGroupIds: [group],
        });
    });

    it("applies a --policy-pack-config <stack>=<file> to that stack only, and refuses one given twice", () => {
        // config.json makes the TLS policy mandatory: dev's plain HTTP listener then fails the preview.
        const own = preview("--stack", "dev", "--json", "--policy-pack-config", "dev=policy-pack/config.json");
        assert.strictEqual(own.status, 1, own.stderr);
        assert.deepStrictEqual(
            JSON.parse(own.stdout).policyViolations.map((v: { policyName: string; enforcementLevel: string }) => [
                v.policyName,
                v.enforcementLevel,
            ]),
            [["alb-listener-redirects-http-to-https", "mandatory"]],
        );
        const other = preview("--stack", "dev", "--json", "--policy-pack-config", "staging=policy-pack/config.json");
        assert.strictEqual(other.status, 0, other.stderr);
        const twice = preview("--stack", "dev", "--policy-pack-config", "dev=a.json", "--policy-pack-config", "dev=b.json");
        assert.strictEqual(twice.status, 2);
        assert.strictEqual(twice.stderr.split("\n")[0], "error: --policy-pack-config dev= is given twice");
    });

    it("records that staging's Auto Scaling group and bake wait for every route of the dedicated VPC", () => {
        const { status, stdout, stderr } = preview("--stack", "staging", "--json");
        assert.strictEqual(status, 0, stderr);
        const steps: { urn: string; newState: { propertyDependencies: Record<string, string[] | null> } }[] = JSON.parse(stdout).steps;
        const urn = (qualifiedType: string, name: string) => `urn:pulumi:staging::api-cluster::${qualifiedType}::${name}`;
        // The route URNs name awsx's children, which awsx registers itself: they are not steps (docs/offline-preview.md).
        const routes = [1, 2, 3].flatMap((zone) =>
            ["public", "private"].map((kind) => urn("aws:ec2/routeTable:RouteTable$aws:ec2/route:Route", `api-vpc-${kind}-${zone}`)),
        );
        const waitsFor = [
            urn("api-cluster:index:ApiCluster$pulumi:index:Stash", "api-zones"),
            urn("api-cluster:index:ApiCluster$awsx:ec2:Vpc", "api-vpc"),
            ...routes,
        ];
        const dependenciesOf = (stepUrn: string, property: string) =>
            steps.find((step) => step.urn === stepUrn)?.newState.propertyDependencies[property];
        assert.deepStrictEqual(
            dependenciesOf(urn("api-cluster:index:ApiCluster$aws:autoscaling/group:Group", "api-group"), "vpcZoneIdentifiers"),
            waitsFor,
        );
        assert.deepStrictEqual(
            dependenciesOf(
                urn(
                    "api-cluster:image:ApiImage$aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration",
                    "api-image-infrastructure",
                ),
                "subnetId",
            ),
            waitsFor,
        );
    });

    it("prints the resource tree and summary like pulumi preview", () => {
        const { status, stdout } = preview("--stack", "dev");
        assert.strictEqual(status, 0);
        const lines = stdout.split("\n");
        assert.strictEqual(lines[0], "Previewing update (dev):");
        assert.match(lines[3], /^ \+ {3}pulumi:pulumi:Stack +api-cluster-dev +create$/);
        assert.match(lines[4], /^ \+ {3}└─ api-cluster:index:ApiCluster +api +create$/);
        assert.strictEqual(lines.filter((line) => /^ \+ {3}.* create$/.test(line)).length, 59);
        assert.ok(lines.includes("    + 59 to create"));
        assert.ok(lines.includes("    ⚠️ api-cluster-guardrails@v0.3.0 (local: policy-pack)"));
    });

    it("stops on a config error with exit 2, every problem, and no stack trace", () => {
        const { status, stdout, stderr } = preview(
            "--stack",
            "dev",
            "--config",
            "api-cluster:instanceCount=0",
            "--config",
            "api-cluster:instanceCuont=3",
        );
        assert.strictEqual(status, 2);
        assert.strictEqual(stdout, "");
        assert.strictEqual(
            stderr,
            [
                "error: stack dev: invalid configuration:",
                "  - api-cluster:instanceCuont is not a known key; did you mean instanceCount?",
                '  - api-cluster:instanceCount must be an integer from 1 to 100; got "0"',
                "",
            ].join("\n"),
        );
    });

    it("refuses a jar app whose manifest names no Main-Class with exit 2 before anything is registered, unless app.mainClass is set", () => {
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-preview-jar-"));
        try {
            const jar = path.join(work, "library.jar");
            writeJar(jar);
            const refused = preview("--stack", "dev", "--config", `app={"source":"jar","path":${JSON.stringify(jar)}}`);
            assert.strictEqual(refused.status, 2);
            assert.strictEqual(refused.stdout, "");
            assert.strictEqual(
                refused.stderr,
                [
                    "error: stack dev: invalid configuration:",
                    `  - api-cluster:app.path must be a runnable jar (source jar); got ${JSON.stringify(jar)}, and ${jar} names no Main-Class in META-INF/MANIFEST.MF: ` +
                        "set app.mainClass to the class to run (started with -cp), or build the jar with a Main-Class",
                    "",
                ].join("\n"),
            );
            const named = preview(
                "--stack",
                "dev",
                "--json",
                "--config",
                `app={"source":"jar","path":${JSON.stringify(jar)},"mainClass":"a.Main"}`,
            );
            assert.strictEqual(named.status, 0, named.stderr);
        } finally {
            fs.rmSync(work, { recursive: true, force: true });
        }
    });

    it("prints the README's sample error exactly, for the command the README shows", () => {
        const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        const sample = /\n```\n\$ npm run -s preview:offline -- ([^\n]+)\n([\s\S]*?)```\n/.exec(readme);
        assert.ok(sample, "README.md shows a sample error after a $ npm run -s preview:offline command");
        const { status, stdout, stderr } = preview(...sample[1].split(" "));
        assert.strictEqual(status, 2);
        assert.strictEqual(stdout, "");
        assert.strictEqual(stderr, sample[2]);
    });

    it("stops on a fleet outside the choices, or sizes that do not nest, with exit 2 naming the keys", () => {
        const { status, stdout, stderr } = preview(
            "--stack",
            "staging",
            "--config",
            "api-cluster:fleet=asg",
            "--config",
            "api-cluster:maxInstanceCount=2",
        );
        assert.strictEqual(status, 2);
        assert.strictEqual(stdout, "");
        assert.strictEqual(
            stderr,
            [
                "error: stack staging: invalid configuration:",
                '  - api-cluster:fleet must be one of instances, autoscaling; got "asg"',
                "  - api-cluster:maxInstanceCount must be at least instanceCount (3); got 2",
                "",
            ].join("\n"),
        );
    });

    it("names a missing stack file with exit 2, the stacks there are, and the nearest one", () => {
        const stacks = listStacks(PROJECT_DIR).join(", ");
        const missing = preview("--stack", "qa");
        assert.strictEqual(missing.status, 2);
        assert.strictEqual(
            missing.stderr,
            `error: stack qa: ${path.join(PROJECT_DIR, "Pulumi.qa.yaml")} does not exist: the stacks here are ${stacks}\n`,
        );
        const typo = preview("--stack", "stagign");
        assert.strictEqual(typo.status, 2);
        assert.strictEqual(
            typo.stderr,
            `error: stack stagign: ${path.join(PROJECT_DIR, "Pulumi.stagign.yaml")} does not exist: the stacks here are ${stacks}; did you mean staging?\n`,
        );
    });

    it("names a missing --program or --policy-pack-config file with exit 2 and the usage, not a require trace", () => {
        const program = preview("--stack", "dev", "--program", "no/such/program.ts");
        assert.strictEqual(program.status, 2);
        assert.strictEqual(
            program.stderr.split("\n")[0],
            `error: --program no/such/program.ts: ${path.join(PROJECT_DIR, "no/such/program.ts")} does not exist (give the program's entry file, such as index.ts)`,
        );
        assert.match(program.stderr.split("\n")[1], /^usage: /);
        const config = preview("--stack", "dev", "--policy-pack-config", "dev=no-such.json", "--policy-pack-config", "README.md");
        assert.strictEqual(config.status, 2);
        assert.strictEqual(
            config.stderr.split("\n")[0],
            `error: --policy-pack-config: ${path.join(PROJECT_DIR, "README.md")} is not JSON: Unexpected token '#', "# api-clus"... is not valid JSON; ` +
                `${path.join(PROJECT_DIR, "no-such.json")} does not exist or is not a file`,
        );
    });

    it("names a stack file that is not YAML with exit 2, the file, the line and the column", () => {
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-broken-yaml-"));
        try {
            fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: api-cluster\nruntime: nodejs\n");
            fs.writeFileSync(
                path.join(project, "Pulumi.mine.yaml"),
                "config:\n  api-cluster:instanceCount: 2\n   api-cluster:port: 8082\n",
            );
            const { status, stdout, stderr } = preview("--stack", "mine", "--cwd", project);
            assert.strictEqual(status, 2);
            assert.strictEqual(stdout, "");
            assert.strictEqual(
                stderr,
                `error: stack mine: ${path.join(project, "Pulumi.mine.yaml")} is not valid YAML: ` +
                    "Nested mappings are not allowed in compact mappings at line 2, column 30:\n",
            );
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });

    it("fails an invoke without a mock with exit 1, naming its token in one line", () => {
        const { status, stderr } = preview("--stack", "dev", "--program", "tests/preview/fixtures/unmockedInvoke.ts");
        assert.strictEqual(status, 1);
        assert.strictEqual(
            stderr,
            "error: stack dev: offline mocks: invoke aws:ec2/getAmi:getAmi: no mock for it; add one to invokeMocks in preview/mocks/invokes.ts\n",
        );
    });

    it("prints a mock failure deep in the resource graph as one line naming the invoke and the subnet, without the serialization chain", () => {
        const { status, stdout, stderr } = preview("--stack", "dev", "--program", "tests/preview/fixtures/unknownSubnet.ts");
        assert.strictEqual(status, 1);
        assert.strictEqual(stdout, "");
        assert.strictEqual(
            stderr,
            "error: stack dev: offline mocks: invoke aws:ec2/getSubnet:getSubnet: unknown subnet subnet-0fffffffffffffff0; " +
                "the offline account adopts the ids of api-cluster:existingNetwork when they are given as config\n",
        );
    });

    describe("your own existing network", () => {
        const vpcId = "vpc-0123456789abcdef0";
        const balancerSubnets = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];
        const instanceSubnets = ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"];
        /** The --config flags of an existing network, as a user of the CLI writes them. */
        const existingNetwork = (vpc: string, balancers: string[], instances: string[]) => [
            "--config-path",
            "--config",
            "api-cluster:network=existing",
            "--config",
            `api-cluster:existingNetwork.vpcId=${vpc}`,
            ...balancers.flatMap((id, i) => ["--config", `api-cluster:existingNetwork.loadBalancerSubnetIds[${i}]=${id}`]),
            ...instances.flatMap((id, i) => ["--config", `api-cluster:existingNetwork.instanceSubnetIds[${i}]=${id}`]),
        ];
        type Step = { newState: { type: string; name?: string; urn: string; inputs: Record<string, unknown> } };

        it("previews a VPC and subnets the mocks never saw: the account adopts them, in distinct zones, behind NAT", () => {
            const { status, stdout, stderr } = preview(
                "--stack",
                "dev",
                "--json",
                ...existingNetwork(vpcId, balancerSubnets, instanceSubnets),
            );
            assert.strictEqual(status, 0, stderr);
            const report = JSON.parse(stdout) as {
                steps: Step[];
                outputs: { instances: { availabilityZone: string; privateIp: string }[] };
                policyViolations: unknown[];
            };
            // Instance subnets take zones a and b in turn, each a /24 of the adopted 10.100.0.0/16
            // after the load balancer's two (10.100.128.0/24 and 10.100.129.0/24).
            assert.deepStrictEqual(
                report.outputs.instances.map((instance) => [
                    instance.availabilityZone,
                    instance.privateIp.split(".").slice(0, 3).join("."),
                ]),
                [
                    ["us-east-1a", "10.100.130"],
                    ["us-east-1b", "10.100.131"],
                ],
            );
            const ofType = (type: string) => report.steps.filter((step) => step.newState.type === type).map((step) => step.newState);
            assert.deepStrictEqual(
                ofType("aws:lb/loadBalancer:LoadBalancer").map((balancer) => balancer.inputs.subnets),
                [balancerSubnets],
            );
            assert.deepStrictEqual(
                ofType("aws:ec2/instance:Instance").map((instance) => [instance.urn.split("::").pop(), instance.inputs.subnetId]),
                [
                    ["api-api-0", instanceSubnets[0]],
                    ["api-api-1", instanceSubnets[1]],
                ],
            );
            assert.deepStrictEqual(
                ofType("aws:ec2/securityGroup:SecurityGroup").map((group) => group.inputs.vpcId),
                [vpcId, vpcId, vpcId],
            );
            assert.deepStrictEqual(
                ofType("aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration").map((bake) => bake.inputs.subnetId),
                [instanceSubnets[0]],
            );
            // dev's lesson listener (plain HTTP 8082) is the only finding, advisory in dev's policy group.
            assert.deepStrictEqual(
                (report.policyViolations as { policyName: string; enforcementLevel: string }[]).map((v) => [
                    v.policyName,
                    v.enforcementLevel,
                ]),
                [["alb-listener-redirects-http-to-https", "advisory"]],
            );
        });

        it("refuses, in one line and with exit 1, an instance subnet whose route table sends 0.0.0.0/0 to an internet gateway", () => {
            const account = new OfflineAccount("us-east-1");
            const [publicA, publicB] = account.sharedPublicSubnetIds;
            const { status, stdout, stderr } = preview(
                "--stack",
                "dev",
                ...existingNetwork(account.sharedVpcId, [publicA, publicB], [account.sharedPrivateSubnetIds[0], publicB]),
            );
            assert.strictEqual(status, 1);
            assert.strictEqual(stdout, "");
            assert.strictEqual(
                stderr,
                `error: stack dev: api-cluster:existingNetwork.instanceSubnetIds[1] ${publicB} routes 0.0.0.0/0 to internet gateway ` +
                    `igw-${fakeHex("shared-igw/us-east-1")} (route table rtb-${fakeHex("shared-public/us-east-1")}), not to a NAT gateway: ` +
                    "instances get no public IP there, so they could not reach SSM, S3 or the bake's package repositories; " +
                    "give instance subnets whose 0.0.0.0/0 route goes to a NAT gateway (or a transit gateway to a shared egress VPC)\n",
            );
        });
    });

    it("prints its usage with --help and exits 0", () => {
        const { status, stdout, stderr } = preview("--help");
        assert.strictEqual(status, 0);
        assert.strictEqual(stderr, "");
        assert.match(stdout, /^usage: npm run preview:offline -- --stack <name> \[--json\] \[--config key=value\]\.\.\. \[--config-path\]/);
    });

    it("sets a field of an object setting with --config-path, validated as the program validates it", () => {
        const { status, stdout, stderr } = preview(
            "--stack",
            "dev",
            "--config-path",
            "--config",
            "api-cluster:healthCheck.unhealthyThreshold=11",
        );
        assert.strictEqual(status, 2);
        assert.strictEqual(stdout, "");
        assert.strictEqual(
            stderr,
            [
                "error: stack dev: invalid configuration:",
                "  - api-cluster:healthCheck.unhealthyThreshold must be an integer from 2 to 10; got 11",
                "",
            ].join("\n"),
        );
    });

    it("suggests --config-path for a field or an item set without it, every one at once, with exit 2", () => {
        const { status, stdout, stderr } = preview(
            "--stack",
            "dev",
            "--config",
            "api-cluster:healthCheck.path=/ready",
            "--config",
            "allowedCidrs[0]=203.0.113.0/24",
        );
        assert.strictEqual(status, 2);
        assert.strictEqual(stdout, "");
        assert.strictEqual(
            stderr,
            [
                "error: stack dev: invalid configuration:",
                "  - api-cluster:healthCheck.path is not a known key: it is a path into api-cluster:healthCheck; give --config-path (pulumi config set --path) to set it as one",
                "  - api-cluster:allowedCidrs[0] is not a known key: it is a path into api-cluster:allowedCidrs; give --config-path (pulumi config set --path) to set it as one",
                "",
            ].join("\n"),
        );
    });

    it("previews a stack with a path set through --config-path", () => {
        const { status, stdout, stderr } = preview(
            "--stack",
            "dev",
            "--json",
            "--config-path",
            "--config",
            "api-cluster:stickiness.enabled=true",
        );
        assert.strictEqual(status, 0, stderr);
        const report = JSON.parse(stdout) as {
            steps: { newState: { type: string; inputs: { stickiness?: { enabled: boolean; type: string } } } }[];
        };
        const targetGroups = report.steps.filter((step) => step.newState.type === "aws:lb/targetGroup:TargetGroup");
        assert.strictEqual(targetGroups.length, 1);
        assert.deepStrictEqual(
            { enabled: targetGroups[0].newState.inputs.stickiness?.enabled, type: targetGroups[0].newState.inputs.stickiness?.type },
            { enabled: true, type: "lb_cookie" },
        );
    });

    it("explains its usage on a bad command line with exit 2", () => {
        const { status, stderr } = preview("--stak", "dev");
        assert.strictEqual(status, 2);
        assert.match(stderr, /^error: unknown argument "--stak"\nusage: npm run preview:offline -- --stack <name>/);
    });
});
