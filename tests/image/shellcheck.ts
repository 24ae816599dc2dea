/**
 * Runs shellcheck on shell text or files for the tests. A missing shellcheck fails the calling test
 * with a clear message rather than skipping it: CI installs shellcheck, and a script nobody checked
 * must not pass as checked.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Fails unless shellcheck can run. */
export function requireShellcheck(): void {
    const probe = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
    if (probe.error || probe.status !== 0) {
        assert.fail(
            "shellcheck is not installed or does not run, so the shell scripts cannot be checked. " +
                "Install it (Debian/Ubuntu: apt-get install -y shellcheck; macOS: brew install shellcheck); CI installs it.",
        );
    }
}

/** Asserts shellcheck finds nothing in `file`; `label` names it in the failure. */
export function assertShellcheckClean(file: string, label = file): void {
    requireShellcheck();
    const result = spawnSync("shellcheck", ["--shell=bash", "--severity=style", "--external-sources", file], {
        encoding: "utf8",
    });
    assert.strictEqual(result.status, 0, `shellcheck found problems in ${label}:\n${result.stdout}${result.stderr}`);
}

/** Asserts shellcheck finds nothing in `text`, written to a temporary file first. */
export function assertShellcheckCleanText(text: string, label: string): void {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-shellcheck-"));
    const file = path.join(directory, "script.sh");
    try {
        fs.writeFileSync(file, text);
        assertShellcheckClean(file, label);
    } finally {
        fs.rmSync(directory, { recursive: true, force: true });
    }
}
