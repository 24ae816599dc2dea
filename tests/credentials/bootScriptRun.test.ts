/**
 * Runs the rendered boot script in bash with every command that touches the machine or AWS replaced
 * by a shell function (through BASH_ENV), so its behaviour is checked without an instance: what it
 * asks IMDS and SSM, what it writes to the env file, and that the password reaches no output and
 * no command line.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderBootScript } from "../../components/credentials/bootScript";

const PASSWORD = `s3cr3t-test-pw "quoted" $HOME \\ back\`tick 'single'`;

/** Stubs for the commands boot.sh runs; each records its command line in $CALLS. */
const STUBS = String.raw`
record() { printf '%s\n' "$*" >>"$CALLS"; }
curl() {
    record curl "$@"
    local arg url=""
    for arg in "$@"; do
        if [[ "$arg" == http://* ]]; then
            url="$arg"
        fi
    done
    case "$url" in
        */api/token) printf 'imds-token-123' ;;
        */meta-data/instance-id) printf 'i-0123456789abcdef0' ;;
        */meta-data/placement/availability-zone) printf 'us-east-1b' ;;
        */meta-data/placement/region) printf 'us-east-1' ;;
        *) return 22 ;;
    esac
}
aws() {
    record aws "$@"
    local calls
    calls=$(($(cat "$WORK/aws-calls" 2>/dev/null || echo 0) + 1))
    echo "$calls" >"$WORK/aws-calls"
    if [[ "$calls" -le "$AWS_FAILURES" ]]; then
        echo "An error occurred (AccessDeniedException)" >&2
        return 254
    fi
    printf '%s\n' "$TEST_PASSWORD"
}
id() { record id "$@"; }
install() { record install "$@"; }
chown() { record chown "$@"; }
chmod() { record chmod "$@"; command chmod "$@"; }
mktemp() { record mktemp "$@"; command mktemp "$WORK/.api.env.XXXXXX"; }
mv() { record mv "$@"; command mv "$2" "$WORK/api.env"; }
systemctl() { record systemctl "$@"; }
sleep() { record sleep "$@"; }
`;

interface BootRun {
    status: number | null;
    output: string;
    calls: string[];
    envFile: string | undefined;
    envMode: number | undefined;
}

function runBoot(awsFailures: number): BootRun {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "api-boot-"));
    try {
        const script = path.join(work, "boot.sh");
        fs.writeFileSync(
            script,
            renderBootScript({ parameterName: "/api-cluster/dev/admin-password", adminUsername: "admin@fake.com", appPort: 8082 }),
        );
        fs.writeFileSync(path.join(work, "stubs.sh"), STUBS);
        const result = spawnSync("bash", [script], {
            encoding: "utf8",
            env: {
                PATH: process.env.PATH,
                BASH_ENV: path.join(work, "stubs.sh"),
                WORK: work,
                CALLS: path.join(work, "calls"),
                AWS_FAILURES: String(awsFailures),
                TEST_PASSWORD: PASSWORD,
            },
        });
        const envPath = path.join(work, "api.env");
        const exists = fs.existsSync(envPath);
        return {
            status: result.status,
            output: `${result.stdout}${result.stderr}`,
            calls: fs.readFileSync(path.join(work, "calls"), "utf8").trim().split("\n"),
            envFile: exists ? fs.readFileSync(envPath, "utf8") : undefined,
            envMode: exists ? fs.statSync(envPath).mode & 0o777 : undefined,
        };
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

describe("boot script, run with stubbed commands", () => {
    let run: BootRun;
    before(() => {
        run = runBoot(2);
    });

    it("succeeds after retrying SSM", () => {
        assert.strictEqual(run.status, 0, run.output);
        assert.strictEqual(run.calls.filter((call) => call.startsWith("aws ")).length, 3);
        assert.deepStrictEqual(
            run.calls.filter((call) => call.startsWith("sleep ")),
            ["sleep 5", "sleep 10"],
        );
    });

    it("asks IMDSv2 for a token, then the instance id, zone and region with it", () => {
        const curls = run.calls.filter((call) => call.startsWith("curl "));
        assert.match(curls[0], /-X PUT http:\/\/169\.254\.169\.254\/latest\/api\/token -H X-aws-ec2-metadata-token-ttl-seconds: 300$/);
        assert.deepStrictEqual(
            curls.slice(1).map((call) => call.replace(/^.*-H X-aws-ec2-metadata-token: imds-token-123 /, "")),
            [
                "http://169.254.169.254/latest/meta-data/instance-id",
                "http://169.254.169.254/latest/meta-data/placement/availability-zone",
                "http://169.254.169.254/latest/meta-data/placement/region",
            ],
        );
    });

    it("reads the parameter with decryption in the instance's region", () => {
        assert.strictEqual(
            run.calls.find((call) => call.startsWith("aws ")),
            "aws ssm get-parameter --region us-east-1 --name /api-cluster/dev/admin-password --with-decryption --query Parameter.Value --output text",
        );
    });

    it("writes every variable the API reads, quoted for systemd, to a file of mode 0600 owned by api", () => {
        assert.strictEqual(
            run.envFile,
            [
                'ADMIN_USERNAME="admin@fake.com"',
                `ADMIN_PASSWORD="s3cr3t-test-pw \\"quoted\\" \\$HOME \\\\ back\\\`tick 'single'"`,
                'INSTANCE_ID="i-0123456789abcdef0"',
                'AVAILABILITY_ZONE="us-east-1b"',
                'PORT="8082"',
                "",
            ].join("\n"),
        );
        assert.strictEqual(run.envMode, 0o600);
        assert.ok(run.calls.some((call) => /^chown api:api .*\/\.api\.env\.\w+$/.test(call)));
        assert.ok(run.calls.includes("install -d -o root -g api -m 0750 /etc/api-cluster"));
        const mv = run.calls.find((call) => call.startsWith("mv "));
        assert.match(mv ?? "", /^mv -f .*\/\.api\.env\.\w+ \/etc\/api-cluster\/api\.env$/);
    });

    it("restarts the service once the env file is in place", () => {
        const mvAt = run.calls.findIndex((call) => call.startsWith("mv "));
        const restartAt = run.calls.indexOf("systemctl restart api.service");
        assert.ok(restartAt > mvAt && mvAt >= 0, run.calls.join("\n"));
    });

    it("never puts the password on a command line or in its output", () => {
        for (const call of run.calls) {
            assert.ok(!call.includes("s3cr3t-test-pw"), call);
        }
        assert.ok(!run.output.includes("s3cr3t-test-pw"), run.output);
    });

    it("fails without writing anything or starting the service when SSM never answers", () => {
        const failed = runBoot(99);
        assert.strictEqual(failed.status, 1);
        assert.match(failed.output, /could not read a non-empty admin password from \/api-cluster\/dev\/admin-password/);
        assert.strictEqual(failed.envFile, undefined);
        assert.ok(!failed.calls.some((call) => call.startsWith("systemctl ")));
        assert.strictEqual(failed.calls.filter((call) => call.startsWith("aws ")).length, 6);
    });
});
