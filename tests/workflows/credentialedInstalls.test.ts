/**
 * No dependency's install script runs beside a credential. A job that may mint an OIDC token
 * (`id-token: write`, which is what lets `aws-actions/configure-aws-credentials` assume the deploy
 * role) or that reads a Pulumi token secret must install with `npm ci --ignore-scripts`: a
 * dependency's `postinstall` runs as the job, so it could request the job's OIDC token from
 * ACTIONS_ID_TOKEN_REQUEST_URL or read a token from the environment of a later step's process tree.
 * The root package.json's own postinstall (the policy pack's install) is skipped by
 * --ignore-scripts too, so such a job installs policy-pack/ the same way, before the step that
 * runs the pack.
 *
 * And the preview job of pull requests reads a token meant for previews (PULUMI_PREVIEW_TOKEN, the
 * `preview` environment's secret), never the deploy token PULUMI_ACCESS_TOKEN.
 */
import * as assert from "assert";
import { stringify } from "yaml";
import { Job, Workflow, loadWorkflows, permissionMap, workflowNamed } from "./workflowFiles";

/** A secret whose name says it is a Pulumi token (PULUMI_ACCESS_TOKEN, PULUMI_PREVIEW_TOKEN, …). */
const PULUMI_TOKEN_SECRET = /\bsecrets\.(PULUMI_[A-Z0-9_]*TOKEN[A-Z0-9_]*)\b/g;

/** A package install that runs lifecycle scripts unless told not to: npm ci/install/i/add/clean-install, yarn, pnpm. */
const PACKAGE_INSTALL =
    /^(?:npm\s+(?:ci|install|i|add|clean-install|install-clean|isntall)|yarn(?:\s+install)?|pnpm\s+(?:install|i|add))(?:\s|$)/;

/** Why a job holds a credential: `id-token: write`, or each Pulumi token secret it reads. */
export function credentialsOf(workflow: Workflow, job: Job): string[] {
    const reasons: string[] = [];
    // A job without `permissions:` gets the workflow's.
    const permissions = permissionMap(job.permissions) ?? permissionMap(workflow.permissions) ?? {};
    if (permissions["id-token"] === "write" || permissions["*"] === "write") {
        reasons.push("id-token: write");
    }
    const text = stringify({ env: workflow.env ?? null, job });
    for (const match of text.matchAll(PULUMI_TOKEN_SECRET)) {
        if (!reasons.includes(match[1])) {
            reasons.push(match[1]);
        }
    }
    return reasons;
}

/** Every shell command of a `run:` script: one per line, and each part of `&&`, `||`, `;` and `|` chains. */
export function commandsOf(script: string): string[] {
    return script
        .replace(/\\\n/g, " ")
        .split("\n")
        .flatMap((line) => line.split(/&&|\|\||;|\|/))
        .map((command) => command.trim())
        .filter((command) => command !== "" && !command.startsWith("#"));
}

/** The package installs of a job that may run lifecycle scripts: those without --ignore-scripts. */
export function scriptedInstalls(job: Job): string[] {
    return (job.steps ?? [])
        .flatMap((step) => commandsOf(step.run ?? ""))
        .filter((command) => PACKAGE_INSTALL.test(command) && !/(?:^|\s)--ignore-scripts(?:=true)?(?:\s|$)/.test(command));
}

