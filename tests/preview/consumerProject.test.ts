import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OFFLINE_ACCOUNT_ID, OfflineAccount } from "../../preview/mocks";

const PACKAGE_DIR = path.resolve(__dirname, "..", "..");
const DOC = fs.readFileSync(path.join(PACKAGE_DIR, "docs", "component-package.md"), "utf8");

/** The command docs/component-package.md gives a consumer, run from the consumer's folder. */
const DOCUMENTED_COMMAND = /```sh\n(node -r \.\/node_modules\/api-cluster\/preview\/transpileCache\.js [^\n]+) --stack dev\n```/.exec(
    DOC,
)?.[1];

/** The fake account of the documented region. */
const ACCOUNT = new OfflineAccount("us-east-1");

/** A consumer's program: its own config, one cluster on the fake account's shared VPC; `twice` declares it twice. */
function consumerProgram(twice: boolean): string {
    const cluster = (variable: string) =>
        `const ${variable} = new ApiCluster("orders", {\n` +
        `    instanceCount: config.requireNumber("instanceCount"),\n` +
        `    amiId: "ami-0123456789abcdef0",\n` +
        `    network: NetworkMode.Existing,\n` +
        `    existingNetwork: {\n` +
        `        vpcId: ${JSON.stringify(ACCOUNT.sharedVpcId)},\n` +
        `        loadBalancerSubnetIds: ${JSON.stringify(ACCOUNT.sharedPublicSubnetIds.slice(0, 2))},\n` +
        `        instanceSubnetIds: ${JSON.stringify(ACCOUNT.sharedPrivateSubnetIds.slice(0, 2))},\n` +
        `    },\n` +
        `});\n`;
    return (
        'import * as pulumi from "@pulumi/pulumi";\n' +
        'import { ApiCluster, NetworkMode } from "api-cluster";\n\n' +
        "const config = new pulumi.Config();\n" +
        cluster("cluster") +
        (twice ? cluster("again") : "") +
        "export const url = cluster.url;\n"
    );
}

