/**
 * The offline preview: runs a program under the mocks with a stack's config, builds its plan, and
 * checks the registered resources against the policy pack in `policy-pack/`.
 */
import * as fs from "fs";
import * as path from "path";
import type { AnalyzedResource, PolicyViolation } from "../policy-pack/analyzeInProcess";
import { loadPolicyAnalyzer } from "./policyAnalyzer";
import { Plan, buildPlan } from "./plan";
import { runUnderMocks } from "./runUnderMocks";
import { projectProgram, readStackConfig } from "../cli/stackFiles";

/** The repository's root: Pulumi.yaml, index.ts and the stack files. */
export const PROJECT_DIR = path.join(__dirname, "..");

/** What to preview. */
export interface OfflinePreviewOptions {
    /** The stack whose Pulumi.<stack>.yaml supplies the config. */
    stack: string;
    /** Folder holding Pulumi.yaml and the stack files. Default: the repository's root. */
    projectDir?: string;
    /** The program's entry module. Default: the project's, Pulumi.yaml's `main` in `projectDir` (this repository's index.ts). */
    program?: string;
    /** Path of a policy pack config file (as `--policy-pack-config`). Default: none, each policy's defaults. */
    policyConfigFile?: string;
    /** Config values that override the stack file's, by full key (`api-cluster:instanceCount`). Default none. */
    configOverrides?: Record<string, string>;
    /** Skips the policy pack. Default false. */
    skipPolicies?: boolean;
}

/** The preview's result. */
export interface OfflinePreviewResult {
    /** The stack previewed. */
    stack: string;
    /** The plan, shaped like `pulumi preview --json`. */
    plan: Plan;
    /** Config keys whose `secure:` value was replaced by a secret placeholder. */
    placeholderKeys: string[];
    /** Every policy violation, in the pack's order. */
    policyViolations: PolicyViolation[];
}

/**
 * The stack tags the offline preview gives the policy pack: Pulumi's own project and stack tags,
 * and `environment` set to the stack's name, the convention the README's runbook sets with
 * `pulumi stack tag set environment <stack>` (the production policies read it).
 */
export function offlineStackTags(project: string, stack: string): Record<string, string> {
    return { "pulumi:project": project, "pulumi:stack": stack, environment: stack };
}

/** Loads the program module afresh, so its top-level code runs with the config just set. */
function loadProgram(program: string): Record<string, unknown> {
    const resolved = require.resolve(program);
    delete require.cache[resolved];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { ...require(resolved) };
}

/** Runs the preview. Throws the program's error (a SettingsError for config mistakes). */
export async function offlinePreview(options: OfflinePreviewOptions): Promise<OfflinePreviewResult> {
    const projectDir = options.projectDir ?? PROJECT_DIR;
    const program = options.program ?? projectProgram(projectDir);
    const stackConfig = readStackConfig(projectDir, options.stack);
    const run = await runUnderMocks(() => loadProgram(program), {
        project: stackConfig.project,
        stack: stackConfig.stack,
        config: { ...stackConfig.config, ...options.configOverrides },
        secretKeys: stackConfig.secretKeys,
    });
    const plan = buildPlan(run.resources, run.outputs);

    let policyViolations: PolicyViolation[] = [];
    if (!options.skipPolicies) {
        const analyzer = loadPolicyAnalyzer();
        // Under mocks a resource's state is its inputs plus what AWS would compute (`arn`, `id`), so the
        // stack policies can follow ARNs as they do over the engine's outputs.
        const resources: AnalyzedResource[] = run.resources.map((resource) => ({ ...resource, inputs: resource.outputs }));
        policyViolations = await analyzer.analyzeInProcess(resources, {
            config: options.policyConfigFile ? JSON.parse(fs.readFileSync(options.policyConfigFile, "utf8")) : undefined,
            stackTags: offlineStackTags(stackConfig.project, stackConfig.stack),
        });
    }
    return { stack: options.stack, plan, placeholderKeys: stackConfig.placeholderKeys, policyViolations };
}
