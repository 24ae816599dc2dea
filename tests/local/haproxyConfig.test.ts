import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackSettings } from "../../components/config/stackConfig";
import { addServerCommand, renderHaproxyConfig } from "../../local/haproxyConfig";
import { parseShowStat } from "../../local/haproxyStats";
import { describeCheck } from "../../local/healthCheck";

/** Settings as the program reads them from `config` (short keys). */
function settingsOf(config: Record<string, string>) {
    return readStackSettings(Object.fromEntries(Object.entries(config).map(([key, value]) => [`api-cluster:${key}`, value]))).settings;
}

const SERVERS = [
    { instanceId: "local-0", port: 40001 },
    { instanceId: "local-1", port: 40002 },
];
const OPTIONS = { bindAddress: "127.0.0.1", listenerPort: 9000, statsSocket: "/tmp/x/haproxy.sock" };

/** The defaults section's lines, trimmed. */
function defaults(config: string): string[] {
    return config
        .slice(config.indexOf("\ndefaults") + 1, config.indexOf("\nfrontend"))
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "");
}

/** The backend section's lines, trimmed. */
function backend(config: string): string[] {
    return config
        .slice(config.indexOf("\nbackend api") + 1)
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "");
}

describe("the HAProxy config of npm run local", function () {
    it("maps the listener, round robin, the health check and the servers, without stickiness by default", function () {
        const config = renderHaproxyConfig(
            settingsOf({
                port: "8082",
                healthCheck:
                    '{"path":"/ready","intervalSeconds":7,"timeoutSeconds":3,"healthyThreshold":4,"unhealthyThreshold":5,"matcher":"200-299,302"}',
            }),
            SERVERS,
            OPTIONS,
        );
        assert.match(config, /^ {4}stats socket \/tmp\/x\/haproxy\.sock mode 600 level admin$/m);
        // The access log: request lines only, on HAProxy's stdout, which local reads (accessLog.ts).
        assert.match(
            config,
            /^frontend listener\n {4}bind 127\.0\.0\.1:9000\n {4}no log\n {4}log stdout format raw local0 info\n {4}log-format "%tr %s %ST %Ta %ts %HM %HP"\n {4}default_backend api$/m,
        );
        assert.deepStrictEqual(backend(config), [
            "backend api",
            "balance roundrobin",
            "option httpchk GET /ready",
            "http-check expect status 200-299,302",
            "timeout check 3s",
            "default-server check inter 7s rise 4 fall 5",
            "server local-0 127.0.0.1:40001",
            "server local-1 127.0.0.1:40002",
        ]);
    });

    it("binds the listener on the port it is given, which --any-port chooses in place of the stack's", function () {
        const config = renderHaproxyConfig(settingsOf({ port: "8082" }), SERVERS, { ...OPTIONS, listenerPort: 41234 });
        assert.match(config, /^frontend listener\n {4}bind 127\.0\.0\.1:41234\n/m);
    });

    it("re-sends no failed request by default, as the ALB: retries 0, retry-on none, no redispatch", function () {
        const config = renderHaproxyConfig(settingsOf({}), SERVERS, OPTIONS);
        assert.deepStrictEqual(defaults(config), [
            "defaults",
            "mode http",
            "log global",
            "timeout connect 2s",
            "timeout client 60s",
            "timeout server 60s",
            "option http-server-close",
            "retries 0",
            "retry-on none",
        ]);
    });

    it("retries a refused or unanswered request on another instance with --retries", function () {
        const config = renderHaproxyConfig(settingsOf({}), SERVERS, { ...OPTIONS, retries: true });
        assert.deepStrictEqual(defaults(config).slice(7), ["retries 3", "option redispatch 1", "retry-on conn-failure empty-response"]);
    });

    it("adds a rolled instance at run time with the config's health check, which default-server does not give it", function () {
        const settings = settingsOf({ healthCheck: '{"intervalSeconds":7,"healthyThreshold":4,"unhealthyThreshold":5}' });
        assert.strictEqual(
            addServerCommand(settings, { instanceId: "local-3", port: 40007 }),
            "add server api/local-3 127.0.0.1:40007 check inter 7s rise 4 fall 5",
        );
    });

    it("inserts an AWSALB cookie with the configured lifetime for lb_cookie", function () {
        const config = renderHaproxyConfig(
            settingsOf({ stickiness: '{"enabled":true,"type":"lb_cookie","durationSeconds":600}' }),
            SERVERS,
            OPTIONS,
        );
        assert.deepStrictEqual(backend(config).slice(6), [
            "cookie AWSALB insert indirect nocache httponly maxlife 600s",
            "server local-0 127.0.0.1:40001 cookie local-0",
            "server local-1 127.0.0.1:40002 cookie local-1",
        ]);
    });

    it("adds the ALB's AWSALBAPP-0 cookie to a response that sets the app's cookie, and routes by it when a request carries both, for app_cookie", function () {
        const config = renderHaproxyConfig(
            settingsOf({ stickiness: '{"enabled":true,"type":"app_cookie","cookieName":"API_SESSION","durationSeconds":120}' }),
            SERVERS,
            OPTIONS,
        );
        assert.deepStrictEqual(backend(config).slice(6), [
            "use-server %[req.cook(AWSALBAPP-0)] if { req.cook(AWSALBAPP-0) -m found } { req.cook(API_SESSION) -m found }",
            'http-response add-header Set-Cookie "AWSALBAPP-0=%[srv_name]; Max-Age=120; Path=/; HttpOnly" if { res.cook(API_SESSION) -m found }',
            "server local-0 127.0.0.1:40001",
            "server local-1 127.0.0.1:40002",
        ]);
    });

    it("is a config HAProxy accepts, with each kind of stickiness and matcher, with retries and without", function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-cluster-haproxy-"));
        try {
            const variants: { config: Record<string, string>; retries: boolean }[] = [
                { config: { stickiness: '{"enabled":false}' }, retries: false },
                { config: { stickiness: '{"enabled":false}' }, retries: true },
                { config: { stickiness: '{"enabled":true,"type":"lb_cookie"}', healthCheck: '{"matcher":"200,204"}' }, retries: false },
                {
                    config: {
                        stickiness: '{"enabled":true,"type":"app_cookie","cookieName":"API_SESSION"}',
                        healthCheck: '{"matcher":"200-399"}',
                    },
                    retries: true,
                },
            ];
            for (const variant of variants) {
                const file = path.join(dir, "haproxy.cfg");
                fs.writeFileSync(
                    file,
                    renderHaproxyConfig(settingsOf(variant.config), SERVERS, {
                        ...OPTIONS,
                        retries: variant.retries,
                        statsSocket: path.join(dir, "s.sock"),
                    }),
                );
                const check = spawnSync("haproxy", ["-c", "-f", file], { encoding: "utf8" });
                assert.strictEqual(check.status, 0, `${JSON.stringify(variant)}: ${check.stdout}${check.stderr}`);
                assert.strictEqual(check.stderr.includes("[WARNING]"), false, check.stderr);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("reads each server's state, last check and counts from show stat, leaving out the frontend and backend lines", function () {
        // The columns read, with values as HAProxy 2.6.12 gave them in a run; each is found by the header's name, in any order.
        const header = "# pxname,svname,scur,stot,status,chkfail,check_status,check_code,hrsp_5xx,req_tot,last_chk,check_desc,addr";
        const csv = [
            header,
            "listener,FRONTEND,0,12,OPEN,,,,0,12,,,",
            "api,local-0,2,6,UP,0,L7OK,200,0,6,,Layer7 check passed,127.0.0.1:18601",
            "api,local-1,0,0,DOWN,1,L7STS,503,2,3,Service Unavailable,Layer7 wrong status,127.0.0.1:18602",
            "api,local-2,0,0,DOWN,1,L4CON,,0,0,Connection refused,Layer4 connection problem,127.0.0.1:18603",
            "api,BACKEND,2,6,UP,,,,2,9,,,",
            "",
        ].join("\n");
        const stats = parseShowStat(csv, "api");
        assert.deepStrictEqual(stats, [
            {
                name: "local-0",
                status: "UP",
                currentSessions: 2,
                checkStatus: "L7OK",
                checkCode: "200",
                checkDescription: "Layer7 check passed",
                lastCheck: "",
                failedChecks: 0,
                requests: 6,
                responses5xx: 0,
                address: "127.0.0.1:18601",
            },
            {
                name: "local-1",
                status: "DOWN",
                currentSessions: 0,
                checkStatus: "L7STS",
                checkCode: "503",
                checkDescription: "Layer7 wrong status",
                lastCheck: "Service Unavailable",
                failedChecks: 1,
                requests: 3,
                responses5xx: 2,
                address: "127.0.0.1:18602",
            },
            {
                name: "local-2",
                status: "DOWN",
                currentSessions: 0,
                checkStatus: "L4CON",
                checkCode: "",
                checkDescription: "Layer4 connection problem",
                lastCheck: "Connection refused",
                failedChecks: 1,
                requests: 0,
                responses5xx: 0,
                address: "127.0.0.1:18603",
            },
        ]);
        assert.deepStrictEqual(
            stats.map((stat) => describeCheck(stat, "/health", "200")),
            ["GET /health answered 200", "GET /health answered 503, not 200", "nothing listening on port 18603 (Connection refused)"],
        );
        assert.throws(() => parseShowStat("# pxname,svname,status\n", "api"), /without scur, check_status: # pxname,svname,status$/);
    });
});