describe("a consumer's program previewed offline from its own folder", function () {
    this.timeout(120000);
    let consumer: string;

    before(() => {
        // The consumer's folder: its Pulumi.yaml and stack file, its program, and node_modules with
        // the package (a link to this repository, as npm links a local install) and @pulumi.
        consumer = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-consumer-"));
        fs.mkdirSync(path.join(consumer, "node_modules"));
        fs.symlinkSync(PACKAGE_DIR, path.join(consumer, "node_modules", "api-cluster"), "dir");
        fs.symlinkSync(path.join(PACKAGE_DIR, "node_modules", "@pulumi"), path.join(consumer, "node_modules", "@pulumi"), "dir");
        fs.writeFileSync(path.join(consumer, "Pulumi.yaml"), "name: orders-service\nruntime: nodejs\nmain: program.ts\n");
        fs.writeFileSync(path.join(consumer, "Pulumi.qa.yaml"), "config:\n  aws:region: us-east-1\n  orders-service:instanceCount: 3\n");
        fs.writeFileSync(path.join(consumer, "program.ts"), consumerProgram(false));
        fs.writeFileSync(path.join(consumer, "twice.ts"), consumerProgram(true));
    });
    after(() => fs.rmSync(consumer, { recursive: true, force: true }));

    /** Runs the documented command with `args` in `cwd` (default the consumer's folder). */
    function preview(args: string[], cwd = consumer): { status: number | null; stdout: string; stderr: string } {
        assert.ok(DOCUMENTED_COMMAND, "docs/component-package.md gives the command to run from the consumer's folder");
        const [node, ...documented] = DOCUMENTED_COMMAND.split(" ");
        assert.strictEqual(node, "node");
        // The command's paths are the consumer folder's: from elsewhere, they are taken from there.
        const fromConsumer = documented.map((arg) => (arg.startsWith("-") ? arg : path.resolve(consumer, arg)));
        const result = spawnSync(process.execPath, [...fromConsumer, ...args], { cwd, encoding: "utf8" });
        return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    }

    it("uses the consumer's project name, program and stack file: three instances, every URN in orders-service", () => {
        const { status, stdout, stderr } = preview(["--stack", "qa", "--json"]);
        assert.strictEqual(status, 0, stderr);
        const report = JSON.parse(stdout) as {
            stack: string;
            steps: { urn: string; newState: { type: string; inputs: Record<string, unknown> } }[];
        };
        assert.strictEqual(report.stack, "qa");
        assert.deepStrictEqual(
            report.steps.filter((step) => !step.urn.startsWith("urn:pulumi:qa::orders-service::")).map((step) => step.urn),
            [],
        );
        assert.strictEqual(report.steps[0].urn, "urn:pulumi:qa::orders-service::pulumi:pulumi:Stack::orders-service-qa");
        const instances = report.steps.filter((step) => step.newState.type === "aws:ec2/instance:Instance");
        assert.deepStrictEqual(
            instances.map((step) => [step.urn.split("::").pop(), step.newState.inputs.subnetId]).sort(),
            [0, 1, 0].map((zone, i) => [`orders-api-${i}`, ACCOUNT.sharedPrivateSubnetIds[zone]]),
        );
        const balancer = report.steps.find((step) => step.newState.type === "aws:lb/loadBalancer:LoadBalancer");
        assert.deepStrictEqual(balancer?.newState.inputs.subnets, ACCOUNT.sharedPublicSubnetIds.slice(0, 2));
    });

    it("lists only the consumer's stacks: --all-stacks previews qa alone, and a missing stack names qa", () => {
        const all = preview(["--all-stacks", "--json"]);
        assert.strictEqual(all.status, 0, all.stderr);
        assert.strictEqual((JSON.parse(all.stdout) as { stack: string }).stack, "qa");
        const missing = preview(["--stack", "dev"]);
        assert.strictEqual(missing.status, 2);
        assert.strictEqual(
            missing.stderr,
            `error: stack dev: ${path.join(consumer, "Pulumi.dev.yaml")} does not exist: the stacks here are qa\n`,
        );
    });

    it("previews the same project from elsewhere with --cwd", () => {
        const { status, stdout, stderr } = preview(["--stack", "qa", "--json", "--cwd", consumer], PACKAGE_DIR);
        assert.strictEqual(status, 0, stderr);
        assert.strictEqual(
            (JSON.parse(stdout) as { steps: { urn: string }[] }).steps[0].urn,
            "urn:pulumi:qa::orders-service::pulumi:pulumi:Stack::orders-service-qa",
        );
    });

    it("refuses the cluster declared twice under one name with exit 2, naming the URN as the docs show", () => {
        const { status, stdout, stderr } = preview(["--stack", "qa", "--program", "twice.ts"]);
        assert.strictEqual(status, 2);
        assert.strictEqual(stdout, "");
        const message =
            "Duplicate resource URN 'urn:pulumi:qa::orders-service::pulumi:pulumi:Stack$api-cluster:index:ApiCluster::orders': " +
            'two resources named "orders" of type api-cluster:index:ApiCluster; give each a unique name';
        assert.strictEqual(stderr, `error: stack qa: ${message}\n`);
        assert.ok(
            DOC.includes(`error: stack dev: ${message.replace("urn:pulumi:qa::", "urn:pulumi:dev::")}\n`),
            "the docs show the same message",
        );
    });

    it("documents the fake account's ids in us-east-1 from the account itself", () => {
        const rows = Object.fromEntries(
            [...DOC.matchAll(/^\| ([^|]+) \| (`[^|]+`) \|$/gm)].map((row) => [
                row[1].trim(),
                [...row[2].matchAll(/`([^`]+)`/g)].map((id) => id[1]),
            ]),
        );
        assert.deepStrictEqual(rows, {
            account: [OFFLINE_ACCOUNT_ID],
            "default VPC": [ACCOUNT.defaultVpcId],
            "shared VPC, 10.99.0.0/16": [ACCOUNT.sharedVpcId],
            "its public subnets, zones a, b, c": ACCOUNT.sharedPublicSubnetIds,
            "its private subnets, zones a, b, c": ACCOUNT.sharedPrivateSubnetIds,
        });
    });
});

describe("the consumer docs' versions", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")) as {
        devDependencies: Record<string, string>;
    };
    const sdk = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as {
        engines: { node: string };
    };

    it("pin TypeScript at the version this package is built with", () => {
        assert.ok(DOC.includes(`npm install --save-dev typescript@${manifest.devDependencies.typescript}\n`));
    });

    it("name the Node.js version the Pulumi SDK declares, in the README and the consumer docs", () => {
        assert.strictEqual(sdk.engines.node, ">=22");
        const readme = fs.readFileSync(path.join(PACKAGE_DIR, "README.md"), "utf8");
        for (const text of [readme, DOC]) {
            assert.ok(text.includes("declares `node >=22`"));
        }
    });
});
