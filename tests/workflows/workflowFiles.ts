/**
 * The GitHub Actions workflows in `.github/workflows/`, read and parsed once for the workflow tests,
 * with the few shapes of the workflow syntax those tests look at.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** The repository's root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Where the workflows live. */
export const WORKFLOWS_DIR = path.join(REPO_ROOT, ".github", "workflows");

/** A step of a job. */
export interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    shell?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
    "working-directory"?: string;
}

/** A job: either one that runs steps or one that calls a reusable workflow (`uses`). */
export interface Job {
    name?: string;
    "runs-on"?: unknown;
    needs?: string | string[];
    if?: string;
    uses?: string;
    with?: Record<string, unknown>;
    secrets?: Record<string, unknown> | "inherit";
    permissions?: Record<string, string> | string;
    concurrency?: { group?: string; "cancel-in-progress"?: unknown } | string;
    environment?: { name?: string; url?: string } | string;
    strategy?: { matrix?: Record<string, unknown>; "fail-fast"?: boolean };
    env?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    defaults?: { run?: { shell?: string } };
    steps?: Step[];
}

/** A workflow file's document. */
export interface Workflow {
    name?: string;
    on: Record<string, any>;
    permissions?: Record<string, string> | string;
    concurrency?: unknown;
    env?: Record<string, unknown>;
    defaults?: { run?: { shell?: string } };
    jobs: Record<string, Job>;
}

/** One workflow file: its name (`ci.yml`), its path from the repository root, its text and its document. */
export interface WorkflowFile {
    name: string;
    relativePath: string;
    text: string;
    workflow: Workflow;
}

/** Every `.yml` and `.yaml` file in `.github/workflows/`, sorted by name. */
export function loadWorkflows(): WorkflowFile[] {
    return fs
        .readdirSync(WORKFLOWS_DIR)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => {
            const text = fs.readFileSync(path.join(WORKFLOWS_DIR, name), "utf8");
            // `on` stays the string "on": YAML 1.2, which the `yaml` package follows, has no `on: true`.
            const workflow = parse(text) as Workflow;
            return { name, relativePath: path.posix.join(".github", "workflows", name), text, workflow };
        });
}

/** The workflow file with this name; throws when it does not exist. */
export function workflowNamed(files: WorkflowFile[], name: string): WorkflowFile {
    const file = files.find((candidate) => candidate.name === name);
    if (!file) {
        throw new Error(`.github/workflows/${name} does not exist`);
    }
    return file;
}

/** Every step of every job, with the job's id. */
export function allSteps(workflow: Workflow): { jobId: string; job: Job; step: Step }[] {
    return Object.entries(workflow.jobs).flatMap(([jobId, job]) => (job.steps ?? []).map((step) => ({ jobId, job, step })));
}

/** The steps of a job that use an action from this repository (`owner/name`), at any ref. */
export function stepsUsing(job: Job, action: string): Step[] {
    return (job.steps ?? []).filter((step) => step.uses !== undefined && step.uses.split("@")[0] === action);
}

/** A job's `permissions` as a map (`{}` for none), or undefined when the job sets none. */
export function permissionMap(permissions: Workflow["permissions"]): Record<string, string> | undefined {
    if (permissions === undefined) {
        return undefined;
    }
    if (typeof permissions === "string") {
        // read-all / write-all: every scope at that level.
        return { "*": permissions.replace(/-all$/, "") };
    }
    return permissions ?? {};
}
