/**
 * The SSH coverage rule as a person meets it: the offline preview of a stack whose sshCidrs split
 * the whole internet in two stops with exit 2 and one line naming the key, before anything is
 * registered (no plan is printed).
 */
import * as assert from "assert";
import * as path from "path";
import { spawnSync } from "child_process";
import { PREVIEW_NODE_ARGS } from "../../preview/command";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

function preview(sshCidrs: string[]) {
    return spawnSync(
        process.execPath,
        [...PREVIEW_NODE_ARGS, "--stack", "dev", "--config", `api-cluster:sshCidrs=${JSON.stringify(sshCidrs)}`],
        {
            cwd: REPO_ROOT,
            encoding: "utf8",
        },
    );
}

describe("sshCidrs coverage through the offline preview", function () {
    this.timeout(120_000);

    it("exits 2 naming api-cluster:sshCidrs when 0.0.0.0/1 and 128.0.0.0/1 cover the whole internet", function () {
        const run = preview(["0.0.0.0/1", "128.0.0.0/1"]);
        assert.strictEqual(run.status, 2, run.stderr);
        assert.strictEqual(
            run.stderr,
            "error: stack dev: invalid configuration:\n" +
                '  - api-cluster:sshCidrs must not cover the whole internet, in one block or split into several; got ["0.0.0.0/1","128.0.0.0/1"]\n',
        );
        assert.strictEqual(run.stdout, "");
    });

    it("previews the stack when the SSH rule covers one /32", function () {
        const run = preview(["198.51.100.7/32"]);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /^Resources:\n    \+ \d+ to create$/m);
    });
});
