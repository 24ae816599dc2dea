import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { applyConfigSettings } from "../../cli/stackCommandLine";
import { readStackConfig } from "../../cli/stackFiles";
import { readStackSettings } from "../../components/config/stackConfig";
import { SETTINGS } from "../../components/config/schema";
import { fromConfig } from "../../components/config/valueCheck";
import { problemsOf } from "../support/configProblems";

/**
 * Pulumi's config commands write a nested value typed by its text (pulumi.com/docs/iac/cli/commands/pulumi_config_set:
 * "When setting the config for a path, "true" and "false" are treated as boolean values, and integers are
 * treated as numbers. All other values are treated as strings. Top level entries are always treated as
 * strings."), and a stack file may quote a value or not. A setting takes what those write.
 */
describe("config values in the type Pulumi's config commands write them", () => {
    describe("a string setting", () => {
        it('takes a nested integer by its decimal text: healthCheck.matcher 200 is "200"', () => {
            assert.deepStrictEqual(readStackSettings({ "api-cluster:healthCheck": '{"matcher":200}' }).settings.healthCheck.matcher, "200");
            assert.strictEqual(fromConfig(SETTINGS.instanceType, 7), "7");
        });

        it("takes a nested boolean by its text", () => {
            assert.strictEqual(fromConfig(SETTINGS.instanceType, true), "true");
        });

        it("refuses a number whose text is ambiguous (a fraction, an unsafe integer), naming the key and what was given", () => {
            assert.deepStrictEqual(problemsOf({ healthCheck: '{"matcher":200.5}' }), [
                "api-cluster:healthCheck.matcher must be a string; got 200.5",
            ]);
            assert.deepStrictEqual(problemsOf({ healthCheck: '{"matcher":12345678901234567890}' }), [
                "api-cluster:healthCheck.matcher must be a string; got 12345678901234567000",
            ]);
        });

        it("takes list items the same way: a list of strings given an integer item", () => {
            assert.deepStrictEqual(fromConfig(SETTINGS.allowedCidrs, [10, "10.0.0.0/8", false]), ["10", "10.0.0.0/8", "false"]);
        });
    });

    describe("a boolean setting", () => {
        it('takes "true" and "false" nested, as at the top level: stickiness.enabled "true"', () => {
            assert.strictEqual(readStackSettings({ "api-cluster:stickiness": '{"enabled":"true"}' }).settings.stickiness.enabled, true);
            assert.strictEqual(readStackSettings({ "api-cluster:stickiness": '{"enabled":"false"}' }).settings.stickiness.enabled, false);
            assert.strictEqual(readStackSettings({ "api-cluster:deletionProtection": "true" }).settings.deletionProtection, true);
        });

        it("refuses any other text, naming the key", () => {
            assert.deepStrictEqual(problemsOf({ stickiness: '{"enabled":"True"}' }), [
                'api-cluster:stickiness.enabled must be true or false; got "True"',
            ]);
            assert.deepStrictEqual(problemsOf({ stickiness: '{"enabled":1}' }), [
                "api-cluster:stickiness.enabled must be true or false; got 1",
            ]);
        });
    });

    describe("an integer setting", () => {
        it('takes an integer\'s text nested, as at the top level: healthCheck.intervalSeconds "15", app.javaVersion "21"', () => {
            assert.strictEqual(
                readStackSettings({ "api-cluster:healthCheck": '{"intervalSeconds":"15"}' }).settings.healthCheck.intervalSeconds,
                15,
            );
            assert.strictEqual(readStackSettings({ "api-cluster:app": '{"javaVersion":"21"}' }).settings.app.javaVersion, 21);
            assert.strictEqual(readStackSettings({ "api-cluster:instanceCount": "3" }).settings.instanceCount, 3);
        });

        it("refuses text that is not an integer, naming the key", () => {
            assert.deepStrictEqual(problemsOf({ healthCheck: '{"intervalSeconds":"15s"}' }), [
                'api-cluster:healthCheck.intervalSeconds must be an integer from 5 to 300; got "15s"',
            ]);
        });
    });

    describe("a choice setting", () => {
        it("takes a nested boolean or integer whose text is a choice, and refuses one outside the choices as given", () => {
            assert.strictEqual(
                readStackSettings({ "api-cluster:stickiness": '{"type":"app_cookie","cookieName":"S"}' }).settings.stickiness.type,
                "app_cookie",
            );
            assert.deepStrictEqual(problemsOf({ stickiness: '{"type":1}' }), [
                "api-cluster:stickiness.type must be one of lb_cookie, app_cookie; got 1",
            ]);
        });
    });

    it("accepts what pulumi config set --path writes: matcher 200 and stickiness.enabled true, through --config-path", () => {
        const config = applyConfigSettings(
            "api-cluster",
            {},
            [
                { key: "api-cluster:healthCheck.matcher", value: "200" },
                { key: "api-cluster:stickiness.enabled", value: "true" },
            ],
            true,
        );
        assert.deepStrictEqual(config, { "api-cluster:healthCheck": '{"matcher":200}', "api-cluster:stickiness": '{"enabled":true}' });
        const { settings } = readStackSettings(config);
        assert.strictEqual(settings.healthCheck.matcher, "200");
        assert.strictEqual(settings.stickiness.enabled, true);
    });

    it('accepts a stack file that writes matcher: 200 unquoted and enabled: "true" quoted', () => {
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-config-types-"));
        try {
            fs.writeFileSync(path.join(work, "Pulumi.yaml"), "name: api-cluster\nruntime: nodejs\n");
            fs.writeFileSync(
                path.join(work, "Pulumi.mine.yaml"),
                'config:\n  api-cluster:healthCheck:\n    matcher: 200\n  api-cluster:stickiness:\n    enabled: "true"\n',
            );
            const { settings } = readStackSettings(readStackConfig(work, "mine").config);
            assert.strictEqual(settings.healthCheck.matcher, "200");
            assert.strictEqual(settings.stickiness.enabled, true);
        } finally {
            fs.rmSync(work, { recursive: true, force: true });
        }
    });
});
