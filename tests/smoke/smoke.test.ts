/**
 * The smoke checks and `npm run smoke`'s command line against a simulated cluster: an HttpGet that
 * answers as a load balancer over N instances would, and stack sources in place of the Pulumi CLI
 * and SSM. The real-process runs are in tests/local/cluster.test.ts.
 */
import * as assert from "assert";
import { HttpGet, HttpGetOptions, HttpReply } from "../../smoke/httpClient";
import { CheckResult, runSmokeChecks } from "../../smoke/checks";
import { SmokeDependencies, main } from "../../smoke/cli";
import { isLoopbackHost } from "../../smoke/plainHttp";
import { StackSources, stackTarget } from "../../smoke/stackTarget";

const URL_ = "https://lb.example";
const USER = "admin@fake.com";
const PASSWORD = "correct-horse-battery";

/** A simulated cluster: round robin over `instances`, sticky on a `LB` cookie when `sticky`. */
function cluster(
    instances: string[],
    sticky: boolean,
    overrides: { health?: number; openInstance?: boolean } = {},
): HttpGet & { calls: string[] } {
    let next = 0;
    const sessions = new Map<string, number>();
    let sessionIds = 0;
    const calls: string[] = [];
    const get = async (url: string, options: HttpGetOptions = {}): Promise<HttpReply> => {
        calls.push(url);
        const cookies = Object.fromEntries(
            (options.cookie ?? "")
                .split("; ")
                .filter(Boolean)
                .map((pair) => pair.split("=")),
        );
        const pinned = sticky && cookies.LB !== undefined ? cookies.LB : undefined;
        const instance = pinned ?? instances[next++ % instances.length];
        const path = new URL(url).pathname;
        if (path === "/health") {
            return { status: overrides.health ?? 200, body: '{"status":"UP"}', setCookies: [] };
        }
        if (path === "/api/instance") {
            const authorized = overrides.openInstance || options.basicAuth === `${USER}:${PASSWORD}`;
            return authorized
                ? { status: 200, body: JSON.stringify({ instanceId: instance }), setCookies: [] }
                : { status: 401, body: '{"error":"Unauthorized"}', setCookies: [] };
        }
        const key = `${instance}/${cookies.API_SESSION ?? ""}`;
        const known = sessions.has(key);
        const id = known ? cookies.API_SESSION : `s${++sessionIds}`;
        const count = (sessions.get(key) ?? 0) + 1;
        sessions.set(`${instance}/${id}`, count);
        const setCookies = [
            ...(known ? [] : [`API_SESSION=${id}; Path=/`]),
            ...(sticky && pinned === undefined ? [`LB=${instance}; Path=/`] : []),
        ];
        return { status: 200, body: JSON.stringify({ session: id, count, instanceId: instance }), setCookies };
    };
    return Object.assign(get, { calls });
}

/** name → status of each result. */
function statuses(results: CheckResult[]): Record<string, string> {
    return Object.fromEntries(results.map((result) => [result.name, result.status]));
}

const TARGET = { url: URL_, adminUsername: USER, adminPassword: PASSWORD };

