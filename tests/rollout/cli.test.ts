import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { AutoScalingClient, DescribeInstanceRefreshesCommand } from "@aws-sdk/client-auto-scaling";
import { mockClient } from "aws-sdk-client-mock";
import { USAGE, parseRolloutArgs, runRolloutCli } from "../../rollout/cli";

/** Runs the CLI against the mocked client; returns the exit code, stdout and stderr lines, and the regions asked for. */
async function run(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const regions: (string | undefined)[] = [];
    const code = await runRolloutCli(
        argv,
        (region) => {
            regions.push(region);
            return new AutoScalingClient({ region: region ?? "us-east-1" });
        },
        (line) => out.push(line),
        (line) => err.push(line),
    );
    return { code, out, err, regions };
}

describe("npm run rollout:wait", () => {
    const asg = mockClient(AutoScalingClient);
    beforeEach(() => asg.reset());
    after(() => asg.restore());

    it("parses every flag, with the defaults for those left out", () => {
        assert.deepStrictEqual(parseRolloutArgs(["--group", "g"]), { groupName: "g", timeoutSeconds: 3600, pollSeconds: 15, help: false });
        assert.deepStrictEqual(
            parseRolloutArgs([
                "--group",
                "g",
                "--region",
                "eu-west-1",
                "--since",
                "2026-12-01T14:05:09Z",
                "--timeout",
                "900",
                "--poll-interval=5",
            ]),
            {
                groupName: "g",
                region: "eu-west-1",
                since: new Date("2026-12-01T14:05:09Z"),
                timeoutSeconds: 900,
                pollSeconds: 5,
                help: false,
            },
        );
        assert.deepStrictEqual(
            parseRolloutArgs(["--group", "g", "--since", "2026-12-01T15:05:09.5+01:00"]).since,
            new Date("2026-12-01T14:05:09.500Z"),
        );
        assert.deepStrictEqual(parseRolloutArgs(["--group", "g"]), {
            groupName: "g",
            timeoutSeconds: 3600,
            pollSeconds: 15,
            help: false,
        });
    });

    it("exits 0 when the refresh succeeds, in the group's region", async () => {
        asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [{ InstanceRefreshId: "r-1", Status: "Successful" }] });
        const result = await run(["--group", "api-group", "--region", "eu-west-1"]);
        assert.deepStrictEqual(result, {
            code: 0,
            out: ["instance refresh r-1 of api-group: Successful", "instance refresh r-1 of api-group is Successful"],
            err: [],
            regions: ["eu-west-1"],
        });
    });

    it("exits 1 with the status and reason on stderr when the refresh fails", async () => {
        asg.on(DescribeInstanceRefreshesCommand).resolves({
            InstanceRefreshes: [{ InstanceRefreshId: "r-1", Status: "Failed", StatusReason: "Health checks failed." }],
        });
        const result = await run(["--group", "api-group"]);
        assert.strictEqual(result.code, 1);
        assert.deepStrictEqual(result.err, [
            "error: instance refresh r-1 of api-group is Failed (stopped before the end: the group may run old and new instances side by side): Health checks failed.; roll back by pointing api-cluster:amiId at the previous image and running pulumi up (docs/fleet.md)",
        ]);
    });

    it("exits 0 with one line when no refresh started since --since, even though an earlier one failed", async () => {
        asg.on(DescribeInstanceRefreshesCommand).resolves({
            InstanceRefreshes: [
                {
                    InstanceRefreshId: "r-1",
                    Status: "Failed",
                    StatusReason: "Health checks failed.",
                    StartTime: new Date("2026-12-01T13:59:59Z"),
                },
            ],
        });
        const result = await run(["--group", "api-group", "--since", "2026-12-01T14:00:00Z"]);
        assert.deepStrictEqual(result, {
            code: 0,
            out: ["Auto Scaling group api-group has no instance refresh started since 2026-12-01T14:00:00.000Z; nothing to wait for"],
            err: [],
            regions: [undefined],
        });
        assert.strictEqual(asg.commandCalls(DescribeInstanceRefreshesCommand).length, 1);
    });

    it("follows the refresh that started after --since, past an older failed one", async () => {
        asg.on(DescribeInstanceRefreshesCommand).resolves({
            InstanceRefreshes: [
                { InstanceRefreshId: "r-2", Status: "Successful", StartTime: new Date("2026-12-01T14:00:30Z") },
                {
                    InstanceRefreshId: "r-1",
                    Status: "Failed",
                    StatusReason: "Health checks failed.",
                    StartTime: new Date("2026-11-30T09:00:00Z"),
                },
            ],
        });
        const result = await run(["--group", "api-group", "--since", "2026-12-01T14:00:00Z"]);
        assert.deepStrictEqual(result.out, [
            "instance refresh r-2 of api-group: Successful",
            "instance refresh r-2 of api-group is Successful",
        ]);
        assert.strictEqual(result.code, 0);
    });

    it("exits 1 when AWS cannot be asked", async () => {
        asg.on(DescribeInstanceRefreshesCommand).rejects(new Error("Could not load credentials from any providers"));
        const result = await run(["--group", "api-group"]);
        assert.strictEqual(result.code, 1);
        assert.deepStrictEqual(result.err, ["error: could not read the instance refreshes: Could not load credentials from any providers"]);
    });

    const usageErrors: [string[], string][] = [
        [[], "--group is required"],
        [["--group"], "--group needs a value"],
        [["--group", ""], "--group needs a value"],
        [["--group", "g", "--timeout", "0"], '--timeout takes a whole number of seconds above 0; got "0"'],
        [["--group", "g", "--timeout", "-5"], '--timeout takes a whole number of seconds above 0; got "-5"'],
        [["--group", "g", "--poll-interval", "1.5"], '--poll-interval takes a whole number of seconds above 0; got "1.5"'],
        [
            ["--group", "g", "--stack", "dev"],
            "--stack, --config and --config-path do not apply to rollout:wait: give the group's name with --group",
        ],
        [["--group", "g", "--region", ""], "--region needs a value"],
        [["--group", "g", "--group", "h"], "--group may be given only once"],
        [["--group", "g", "--wait"], 'unknown argument "--wait"'],
        [
            ["--group", "g", "--since", "2026-12-01 14:00:00"],
            '--since takes an ISO 8601 time with a zone, such as 2026-12-01T14:05:09Z; got "2026-12-01 14:00:00"',
        ],
        [
            ["--group", "g", "--since", "2026-12-01T14:00:00"],
            '--since takes an ISO 8601 time with a zone, such as 2026-12-01T14:05:09Z; got "2026-12-01T14:00:00"',
        ],
        [
            ["--group", "g", "--since", "2026-13-01T14:00:00Z"],
            '--since takes an ISO 8601 time with a zone, such as 2026-12-01T14:05:09Z; got "2026-13-01T14:00:00Z"',
        ],
    ];
    for (const [argv, message] of usageErrors) {
        it(`exits 2 with the usage on ${JSON.stringify(argv)}`, async () => {
            const result = await run(argv);
            assert.deepStrictEqual(result, { code: 2, out: [], err: [`error: ${message}`, USAGE], regions: [] });
            assert.strictEqual(asg.calls().length, 0);
        });
    }

    it("prints the usage and exits 0 on --help", async () => {
        assert.deepStrictEqual(await run(["--help"]), { code: 0, out: [USAGE], err: [], regions: [] });
        assert.deepStrictEqual(await run(["--group", "g", "--timeout", "0", "-h"]), { code: 0, out: [USAGE], err: [], regions: [] });
    });

    it("runs as npm run rollout:wait does, through the shared transpile cache: 0 on --help, 2 on a bad --since", function () {
        const root = path.join(__dirname, "..", "..");
        const run = (args: string[]) =>
            spawnSync(process.execPath, ["-r", "./preview/transpileCache.js", "rollout/cli.ts", ...args], {
                cwd: root,
                encoding: "utf8",
                timeout: 60000,
            });
        const help = run(["--help"]);
        assert.deepStrictEqual([help.status, help.stdout, help.stderr], [0, `${USAGE}\n`, ""]);
        const bad = run(["--group", "g", "--since", "yesterday"]);
        assert.deepStrictEqual(
            [bad.status, bad.stdout, bad.stderr],
            [2, "", `error: --since takes an ISO 8601 time with a zone, such as 2026-12-01T14:05:09Z; got "yesterday"\n${USAGE}\n`],
        );
    });
});
