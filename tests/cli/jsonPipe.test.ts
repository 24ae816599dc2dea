import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { listStacks } from "../../cli/stackFiles";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/**
 * A reader at the far end of a pipe that waits a second before it reads, as a busy `jq` does, then
 * parses all it got and prints the number of reports and bytes. While it waits, the pipe fills
 * (64 KiB on Linux): a tool that calls process.exit right after its write loses the rest.
 */
const SLOW_JSON_READER =
    'setTimeout(() => { const text = require("fs").readFileSync(0, "utf8"); const report = JSON.parse(text); ' +
    "console.log(JSON.stringify({ reports: Array.isArray(report) ? report.length : 1, bytes: Buffer.byteLength(text) })); }, 1000)";

/**
 * Runs `npm run -s <script> -- <args>` with its stdout piped into the slow reader, as a user pipes it
 * into jq. npm puts the pipe in non-blocking mode, so the tool's writes to it are asynchronous, as
 * they are for a user's shell. Returns the tool's exit code (PIPESTATUS), the reader's and its line.
 */
function pipedThroughSlowReader(
    script: string,
    args: string[],
): { toolStatus: number; readerStatus: number; read: string; stderr: string } {
    const quoted = args.map((arg) => `'${arg}'`).join(" ");
    const result = spawnSync(
        "bash",
        ["-c", `npm run -s ${script} -- ${quoted} | node -e '${SLOW_JSON_READER}'; echo "status \${PIPESTATUS[0]} \${PIPESTATUS[1]}" >&2`],
        { cwd: PROJECT_DIR, encoding: "utf8" },
    );
    const statuses = /status (\d+) (\d+)\n$/.exec(result.stderr);
    assert.ok(statuses, result.stderr);
    return { toolStatus: Number(statuses[1]), readerStatus: Number(statuses[2]), read: result.stdout.trim(), stderr: result.stderr };
}

describe("--json through a pipe", function () {
    this.timeout(120000);

    it("reaches a slow reader whole: preview:offline --all-stacks --json parses, one report per stack, exit 0", function () {
        const { toolStatus, readerStatus, read, stderr } = pipedThroughSlowReader("preview:offline", ["--all-stacks", "--json"]);
        assert.strictEqual(readerStatus, 0, stderr);
        assert.strictEqual(toolStatus, 0, stderr);
        const { reports, bytes } = JSON.parse(read) as { reports: number; bytes: number };
        assert.strictEqual(reports, listStacks(PROJECT_DIR).length);
        assert.ok(bytes > 4 * 65536, `the report is ${bytes} bytes, well past what a pipe holds`);
    });

    it("keeps the exit code of a failed preview: a mandatory violation exits 1 and its JSON still parses", function () {
        const { toolStatus, readerStatus, read, stderr } = pipedThroughSlowReader("preview:offline", [
            "--stack",
            "dev",
            "--json",
            "--policy-pack-config",
            "dev=policy-pack/config.json",
        ]);
        assert.strictEqual(readerStatus, 0, stderr);
        assert.strictEqual(toolStatus, 1, stderr);
        assert.strictEqual((JSON.parse(read) as { reports: number }).reports, 1);
    });
});
