import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    DescribeTargetHealthCommand,
    ElasticLoadBalancingV2Client,
    TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import * as pulumi from "@pulumi/pulumi";
import { mockClient } from "aws-sdk-client-mock";
import { runUnderMocks } from "../../preview/runUnderMocks";
import {
    DRAIN_MARGIN_SECONDS,
    IN_SERVICE_TIMING,
    drainTiming,
    drainedCallback,
    inServiceCallback,
    regionOf,
    registeredTarget,
    ElbConnection,
    TargetHealthHooks,
    stackAwsSettings,
    targetHealthHooks,
} from "../../components/fleet/targetHealthHooks";
import { defaultElbClient, waitForTargetDrained, waitForTargetInService } from "../../components/fleet/targetHealthWait";

const TG_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api-tg-1a2b3c4/73e2d6bc24d8a067";
const TARGET = { targetGroupArn: TG_ARN, targetId: "i-0123456789abcdef0", port: 8082 };
/** Polls every 10 ms, for at most a second: the waiter's own backoff, shrunk. */
const FAST = { minDelaySeconds: 0.01, maxDelaySeconds: 0.02, maxWaitSeconds: 1 };

/** A DescribeTargetHealth answer for the one target in `state`. */
function health(state: string, reason?: string, description?: string): { TargetHealthDescriptions: TargetHealthDescription[] } {
    return {
        TargetHealthDescriptions: [
            {
                Target: { Id: TARGET.targetId, Port: TARGET.port },
                TargetHealth: {
                    State: state as never,
                    ...(reason ? { Reason: reason as never } : {}),
                    ...(description ? { Description: description } : {}),
                },
            },
        ],
    };
}

/** An AWS error as the SDK throws it: its name is the error code. */
function awsError(name: string, message: string): Error {
    return Object.assign(new Error(message), { name });
}

/** The hook arguments Pulumi passes for a target group attachment. */
function hookArgs(state: Record<string, unknown>, when: "new" | "old"): pulumi.ResourceHookArgs {
    return {
        urn: "urn:pulumi:dev::api-cluster::api-cluster:index:ApiCluster$aws:lb/targetGroupAttachment:TargetGroupAttachment::api-api-0-attachment",
        id: "attachment-1",
        name: "api-api-0-attachment",
        type: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
        ...(when === "new"
            ? { newInputs: state, newOutputs: { ...state, id: "attachment-1" } }
            : { oldInputs: state, oldOutputs: { ...state, id: "attachment-1" } }),
    };
}

