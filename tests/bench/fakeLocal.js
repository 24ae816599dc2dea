/**
 * A fake `npm run local` for the tests of bench/localCluster.ts. argv[2] is its behaviour:
 * - `silent`: prints nothing, ignores SIGINT, runs until killed;
 * - `stuck`: starts 3 "instances" (sleeping node processes, each its own process group, as local
 *   starts them), a stats socket whose `show stat` reports every instance UP forever, a control
 *   socket that never answers, an HTTP listener on a free loopback port that answers every request
 *   200, prints local's progress lines and its ready line and table (columns in another order: the
 *   bench must read them by the header), and on SIGINT exits without stopping its instances;
 * - `ejects`: as `stuck`, but reports an instance DOWN once its process has ended, answers every
 *   control request at once with an empty table, and on SIGINT stops its instances and exits.
 * argv[3] is the temporary folder it reports (created, holding the stats socket); argv[4] a file
 * where it writes the pids of every process it started and its own, as JSON, for the test to check.
 */
"use strict";
const fs = require("fs");
const http = require("http");
const net = require("net");
const path = require("path");
const { spawn } = require("child_process");

const [behaviour, workDir, pidFile] = process.argv.slice(2);

if (behaviour === "silent") {
    fs.writeFileSync(pidFile, JSON.stringify([process.pid]));
    process.on("SIGINT", () => undefined);
    setInterval(() => undefined, 1000);
} else {
    fs.mkdirSync(workDir, { recursive: true });
    const socketPath = path.join(workDir, "haproxy.sock");
    const instances = [0, 1, 2].map((i) => {
        const child = spawn(process.execPath, ["-e", "setInterval(() => undefined, 1000)"], { detached: true, stdio: "ignore" });
        const instance = { id: `local-${i}`, pid: child.pid, port: 40000 + i, ended: false };
        child.on("exit", () => (instance.ended = true));
        return instance;
    });
    fs.writeFileSync(pidFile, JSON.stringify([process.pid, ...instances.map((i) => i.pid)]));
    const server = net.createServer((socket) => {
        socket.once("data", () => {
            const rows = instances.map((i) => `api,${i.id},${behaviour === "ejects" && i.ended ? "DOWN" : "UP"},0,L7OK`);
            socket.end(["# pxname,svname,status,scur,check_status", "api,BACKEND,UP,0,", ...rows, ""].join("\n"));
        });
    });
    const controlPath = path.join(workDir, "control.sock");
    net.createServer((socket) => {
        socket.on("error", () => undefined);
        if (behaviour === "ejects") {
            socket.once("data", () =>
                socket.end(`${JSON.stringify({ log: "fake step" })}\n${JSON.stringify({ ok: true, instances: [] })}\n`),
            );
        }
    }).listen(controlPath);
    const api = http.createServer((request, response) => response.end('{"instanceId":"local-0"}'));
    server.listen(socketPath, () =>
        api.listen(0, "127.0.0.1", () => {
            console.error(`temporary folder ${workDir}; building the API (fake)`);
            console.error(`haproxy (pid ${process.pid}) runs ${path.join(workDir, "haproxy.cfg")}; stats socket ${socketPath}`);
            console.error(`control socket ${controlPath}: npm run local -- roll --stack dev`);
            const table = [["PID", "INSTANCE", "PORT", "ZONE"], ...instances.map((i) => [String(i.pid), i.id, String(i.port), "local-a"])];
            process.stdout.write(
                `ready: http://127.0.0.1:${api.address().port}\n${table
                    .map((row) =>
                        row
                            .map((cell) => cell.padEnd(8))
                            .join("  ")
                            .trimEnd(),
                    )
                    .join("\n")}\n`,
            );
        }),
    );
    process.on("SIGINT", () => {
        if (behaviour === "ejects") {
            instances.forEach((i) => {
                try {
                    process.kill(-i.pid, "SIGTERM");
                } catch {
                    // already gone
                }
            });
            fs.rmSync(workDir, { recursive: true, force: true });
        }
        process.exit(0);
    });
}
