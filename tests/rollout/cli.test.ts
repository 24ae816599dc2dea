import * as assert from "assert";
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
        assert.deepStrictEqual(parseRolloutArgs(["--group", "g", "--region", "eu-west-1", "--timeout", "900", "--poll-interval", "5"]), {
            groupName: "g",
            region: "eu-west-1",
            timeoutSeconds: 900,
            pollSeconds: 5,
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
            "error: instance refresh r-1 of api-group is Failed: Health checks failed.; roll back by pointing api-cluster:amiId at the previous image and running pulumi up (docs/fleet.md)",
        ]);
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
        [["--group", "g", "--poll-interval", "1.5"], '--poll-interval takes a whole number of seconds above 0; got "1.5"'],
        [["--group", "g", "--stack", "dev"], 'unknown argument "--stack"'],
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
    });
});
