/**
 * Times `npm run local` with 3 instances, as its npm script runs: from the start of the command to
 * its `ready:` line (the API's build, three JVMs, and `healthyThreshold` passing checks in HAProxy),
 * then from a `kill -9` of one instance to HAProxy marking it DOWN, against the bound
 * `unhealthyThreshold × interval` the target group promises. Stops everything it started.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { BACKEND } from "../local/haproxyConfig";
import { showServers } from "../local/haproxyStats";
// The local cluster builds the app with Maven: offline from Debian's plugins where they are, as in the tests.
import "../tests/support/offlineMaven";

const ROOT = path.join(__dirname, "..");

/** The health check the bench runs with: the smallest interval the schema allows. */
export const BENCH_HEALTH_CHECK = { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 };

/** What one run measured. */
export interface LocalClusterTimes {
    /** Seconds from the command's start to its `ready:` line. */
    readySeconds: number;
    /** Seconds from a kill -9 of one instance to HAProxy's DOWN. */
    ejectionSeconds: number;
    /** The bound the config promises for the ejection: unhealthyThreshold × interval. */
    ejectionBoundSeconds: number;
}

/** A free loopback port. */
function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `npm run local` with 3 instances once and times it. */
export async function benchLocalCluster(): Promise<LocalClusterTimes> {
    const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const args = scripts.local.split(" ").slice(1);
    const check = BENCH_HEALTH_CHECK;
    const settings = [
        `api-cluster:port=${await freePort()}`,
        "api-cluster:instanceCount=3",
        "api-cluster:adminPassword=bench-password-0123456",
        `api-cluster:healthCheck.intervalSeconds=${check.intervalSeconds}`,
        `api-cluster:healthCheck.timeoutSeconds=${check.timeoutSeconds}`,
        `api-cluster:healthCheck.healthyThreshold=${check.healthyThreshold}`,
        `api-cluster:healthCheck.unhealthyThreshold=${check.unhealthyThreshold}`,
    ];
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [...args, "--stack", "dev", "--config-path", ...settings.flatMap((s) => ["--config", s])], {
        cwd: ROOT,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    try {
        const readySeconds = await new Promise<number>((resolve, reject) => {
            void exited.then((code) => reject(new Error(`npm run local exited ${code}:\n${stderr}`)));
            child.stdout.on("data", (chunk: Buffer) => {
                stdout += chunk.toString();
                if (stdout.split("\n").length >= 6) {
                    resolve(Number(process.hrtime.bigint() - start) / 1e9);
                }
            });
        });
        const socket = /stats socket (\S+)/.exec(stderr)?.[1] as string;
        const victim = stdout.split("\n")[4].trim().split(/\s+/);
        const killedAt = process.hrtime.bigint();
        process.kill(Number(victim[3]), "SIGKILL");
        while ((await showServers(socket, BACKEND)).find((stat) => stat.name === victim[0])?.status !== "DOWN") {
            await sleep(50);
        }
        const ejectionSeconds = Number(process.hrtime.bigint() - killedAt) / 1e9;
        return { readySeconds, ejectionSeconds, ejectionBoundSeconds: check.unhealthyThreshold * check.intervalSeconds };
    } finally {
        if (child.exitCode === null) {
            process.kill(-(child.pid as number), "SIGINT");
            await exited;
        }
    }
}