describe("target health hooks", () => {
    const elb = mockClient(ElasticLoadBalancingV2Client);
    const client = new ElasticLoadBalancingV2Client({ region: "eu-west-1" });
    beforeEach(() => elb.reset());
    after(() => elb.restore());

    /** The DescribeTargetHealth requests the waiter made. */
    const requests = () => elb.commandCalls(DescribeTargetHealthCommand).map((call) => call.args[0].input);

    describe("waitForTargetInService", () => {
        it("asks about exactly that target and port, until it turns healthy", async () => {
            elb.on(DescribeTargetHealthCommand)
                .resolvesOnce(health("initial", "Elb.RegistrationInProgress"))
                .resolvesOnce(health("initial", "Elb.InitialHealthChecking"))
                .resolves(health("healthy"));
            await waitForTargetInService(client, TARGET, FAST);
            const expected = { TargetGroupArn: TG_ARN, Targets: [{ Id: "i-0123456789abcdef0", Port: 8082 }] };
            assert.deepStrictEqual(requests(), [expected, expected, expected]);
        });

        it("keeps waiting through an unhealthy answer while the JVM boots", async () => {
            elb.on(DescribeTargetHealthCommand).resolvesOnce(health("unhealthy", "Target.FailedHealthChecks")).resolves(health("healthy"));
            await waitForTargetInService(client, TARGET, FAST);
            assert.strictEqual(requests().length, 2);
        });

        it("fails after the wait with the target and the health it last saw", async () => {
            elb.on(DescribeTargetHealthCommand).resolves(
                health("unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [503]"),
            );
            await assert.rejects(waitForTargetInService(client, TARGET, { ...FAST, maxWaitSeconds: 0.1 }), {
                message:
                    `target i-0123456789abcdef0:8082 of ${TG_ARN} did not become healthy within 0.1 s: TIMEOUT; its health now: ` +
                    '{"State":"unhealthy","Reason":"Target.ResponseCodeMismatch","Description":"Health checks failed with these codes: [503]"}',
            });
        });
    });

    describe("errors that will not heal", () => {
        /** Long enough that a wait which retried the error would poll about a hundred times and time out. */
        const PATIENT = { ...FAST, maxWaitSeconds: 2 };
        const denied =
            "User: arn:aws:sts::111111111111:assumed-role/dev/me is not authorized to perform: elasticloadbalancing:DescribeTargetHealth";
        const hint = "(check the stack's aws:profile and the deploy role's elasticloadbalancing:DescribeTargetHealth permission)";
        const cases: [string, string, (timing: typeof FAST) => Promise<void>, string][] = [
            ["AccessDenied", denied, (timing) => waitForTargetInService(client, TARGET, timing), "become healthy"],
            ["AccessDenied", denied, (timing) => waitForTargetDrained(client, TARGET, timing), "finish draining"],
            [
                "TargetGroupNotFoundException",
                "One or more target groups not found",
                (timing) => waitForTargetInService(client, TARGET, timing),
                "become healthy",
            ],
            [
                "TargetGroupNotFoundException",
                "One or more target groups not found",
                (timing) => waitForTargetDrained(client, TARGET, timing),
                "finish draining",
            ],
            [
                "InvalidTargetException",
                "The following targets are not valid instances: i-0123456789abcdef0",
                (timing) => waitForTargetInService(client, TARGET, timing),
                "become healthy",
            ],
            [
                "CredentialsProviderError",
                "Could not load credentials from any providers",
                (timing) => waitForTargetInService(client, TARGET, timing),
                "become healthy",
            ],
        ];
        for (const [name, message, wait, goal] of cases) {
            it(`stops the wait to ${goal} at the first ${name}, naming the target`, async () => {
                elb.on(DescribeTargetHealthCommand).rejects(awsError(name, message));
                await assert.rejects(wait(PATIENT), {
                    message: `target i-0123456789abcdef0:8082 of ${TG_ARN} will not ${goal}: DescribeTargetHealth failed with ${name}: ${message} ${hint}`,
                });
                assert.strictEqual(requests().length, 1);
            });
        }

        it("keeps retrying an error that may pass, such as throttling", async () => {
            elb.on(DescribeTargetHealthCommand)
                .rejectsOnce(awsError("Throttling", "Rate exceeded"))
                .rejectsOnce(awsError("Throttling", "Rate exceeded"))
                .resolves(health("healthy"));
            await waitForTargetInService(client, TARGET, PATIENT);
            assert.strictEqual(requests().length, 3);
        });

        it("stops at an unhealing error that comes after healthy-looking answers", async () => {
            elb.on(DescribeTargetHealthCommand)
                .resolvesOnce(health("initial", "Elb.RegistrationInProgress"))
                .rejects(awsError("TargetGroupNotFoundException", "One or more target groups not found"));
            await assert.rejects(waitForTargetInService(client, TARGET, PATIENT), {
                message: `target i-0123456789abcdef0:8082 of ${TG_ARN} will not become healthy: DescribeTargetHealth failed with TargetGroupNotFoundException: One or more target groups not found ${hint}`,
            });
            assert.strictEqual(requests().length, 2);
        });
    });

    describe("waitForTargetDrained", () => {
        it("waits through draining until the target is unused", async () => {
            elb.on(DescribeTargetHealthCommand)
                .resolvesOnce(health("draining", "Target.DeregistrationInProgress"))
                .resolvesOnce(health("draining", "Target.DeregistrationInProgress"))
                .resolves(health("unused", "Target.NotRegistered"));
            await waitForTargetDrained(client, TARGET, FAST);
            assert.strictEqual(requests().length, 3);
        });

        it("counts an instance that is already gone as drained", async () => {
            elb.on(DescribeTargetHealthCommand).rejects(
                Object.assign(new Error("The following targets are not valid instances: i-0123"), { name: "InvalidTargetException" }),
            );
            await waitForTargetDrained(client, TARGET, FAST);
            assert.strictEqual(requests().length, 1);
        });

        it("fails when draining outlasts the wait", async () => {
            elb.on(DescribeTargetHealthCommand).resolves(health("draining", "Target.DeregistrationInProgress"));
            await assert.rejects(waitForTargetDrained(client, TARGET, { ...FAST, maxWaitSeconds: 0.1 }), {
                message:
                    `target i-0123456789abcdef0:8082 of ${TG_ARN} did not finish draining within 0.1 s: TIMEOUT; its health now: ` +
                    '{"State":"draining","Reason":"Target.DeregistrationInProgress"}',
            });
        });
    });

    describe("the hook functions", () => {
        it("afterCreate waits for the new attachment's target, with a client of the target group's region", async () => {
            elb.on(DescribeTargetHealthCommand).resolves(health("healthy"));
            const connections: ElbConnection[] = [];
            const callback = inServiceCallback((connection) => (connections.push(connection), client), FAST);
            await callback(hookArgs({ targetGroupArn: TG_ARN, targetId: TARGET.targetId, port: 8082 }, "new"));
            assert.deepStrictEqual(connections, [{ region: "eu-west-1" }]);
            assert.deepStrictEqual(requests(), [{ TargetGroupArn: TG_ARN, Targets: [{ Id: "i-0123456789abcdef0", Port: 8082 }] }]);
        });

        it("afterDelete waits for the old attachment's target, with a client of the stack's profile", async () => {
            elb.on(DescribeTargetHealthCommand).resolves(health("unused", "Target.NotRegistered"));
            const connections: ElbConnection[] = [];
            const callback = drainedCallback((connection) => (connections.push(connection), client), FAST, { profile: "deploy" });
            await callback(hookArgs({ targetGroupArn: TG_ARN, targetId: "i-0old", port: 8082 }, "old"));
            assert.deepStrictEqual(connections, [{ region: "eu-west-1", profile: "deploy" }]);
            assert.deepStrictEqual(requests(), [{ TargetGroupArn: TG_ARN, Targets: [{ Id: "i-0old", Port: 8082 }] }]);
        });

        it("uses the SDK's own client when given none", async () => {
            elb.on(DescribeTargetHealthCommand).resolves(health("healthy"));
            await inServiceCallback(undefined, FAST)(hookArgs({ targetGroupArn: TG_ARN, targetId: TARGET.targetId, port: 8082 }, "new"));
            const [call] = elb.commandCalls(DescribeTargetHealthCommand);
            assert.strictEqual(await (call.thisValue as ElasticLoadBalancingV2Client).config.region(), "eu-west-1");
        });

        it("the default client takes its credentials from the stack's profile, not the default one", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-profile-"));
            const saved = { ...process.env };
            try {
                const credentials = path.join(dir, "credentials");
                fs.writeFileSync(
                    credentials,
                    "[default]\naws_access_key_id = AKIADEFAULT0000000000\naws_secret_access_key = default-secret\n" +
                        "[deploy]\naws_access_key_id = AKIADEPLOY00000000000\naws_secret_access_key = deploy-secret\n",
                );
                fs.writeFileSync(path.join(dir, "config"), "");
                for (const key of [
                    "AWS_ACCESS_KEY_ID",
                    "AWS_SECRET_ACCESS_KEY",
                    "AWS_SESSION_TOKEN",
                    "AWS_PROFILE",
                    "AWS_WEB_IDENTITY_TOKEN_FILE",
                ]) {
                    delete process.env[key];
                }
                process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
                process.env.AWS_CONFIG_FILE = path.join(dir, "config");
                const withProfile = defaultElbClient({ region: "eu-west-1", profile: "deploy" });
                const without = defaultElbClient({ region: "eu-west-1" });
                assert.strictEqual((await withProfile.config.credentials()).accessKeyId, "AKIADEPLOY00000000000");
                assert.strictEqual((await without.config.credentials()).accessKeyId, "AKIADEFAULT0000000000");
                assert.strictEqual(await withProfile.config.region(), "eu-west-1");
            } finally {
                process.env = saved;
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("are declared without loading the AWS SDK, which only a running hook needs", () => {
            const probe = spawnSync(
                process.execPath,
                [
                    "-r",
                    "ts-node/register/transpile-only",
                    "-e",
                    "require('./components/instances'); require('./components/fleet/targetHealthHooks'); require('./components/fleet/autoScalingFleet');" +
                        "console.log(Object.keys(require.cache).filter((file) => file.includes('@aws-sdk')).length)",
                ],
                { cwd: path.join(__dirname, "..", ".."), encoding: "utf8" },
            );
            assert.strictEqual(probe.status, 0, probe.stderr);
            assert.strictEqual(probe.stdout.trim(), "0");
        });

        it("fails, naming what is missing, when the state has no target", async () => {
            const callback = inServiceCallback(() => client, FAST);
            await assert.rejects(Promise.resolve(callback(hookArgs({ targetGroupArn: TG_ARN, port: 8082 }, "new"))), {
                message: `a target group attachment's state needs targetGroupArn, targetId and port; got {"targetGroupArn":"${TG_ARN}","port":8082,"id":"attachment-1"}`,
            });
            assert.strictEqual(requests().length, 0);
        });
    });

    describe("the hooks of a cluster", () => {
        it("are named after the cluster, wait 15 minutes for health and the deregistration delay plus a minute to drain", async () => {
            // Hooks register with the engine as they are made: here, with the offline mocks' monitor.
            let made: TargetHealthHooks | undefined;
            await runUnderMocks(() => {
                made = targetHealthHooks("api", 45);
                return {};
            });
            const hooks = made as TargetHealthHooks;
            assert.strictEqual(hooks.inService.name, "api-target-in-service");
            assert.strictEqual(hooks.drained.name, "api-target-drained");
            assert.deepStrictEqual(IN_SERVICE_TIMING, { minDelaySeconds: 5, maxDelaySeconds: 15, maxWaitSeconds: 900 });
            assert.deepStrictEqual(drainTiming(45), { minDelaySeconds: 5, maxDelaySeconds: 15, maxWaitSeconds: 45 + DRAIN_MARGIN_SECONDS });
            assert.strictEqual(hooks.inService.opts, undefined, "runs on up only, never during preview");
        });

        it("read the stack's aws:profile when they are made, and hand it to every client they make", async () => {
            let made: TargetHealthHooks | undefined;
            const connections: ElbConnection[] = [];
            const factory = (connection: ElbConnection) => (connections.push(connection), client);
            await runUnderMocks(
                () => {
                    made = targetHealthHooks("api", 45, factory);
                    return {};
                },
                { config: { "aws:region": "eu-west-1", "aws:profile": "deploy" } },
            );
            // Another stack's config by the time the hooks run: what they read when made still holds.
            await runUnderMocks(() => ({ profile: stackAwsSettings() }), { config: { "aws:profile": "other" } });
            const hooks = made as TargetHealthHooks;
            elb.on(DescribeTargetHealthCommand).resolvesOnce(health("healthy")).resolves(health("unused"));
            await hooks.inService.callback(hookArgs({ targetGroupArn: TG_ARN, targetId: TARGET.targetId, port: 8082 }, "new"));
            await hooks.drained.callback(hookArgs({ targetGroupArn: TG_ARN, targetId: "i-0old", port: 8082 }, "old"));
            assert.deepStrictEqual(connections, [
                { region: "eu-west-1", profile: "deploy" },
                { region: "eu-west-1", profile: "deploy" },
            ]);
        });

        it("use the SDK's credential chain when the stack sets no aws:profile", async () => {
            const run = await runUnderMocks(() => ({ settings: stackAwsSettings() }), { config: { "aws:region": "eu-west-1" } });
            assert.deepStrictEqual(run.outputs, { settings: {} });
            const profiled = await runUnderMocks(() => ({ settings: stackAwsSettings() }), { config: { "aws:profile": "deploy" } });
            assert.deepStrictEqual(profiled.outputs, { settings: { profile: "deploy" } });
        });

        it("reads the region and the target from their sources", () => {
            assert.strictEqual(regionOf(TG_ARN), "eu-west-1");
            assert.throws(() => regionOf("not-an-arn"), { message: "not an ARN with a region: not-an-arn" });
            assert.deepStrictEqual(registeredTarget({ targetGroupArn: TG_ARN, targetId: "i-1", port: 80, id: "x" }), {
                targetGroupArn: TG_ARN,
                targetId: "i-1",
                port: 80,
            });
        });
    });
});