describe("smoke checks", function () {
    it("pass on a healthy cluster without stickiness, with 15 requests for 3 instances", async function () {
        const get = cluster(["i-a", "i-b", "i-c"], false);
        const results = await runSmokeChecks({ ...TARGET, expectInstances: 3, stickiness: false }, get);
        assert.deepStrictEqual(results, [
            { name: "health", status: "passed", detail: "GET /health answered 200" },
            { name: "auth-required", status: "passed", detail: "GET /api/instance without credentials answered 401" },
            { name: "auth", status: "passed", detail: "GET /api/instance as admin@fake.com answered 200 from i-c" },
            { name: "instances", status: "passed", detail: "15 requests reached 3 distinct instances: i-a ×5, i-b ×5, i-c ×5" },
            { name: "stickiness", status: "passed", detail: "off: 3 instances answered one jar (i-a, i-b, i-c), count 1,1,1,1,1,1" },
        ]);
        assert.strictEqual(get.calls.length, 1 + 1 + 1 + 15 + 6);
    });

    it("pass with stickiness on when one instance answers a jar and its count climbs", async function () {
        const results = await runSmokeChecks({ ...TARGET, expectInstances: 2, stickiness: true }, cluster(["i-a", "i-b"], true));
        assert.deepStrictEqual(results[4], {
            name: "stickiness",
            status: "passed",
            detail: "on: i-b answered all 6, count 1,2,3,4,5,6 (cookies: API_SESSION, LB)",
        });
    });

    it("fail, each with its reason, when instances are missing, stickiness is not what was expected, /health fails and /api/instance is open", async function () {
        const results = await runSmokeChecks(
            { ...TARGET, expectInstances: 3, stickiness: true },
            cluster(["i-a", "i-b"], false, { health: 503, openInstance: true }),
        );
        assert.deepStrictEqual(statuses(results), {
            health: "failed",
            "auth-required": "failed",
            auth: "passed",
            instances: "failed",
            stickiness: "failed",
        });
        assert.deepStrictEqual(
            results.filter((result) => result.status === "failed").map((result) => result.detail),
            [
                "GET /health answered 503, expected 200",
                "GET /api/instance without credentials answered 200, expected 401",
                "15 requests reached 2 distinct instances, expected 3: i-b ×8, i-a ×7",
                "on, but 2 instance(s) answered (i-a, i-b), count 1,1,1,1,1,1",
            ],
        );
    });

    it("fail every check with the reason when nothing answers, and skip what was not asked for", async function () {
        const refused: HttpGet = async () => {
            throw new Error("connect ECONNREFUSED 127.0.0.1:9");
        };
        const results = await runSmokeChecks(TARGET, refused);
        assert.deepStrictEqual(results, [
            { name: "health", status: "failed", detail: "no answer: connect ECONNREFUSED 127.0.0.1:9" },
            { name: "auth-required", status: "failed", detail: "no answer: connect ECONNREFUSED 127.0.0.1:9" },
            { name: "auth", status: "failed", detail: "no answer: connect ECONNREFUSED 127.0.0.1:9" },
            { name: "instances", status: "skipped", detail: "no --expect-instances given" },
            { name: "stickiness", status: "skipped", detail: "stickiness unknown: give --stickiness on|off or --stack" },
        ]);
    });
});

/** Stack sources that answer from fixed values and record what they were asked; `fleet` adds those outputs. */
function sources(
    asked: string[],
    fleet: Record<string, unknown> = { instances: [{ id: "i-a" }, { id: "i-b" }], autoScalingGroupName: "" },
): StackSources {
    return {
        stackOutputs: async (stack) => {
            asked.push(`outputs ${stack}`);
            return {
                url: `${URL_}/`,
                adminPasswordParameterName: "/api-cluster/dev/admin-password",
                targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-3:123456789012:targetgroup/api-tg/0123456789abcdef",
                ...fleet,
            };
        },
        parameterValue: async (name, region) => {
            asked.push(`ssm ${name} ${region}`);
            return PASSWORD;
        },
        stackSettings: (stack) => {
            asked.push(`settings ${stack}`);
            return { stickiness: true, adminUsername: USER };
        },
    };
}

describe("smoke's stack target", function () {
    it("reads the URL, the password from SSM in the stack's region, the instance count and stickiness", async function () {
        const asked: string[] = [];
        const target = await stackTarget("acme/dev", sources(asked));
        assert.deepStrictEqual(target, { url: URL_, adminUsername: USER, adminPassword: PASSWORD, expectInstances: 2, stickiness: true });
        assert.deepStrictEqual(asked, ["outputs acme/dev", "settings acme/dev", "ssm /api-cluster/dev/admin-password eu-west-3"]);
    });

    it("expects no instance count of an autoscaling fleet, whose group sizes itself and reports no instances", async function () {
        const target = await stackTarget("acme/staging", sources([], { instances: [], autoScalingGroupName: "api-group-6278f37" }));
        assert.deepStrictEqual(target, {
            url: URL_,
            adminUsername: USER,
            adminPassword: PASSWORD,
            expectInstances: undefined,
            stickiness: true,
        });
        const given = await stackTarget("acme/staging", sources([], { instances: [], autoScalingGroupName: "api-group-6278f37" }), {
            expectInstances: 3,
        });
        assert.strictEqual(given.expectInstances, 3);
    });

    it("takes the caller's password and expectations instead, without asking SSM", async function () {
        const asked: string[] = [];
        const target = await stackTarget("dev", sources(asked), {
            adminPassword: "from-env-password",
            expectInstances: 5,
            stickiness: false,
        });
        assert.deepStrictEqual(target, {
            url: URL_,
            adminUsername: USER,
            adminPassword: "from-env-password",
            expectInstances: 5,
            stickiness: false,
        });
        assert.deepStrictEqual(asked, ["outputs dev", "settings dev"]);
    });
});

