/**
 * `npm run bench`: reports, never asserts. Times, in one run on this machine:
 * 1. the offline preview of dev against a bare `node -e "require('@pulumi/pulumi')"` (goal: at most 2.0x),
 *    with the transpile cache warm (every run after the first) and cold (a fresh, empty cache);
 * 2. the offline preview with 100 instances against 2 (goal: at most 1.5x), and the same with fleet
 *    autoscaling, where the size is only the group's desired capacity (goal: about 1.0x);
 * 3. the policy pack over a synthetic stack of 5,000 resources (goal: under 1 s);
 * 4. `npm run local` with 3 instances under a bounded load on loopback (bench/localCluster.ts): start to
 *    `ready:`; a kill -9 of one, without HAProxy's retries (as the ALB) and with `--retries`: requests
 *    sent / failed, seconds, and the time to DOWN against unhealthyThreshold × interval; one instance
 *    stopped as a deregistration does it, and a roll of every instance: requests sent / failed, seconds
 *    (one run each; they take real health checks);
 * 5. the Spring Boot example (bench/springBoot.ts): build-app.sh against Maven Central cold (an empty
 *    Maven repository) and warm (~/.m2), `java -jar` to its listening line, and `npm run local` with 3
 *    Boot instances to `ready:`, as it comes and with the jar built.
 * Each command runs RUNS times, alternating, and the median wall time is reported.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PREVIEW_NODE_ARGS } from "../preview/command";
import { BENCH_HEALTH_CHECK, KillResult, ScenarioResult, benchKill, benchRollAndStop } from "./localCluster";
import { benchPolicyPack } from "./policyPack";
import { benchSpringBoot } from "./springBoot";

/** Runs of each command; the median is reported. */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ROOT = path.join(__dirname, "..");
const PREVIEW = [...PREVIEW_NODE_ARGS, "--stack", "dev"];

/** A command to time: node's arguments, and the environment each run adds. */
interface Command {
    args: string[];
    env?: () => Record<string, string>;
}

/** Wall time of one run of `node args`, in seconds; fails loudly when the command fails. */
function timeNode(command: Command): number {
    const env = { ...process.env, ...command.env?.() };
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, command.args, { cwd: ROOT, encoding: "utf8", env });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) {
        throw new Error(`node ${command.args.join(" ")} exited ${result.status}:\n${result.stderr}`);
    }
    return seconds;
}

