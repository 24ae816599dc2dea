import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Folders not copied: installed or built, linked (node_modules) or left out. */
const NOT_COPIED = new Set(["node_modules", ".git", ".build", "target"]);

/**
 * A stack file of the user's own, the documented way to configure their API: another region, two
 * instances, TLS by name (so it passes the production policies that a stack outside the policy
 * groups is previewed with).
 */
const USER_STACK = "orders";
const USER_STACK_FILE = [
    "# orders: my own API's stack",
    "config:",
    "  aws:region: us-west-2",
    "  api-cluster:instanceCount: 2",
    "  api-cluster:hostedZoneName: example.com",
    "  api-cluster:domainName: orders.example.com",
    "",
].join("\n");

/**
 * The tests that held the repository to exactly dev, staging and prod, as `mocha --grep` picks them:
 * the stack list of the offline preview, the preview workflow's matrix and the policy groups.
 */
const STACK_TESTS = ["tests/preview/stacks.test.ts", "tests/workflows/structure.test.ts", "tests/policies/policyGroups.test.ts"];
const STACK_TEST_GREP = "stack files by name|previews exactly dev, staging and prod|policy groups";

describe("a stack file of the user's own", function () {
    this.timeout(300000);
    let copy: string;

    before(() => {
        // A copy of the repository as a clean clone has it, with its installed packages linked, plus the user's stack file.
        copy = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-user-stack-"));
        fs.cpSync(REPO_ROOT, copy, { recursive: true, filter: (source) => !NOT_COPIED.has(path.basename(source)) });
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
        fs.symlinkSync(path.join(REPO_ROOT, "policy-pack", "node_modules"), path.join(copy, "policy-pack", "node_modules"), "dir");
        fs.writeFileSync(path.join(copy, `Pulumi.${USER_STACK}.yaml`), USER_STACK_FILE);
    });
    after(() => fs.rmSync(copy, { recursive: true, force: true }));

    it("is previewed by npm run preview:all with the package's three stacks, which passes (exit 0)", () => {
        const result = spawnSync("npm", ["run", "-s", "preview:all"], { cwd: copy, encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stderr);
        const previewed = [...result.stdout.matchAll(/^Previewing update \(([^)]+)\):$/gm)].map((match) => match[1]);
        assert.deepStrictEqual(previewed, ["dev", USER_STACK, "prod", "staging"]);
        assert.match(result.stdout, /^ {4}url: "https:\/\/orders\.example\.com"$/m);
    });

    it("keeps the tests that named the package's stacks green: the preview's stack list, the workflows' matrix, the policy groups", () => {
        const result = spawnSync(
            process.execPath,
            [path.join(copy, "node_modules", ".bin", "mocha"), ...STACK_TESTS, "--grep", STACK_TEST_GREP],
            {
                cwd: copy,
                encoding: "utf8",
            },
        );
        assert.strictEqual(result.status, 0, `${result.stdout}\n${result.stderr}`);
        const passing = /^ {2}(\d+) passing/m.exec(result.stdout);
        assert.ok(passing, result.stdout);
        // The stack list, the matrix, and the policy groups' seven.
        assert.strictEqual(Number(passing[1]), 9, result.stdout);
        assert.doesNotMatch(result.stdout, /failing|pending/);
    });
});