describe("workflows: installs in jobs that hold credentials", function () {
    const files = loadWorkflows();

    describe("the rule itself", function () {
        const withToken: Workflow = { on: {}, jobs: {} };
        it("counts id-token: write, from the job or from the workflow, and each Pulumi token secret as a credential", function () {
            assert.deepStrictEqual(credentialsOf(withToken, { permissions: { "id-token": "write" } }), ["id-token: write"]);
            assert.deepStrictEqual(credentialsOf({ ...withToken, permissions: { "id-token": "write" } }, {}), ["id-token: write"]);
            assert.deepStrictEqual(credentialsOf(withToken, { permissions: { "id-token": "none" } }), []);
            assert.deepStrictEqual(credentialsOf(withToken, { steps: [{ env: { TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" } }] }), [
                "PULUMI_ACCESS_TOKEN",
            ]);
            assert.deepStrictEqual(credentialsOf(withToken, { secrets: { T: "${{ secrets.PULUMI_PREVIEW_TOKEN }}" } }), [
                "PULUMI_PREVIEW_TOKEN",
            ]);
            assert.deepStrictEqual(credentialsOf(withToken, { steps: [{ env: { T: "${{ secrets.GITHUB_TOKEN }}" } }] }), []);
        });

        it("finds npm ci and npm install without --ignore-scripts, alone or chained, and passes them with it", function () {
            const job = (run: string): Job => ({ steps: [{ run }] });
            assert.deepStrictEqual(scriptedInstalls(job("npm ci --no-audit")), ["npm ci --no-audit"]);
            assert.deepStrictEqual(scriptedInstalls(job("cd x && npm install")), ["npm install"]);
            assert.deepStrictEqual(scriptedInstalls(job("npm ci --ignore-scripts\nnpm ci --prefix policy-pack")), [
                "npm ci --prefix policy-pack",
            ]);
            assert.deepStrictEqual(scriptedInstalls(job("npm ci --ignore-scripts --prefix policy-pack")), []);
            assert.deepStrictEqual(scriptedInstalls(job("npm run smoke -- --stack dev")), []);
        });
    });

    const credentialed = files.flatMap((file) =>
        Object.entries(file.workflow.jobs)
            .filter(([, job]) => job.steps !== undefined)
            .map(([jobId, job]) => ({ file, jobId, job, credentials: credentialsOf(file.workflow, job) }))
            .filter(({ credentials }) => credentials.length > 0),
    );

    it("finds exactly the jobs that hold credentials: the preview, pulumi up and the policy publish", function () {
        assert.deepStrictEqual(
            credentialed.map(({ file, jobId, credentials }) => `${file.name}:${jobId} ${credentials.join(",")}`),
            [
                "policy.yml:publish PULUMI_ACCESS_TOKEN",
                "preview.yml:preview id-token: write,PULUMI_PREVIEW_TOKEN",
                "up.yml:up id-token: write,PULUMI_ACCESS_TOKEN",
            ],
        );
    });

    for (const { file, jobId, job } of credentialed) {
        it(`${file.name}:${jobId} installs every package with --ignore-scripts`, function () {
            assert.deepStrictEqual(scriptedInstalls(job), []);
        });

        it(`${file.name}:${jobId} installs policy-pack/ itself, without scripts, before Pulumi runs`, function () {
            const steps = job.steps ?? [];
            const install = steps.findIndex((step) =>
                commandsOf(step.run ?? "").some((command) => /^npm ci\b/.test(command) && command.includes("--prefix policy-pack")),
            );
            const pulumi = steps.findIndex((step) => (step.uses ?? "").startsWith("pulumi/actions@") || /\bpulumi\s/.test(step.run ?? ""));
            assert.ok(install >= 0, "no `npm ci --ignore-scripts --prefix policy-pack` step");
            assert.ok(pulumi > install, "the policy pack is installed after Pulumi started");
        });
    }

    describe("preview.yml", function () {
        const { workflow } = workflowNamed(files, "preview.yml");
        const [job] = Object.values(workflow.jobs);
        const text = stringify(job);

        it("never reads the deploy token PULUMI_ACCESS_TOKEN", function () {
            assert.deepStrictEqual([...text.matchAll(/secrets\.PULUMI_ACCESS_TOKEN\b/g)].length, 0);
        });

        it("runs as the preview environment and gives Pulumi that environment's PULUMI_PREVIEW_TOKEN", function () {
            assert.strictEqual(job.environment, "preview");
            const pulumi = (job.steps ?? []).filter((step) => (step.uses ?? "").startsWith("pulumi/actions@"));
            assert.strictEqual(pulumi.length, 1);
            assert.deepStrictEqual(pulumi[0].env, { PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_PREVIEW_TOKEN }}" });
            assert.deepStrictEqual(
                [...text.matchAll(PULUMI_TOKEN_SECRET)].map((match) => match[1]),
                ["PULUMI_PREVIEW_TOKEN"],
            );
        });
    });
});