describe("npm run smoke's command line", function () {
    /** Runs main with a simulated cluster; returns the exit code and what it wrote. */
    async function smoke(argv: string[], env: NodeJS.ProcessEnv, get: HttpGet = cluster(["i-a", "i-b"], true)) {
        let stdout = "";
        let stderr = "";
        const deps: SmokeDependencies = {
            env,
            stackSources: sources([]),
            get,
            stdout: (text) => (stdout += text),
            stderr: (text) => (stderr += text),
        };
        return { code: await main(argv, deps), stdout, stderr };
    }

    it("checks a stack from its outputs and SSM, and prints one line per check", async function () {
        const { code, stdout, stderr } = await smoke(["--stack", "dev"], {});
        assert.strictEqual(code, 0, stderr);
        assert.deepStrictEqual(stdout.split("\n"), [
            `smoke ${URL_}`,
            "PASS health: GET /health answered 200",
            "PASS auth-required: GET /api/instance without credentials answered 401",
            "PASS auth: GET /api/instance as admin@fake.com answered 200 from i-a",
            "PASS instances: 10 requests reached 2 distinct instances: i-b ×5, i-a ×5",
            "PASS stickiness: on: i-b answered all 6, count 1,2,3,4,5,6 (cookies: API_SESSION, LB)",
            "",
        ]);
        assert.strictEqual(stderr, "");
    });

    it("exits 1 with a FAIL line per failed check on stderr, and --json reports every result", async function () {
        const text = await smoke(["--url", URL_, "--expect-instances", "3", "--stickiness", "on"], { ADMIN_PASSWORD: PASSWORD });
        assert.strictEqual(text.code, 1);
        assert.strictEqual(text.stderr, "FAIL instances: 15 requests reached 2 distinct instances, expected 3: i-b ×8, i-a ×7\n");
        const json = await smoke(["--url", URL_, "--expect-instances", "3", "--stickiness", "on", "--json"], { ADMIN_PASSWORD: PASSWORD });
        assert.strictEqual(json.code, 1);
        const report = JSON.parse(json.stdout) as { url: string; passed: boolean; checks: CheckResult[] };
        assert.strictEqual(report.url, URL_);
        assert.strictEqual(report.passed, false);
        assert.deepStrictEqual(statuses(report.checks), {
            health: "passed",
            "auth-required": "passed",
            auth: "passed",
            instances: "failed",
            stickiness: "passed",
        });
    });

    it("prints its usage with --help, and refuses a bad command line with exit 2", async function () {
        const help = await smoke(["--help"], {});
        assert.strictEqual(help.code, 0);
        assert.match(
            help.stdout,
            /^usage: npm run smoke -- \(--url <url> \[--config key=value\]\.\.\. \[--config-path\] \| --stack <name>\)\n/,
        );
        const cases: [string[], NodeJS.ProcessEnv, string][] = [
            [[], {}, "give either --url or one --stack"],
            [["--url", URL_, "--stack", "dev"], {}, "give either --url or one --stack"],
            [
                ["--url", URL_],
                {},
                "set ADMIN_PASSWORD to the admin's password (with --stack it is read from SSM), or give --no-credentials",
            ],
            [["--url", "lb.example"], { ADMIN_PASSWORD: PASSWORD }, '--url takes an http:// or https:// URL; got "lb.example"'],
            [["--url", URL_, "--stickiness", "yes"], { ADMIN_PASSWORD: PASSWORD }, '--stickiness takes on or off; got "yes"'],
            [
                ["--url", URL_, "--expect-instances", "0"],
                { ADMIN_PASSWORD: PASSWORD },
                '--expect-instances takes a whole number from 1 to 999; got "0"',
            ],
        ];
        for (const [argv, env, message] of cases) {
            const { code, stderr } = await smoke(argv, env);
            assert.strictEqual(code, 2, argv.join(" "));
            assert.strictEqual(stderr.split("\n")[0], `error: ${message}`);
        }
    });
});

