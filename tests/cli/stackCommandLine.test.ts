import * as assert from "assert";
import * as path from "path";
import { UsageError, applyConfigSettings, parseCommandLine, stackConfigFor } from "../../cli/stackCommandLine";
import { readStackSettings } from "../../components/config/stackConfig";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");

describe("the shared command line", function () {
    describe("parseCommandLine", function () {
        it("reads --help, --stack, --config, --config-path and the tool's own flags", function () {
            const commandLine = parseCommandLine(
                [
                    "-s",
                    "dev",
                    "--config",
                    "api-cluster:port=9000",
                    "-c",
                    "instanceCount=3",
                    "--config-path",
                    "--json",
                    "--url=http://x",
                    "-h",
                ],
                [
                    { name: "json", short: "j", takesValue: false },
                    { name: "url", takesValue: true },
                ],
            );
            assert.deepStrictEqual(commandLine, {
                help: true,
                stacks: ["dev"],
                config: [
                    { key: "api-cluster:port", value: "9000" },
                    { key: "instanceCount", value: "3" },
                ],
                configPath: true,
                flags: new Map([
                    ["json", ["true"]],
                    ["url", ["http://x"]],
                ]),
            });
        });

        it("refuses an unknown flag, a missing value, a repeated single flag and a --config without =", function () {
            const flags = [{ name: "url", takesValue: true }];
            assert.throws(() => parseCommandLine(["--stak", "dev"], flags), new UsageError('unknown argument "--stak"'));
            assert.throws(() => parseCommandLine(["--url"], flags), new UsageError("--url needs a value"));
            assert.throws(() => parseCommandLine(["--url", "--stack"], flags), new UsageError("--url needs a value"));
            assert.throws(() => parseCommandLine(["--url", "-s", "dev"], flags), new UsageError("--url needs a value"));
            assert.throws(() => parseCommandLine(["--url", "--nope"], flags), new UsageError("--url needs a value"));

            assert.throws(() => parseCommandLine(["--url", "a", "--url", "b"], flags), new UsageError("--url may be given only once"));
            assert.throws(() => parseCommandLine(["--config", "port"], flags), new UsageError('--config takes key=value; got "port"'));
            assert.throws(() => parseCommandLine(["--config-path=yes"], flags), new UsageError("--config-path takes no value"));
        });

        it("takes a value that starts with a dash but is no flag, such as -5, for the flag's own check to judge", function () {
            const flags = [{ name: "timeout", takesValue: true }];
            assert.deepStrictEqual(parseCommandLine(["--timeout", "-5"], flags).flags.get("timeout"), ["-5"]);
            assert.deepStrictEqual(parseCommandLine(["--timeout", "-"], flags).flags.get("timeout"), ["-"]);
        });
    });

    describe("applyConfigSettings", function () {
        const base = {
            "api-cluster:port": "8082",
            "api-cluster:healthCheck": '{"path":"/health","intervalSeconds":10}',
            "api-cluster:allowedCidrs": '["0.0.0.0/0"]',
        };

        it("replaces values as given without --config-path, adding the namespace to a bare key", function () {
            const config = applyConfigSettings(
                "api-cluster",
                base,
                [
                    { key: "port", value: "9000" },
                    { key: "api-cluster:healthCheck", value: '{"path":"/ready"}' },
                ],
                false,
            );
            assert.deepStrictEqual(config, { ...base, "api-cluster:port": "9000", "api-cluster:healthCheck": '{"path":"/ready"}' });
        });

        it("sets paths inside objects and lists with --config-path, typing booleans and integers as pulumi config set --path does", function () {
            const config = applyConfigSettings(
                "api-cluster",
                base,
                [
                    { key: "api-cluster:healthCheck.intervalSeconds", value: "5" },
                    { key: "api-cluster:stickiness.enabled", value: "true" },
                    { key: "api-cluster:stickiness.cookieName", value: "API_SESSION" },
                    { key: "api-cluster:allowedCidrs[1]", value: "10.0.0.0/8" },
                    { key: "port", value: "9000" },
                ],
                true,
            );
            assert.deepStrictEqual(config, {
                "api-cluster:port": "9000",
                "api-cluster:healthCheck": '{"path":"/health","intervalSeconds":5}',
                "api-cluster:allowedCidrs": '["0.0.0.0/0","10.0.0.0/8"]',
                "api-cluster:stickiness": '{"enabled":true,"cookieName":"API_SESSION"}',
            });
        });

        it("refuses a path into a value that is not an object, and an index past a list's end", function () {
            assert.throws(
                () => applyConfigSettings("api-cluster", base, [{ key: "api-cluster:port.x", value: "1" }], true),
                new UsageError("--config-path: api-cluster:port.x sets a field inside a value that is not an object"),
            );
            assert.throws(
                () => applyConfigSettings("api-cluster", base, [{ key: "api-cluster:allowedCidrs[3]", value: "1" }], true),
                new UsageError("--config-path: api-cluster:allowedCidrs[3] indexes 3 past the end of a list of 1"),
            );
        });
    });

    describe("stackConfigFor", function () {
        it("gives readStackSettings the stack file's config with the command line's settings on top", function () {
            const commandLine = parseCommandLine(
                [
                    "--stack",
                    "dev",
                    "--config-path",
                    "--config",
                    "api-cluster:stickiness.enabled=true",
                    "--config",
                    "api-cluster:healthCheck.unhealthyThreshold=3",
                ],
                [],
            );
            const { settings } = readStackSettings(stackConfigFor(PROJECT_DIR, "dev", commandLine).config);
            assert.deepStrictEqual(settings.stickiness, {
                enabled: true,
                type: "lb_cookie",
                cookieName: undefined,
                durationSeconds: 86400,
            });
            assert.strictEqual(settings.healthCheck.unhealthyThreshold, 3);
            assert.strictEqual(settings.healthCheck.intervalSeconds, 10);
            assert.strictEqual(settings.instanceCount, 2);
        });
    });
});
