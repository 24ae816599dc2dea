/**
 * What each workflow must do, asserted on its parsed YAML: the triggers, the stacks, the policy
 * pack, OIDC instead of keys, the deploy order, least-privilege permissions and pinned actions.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { MIN_CLI_VERSION_FOR_HOOKS } from "../../components/fleet/targetHealthHooks";
import { PACK_NAME } from "../../policy-pack/packInfo";
import { parseRolloutArgs } from "../../rollout/cli";
import { Job, REPO_ROOT, Step, WorkflowFile, allSteps, loadWorkflows, permissionMap, stepsUsing, workflowNamed } from "./workflowFiles";

/** The stacks, in deploy order. */
const STACKS = ["dev", "staging", "prod"];

/** The reusable workflow deploy.yml calls once per stack. */
const UP_WORKFLOW = "./.github/workflows/up.yml";

/** The file that pins the Pulumi CLI's version for every workflow. */
const PULUMI_VERSION_FILE = ".github/pulumi-version";

/** An action pinned to a major version tag or to a full commit SHA. */
const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[^@]+)?@(v\d+|[0-9a-f]{40})$/;

/** The `x.y.z` of a version, as numbers. */
function versionParts(version: string): number[] {
    const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
    assert.ok(match, `${JSON.stringify(version)} is not an x.y.z version`);
    return match.slice(1).map(Number);
}

/** Whether version a is at least version b. */
function atLeast(a: string, b: string): boolean {
    const [pa, pb] = [versionParts(a), versionParts(b)];
    for (let i = 0; i < 3; i++) {
        if (pa[i] !== pb[i]) {
            return pa[i] > pb[i];
        }
    }
    return true;
}

/** Every Pulumi.<stack>.yaml's stack name: the package's three and any the user added. */
function stackFileNames(): string[] {
    return fs
        .readdirSync(REPO_ROOT)
        .map((name) => /^Pulumi\.([^.]+)\.ya?ml$/.exec(name)?.[1])
        .filter((name): name is string => name !== undefined);
}

/** The one step of a job that uses pulumi/actions with a command. */
function pulumiCommandStep(job: Job): Step {
    const steps = stepsUsing(job, "pulumi/actions").filter((step) => step.with?.command !== undefined);
    assert.strictEqual(steps.length, 1, "expected exactly one pulumi/actions step with a command");
    return steps[0];
}

/** Whether a job assumes an AWS role: configure-aws-credentials itself, or a call to up.yml, which does. */
function assumesAwsRole(job: Job): boolean {
    return stepsUsing(job, "aws-actions/configure-aws-credentials").length > 0 || job.uses === UP_WORKFLOW;
}