describe("smoke's credentials over plain HTTP", function () {
    const PLAIN = "http://lb.example:8082";
    const refusal =
        "refusing to send the admin's credentials over plain HTTP to lb.example:8082, which is not this machine: " +
        "use the https:// URL of a stack with TLS (hostedZoneId, hostedZoneName or certificateArn), " +
        "or --no-credentials to run only the checks that send none, or --allow-plain-http to send them anyway";

    /** A simulated cluster that records, per request, whether it carried credentials. */
    function recording(): { get: HttpGet; sent: { url: string; credentials: boolean }[] } {
        const inner = cluster(["i-a", "i-b"], false);
        const sent: { url: string; credentials: boolean }[] = [];
        const get: HttpGet = (url, options) => {
            sent.push({ url, credentials: options?.basicAuth !== undefined });
            return inner(url, options);
        };
        return { get, sent };
    }

    /** Runs main against `get`, with stack sources whose url output is `stackUrl`. */
    async function smoke(argv: string[], env: NodeJS.ProcessEnv, get: HttpGet, stackUrl = PLAIN, asked: string[] = []) {
        let stdout = "";
        let stderr = "";
        const plainSources = sources(asked);
        const deps: SmokeDependencies = {
            env,
            stackSources: {
                ...plainSources,
                stackOutputs: async (stack) => ({ ...(await plainSources.stackOutputs(stack)), url: stackUrl }),
            },
            get,
            stdout: (text) => (stdout += text),
            stderr: (text) => (stderr += text),
        };
        return { code: await main(argv, deps), stdout, stderr };
    }

    it("knows loopback hosts: localhost, 127.0.0.0/8 and ::1, and nothing that only looks like them", () => {
        for (const host of ["localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "127.255.255.254", "[::1]"]) {
            assert.strictEqual(isLoopbackHost(host), true, host);
        }
        for (const host of [
            "128.0.0.1",
            "127.0.0.256",
            "10.0.0.1",
            "localhost.example.com",
            "127.0.0.1.nip.io",
            "[::ffff:7f00:1]",
            "lb.example",
        ]) {
            assert.strictEqual(isLoopbackHost(host), false, host);
        }
    });

    it("refuses --url on plain HTTP to another host with exit 2, before any request", async () => {
        const { get, sent } = recording();
        const { code, stderr } = await smoke(["--url", PLAIN], { ADMIN_PASSWORD: PASSWORD }, get);
        assert.strictEqual(code, 2);
        assert.strictEqual(stderr.split("\n")[0], `error: ${refusal}`);
        assert.deepStrictEqual(sent, []);
    });

    it("sends credentials over plain HTTP to this machine, by name or by address", async () => {
        for (const url of ["http://127.0.0.1:8082", "http://127.3.2.1:8082", "http://localhost:8082", "http://[::1]:8082"]) {
            const { get, sent } = recording();
            const { code, stderr } = await smoke(["--url", url, "--stickiness", "off"], { ADMIN_PASSWORD: PASSWORD }, get);
            assert.strictEqual(code, 0, `${url}: ${stderr}`);
            assert.strictEqual(sent.filter((request) => request.credentials).length, 1, url);
        }
    });

    it("sends credentials over HTTPS to any host", async () => {
        const { get, sent } = recording();
        const { code } = await smoke(["--url", "https://api.example.com", "--expect-instances", "2"], { ADMIN_PASSWORD: PASSWORD }, get);
        assert.strictEqual(code, 0);
        assert.strictEqual(sent.filter((request) => request.credentials).length, 1 + 10);
    });

    it("sends them over plain HTTP to another host with --allow-plain-http", async () => {
        const { get, sent } = recording();
        const { code, stderr } = await smoke(
            ["--url", PLAIN, "--allow-plain-http", "--expect-instances", "2"],
            { ADMIN_PASSWORD: PASSWORD },
            get,
        );
        assert.strictEqual(code, 0, stderr);
        assert.strictEqual(sent.filter((request) => request.credentials).length, 1 + 10);
    });

    it("with --no-credentials, needs no password, sends none, and skips the two checks that need them", async () => {
        const { get, sent } = recording();
        const { code, stdout } = await smoke(
            ["--url", PLAIN, "--no-credentials", "--expect-instances", "2", "--stickiness", "off"],
            {},
            get,
        );
        assert.strictEqual(code, 0);
        assert.deepStrictEqual(stdout.split("\n"), [
            `smoke ${PLAIN}`,
            "PASS health: GET /health answered 200",
            "PASS auth-required: GET /api/instance without credentials answered 401",
            "SKIP auth: --no-credentials: the admin's credentials are not sent",
            "SKIP instances: --no-credentials: the admin's credentials are not sent",
            "PASS stickiness: off: 2 instances answered one jar (i-a, i-b), count 1,1,1,1,1,1",
            "",
        ]);
        assert.deepStrictEqual(
            sent.filter((request) => request.credentials),
            [],
        );
        assert.strictEqual(sent.length, 1 + 1 + 6);
    });

    it("refuses a stack whose url is plain HTTP before reading its password from SSM", async () => {
        const asked: string[] = [];
        const { get, sent } = recording();
        const { code, stderr } = await smoke(["--stack", "dev"], {}, get, PLAIN, asked);
        assert.strictEqual(code, 2);
        assert.strictEqual(stderr, `error: stack dev: ${refusal}\n`);
        assert.deepStrictEqual(asked, ["outputs dev"]);
        assert.deepStrictEqual(sent, []);
    });

    it("checks a plain HTTP stack with --no-credentials without ever reading its password", async () => {
        const asked: string[] = [];
        const { get, sent } = recording();
        const { code } = await smoke(
            ["--stack", "dev", "--no-credentials", "--stickiness", "off"],
            { ADMIN_PASSWORD: PASSWORD },
            get,
            PLAIN,
            asked,
        );
        assert.strictEqual(code, 0);
        assert.deepStrictEqual(asked, ["outputs dev", "settings dev"]);
        assert.deepStrictEqual(
            sent.filter((request) => request.credentials),
            [],
        );
    });

    it("reads the password of an HTTPS stack from SSM and sends it", async () => {
        const asked: string[] = [];
        const { get, sent } = recording();
        const { code } = await smoke(["--stack", "prod", "--stickiness", "off"], {}, get, "https://api.example.com", asked);
        assert.strictEqual(code, 0);
        assert.deepStrictEqual(asked, ["outputs prod", "settings prod", "ssm /api-cluster/dev/admin-password eu-west-3"]);
        assert.strictEqual(sent.filter((request) => request.credentials).length, 1 + 10);
    });

    it("refuses --no-credentials with --allow-plain-http", async () => {
        const { get } = recording();
        const { code, stderr } = await smoke(["--url", PLAIN, "--no-credentials", "--allow-plain-http"], {}, get);
        assert.strictEqual(code, 2);
        assert.strictEqual(stderr.split("\n")[0], "error: give --no-credentials or --allow-plain-http, not both");
    });

    it("documents both flags in --help", async () => {
        const { stdout } = await smoke(["--help"], {}, recording().get);
        assert.match(stdout, /^ {2}--no-credentials {4}send none: run health, auth-required and stickiness, skip auth and instances$/m);
        assert.match(stdout, /^ {2}--allow-plain-http {2}send them over plain http:\/\/ to another host anyway/m);
    });
});
