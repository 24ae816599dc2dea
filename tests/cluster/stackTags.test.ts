/**
 * Every resource that takes tags, in every stack's plan, carries `api-cluster:stack` = the stack:
 * the condition key the deploy role in docs/delivery.md narrows its writes with.
 *
 * Which types take tags comes from the provider packages themselves, not from a list here: a type
 * `aws:<module>/<file>:<Class>` takes tags when `<Class>Args` in @pulumi/aws's `<module>/<file>.d.ts`
 * declares `tags` (likewise awsx's `ec2/vpc.d.ts` and random's). The component's transformation
 * (components/stackTag.ts) decides by another source, the registered inputs, so the two check each
 * other.
 *
 * What the provider does with them (terraform-provider-aws, internal/tags and each resource's
 * `tags`/`tags_all`): `tags` is what the resource's arguments say; `tags_all` is computed, the
 * provider's `default_tags` (Pulumi's `aws:defaultTags` config) merged under `tags`, and is what is
 * sent to AWS. A stack's `aws:defaultTags` therefore still applies, and cannot override this tag.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import { STACK_TAG_KEY } from "../../components/stackTag";
import { offlinePreview } from "../../preview/offlinePreview";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The package folder and the .d.ts of a resource type token; undefined for types no provider package declares (components, the stack). */
function declarationOf(type: string): { file: string; argsName: string } | undefined {
    const match = /^(aws|awsx|random):([A-Za-z0-9]+)(?:\/([A-Za-z0-9]+))?:([A-Za-z0-9]+)$/.exec(type);
    if (!match) {
        return undefined;
    }
    const [, pkg, module, file, className] = match;
    const parts =
        pkg === "awsx" ? [module, className.charAt(0).toLowerCase() + className.slice(1)] : module === "index" ? [file] : [module, file];
    return { file: path.join(REPO_ROOT, "node_modules", "@pulumi", pkg, ...parts) + ".d.ts", argsName: `${className}Args` };
}

/** Whether the provider package declares `tags` in the type's Args interface. */
export function takesTags(type: string): boolean {
    const declaration = declarationOf(type);
    if (!declaration) {
        return false;
    }
    const text = fs.readFileSync(declaration.file, "utf8");
    const start = text.indexOf(`export interface ${declaration.argsName} {`);
    assert.ok(start >= 0, `${declaration.file} declares no ${declaration.argsName}`);
    const body = text.slice(start, text.indexOf("\n}", start));
    return /^\s+tags\?:/m.test(body);
}

/** The stack tag's value in a resource's `tags` input, in either shape (a map, or the Auto Scaling group's list). */
function stackTagOf(inputs: Record<string, unknown>): unknown {
    const tags = inputs.tags;
    if (Array.isArray(tags)) {
        const entries = tags.filter((tag: { key: string }) => tag.key === STACK_TAG_KEY);
        return entries.length === 1 ? entries[0] : entries;
    }
    return (tags as Record<string, unknown> | undefined)?.[STACK_TAG_KEY];
}

describe("the stack tag on every taggable resource of every stack's plan", function () {
    this.timeout(120_000);

    it("reads whether a type takes tags from the provider packages", () => {
        assert.strictEqual(takesTags("aws:iam/role:Role"), true);
        assert.strictEqual(takesTags("aws:autoscaling/group:Group"), true);
        assert.strictEqual(takesTags("awsx:ec2:Vpc"), true);
        assert.strictEqual(takesTags("aws:iam/rolePolicy:RolePolicy"), false);
        assert.strictEqual(takesTags("aws:lb/targetGroupAttachment:TargetGroupAttachment"), false);
        assert.strictEqual(takesTags("random:index/randomPassword:RandomPassword"), false);
        assert.strictEqual(takesTags("api-cluster:index:ApiCluster"), false);
    });

    for (const stack of ["dev", "staging", "prod"]) {
        it(`tags each taggable resource of ${stack} with ${STACK_TAG_KEY}=${stack}, and keeps its other tags`, async () => {
            const { plan } = await offlinePreview({ stack, skipPolicies: true });
            const taggable = plan.steps.filter((step) => takesTags(step.newState.type));
            const untagged = taggable
                .filter((step) => {
                    const tag = stackTagOf(step.newState.inputs);
                    return step.newState.type === "aws:autoscaling/group:Group"
                        ? !isDeepStrictEqual(tag, { key: STACK_TAG_KEY, value: stack, propagateAtLaunch: true })
                        : tag !== stack;
                })
                .map((step) => `${step.newState.type} ${step.urn.split("::").pop()}: ${JSON.stringify(step.newState.inputs.tags)}`);
            assert.deepStrictEqual(untagged, []);
            // Enough resources were looked at for the check to mean something: every stack tags its
            // load balancer, target group, listener, security groups and rules, role, profile, key and parameter.
            assert.ok(taggable.length >= 12, `only ${taggable.length} taggable resources in ${stack}`);

            // Existing tags are kept beside the stack tag.
            for (const step of plan.steps.filter((candidate) => candidate.newState.type === "aws:ec2/instance:Instance")) {
                assert.deepStrictEqual(Object.keys(step.newState.inputs.tags as object).sort(), ["Name", STACK_TAG_KEY]);
            }
            for (const step of plan.steps.filter((candidate) => candidate.newState.type === "aws:imagebuilder/image:Image")) {
                assert.deepStrictEqual(Object.keys(step.newState.inputs.tags as object).sort(), ["api-cluster:image", STACK_TAG_KEY]);
            }
            for (const step of plan.steps.filter((candidate) => candidate.newState.type === "aws:autoscaling/group:Group")) {
                assert.deepStrictEqual(step.newState.inputs.tags, [
                    { key: "Name", value: "api-api", propagateAtLaunch: true },
                    { key: STACK_TAG_KEY, value: stack, propagateAtLaunch: true },
                ]);
            }
            // What a launch template launches carries the tag too.
            for (const step of plan.steps.filter((candidate) => candidate.newState.type === "aws:ec2/launchTemplate:LaunchTemplate")) {
                assert.deepStrictEqual(step.newState.inputs.tagSpecifications, [
                    { resourceType: "instance", tags: { [STACK_TAG_KEY]: stack } },
                    { resourceType: "volume", tags: { [STACK_TAG_KEY]: stack } },
                ]);
            }
            // awsx's subnets, created by the awsx provider, get it through their specs.
            for (const step of plan.steps.filter((candidate) => candidate.newState.type === "awsx:ec2:Vpc")) {
                const specs = step.newState.inputs.subnetSpecs as { tags?: Record<string, string> }[];
                assert.deepStrictEqual(
                    specs.map((spec) => spec.tags),
                    specs.map(() => ({ [STACK_TAG_KEY]: stack })),
                );
            }
        });
    }

    it("plans the kinds of resource each shape of tag is written for: an Auto Scaling group, a launch template, awsx's VPC, instances", async () => {
        const types = new Set<string>();
        for (const stack of ["dev", "staging"]) {
            (await offlinePreview({ stack, skipPolicies: true })).plan.steps.forEach((step) => types.add(step.newState.type));
        }
        for (const type of [
            "aws:autoscaling/group:Group",
            "aws:ec2/launchTemplate:LaunchTemplate",
            "awsx:ec2:Vpc",
            "aws:ec2/instance:Instance",
        ]) {
            assert.ok(types.has(type), type);
        }
    });
});