/** Median of a list of numbers. */
function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Times each command RUNS times, interleaved so drift in machine load hits all of them alike. */
function compare(commands: Record<string, Command>): Record<string, number> {
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
    for (let run = 0; run < RUNS; run++) {
        for (const [name, command] of Object.entries(commands)) {
            samples[name].push(timeNode(command));
        }
    }
    return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

/** Formats a verdict against a goal without turning it into a test. */
function verdict(ratio: number, goal: number): string {
    return ratio <= goal ? `within the goal of ${goal}x` : `OVER the goal of ${goal}x`;
}

async function main(): Promise<void> {
    console.log(`node ${process.version}, ${RUNS} runs each, median wall time\n`);
    timeNode({ args: PREVIEW }); // fills the transpile cache for the warm runs
    // Each cold run gets an empty cache folder of its own, all under one folder removed at the end.
    const coldCaches = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-ts-"));
    let times: Record<string, number>;
    try {
        times = compare({
            bare: { args: ["-e", "require('@pulumi/pulumi')"] },
            dev: { args: PREVIEW },
            devCold: { args: PREVIEW, env: () => ({ API_CLUSTER_TS_CACHE: fs.mkdtempSync(path.join(coldCaches, "run-")) }) },
            dev100: { args: [...PREVIEW, "--config", "api-cluster:instanceCount=100"] },
            asg2: { args: [...PREVIEW, "--config", "api-cluster:fleet=autoscaling"] },
            asg100: { args: [...PREVIEW, "--config", "api-cluster:fleet=autoscaling", "--config", "api-cluster:instanceCount=100"] },
        });
    } finally {
        fs.rmSync(coldCaches, { recursive: true, force: true });
    }
    const devRatio = times.dev / times.bare;
    const coldRatio = times.devCold / times.bare;
    const scaleRatio = times.dev100 / times.dev;
    console.log(`bare require('@pulumi/pulumi')      ${times.bare.toFixed(2)} s`);
    console.log(`offline preview, dev (2 instances)  ${times.dev.toFixed(2)} s  = ${devRatio.toFixed(2)}x bare, ${verdict(devRatio, 2.0)}`);
    console.log(
        `  the same, cold transpile cache    ${times.devCold.toFixed(2)} s  = ${coldRatio.toFixed(2)}x bare, ${verdict(coldRatio, 2.0)}`,
    );
    console.log(
        `offline preview, 100 instances      ${times.dev100.toFixed(2)} s  = ${scaleRatio.toFixed(2)}x dev, ${verdict(scaleRatio, 1.5)}`,
    );

    const asgRatio = times.asg100 / times.asg2;
    console.log(`offline preview, autoscaling, 2       ${times.asg2.toFixed(2)} s`);
    console.log(
        `offline preview, autoscaling, 100     ${times.asg100.toFixed(2)} s  = ${asgRatio.toFixed(2)}x autoscaling with 2, ${verdict(asgRatio, 1.1)}`,
    );

    const pack = await benchPolicyPack();
    console.log(
        `policy pack, ${pack.resources} resources      ${pack.seconds.toFixed(3)} s  = ${Math.round(pack.resourcesPerSecond)} resources/s, ` +
            (pack.seconds < 1 ? "within the goal of 1 s" : "OVER the goal of 1 s"),
    );

    const { intervalSeconds, healthyThreshold, unhealthyThreshold } = BENCH_HEALTH_CHECK;
    const counts = (result: ScenarioResult) => {
        const kinds = Object.entries(result.failures).map(([kind, count]) => `${count} ${kind}`);
        return `${result.sent} sent, ${result.failed} failed${kinds.length > 0 ? ` (${kinds.join(", ")})` : ""}, ${result.seconds.toFixed(1)} s`;
    };
    const down = (kill: KillResult) =>
        `DOWN after ${kill.downSeconds.toFixed(2)} s against the bound ${unhealthyThreshold} × ${intervalSeconds} s = ${kill.boundSeconds} s, ` +
        (kill.downSeconds <= kill.boundSeconds + 1 ? "within the bound + 1 s" : "OVER the bound + 1 s");
    const changes = await benchRollAndStop();
    console.log(
        `npm run local, 3 instances, to ready: ${changes.readySeconds.toFixed(2)} s  (build, 3 JVMs, ${healthyThreshold} passing checks ${intervalSeconds} s apart)`,
    );
    const label = (text: string) => `  ${text}`.padEnd(42);
    console.log(`${label("roll of every instance")}${counts(changes.roll)}  (goal: 0 failed)`);
    console.log(`${label("stop-instance of one (deregistered)")}${counts(changes.stop)}  (goal: 0 failed)`);
    const kill = await benchKill(false);
    console.log(`${label("kill -9 of one, no retries (as the ALB)")}${counts(kill)}; ${down(kill)}`);
    const killWithRetries = await benchKill(true);
    console.log(`${label("kill -9 of one, --retries")}${counts(killWithRetries)}; ${down(killWithRetries)}`);

    const boot = await benchSpringBoot();
    console.log(`Spring Boot example (examples/spring-boot-api), one run each:`);
    console.log(`${label("build-app.sh, empty Maven repository")}${boot.coldBuild.toFixed(1)} s  (Maven Central, every download)`);
    console.log(`${label("build-app.sh, ~/.m2 filled")}${boot.warmBuild.toFixed(1)} s`);
    console.log(`${label("java -jar to its listening line")}${boot.start.toFixed(1)} s  (median of ${boot.startRuns})`);
    console.log(
        `${label("npm run local, 3 Boot instances, to ready:")}${boot.readyFirst.toFixed(1)} s as it came, ${boot.readyBuilt.toFixed(1)} s with the jar built` +
            `  (${healthyThreshold} passing checks ${intervalSeconds} s apart)`,
    );
}

main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});
