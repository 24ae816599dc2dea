/**
 * scripts/check-instances.sh against fake `aws` and `pulumi` CLIs on PATH (tests/scripts/fakeCli):
 * one Session Manager port forward per instance, /health and /api/instance through it, every
 * forward closed afterwards, the password never printed, and the exit status the runbook promises.
 */
import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { assertShellcheckClean } from "../image/shellcheck";
import { isRunning } from "../../local/processes";

const REPO_ROOT = path.join(__dirname, "..", "..");
const SCRIPT = path.join(REPO_ROOT, "scripts", "check-instances.sh");
const FAKES = path.join(__dirname, "fakeCli");
const PASSWORD = 'pw-"with\\quotes-0123456789';
const USER = "admin@fake.com";
const PARAMETER = "/api-cluster/dev/api/admin-password";

/** What one run of the script did. */
interface ScriptRun {
    /** Exit status. */
    status: number | null;
    /** Standard output. */
    stdout: string;
    /** Standard error. */
    stderr: string;
    /** Every call the fake CLIs received, in order. */
    calls: { cli: string; args: string[]; pid?: number; pluginPid?: number }[];
}

/** Whether `port` on loopback can be bound right now. */
function portFree(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = net.createServer();
        server.once("error", () => resolve(false));
        server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
}

/**
 * The first of `count` consecutive local ports that were free a moment ago: the script forwards
 * from it and the next ones. They are taken below Linux's ephemeral range (32768 and up), where
 * the ports the system hands out to other listeners and connections never land.
 */
async function freePort(count = 4): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
        const base = 20000 + Math.floor(Math.random() * 10000);
        const ports = Array.from({ length: count }, (_unused, i) => base + i);
        if ((await Promise.all(ports.map(portFree))).every(Boolean)) {
            return base;
        }
    }
    throw new Error(`no ${count} consecutive free ports from 20000 to 30000`);
}

/** An Auto Scaling group as the fake `aws autoscaling describe-auto-scaling-groups` describes it. */
interface AutoScalingGroup {
    /** The group's name. */
    name: string;
    /** Its instances, in the fields the AWS CLI prints. */
    instances: { InstanceId: string; LifecycleState: string; AvailabilityZone: string }[];
}

