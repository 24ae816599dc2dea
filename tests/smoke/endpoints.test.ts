/**
 * Smoke against an API other than the reference one: the endpoints it checks come from the stack's
 * settings (healthCheck.path, app.instanceEndpoint, app.protectedEndpoint, app.sessionEndpoint),
 * and a check whose endpoint the API does not declare (`none`) is skipped with a line saying so.
 */
import * as assert from "assert";
import * as path from "path";
import { readStackSettings } from "../../components/config/stackConfig";
import { CheckResult, runSmokeChecks } from "../../smoke/checks";
import { SmokeDependencies, main } from "../../smoke/cli";
import { DEFAULT_ENDPOINTS, SmokeEndpoints, smokeEndpoints } from "../../smoke/endpoints";
import { HttpGet, HttpGetOptions, HttpReply } from "../../smoke/httpClient";
import { realStackSources } from "../../smoke/stackTarget";
import { problemsOf } from "../support/configProblems";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const URL_ = "http://127.0.0.1:18082";
const USER = "admin@fake.com";
const PASSWORD = "correct-horse-battery";

/**
 * An API that is not the reference one, round robin over `instances`: `/actuator/health` only,
 * `/admin` behind Basic (401 without), `/whoami` naming the instance to the admin; everything else 404.
 */
function otherApi(instances: string[]): HttpGet & { paths: string[] } {
    let next = 0;
    const paths: string[] = [];
    const get = async (url: string, options: HttpGetOptions = {}): Promise<HttpReply> => {
        const urlPath = new URL(url).pathname;
        paths.push(urlPath);
        const instance = instances[next++ % instances.length];
        const admin = options.basicAuth === `${USER}:${PASSWORD}`;
        const reply = (status: number, body: unknown): HttpReply => ({ status, body: JSON.stringify(body), setCookies: [] });
        switch (urlPath) {
            case "/actuator/health":
                return reply(200, { status: "UP" });
            case "/admin":
                return admin ? reply(200, { ok: true }) : reply(401, { error: "Unauthorized" });
            case "/whoami":
                return admin ? reply(200, { instanceId: instance }) : reply(401, { error: "Unauthorized" });
            default:
                return reply(404, { error: "Not Found" });
        }
    };
    return Object.assign(get, { paths });
}

/** name, status and detail of each result. */
function lines(results: CheckResult[]): string[] {
    return results.map((result) => `${result.status} ${result.name}: ${result.detail}`);
}

/** The endpoints of a config given as `key: JSON object` pairs without the namespace. */
function endpointsOf(config: Record<string, string>): SmokeEndpoints {
    const full = Object.fromEntries(Object.entries(config).map(([key, value]) => [`api-cluster:${key}`, value]));
    return smokeEndpoints(readStackSettings(full).settings);
}

describe("smoke's endpoints, from the stack's settings", function () {
    it("are the reference API's by default: /health, /api/instance for identity and credentials, /api/session/counter", function () {
        const reference = { health: "/health", instance: "/api/instance", protected: "/api/instance", session: "/api/session/counter" };
        assert.deepStrictEqual(DEFAULT_ENDPOINTS, reference);
        assert.deepStrictEqual(endpointsOf({}), reference);
        assert.deepStrictEqual(realStackSources(REPO_ROOT).stackSettings("dev").endpoints, reference);
    });

    it("follow healthCheck.path and the app's endpoints, and leave out those set to none", function () {
        assert.deepStrictEqual(
            endpointsOf({
                healthCheck: '{"path":"/actuator/health"}',
                app: '{"instanceEndpoint":"/whoami","protectedEndpoint":"/admin","sessionEndpoint":"none"}',
            }),
            { health: "/actuator/health", instance: "/whoami", protected: "/admin", session: undefined },
        );
    });

    it("refuse an endpoint that is neither a path nor none, naming the key, the rule and the value", function () {
        assert.deepStrictEqual(problemsOf({ app: '{"instanceEndpoint":"api/instance","sessionEndpoint":"/a b"}' }), [
            'api-cluster:app.instanceEndpoint must be a path that starts with / such as /api/instance, or none; got "api/instance"',
            'api-cluster:app.sessionEndpoint must be a path that starts with / such as /api/instance, or none; got "/a b"',
        ]);
    });
});