/** Every place a file references a `secrets.` value, by the YAML path of the mapping that holds it. */
function secretScopes(file: WorkflowFile): string[] {
    const scopes: string[] = [];
    const visit = (node: unknown, at: string[]) => {
        if (typeof node === "string") {
            if (/\$\{\{[^}]*\bsecrets\./.test(node)) {
                scopes.push(at.join("."));
            }
        } else if (Array.isArray(node)) {
            node.forEach((item, i) => visit(item, [...at, String(i)]));
        } else if (node && typeof node === "object") {
            for (const [key, value] of Object.entries(node)) {
                visit(value, [...at, key]);
            }
        }
    };
    visit(file.workflow, []);
    return scopes;
}

describe("workflows: structure", function () {
    const files = loadWorkflows();
    const ci = workflowNamed(files, "ci.yml");
    const preview = workflowNamed(files, "preview.yml");
    const deploy = workflowNamed(files, "deploy.yml");
    const up = workflowNamed(files, "up.yml");
    const policy = workflowNamed(files, "policy.yml");

    describe("every workflow", function () {
        for (const file of files) {
            describe(file.relativePath, function () {
                it("sets permissions at the top level or on every job, never write-all", function () {
                    const top = permissionMap(file.workflow.permissions);
                    for (const [jobId, job] of Object.entries(file.workflow.jobs)) {
                        const effective = permissionMap(job.permissions) ?? top;
                        assert.ok(effective, `job ${jobId} has no permissions and neither has the workflow`);
                        assert.notStrictEqual(effective["*"], "write", `job ${jobId} has write-all`);
                    }
                    assert.notStrictEqual(
                        top?.["id-token"],
                        "write",
                        "id-token: write belongs on the jobs that assume a role, not the workflow",
                    );
                });

                it("grants id-token: write exactly to the jobs that assume an AWS role", function () {
                    for (const [jobId, job] of Object.entries(file.workflow.jobs)) {
                        const idToken = permissionMap(job.permissions)?.["id-token"];
                        assert.strictEqual(idToken === "write", assumesAwsRole(job), `job ${jobId}: id-token is ${idToken ?? "unset"}`);
                    }
                });

                it("pins every action to a major version or a commit SHA, with the release beside a SHA", function () {
                    const uses = [
                        ...Object.values(file.workflow.jobs).flatMap((job) => (job.uses ? [job.uses] : [])),
                        ...allSteps(file.workflow).flatMap(({ step }) => (step.uses ? [step.uses] : [])),
                    ];
                    for (const ref of uses.filter((candidate) => !candidate.startsWith("./"))) {
                        assert.match(ref, PINNED, `${ref} is not pinned to @vN or a 40-hex SHA`);
                        if (/@[0-9a-f]{40}$/.test(ref)) {
                            const line = file.text.split("\n").find((candidate) => candidate.includes(ref)) ?? "";
                            assert.match(line, /#\s*v\d+\.\d+\.\d+\s*$/, `${ref} needs a "# vX.Y.Z" comment for readers and Dependabot`);
                        }
                    }
                });

                it("sets up Node.js 22 or later wherever it runs npm or Pulumi", function () {
                    for (const [jobId, job] of Object.entries(file.workflow.jobs)) {
                        const steps = job.steps ?? [];
                        const needsNode = steps.some(
                            (step) => /\bnpm\b|\.ci\/run|\bpulumi\b/.test(step.run ?? "") || step.uses?.startsWith("pulumi/actions@"),
                        );
                        const setups = stepsUsing(job, "actions/setup-node");
                        if (!needsNode) {
                            continue;
                        }
                        assert.strictEqual(setups.length, 1, `job ${jobId} runs npm or Pulumi without actions/setup-node`);
                        const version = String(setups[0].with?.["node-version"]);
                        assert.ok(Number(version.split(".")[0]) >= 22, `job ${jobId}: node-version ${version} is below 22`);
                        const firstUse = steps.findIndex(
                            (step) => /\bnpm\b|\.ci\/run/.test(step.run ?? "") || step.uses?.startsWith("pulumi/actions@"),
                        );
                        assert.ok(steps.indexOf(setups[0]) < firstUse, `job ${jobId} sets up Node.js after using it`);
                    }
                });

                it("uses OIDC, never long-lived AWS keys", function () {
                    assert.doesNotMatch(file.text, /aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
                    for (const { jobId, step } of allSteps(file.workflow).filter(({ step }) =>
                        step.uses?.startsWith("aws-actions/configure-aws-credentials@"),
                    )) {
                        assert.ok(step.with?.["role-to-assume"], `job ${jobId}: configure-aws-credentials without role-to-assume`);
                    }
                });

                it("hands secrets to steps only, never to a whole job or workflow", function () {
                    for (const scope of secretScopes(file)) {
                        // jobs.<id>.steps.<n>.env.X, jobs.<id>.steps.<n>.with.X, or jobs.<id>.secrets.X (a reusable call).
                        assert.match(scope, /^jobs\.[^.]+\.(steps\.\d+\.(env|with)|secrets)\.[^.]+$/, `secret referenced at ${scope}`);
                    }
                });

                it("pins the Pulumi CLI with .github/pulumi-version", function () {
                    for (const { jobId, step } of allSteps(file.workflow).filter(({ step }) => step.uses?.startsWith("pulumi/actions@"))) {
                        assert.strictEqual(step.with?.["pulumi-version-file"], PULUMI_VERSION_FILE, `job ${jobId}`);
                    }
                });

                it("never runs on pull_request_target", function () {
                    assert.ok(!("pull_request_target" in file.workflow.on));
                });
            });
        }
    });

    describe("ci.yml", function () {
        it("runs on pull requests and on pushes to main", function () {
            assert.ok("pull_request" in ci.workflow.on);
            assert.deepStrictEqual(ci.workflow.on.push?.branches, ["main"]);
        });

        it("needs no secrets, so it runs on forks too", function () {
            assert.doesNotMatch(ci.text, /secrets\./);
            assert.ok(!Object.values(ci.workflow.jobs).some(assumesAwsRole));
        });

        it("has exactly one job, check: the Spring Boot example is built and run by .ci/run's tests (tests/examples)", function () {
            assert.deepStrictEqual(Object.keys(ci.workflow.jobs), ["check"]);
        });

        it("runs .ci/run, with Node.js 22 and a Temurin JDK 17 set up first, Maven's ~/.m2 cached for the Spring Boot example", function () {
            const job = ci.workflow.jobs.check;
            const steps = job.steps ?? [];
            const run = steps.findIndex((step) => step.run?.trim() === "bash .ci/run");
            assert.ok(run >= 0, "no step runs `bash .ci/run`");
            const java = stepsUsing(job, "actions/setup-java");
            assert.strictEqual(java.length, 1);
            assert.deepStrictEqual(java[0].with, { distribution: "temurin", "java-version": "17", cache: "maven" });
            assert.ok(steps.indexOf(java[0]) < run);
        });

        it("runs what .ci/run runs: npm ci, then npm run check (lint, typecheck, test, preview:all)", function () {
            const script = fs.readFileSync(path.join(REPO_ROOT, ".ci", "run"), "utf8");
            const lines = script.split("\n").map((line) => line.trim());
            const install = lines.findIndex((line) => /^npm ci\b/.test(line));
            const check = lines.findIndex((line) => line === "npm run check");
            assert.ok(install >= 0 && check > install, ".ci/run must run `npm ci` and then `npm run check`");
            const scripts = (
                JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
            ).scripts;
            for (const part of ["lint", "typecheck", "test", "preview:all"]) {
                assert.match(scripts.check, new RegExp(`npm (run )?${part}\\b`), `npm run check does not run ${part}`);
            }
        });
    });

    describe("preview.yml", function () {
        const [jobId, job] = Object.entries(preview.workflow.jobs)[0];

        it("runs on pull requests only", function () {
            assert.deepStrictEqual(Object.keys(preview.workflow.on), ["pull_request"]);
        });

        it("previews exactly dev, staging and prod, one matrix job each, each from its stack file", function () {
            assert.strictEqual(Object.keys(preview.workflow.jobs).length, 1);
            assert.deepStrictEqual(job.strategy?.matrix?.stack, STACKS);
            // A stack file of the user's own is theirs to add to the matrix when they deploy it.
            assert.deepStrictEqual(
                STACKS.filter((stack) => !stackFileNames().includes(stack)),
                [],
                "a previewed stack without its Pulumi.<stack>.yaml",
            );
            assert.strictEqual(job.strategy?.["fail-fast"], false);
        });

        it("runs pulumi preview with the policy pack and comments on the pull request", function () {
            const step = pulumiCommandStep(job);
            assert.strictEqual(step.with?.command, "preview");
            assert.strictEqual(step.with?.policyPacks, "policy-pack");
            assert.strictEqual(
                step.with?.policyPackConfigs,
                "${{ matrix.stack == 'dev' && 'policy-pack/config.dev.json' || 'policy-pack/config.json' }}",
            );
            assert.strictEqual(step.with?.["comment-on-pr"], true);
            assert.match(String(step.with?.["stack-name"]), /matrix\.stack/);
            assert.match(String(step.with?.["stack-name"]), /vars\.PULUMI_ORG/);
        });

        it("assumes the AWS role through OIDC before previewing", function () {
            const aws = stepsUsing(job, "aws-actions/configure-aws-credentials");
            assert.strictEqual(aws.length, 1);
            assert.strictEqual(aws[0].with?.["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}");
            const steps = job.steps ?? [];
            assert.ok(steps.indexOf(aws[0]) < steps.indexOf(pulumiCommandStep(job)));
        });

        it("asks for contents: read, id-token: write and pull-requests: write, and nothing else", function () {
            assert.deepStrictEqual(permissionMap(preview.workflow.permissions), {});
            assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write", "pull-requests": "write" });
        });

        it(`skips pull requests from forks (job ${jobId}), which get no secrets and no OIDC token`, function () {
            assert.strictEqual(job.if, "github.event.pull_request.head.repo.full_name == github.repository");
        });
    });

    describe("deploy.yml and up.yml", function () {
        it("deploy.yml runs on pushes to main", function () {
            assert.deepStrictEqual(deploy.workflow.on.push?.branches, ["main"]);
        });

        it("deploys dev, then staging, then prod, each through up.yml with its own stack", function () {
            assert.deepStrictEqual(Object.keys(deploy.workflow.jobs), STACKS);
            STACKS.forEach((stack, i) => {
                const job = deploy.workflow.jobs[stack];
                assert.strictEqual(job.uses, UP_WORKFLOW, stack);
                assert.deepStrictEqual(job.with, { stack }, stack);
                assert.deepStrictEqual(job.needs, i === 0 ? undefined : STACKS[i - 1], `${stack} needs`);
            });
        });

        it("gives each stack its own concurrency group and never cancels an update in progress", function () {
            for (const stack of STACKS) {
                assert.deepStrictEqual(
                    deploy.workflow.jobs[stack].concurrency,
                    { group: `deploy-${stack}`, "cancel-in-progress": false },
                    stack,
                );
            }
            assert.strictEqual(deploy.workflow.concurrency, undefined, "a workflow-level group would serialize the stacks as one");
            // The same group in the called workflow would deadlock against the caller's.
            assert.strictEqual(up.workflow.jobs.up.concurrency, undefined);
        });

        it("passes up.yml only the inputs and secrets it declares, and every required one", function () {
            const call = up.workflow.on.workflow_call as {
                inputs: Record<string, { required?: boolean; type: string }>;
                secrets: Record<string, { required?: boolean }>;
            };
            for (const stack of STACKS) {
                const job = deploy.workflow.jobs[stack];
                for (const key of Object.keys(job.with ?? {})) {
                    assert.ok(key in call.inputs, `${stack} passes undeclared input ${key}`);
                }
                for (const [key, input] of Object.entries(call.inputs)) {
                    assert.ok(!input.required || key in (job.with ?? {}), `${stack} omits required input ${key}`);
                }
                assert.notStrictEqual(job.secrets, "inherit", "pass only the secrets up.yml needs");
                for (const key of Object.keys((job.secrets as Record<string, unknown>) ?? {})) {
                    assert.ok(key in call.secrets, `${stack} passes undeclared secret ${key}`);
                }
            }
        });

        it("up.yml runs as the stack's GitHub environment", function () {
            const environment = up.workflow.jobs.up.environment;
            assert.ok(environment && typeof environment === "object");
            assert.strictEqual(environment.name, "${{ inputs.stack }}");
        });

        it("up.yml runs pulumi up on the stack with the policy pack, then waits for healthy targets", function () {
            const job = up.workflow.jobs.up;
            const step = pulumiCommandStep(job);
            assert.strictEqual(step.with?.command, "up");
            assert.match(String(step.with?.["stack-name"]), /inputs\.stack/);
            assert.strictEqual(step.with?.policyPacks, "policy-pack");
            assert.strictEqual(
                step.with?.policyPackConfigs,
                "${{ inputs.stack == 'dev' && 'policy-pack/config.dev.json' || 'policy-pack/config.json' }}",
            );
            const steps = job.steps ?? [];
            const wait = steps.findIndex((candidate) => /aws elbv2 wait target-in-service/.test(candidate.run ?? ""));
            assert.ok(wait > steps.indexOf(step), "no wait for healthy targets after pulumi up");
            assert.strictEqual(steps[wait].env?.TARGET_GROUP_ARN, `\${{ steps.${step.id}.outputs.targetGroupArn }}`);
        });

        it("up.yml runs npm run smoke on the same stack after the wait for healthy targets: with credentials except in dev, which is plain HTTP", function () {
            const job = up.workflow.jobs.up;
            const steps = job.steps ?? [];
            const wait = steps.findIndex((candidate) => /aws elbv2 wait target-in-service/.test(candidate.run ?? ""));
            const smokes = steps.filter((candidate) => /npm run smoke/.test(candidate.run ?? ""));
            assert.deepStrictEqual(
                smokes.map((candidate) => [candidate.if, (candidate.run ?? "").trim()]),
                [
                    ["inputs.stack != 'dev'", 'npm run smoke -- --stack "$STACK"'],
                    ["inputs.stack == 'dev'", 'npm run smoke -- --stack "$STACK" --no-credentials'],
                ],
            );
            for (const smoke of smokes) {
                assert.ok(steps.indexOf(smoke) > wait && wait >= 0, "no npm run smoke after the wait for healthy targets");
                assert.strictEqual(smoke.env?.STACK, pulumiCommandStep(job).with?.["stack-name"]);
                assert.strictEqual(smoke.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
                assert.deepStrictEqual(
                    Object.keys(smoke.env ?? {}).sort(),
                    ["PULUMI_ACCESS_TOKEN", "STACK"],
                    "no password in the environment",
                );
            }
        });

        it("up.yml waits for the instance refresh of an autoscaling fleet after pulumi up, with the group and region from the outputs", function () {
            const job = up.workflow.jobs.up;
            const steps = job.steps ?? [];
            const step = pulumiCommandStep(job);
            const rollouts = steps.filter((candidate) => /npm run rollout:wait/.test(candidate.run ?? ""));
            assert.strictEqual(rollouts.length, 1);
            const [rollout] = rollouts;
            assert.ok(steps.indexOf(rollout) > steps.indexOf(step), "the rollout wait runs after pulumi up");
            assert.strictEqual(rollout.if, `steps.${step.id}.outputs.autoScalingGroupName != ''`);
            assert.deepStrictEqual(rollout.env, {
                GROUP_NAME: `\${{ steps.${step.id}.outputs.autoScalingGroupName }}`,
                TARGET_GROUP_ARN: `\${{ steps.${step.id}.outputs.targetGroupArn }}`,
                UP_STARTED_AT: "${{ steps.started.outputs.at }}",
            });
            assert.strictEqual(
                rollout.run,
                'region="$(cut -d: -f4 <<<"$TARGET_GROUP_ARN")"\n' +
                    'npm run rollout:wait -- --group "$GROUP_NAME" --region "$region" --since "$UP_STARTED_AT" --timeout 1800\n',
            );
            const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
                scripts: Record<string, string>;
            };
            assert.strictEqual(packageJson.scripts["rollout:wait"], "node -r ./preview/transpileCache.js rollout/cli.ts");
        });

        it("up.yml records the UTC time in ISO 8601 before pulumi up, for the rollout wait's --since", function () {
            const job = up.workflow.jobs.up;
            const steps = job.steps ?? [];
            const started = steps.filter((candidate) => candidate.id === "started");
            assert.strictEqual(started.length, 1);
            assert.strictEqual(started[0].run?.trim(), 'echo "at=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$GITHUB_OUTPUT"');
            assert.strictEqual(steps.indexOf(started[0]), steps.indexOf(pulumiCommandStep(job)) - 1, "recorded right before pulumi up");
        });

        it("up.yml's recorded time is one --since accepts", function () {
            const printed = execFileSync("date", ["-u", "+%Y-%m-%dT%H:%M:%SZ"], { encoding: "utf8" }).trim();
            const options = parseRolloutArgs(["--group", "g", "--since", printed]);
            assert.strictEqual(options.since?.toISOString(), printed.replace("Z", ".000Z"));
        });

        it("up.yml's bake (120 min) and rollout wait (30 min) fit in its job timeout and AWS session", function () {
            const job = up.workflow.jobs.up;
            const [aws] = stepsUsing(job, "aws-actions/configure-aws-credentials");
            const budgetMinutes = 120 + 1800 / 60;
            assert.ok(Number((job as { "timeout-minutes"?: number })["timeout-minutes"]) > budgetMinutes);
            assert.ok(Number(aws.with?.["role-duration-seconds"]) > budgetMinutes * 60);
        });

        it("up.yml's AWS session outlives a bake and its job timeout covers one", function () {
            const job = up.workflow.jobs.up;
            const [aws] = stepsUsing(job, "aws-actions/configure-aws-credentials");
            assert.strictEqual(aws.with?.["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}");
            // The program gives the image 120 minutes to build; the session and the job must outlast that.
            assert.ok(Number(aws.with?.["role-duration-seconds"]) >= 150 * 60);
            assert.ok(Number((job as { "timeout-minutes"?: number })["timeout-minutes"]) >= 150);
        });
    });

    describe("policy.yml", function () {
        const job = Object.values(policy.workflow.jobs)[0];
        const steps = job.steps ?? [];

        it("runs on pushes to main that change policy-pack/", function () {
            assert.deepStrictEqual(policy.workflow.on.push?.branches, ["main"]);
            assert.ok((policy.workflow.on.push?.paths as string[]).includes("policy-pack/**"));
        });

        it("takes the organization and the policy group from repository variables", function () {
            assert.strictEqual(job.env?.PULUMI_ORG, "${{ vars.PULUMI_ORG }}");
            assert.strictEqual(job.env?.POLICY_GROUP, "${{ vars.POLICY_GROUP }}");
            assert.strictEqual(job.env?.DEV_POLICY_GROUP, "${{ vars.DEV_POLICY_GROUP }}");
        });

        it("publishes the pack from policy-pack/ to the organization", function () {
            const publish = steps.find((step) => /pulumi policy publish/.test(step.run ?? ""));
            assert.ok(publish, "no pulumi policy publish step");
            assert.strictEqual(publish.run?.trim(), 'pulumi policy publish "$PULUMI_ORG"');
            assert.strictEqual(publish["working-directory"], "policy-pack");
            const install = steps.findIndex((step) => /npm ci\b.*--prefix policy-pack/.test(step.run ?? ""));
            assert.ok(install >= 0 && install < steps.indexOf(publish), "the pack's dependencies are installed first");
        });

        it("enables the published version of api-cluster-guardrails for the policy group, with the pack's config", function () {
            assert.strictEqual(job.env?.POLICY_PACK, PACK_NAME);
            const enable = steps.find((step) => /pulumi policy enable/.test(step.run ?? ""));
            assert.ok(enable, "no pulumi policy enable step");
            assert.match(enable.run ?? "", /pulumi policy enable "\$PULUMI_ORG\/\$POLICY_PACK" "\$version"/);
            assert.match(enable.run ?? "", /--policy-group "\$POLICY_GROUP" --config policy-pack\/config\.json\n/);
            assert.match(enable.run ?? "", /--policy-group "\$DEV_POLICY_GROUP" --config policy-pack\/config\.dev\.json\n/);
            assert.match(enable.run ?? "", /require\('\.\/policy-pack\/package\.json'\)\.version/);
        });
    });

    describe("files the workflows reference", function () {
        it("exist: .ci/run, the policy pack and its config, the Pulumi CLI version", function () {
            for (const file of [
                ".ci/run",
                "policy-pack/package.json",
                "policy-pack/PulumiPolicy.yaml",
                "policy-pack/config.json",
                "policy-pack/config.dev.json",
                PULUMI_VERSION_FILE,
            ]) {
                assert.ok(fs.existsSync(path.join(REPO_ROOT, file)), `${file} is missing`);
            }
            assert.doesNotThrow(() => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy-pack", "config.json"), "utf8")));
        });

        it("the pinned Pulumi CLI is no older than the @pulumi/pulumi SDK of the program and of the pack", function () {
            const cli = fs.readFileSync(path.join(REPO_ROOT, PULUMI_VERSION_FILE), "utf8").trim();
            for (const manifest of ["package.json", "policy-pack/package.json"]) {
                const sdk = (
                    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, manifest), "utf8")) as { dependencies: Record<string, string> }
                ).dependencies["@pulumi/pulumi"];
                assert.ok(atLeast(cli, sdk.replace(/^[\^~]/, "")), `CLI ${cli} is older than ${manifest}'s @pulumi/pulumi ${sdk}`);
            }
        });

        it(`the pinned Pulumi CLI runs resource hooks, so a failed health wait fails the update (${MIN_CLI_VERSION_FOR_HOOKS} or later)`, function () {
            const cli = fs.readFileSync(path.join(REPO_ROOT, PULUMI_VERSION_FILE), "utf8").trim();
            assert.ok(atLeast(cli, MIN_CLI_VERSION_FOR_HOOKS), `CLI ${cli} is older than ${MIN_CLI_VERSION_FOR_HOOKS}`);
            assert.strictEqual(atLeast("3.237.9", MIN_CLI_VERSION_FOR_HOOKS), false);
            assert.strictEqual(atLeast("3.238.0", MIN_CLI_VERSION_FOR_HOOKS), true);
        });

        it("dependabot.yml keeps the actions current", function () {
            const config = parse(fs.readFileSync(path.join(REPO_ROOT, ".github", "dependabot.yml"), "utf8")) as {
                updates: { "package-ecosystem": string }[];
            };
            assert.ok(config.updates.some((update) => update["package-ecosystem"] === "github-actions"));
        });
    });
});
