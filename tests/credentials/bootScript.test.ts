import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { AdminCredential } from "../../components/credentials/adminCredential";
import { BOOT_SCRIPT_PATH, renderBootScript } from "../../components/credentials/bootScript";
import { runUnderMocks } from "../../preview/runUnderMocks";
import { plaintextOccurrences } from "../support/resources";
import { assertShellcheckClean, assertShellcheckCleanText } from "../image/shellcheck";

const PASSWORD = "s3cr3t-test-pw";
const ARGS = { parameterName: "/api-cluster/dev/admin-password", adminUsername: "admin@fake.com", appPort: 8082 };

/** Evaluates the script's `readonly NAME=...` line for `name` in bash and prints the value. */
function assignedValue(script: string, name: string): string {
    const line = script.split("\n").find((l) => l.startsWith(`readonly ${name}=`));
    assert.ok(line, `no readonly ${name}= line`);
    const result = spawnSync("bash", ["-c", `${line}\nprintf '%s' "$${name}"`], { encoding: "utf8" });
    assert.strictEqual(result.status, 0, result.stderr);
    return result.stdout;
}

/** Runs boot.sh's quote_env_value on `value` in bash and returns the quoted text. */
function quoteEnvValue(value: string): string {
    const script = fs.readFileSync(BOOT_SCRIPT_PATH, "utf8");
    const fn = /^quote_env_value\(\) \{\n[\s\S]*?^\}$/m.exec(script);
    assert.ok(fn, "boot.sh defines quote_env_value");
    const result = spawnSync("bash", ["-c", `${fn[0]}\nquote_env_value "$1"\nprintf '%s' "$quoted"`, "bash", value], {
        encoding: "utf8",
    });
    assert.strictEqual(result.status, 0, result.stderr);
    return result.stdout;
}

describe("boot script", () => {
    const script = renderBootScript(ARGS);

    it("fills in the parameter name, username and port, and no placeholder is left", () => {
        assert.ok(!/@@[A-Z_]+@@/.test(script));
        assert.strictEqual(assignedValue(script, "PARAMETER_NAME"), ARGS.parameterName);
        assert.strictEqual(assignedValue(script, "ADMIN_USERNAME"), ARGS.adminUsername);
        assert.strictEqual(assignedValue(script, "APP_PORT"), "8082");
    });

    it("holds no secret: rendered for a credential made from a recognizable password, it contains neither the password nor secure:", async () => {
        const run = await runUnderMocks(
            () => {
                const credential = new AdminCredential("admin", { password: pulumi.secret(PASSWORD), parameterName: ARGS.parameterName });
                // ApiCluster renders user data from the same plain parameter name it gives the credential, as here.
                return { userData: renderBootScript(ARGS), parameterName: credential.parameterName };
            },
            { stack: "dev", config: { "aws:region": "us-east-1" } },
        );
        assert.strictEqual(run.outputs.parameterName, ARGS.parameterName);
        assert.strictEqual(run.outputs.userData, script);
        assert.deepStrictEqual(plaintextOccurrences(run.outputs, PASSWORD), []);
        assert.ok(!script.includes(PASSWORD));
        assert.ok(!script.includes("secure:"));
    });

    it("reads the instance's identity through IMDSv2 and the password from SSM with decryption, with retries", () => {
        assert.match(script, /^set -euo pipefail$/m);
        assert.match(script, /curl -fsS [^\n]*-X PUT "\$IMDS\/api\/token" \\\n\s+-H "X-aws-ec2-metadata-token-ttl-seconds: 300"/);
        assert.match(script, /-H "X-aws-ec2-metadata-token: \$imds_token"/);
        for (const path of ["instance-id", "placement/availability-zone", "placement/region"]) {
            assert.match(script, new RegExp(`metadata ${path}\\)`), path);
        }
        assert.match(
            script,
            /aws ssm get-parameter --region "\$region" --name "\$PARAMETER_NAME" \\\n\s+--with-decryption --query Parameter.Value --output text/,
        );
        assert.match(script, /for attempt in \$\(seq 1 "\$SSM_ATTEMPTS"\)/);
        assert.match(script, /readonly SSM_ATTEMPTS=6/);
    });

    it("writes the env file 0600, owned by api, with every variable the API reads, then restarts the service", () => {
        assert.match(script, /readonly ENV_FILE="\$CONFIG_DIR\/api.env"/);
        assert.match(script, /readonly CONFIG_DIR=\/etc\/api-cluster/);
        assert.match(script, /^umask 077$/m);
        assert.match(script, /chown "\$API_USER:\$API_USER" "\$env_tmp"\nchmod 0600 "\$env_tmp"\nmv -f "\$env_tmp" "\$ENV_FILE"/);
        for (const variable of ["ADMIN_USERNAME", "ADMIN_PASSWORD", "INSTANCE_ID", "AVAILABILITY_ZONE", "PORT"]) {
            assert.match(script, new RegExp(`printf '${variable}=%s\\\\n' "\\$quoted"`), variable);
        }
        assert.match(script, /systemctl restart "\$UNIT"/);
        assert.match(script, /readonly UNIT=api.service/);
    });

    it("never traces, echoes or logs the password", () => {
        assert.ok(!/set -[a-z]*x/.test(script), "no xtrace");
        const uses = script.split("\n").filter((line) => line.includes("admin_password"));
        for (const line of uses) {
            assert.ok(!/\b(echo|log|fail|logger)\b/.test(line), `the password reaches output: ${line.trim()}`);
        }
        assert.match(script, /unset admin_password quoted/);
    });

    it("quotes env values the way systemd's EnvironmentFile reads them", () => {
        assert.strictEqual(quoteEnvValue("plain"), '"plain"');
        assert.strictEqual(quoteEnvValue(`a"b\\c$d\`e'f g`), `"a\\"b\\\\c\\$d\\\`e'f g"`);
        assert.strictEqual(quoteEnvValue(""), '""');
    });

    it("keeps an awkward username one shell word", () => {
        const awkward = renderBootScript({ ...ARGS, adminUsername: `o'brien "$(id)"@fake.com` });
        assert.strictEqual(assignedValue(awkward, "ADMIN_USERNAME"), `o'brien "$(id)"@fake.com`);
        // shellcheck rightly notes that $(id) stays literal there (SC2016), so it checks a quote alone.
        assertShellcheckCleanText(
            renderBootScript({ ...ARGS, adminUsername: "o'brien@fake.com" }),
            "boot script with a quote in the username",
        );
    });

    it("rejects values it cannot render safely", () => {
        assert.throws(() => renderBootScript({ ...ARGS, parameterName: "admin-password" }), /parameterName/);
        assert.throws(() => renderBootScript({ ...ARGS, parameterName: "/a'b" }), /parameterName/);
        assert.throws(() => renderBootScript({ ...ARGS, adminUsername: "" }), /adminUsername/);
        assert.throws(() => renderBootScript({ ...ARGS, adminUsername: "a\nb" }), /adminUsername/);
        assert.throws(() => renderBootScript({ ...ARGS, appPort: 70000 }), /appPort/);
    });

    it("passes shellcheck, as the shipped file and as rendered", () => {
        assertShellcheckClean(BOOT_SCRIPT_PATH);
        assertShellcheckCleanText(script, "rendered boot script");
    });
});