describe("smoke checks on an API other than the reference one", function () {
    const TARGET = { url: URL_, adminUsername: USER, adminPassword: PASSWORD, expectInstances: 2, stickiness: false };

    it("fail on the reference API's endpoints, which it does not serve", async function () {
        const results = await runSmokeChecks({ ...TARGET, endpoints: DEFAULT_ENDPOINTS }, otherApi(["i-a", "i-b"]));
        assert.deepStrictEqual(
            results.map((result) => [result.name, result.status]),
            [
                ["health", "failed"],
                ["auth-required", "failed"],
                ["auth", "failed"],
                ["instances", "failed"],
                ["stickiness", "failed"],
            ],
        );
    });

    it("pass on the endpoints it declares and skip, saying why, the checks whose endpoint it does not", async function () {
        const get = otherApi(["i-a", "i-b"]);
        const endpoints = endpointsOf({
            healthCheck: '{"path":"/actuator/health"}',
            app: '{"instanceEndpoint":"/whoami","protectedEndpoint":"/admin","sessionEndpoint":"none"}',
        });
        const results = await runSmokeChecks({ ...TARGET, endpoints }, get);
        assert.deepStrictEqual(lines(results), [
            "passed health: GET /actuator/health answered 200",
            "passed auth-required: GET /admin without credentials answered 401",
            "passed auth: GET /admin as admin@fake.com answered 200",
            "passed instances: 10 requests reached 2 distinct instances: i-b ×5, i-a ×5",
            "skipped stickiness: the API declares no such endpoint (api-cluster:app.sessionEndpoint is none)",
        ]);
        assert.deepStrictEqual([...new Set(get.paths)], ["/actuator/health", "/admin", "/whoami"]);
    });

    it("run only the health check of an API that declares nothing else", async function () {
        const get = otherApi(["i-a"]);
        const endpoints = endpointsOf({
            healthCheck: '{"path":"/actuator/health"}',
            app: '{"instanceEndpoint":"none","protectedEndpoint":"none","sessionEndpoint":"none"}',
        });
        assert.deepStrictEqual(lines(await runSmokeChecks({ ...TARGET, endpoints }, get)), [
            "passed health: GET /actuator/health answered 200",
            "skipped auth-required: the API declares no such endpoint (api-cluster:app.protectedEndpoint is none)",
            "skipped auth: the API declares no such endpoint (api-cluster:app.protectedEndpoint is none)",
            "skipped instances: the API declares no such endpoint (api-cluster:app.instanceEndpoint is none)",
            "skipped stickiness: the API declares no such endpoint (api-cluster:app.sessionEndpoint is none)",
        ]);
        assert.deepStrictEqual(get.paths, ["/actuator/health"]);
    });
});

describe("npm run smoke --url with --config", function () {
    /** Runs main against `get`; returns the exit code and what it wrote. */
    async function smoke(argv: string[], get: HttpGet) {
        let stdout = "";
        let stderr = "";
        const deps: SmokeDependencies = {
            env: { ADMIN_PASSWORD: PASSWORD },
            stackSources: realStackSources(REPO_ROOT),
            get,
            stdout: (text) => (stdout += text),
            stderr: (text) => (stderr += text),
        };
        return { code: await main(argv, deps), stdout, stderr };
    }

    it("checks the endpoints --config names, as the stack's settings would, and says what it skips", async function () {
        const result = await smoke(
            [
                "--url",
                URL_,
                "--expect-instances",
                "2",
                "--config-path",
                "--config",
                "api-cluster:healthCheck.path=/actuator/health",
                "--config",
                "api-cluster:app.instanceEndpoint=/whoami",
                "--config",
                "api-cluster:app.protectedEndpoint=none",
                "--config",
                "api-cluster:app.sessionEndpoint=none",
            ],
            otherApi(["i-a", "i-b"]),
        );
        assert.strictEqual(result.code, 0, result.stderr);
        assert.deepStrictEqual(result.stdout.trim().split("\n"), [
            `smoke ${URL_}`,
            "PASS health: GET /actuator/health answered 200",
            "SKIP auth-required: the API declares no such endpoint (api-cluster:app.protectedEndpoint is none)",
            "SKIP auth: the API declares no such endpoint (api-cluster:app.protectedEndpoint is none)",
            "PASS instances: 10 requests reached 2 distinct instances: i-b ×5, i-a ×5",
            "SKIP stickiness: the API declares no such endpoint (api-cluster:app.sessionEndpoint is none)",
        ]);
    });

    it("refuses a bad endpoint with exit 2, naming the key, and --config with --stack", async function () {
        const bad = await smoke(["--url", URL_, "--config-path", "--config", "api-cluster:app.protectedEndpoint=admin"], otherApi(["i-a"]));
        assert.strictEqual(bad.code, 2);
        assert.strictEqual(
            bad.stderr,
            'error: invalid configuration:\n  - api-cluster:app.protectedEndpoint must be a path that starts with / such as /api/instance, or none; got "admin"\n',
        );
        const withStack = await smoke(["--stack", "dev", "--config", "api-cluster:instanceCount=3"], otherApi(["i-a"]));
        assert.strictEqual(withStack.code, 2);
        assert.strictEqual(
            withStack.stderr.split("\n")[0],
            "error: --config does not apply to smoke --stack: it checks the cluster as deployed; --config goes with --url",
        );
    });
});
