import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import * as fs from "fs";
import { PREVIEW_NODE_ARGS } from "../../preview/command";
import { PROJECT_DIR } from "../../preview/offlinePreview";

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
            `node ${PREVIEW_NODE_ARGS.join(" ")} --all-stacks --policy-pack-config policy-pack/config.json`,
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
        assert.deepStrictEqual(report.changeSummary, { create: 44 });
        assert.strictEqual(report.steps.length, 44);
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
        assert.deepStrictEqual(report.policyViolations, []);
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
        const instance = steps.find((step) => step.urn === under("aws:ec2/instance:Instance", cluster, "api-api-0"));
        assert.ok(instance, "the plan has the instance api-api-0");
        assert.deepStrictEqual(instance.newState.dependencies, [readPassword, key, sessionManager, image, profile, group]);
        assert.deepStrictEqual(instance.newState.propertyDependencies, {
            ami: [image],
            associatePublicIpAddress: null,
            iamInstanceProfile: [profile],
            instanceType: null,
            metadataOptions: null,
            rootBlockDevice: null,
            subnetId: null,
            tags: null,
            userData: null,
            userDataReplaceOnChange: null,
            vpcSecurityGroupIds: [group],
        });
    });

    it("prints the resource tree and summary like pulumi preview", () => {
        const { status, stdout } = preview("--stack", "dev");
        assert.strictEqual(status, 0);
        const lines = stdout.split("\n");
        assert.strictEqual(lines[0], "Previewing update (dev):");
        assert.match(lines[3], /^ \+ {3}pulumi:pulumi:Stack +api-cluster-dev +create$/);
        assert.match(lines[4], /^ \+ {3}└─ api-cluster:index:ApiCluster +api +create$/);
        assert.strictEqual(lines.filter((line) => /^ \+ {3}.* create$/.test(line)).length, 44);
        assert.ok(lines.includes("    + 44 to create"));
        assert.ok(lines.includes("    ✅ api-cluster-guardrails@v0.1.0 (local: policy-pack)"));
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

    it("names a missing stack file with exit 2", () => {
        const { status, stderr } = preview("--stack", "qa");
        assert.strictEqual(status, 2);
        assert.strictEqual(stderr, `error: stack qa: ${path.join(PROJECT_DIR, "Pulumi.qa.yaml")} does not exist\n`);
    });

    it("fails an invoke without a mock with exit 1, naming its token", () => {
        const { status, stderr } = preview("--stack", "dev", "--program", "tests/preview/fixtures/unmockedInvoke.ts");
        assert.strictEqual(status, 1);
        assert.match(stderr, /no mock for invoke aws:ec2\/getAmi:getAmi/);
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
