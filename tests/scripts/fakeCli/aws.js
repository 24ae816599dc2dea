/**
 * A fake AWS CLI v2 for the tests of scripts/check-instances.sh. It answers the commands the
 * script runs (`ssm get-parameter`, `ssm start-session`, `autoscaling describe-auto-scaling-groups`
 * from $FAKE_GROUP), records every call in $FAKE_STATE_DIR/calls.jsonl, and fails loudly on anything else.
 *
 * `ssm start-session` mimics the real CLI: it starts a child (the session-manager-plugin's part)
 * that listens on localPortNumber and answers as the instance would, prints the plugin's
 * "Waiting for connections..." and stays until signalled. Both pids go to calls.jsonl, so a test
 * can check that closing the session stopped both. $FAKE_INSTANCES maps each instance id to how it
 * behaves: ok, unhealthy (503 on /health), impostor (another instance id), unreachable (the
 * session fails to start).
 */
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");
const { spawn } = require("child_process");

const args = process.argv.slice(2);
const state = process.env.FAKE_STATE_DIR;
const record = (entry) => fs.appendFileSync(path.join(state, "calls.jsonl"), `${JSON.stringify({ cli: "aws", ...entry })}\n`);
const flag = (name) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
};

if (process.env.FAKE_SERVE) {
    // The plugin's part: the forwarded port, answering as instance FAKE_SERVE.
    const id = process.env.FAKE_SERVE;
    const behaviour = JSON.parse(process.env.FAKE_INSTANCES)[id];
    const expected = `Basic ${Buffer.from(`${process.env.FAKE_USER}:${process.env.FAKE_PASSWORD}`).toString("base64")}`;
    const server = http.createServer((req, res) => {
        const send = (status, body) => {
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(body));
        };
        if (req.url === "/health") {
            return behaviour === "unhealthy" ? send(503, { status: "DOWN" }) : send(200, { status: "UP" });
        }
        if (req.url === "/api/instance") {
            if (req.headers.authorization !== expected) return send(401, { error: "unauthorized" });
            const reported = behaviour === "impostor" ? "i-0000000000impostor" : id;
            return send(200, { instanceId: reported, availabilityZone: "us-east-1a", hostname: `ip-${id}` });
        }
        return send(404, { error: "not found" });
    });
    server.listen(Number(process.env.FAKE_PORT), "127.0.0.1", () => {
        console.log(`Port ${process.env.FAKE_PORT} opened for sessionId fake-${id}.`);
        console.log("Waiting for connections...");
    });
    process.on("SIGTERM", () => process.exit(0));
} else if (args[0] === "ssm" && args[1] === "get-parameter") {
    record({ args });
    if (flag("--name") !== process.env.FAKE_PARAMETER || !args.includes("--with-decryption") || flag("--query") !== "Parameter.Value") {
        console.error(`fake aws: unexpected get-parameter call ${JSON.stringify(args)}`);
        process.exit(254);
    }
    process.stdout.write(`${process.env.FAKE_PASSWORD}\n`);
} else if (args[0] === "autoscaling" && args[1] === "describe-auto-scaling-groups") {
    // $FAKE_GROUP: { name, instances: [{ InstanceId, LifecycleState, AvailabilityZone }] }.
    record({ args });
    const group = JSON.parse(process.env.FAKE_GROUP ?? "null");
    if (!group || flag("--auto-scaling-group-names") !== group.name) {
        process.stdout.write(`${JSON.stringify({ AutoScalingGroups: [] })}\n`);
    } else {
        const instances = group.instances.map((instance) => ({ HealthStatus: "Healthy", ProtectedFromScaleIn: false, ...instance }));
        process.stdout.write(
            `${JSON.stringify({ AutoScalingGroups: [{ AutoScalingGroupName: group.name, Instances: instances }] }, null, 4)}\n`,
        );
    }
} else if (args[0] === "ssm" && args[1] === "start-session") {
    const target = flag("--target");
    const parameters = /^portNumber=(\d+),localPortNumber=(\d+)$/.exec(flag("--parameters") ?? "");
    const behaviour = JSON.parse(process.env.FAKE_INSTANCES)[target];
    if (flag("--document-name") !== "AWS-StartPortForwardingSession" || !parameters || behaviour === undefined) {
        console.error(`fake aws: unexpected start-session call ${JSON.stringify(args)}`);
        process.exit(254);
    }
    if (behaviour === "unreachable") {
        record({ args, pid: process.pid });
        console.error(`An error occurred (TargetNotConnected) when calling the StartSession operation: ${target} is not connected.`);
        process.exit(254);
    }
    const plugin = spawn(process.execPath, [__filename], {
        env: { ...process.env, FAKE_SERVE: target, FAKE_PORT: parameters[2] },
        stdio: ["ignore", "inherit", "inherit"],
    });
    record({ args, pid: process.pid, pluginPid: plugin.pid, remotePort: Number(parameters[1]) });
    // Like the real CLI, it stays in the foreground while the plugin runs, and does not forward SIGTERM.
    process.on("SIGTERM", () => process.exit(0));
    plugin.on("exit", (code) => process.exit(code ?? 1));
} else {
    console.error(`fake aws: no fake for ${JSON.stringify(args)}`);
    process.exit(254);
}