/** Runs the script with the fakes first on PATH; `instances` maps each instance id to its behaviour. */
async function runScript(
    instances: Record<string, string>,
    extraArgs: string[] = [],
    outputs?: Record<string, unknown>,
    group?: AutoScalingGroup,
): Promise<ScriptRun> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-instances-"));
    try {
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        for (const cli of ["aws", "pulumi"]) {
            fs.writeFileSync(path.join(bin, cli), `#!/bin/sh\nexec "${process.execPath}" "${path.join(FAKES, `${cli}.js`)}" "$@"\n`, {
                mode: 0o755,
            });
        }
        const stackOutputs = outputs ?? {
            appPort: 8082,
            adminUsername: USER,
            adminPasswordParameterName: PARAMETER,
            instances: Object.keys(instances).map((id, i) => ({
                id,
                availabilityZone: `us-east-1${"abc"[i % 3]}`,
                privateIp: `10.0.0.${i + 10}`,
            })),
        };
        const env = {
            ...process.env,
            PATH: `${bin}:${process.env.PATH}`,
            FAKE_STATE_DIR: dir,
            FAKE_OUTPUTS: JSON.stringify(stackOutputs),
            FAKE_INSTANCES: JSON.stringify(instances),
            FAKE_PASSWORD: PASSWORD,
            FAKE_USER: USER,
            FAKE_PARAMETER: PARAMETER,
            FAKE_GROUP: JSON.stringify(group ?? null),
        };
        const child = spawn("bash", [SCRIPT, ...extraArgs], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const log = path.join(dir, "calls.jsonl");
        const readCalls = () =>
            fs.existsSync(log)
                ? fs
                      .readFileSync(log, "utf8")
                      .trim()
                      .split("\n")
                      .map((line) => JSON.parse(line) as ScriptRun["calls"][number])
                : [];
        let timer: NodeJS.Timeout | undefined;
        let status: number | null;
        try {
            status = await new Promise<number | null>((resolve, reject) => {
                child.on("error", reject);
                child.on("close", resolve);
                // A script that hangs is a failure, reported as status null, never a test left waiting.
                timer = setTimeout(() => {
                    stderr += `\n(the script ran past ${RUN_DEADLINE_MS} ms and was killed)`;
                    process.kill(-child.pid!, "SIGKILL");
                }, RUN_DEADLINE_MS);
            });
        } finally {
            clearTimeout(timer);
            // Whatever happened, the script's own group goes now; its sessions, after the test's asserts.
            try {
                process.kill(-child.pid!, "SIGKILL");
            } catch {
                // The group is already gone.
            }
            pidsOf({ calls: readCalls() }).forEach((pid) => sessionPids.add(pid));
        }
        return { status, stdout, stderr, calls: readCalls() };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The start-session calls of a run, as the arguments the script passed. */
function sessions(run: ScriptRun): string[][] {
    return run.calls.filter((call) => call.cli === "aws" && call.args[1] === "start-session").map((call) => call.args);
}

/** The arguments of a port forward to `id` from local port `port`. */
function forward(id: string, port: number): string[] {
    return [
        "ssm",
        "start-session",
        "--target",
        id,
        "--document-name",
        "AWS-StartPortForwardingSession",
        "--parameters",
        `portNumber=8082,localPortNumber=${port}`,
    ];
}

/** Every process a fake session started, in any run: the after hook stops what is left. */
const sessionPids = new Set<number>();

/** How long one run of the script may take before the test kills it. */
const RUN_DEADLINE_MS = 20000;

/** The processes of a run's sessions. */
function pidsOf(run: Pick<ScriptRun, "calls">): number[] {
    return run.calls.flatMap((call) => [call.pid, call.pluginPid]).filter((pid): pid is number => pid !== undefined);
}

/** Fails unless every process a session started has exited within a second of the script's end. */
async function assertSessionsClosed(run: ScriptRun): Promise<void> {
    const pids = pidsOf(run);
    assert.ok(pids.length > 0, "the sessions recorded their processes");
    const deadline = Date.now() + 1000;
    while (pids.some(isRunning) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepStrictEqual(pids.filter(isRunning), [], "processes of a port forward outlived the script");
}

describe("scripts/check-instances.sh", function () {
    this.timeout(60000);

    afterEach(() => {
        // A session the script failed to close: stopped here, if it is still a fake CLI (not a recycled pid).
        for (const pid of sessionPids) {
            const cmdline = `/proc/${pid}/cmdline`;
            if (isRunning(pid) && fs.existsSync(cmdline) && fs.readFileSync(cmdline, "utf8").includes(FAKES)) {
                process.kill(pid, "SIGKILL");
            }
        }
        sessionPids.clear();
    });

    it("passes shellcheck", () => {
        assertShellcheckClean(SCRIPT, "scripts/check-instances.sh");
    });

    it("forwards a port to each instance, checks /health and /api/instance through it, and exits 0", async () => {
        const port = await freePort();
        const run = await runScript({ "i-0aaaaaaaaaaaaaaa1": "ok", "i-0bbbbbbbbbbbbbbb2": "ok" }, ["--local-port", String(port)]);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.strictEqual(
            run.stdout,
            [
                `ok    i-0aaaaaaaaaaaaaaa1  port 8082 via localhost:${port}  /health UP, /api/instance reports i-0aaaaaaaaaaaaaaa1 in us-east-1a`,
                `ok    i-0bbbbbbbbbbbbbbb2  port 8082 via localhost:${port + 1}  /health UP, /api/instance reports i-0bbbbbbbbbbbbbbb2 in us-east-1a`,
                "",
            ].join("\n"),
        );
        assert.strictEqual(run.stderr, "");
        assert.deepStrictEqual(
            run.calls.map((call) => [call.cli, ...call.args]),
            [
                ["pulumi", "stack", "output", "--json"],
                ["aws", "ssm", "get-parameter", "--name", PARAMETER, "--with-decryption", "--query", "Parameter.Value", "--output", "text"],
                ["aws", ...forward("i-0aaaaaaaaaaaaaaa1", port)],
                ["aws", ...forward("i-0bbbbbbbbbbbbbbb2", port + 1)],
            ],
        );
        await assertSessionsClosed(run);
    });

    it("reports each instance that fails, checks the others, and exits 1", async () => {
        const port = await freePort();
        const run = await runScript(
            {
                "i-0aaaaaaaaaaaaaaa1": "unhealthy",
                "i-0bbbbbbbbbbbbbbb2": "ok",
                "i-0ccccccccccccccc3": "impostor",
                "i-0ddddddddddddddd4": "unreachable",
            },
            ["--stack", "dev", "--local-port", String(port)],
        );
        assert.strictEqual(run.status, 1, run.stderr);
        const lines = run.stdout.trim().split("\n");
        assert.deepStrictEqual(lines, [
            `FAIL  i-0aaaaaaaaaaaaaaa1  port 8082 via localhost:${port}  GET /health answered 503: {"status":"DOWN"}`,
            `ok    i-0bbbbbbbbbbbbbbb2  port 8082 via localhost:${port + 1}  /health UP, /api/instance reports i-0bbbbbbbbbbbbbbb2 in us-east-1a`,
            `FAIL  i-0ccccccccccccccc3  port 8082 via localhost:${port + 2}  GET /api/instance answered 200: {"instanceId":"i-0000000000impostor","availabilityZone":"us-east-1a","hostname":"ip-i-0ccccccccccccccc3"}`,
            `FAIL  i-0ddddddddddddddd4  port 8082 via localhost:${port + 3}  the port forward ended before it opened: An error occurred (TargetNotConnected) when calling the StartSession operation: i-0ddddddddddddddd4 is not connected.`,
        ]);
        assert.deepStrictEqual(run.calls[0].args, ["stack", "output", "--json", "--stack", "dev"]);
        assert.deepStrictEqual(sessions(run), [
            forward("i-0aaaaaaaaaaaaaaa1", port),
            forward("i-0bbbbbbbbbbbbbbb2", port + 1),
            forward("i-0ccccccccccccccc3", port + 2),
            forward("i-0ddddddddddddddd4", port + 3),
        ]);
        await assertSessionsClosed(run);
    });

    it("never prints the admin password", async () => {
        const port = await freePort();
        const run = await runScript({ "i-0aaaaaaaaaaaaaaa1": "ok", "i-0ccccccccccccccc3": "impostor" }, ["--local-port", String(port)]);
        assert.strictEqual(run.status, 1);
        assert.strictEqual(`${run.stdout}${run.stderr}`.includes(PASSWORD), false);
        assert.strictEqual(`${run.stdout}${run.stderr}`.includes("with\\quotes"), false);
    });

    it("with fleet autoscaling, checks the group's InService instances only, and exits 0", async () => {
        const port = await freePort();
        const group = "api-cluster-staging-api-asg-1a2b3c4";
        const run = await runScript(
            { "i-0aaaaaaaaaaaaaaa1": "ok", "i-0bbbbbbbbbbbbbbb2": "ok" },
            ["--stack", "staging", "--local-port", String(port)],
            { appPort: 8082, adminUsername: USER, adminPasswordParameterName: PARAMETER, instances: [], autoScalingGroupName: group },
            {
                name: group,
                instances: [
                    { InstanceId: "i-0aaaaaaaaaaaaaaa1", LifecycleState: "InService", AvailabilityZone: "us-east-1a" },
                    { InstanceId: "i-0eeeeeeeeeeeeeee5", LifecycleState: "Pending", AvailabilityZone: "us-east-1b" },
                    { InstanceId: "i-0bbbbbbbbbbbbbbb2", LifecycleState: "InService", AvailabilityZone: "us-east-1b" },
                    { InstanceId: "i-0fffffffffffffff6", LifecycleState: "Terminating", AvailabilityZone: "us-east-1c" },
                ],
            },
        );
        assert.strictEqual(run.status, 0, run.stderr);
        assert.strictEqual(
            run.stdout,
            [
                `ok    i-0aaaaaaaaaaaaaaa1  port 8082 via localhost:${port}  /health UP, /api/instance reports i-0aaaaaaaaaaaaaaa1 in us-east-1a`,
                `ok    i-0bbbbbbbbbbbbbbb2  port 8082 via localhost:${port + 1}  /health UP, /api/instance reports i-0bbbbbbbbbbbbbbb2 in us-east-1a`,
                "",
            ].join("\n"),
        );
        assert.strictEqual(run.stderr, "");
        assert.deepStrictEqual(
            run.calls.map((call) => [call.cli, ...call.args]),
            [
                ["pulumi", "stack", "output", "--json", "--stack", "staging"],
                ["aws", "autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", group, "--output", "json"],
                ["aws", "ssm", "get-parameter", "--name", PARAMETER, "--with-decryption", "--query", "Parameter.Value", "--output", "text"],
                ["aws", ...forward("i-0aaaaaaaaaaaaaaa1", port)],
                ["aws", ...forward("i-0bbbbbbbbbbbbbbb2", port + 1)],
            ],
        );
        await assertSessionsClosed(run);
    });

    it("exits 1 before opening any session when the Auto Scaling group has no InService instance", async () => {
        const group = "api-cluster-prod-api-asg-1a2b3c4";
        const run = await runScript(
            { "i-0eeeeeeeeeeeeeee5": "ok" },
            [],
            { appPort: 8082, adminUsername: USER, adminPasswordParameterName: PARAMETER, instances: [], autoScalingGroupName: group },
            { name: group, instances: [{ InstanceId: "i-0eeeeeeeeeeeeeee5", LifecycleState: "Pending", AvailabilityZone: "us-east-1a" }] },
        );
        assert.strictEqual(run.status, 1);
        assert.strictEqual(run.stdout, "");
        assert.strictEqual(
            run.stderr,
            `check-instances: the Auto Scaling group ${group} has no InService instance; see its activity with aws autoscaling describe-scaling-activities --auto-scaling-group-name ${group}\n`,
        );
        assert.deepStrictEqual(
            run.calls.map((call) => call.args.slice(0, 2)),
            [
                ["stack", "output"],
                ["autoscaling", "describe-auto-scaling-groups"],
            ],
        );
    });

    it("exits 1 before opening any session when the stack has neither instances nor a group", async () => {
        const run = await runScript({}, [], {
            appPort: 8082,
            adminUsername: USER,
            adminPasswordParameterName: PARAMETER,
            instances: [],
            autoScalingGroupName: "",
        });
        assert.strictEqual(run.status, 1);
        assert.strictEqual(run.stdout, "");
        assert.strictEqual(
            run.stderr,
            "check-instances: the stack has neither an instances nor an autoScalingGroupName output; run pulumi up first\n",
        );
        assert.deepStrictEqual(
            run.calls.map((call) => [call.cli, ...call.args]),
            [["pulumi", "stack", "output", "--json"]],
        );
    });

    it("exits 1 before asking AWS anything when the stack has no appPort output", async () => {
        const run = await runScript({}, [], { adminUsername: USER, adminPasswordParameterName: PARAMETER, instances: [] });
        assert.strictEqual(run.status, 1);
        assert.strictEqual(
            run.stderr,
            "check-instances: the stack has no appPort, adminUsername or adminPasswordParameterName output; run pulumi up first\n",
        );
        assert.deepStrictEqual(
            run.calls.map((call) => call.cli),
            ["pulumi"],
        );
    });

    it("sends the admin's credentials over plain HTTP to this machine only: its rule, both sides", () => {
        // The function as the script defines it, run on its own: the script's forwards all end at
        // 127.0.0.1 (FORWARD_HOST), which it checks with this rule before opening any.
        const script = fs.readFileSync(SCRIPT, "utf8");
        const rule = /^credentials_may_go_to\(\) \{\n[\s\S]*?^\}\n/m.exec(script)?.[0];
        assert.ok(rule, "the script defines credentials_may_go_to");
        assert.match(script, /^readonly FORWARD_HOST=127\.0\.0\.1$/m);
        assert.match(script, /^if ! credentials_may_go_to "http:\/\/\$FORWARD_HOST:\$first_local_port\/"; then$/m);
        const verdict = (url: string) => spawnSync("bash", ["-c", `${rule}credentials_may_go_to "$1"`, "check", url]).status;
        for (const url of [
            "http://127.0.0.1:18082/api/instance",
            "http://127.9.8.7:1/",
            "http://localhost:8082/",
            "http://[::1]:8082/",
            "https://api.example.com/",
        ]) {
            assert.strictEqual(verdict(url), 0, url);
        }
        for (const url of [
            "http://10.0.0.5:8082/api/instance",
            "http://api.example.com/",
            "http://127.0.0.1.nip.io/",
            "http://localhost.example.com/",
            "http://128.0.0.1/",
        ]) {
            assert.strictEqual(verdict(url), 1, url);
        }
    });

    it("prints its usage with --help and exits 0; exits 2 on a bad argument", async () => {
        const help = await runScript({}, ["--help"]);
        assert.strictEqual(help.status, 0);
        assert.match(help.stdout, /^usage: scripts\/check-instances\.sh \[--stack <stack>\] \[--local-port <port>\]\n/);
        assert.deepStrictEqual(help.calls, []);
        for (const [args, message] of [
            [["--stak", "dev"], "check-instances: unknown argument --stak; see --help\n"],
            [["--local-port", "80"], "check-instances: --local-port must be a port from 1024 to 65535; got 80; see --help\n"],
            [["--stack"], "check-instances: --stack needs a stack name; see --help\n"],
        ] as const) {
            const run = await runScript({}, [...args]);
            assert.strictEqual(run.status, 2, args.join(" "));
            assert.strictEqual(run.stderr, message);
            assert.deepStrictEqual(run.calls, []);
        }
    });
});
