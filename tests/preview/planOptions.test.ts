import * as assert from "assert";
import { spawnSync } from "child_process";
import { ApiCluster } from "../../components/apiCluster";
import { FleetMode } from "../../components/config/schema";
import { PREVIEW_NODE_ARGS } from "../../preview/command";
import { PROJECT_DIR } from "../../preview/offlinePreview";
import { Plan, PlanStep, buildPlan } from "../../preview/plan";
import { runUnderMocks } from "../../preview/runUnderMocks";

/** The deploy-time option fields of a plan step's new state. */
const OPTION_FIELDS = ["protect", "retainOnDelete", "ignoreChanges", "replaceOnChanges", "deleteBeforeReplace", "resourceHooks"] as const;

/** Every step that sets an option, by the resource's name, with exactly the options it sets. */
function optionsByName(steps: PlanStep[]): Record<string, Record<string, unknown>> {
    const byName: Record<string, Record<string, unknown>> = {};
    for (const step of steps) {
        const options = Object.fromEntries(
            OPTION_FIELDS.filter((field) => step.newState[field] !== undefined).map((field) => [field, step.newState[field]]),
        );
        if (Object.keys(options).length > 0) {
            byName[step.urn.split("::").pop() as string] = options;
        }
    }
    return byName;
}

const ATTACHMENT_HOOKS = {
    AfterCreate: ["api-target-in-service"],
    BeforeDelete: ["api-last-healthy-target"],
    AfterDelete: ["api-target-drained"],
};

describe("the plan's deploy-time options", () => {
    it("npm run preview:offline -- --stack dev --json shows the instances' replaceOnChanges and the attachments' hooks, and no option elsewhere but the image's retainOnDelete", function () {
        this.timeout(120_000);
        const result = spawnSync(process.execPath, [...PREVIEW_NODE_ARGS, "--stack", "dev", "--json"], {
            cwd: PROJECT_DIR,
            encoding: "utf8",
        });
        assert.strictEqual(result.status, 0, result.stderr);
        const plan = JSON.parse(result.stdout) as Plan;
        assert.deepStrictEqual(optionsByName(plan.steps), {
            "api-image-image": { retainOnDelete: true },
            "api-api-0": { replaceOnChanges: ["instanceType", "userData"] },
            "api-api-1": { replaceOnChanges: ["instanceType", "userData"] },
            "api-api-0-attachment": { resourceHooks: ATTACHMENT_HOOKS },
            "api-api-1-attachment": { resourceHooks: ATTACHMENT_HOOKS },
        });
    });

    it("shows the group's ignoreChanges and afterCreate hook with fleet autoscaling, and no instance or attachment", async () => {
        const run = await runUnderMocks(() => {
            new ApiCluster("api", { amiId: "ami-0123456789abcdef0", fleet: FleetMode.AutoScaling, instanceCount: 3 });
            return {};
        });
        assert.deepStrictEqual(optionsByName(buildPlan(run.resources, run.outputs).steps), {
            "api-group": { ignoreChanges: ["desiredCapacity"], resourceHooks: { AfterCreate: ["api-group-in-service"] } },
        });
    });

    it("shows protect, deleteBeforeReplace and every hook type when a resource sets them, each under the engine's name", () => {
        const hooks = {
            beforeCreate: ["a"],
            afterCreate: ["b"],
            beforeUpdate: ["c"],
            afterUpdate: ["d"],
            beforeDelete: ["e"],
            afterDelete: ["f"],
            onError: ["g"],
        };
        const resource = {
            urn: "urn:pulumi:dev::api-cluster::aws:s3/bucket:Bucket::b",
            type: "aws:s3/bucket:Bucket",
            name: "b",
            custom: true,
            inputs: {},
            outputs: {},
            dependencies: [],
            propertyDependencies: {},
            retainOnDelete: true,
            ignoreChanges: ["tags"],
            replaceOnChanges: ["bucket"],
            deleteBeforeReplace: true,
            protect: true,
            hooks,
            aliases: [],
        };
        assert.deepStrictEqual(optionsByName(buildPlan([resource], {}).steps), {
            b: {
                protect: true,
                retainOnDelete: true,
                ignoreChanges: ["tags"],
                replaceOnChanges: ["bucket"],
                deleteBeforeReplace: true,
                resourceHooks: {
                    BeforeCreate: ["a"],
                    AfterCreate: ["b"],
                    BeforeUpdate: ["c"],
                    AfterUpdate: ["d"],
                    BeforeDelete: ["e"],
                    AfterDelete: ["f"],
                    OnError: ["g"],
                },
            },
        });
        const bare = {
            ...resource,
            retainOnDelete: false,
            ignoreChanges: [],
            replaceOnChanges: [],
            deleteBeforeReplace: false,
            protect: false,
            hooks: Object.fromEntries(Object.keys(hooks).map((kind) => [kind, []])) as unknown as typeof hooks,
        };
        assert.deepStrictEqual(optionsByName(buildPlan([bare], {}).steps), {});
    });
});
