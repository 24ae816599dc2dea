/**
 * The Spring Boot example as the lesson runs it, on the local cluster: `npm run local` with
 * `api-cluster:app.path=examples/spring-boot-api` (built against Maven Central by build-app.sh)
 * starts it N times behind HAProxy, `npm run smoke` passes against each instance and then the
 * balancer, and its HTTP session (JSESSIONID) shows why a stateful API needs stickiness: without it
 * a client that keeps its cookies starts a new session on every request, with `app_cookie` on
 * JSESSIONID or `lb_cookie` it keeps one.
 */
import * as assert from "assert";
import { LocalRun, get, killAllStarted, runSmoke, startLocal, stopLocal } from "../local/localRun";
import { ONLINE_MAVEN_ENV } from "../support/onlineMaven";
import { EXAMPLE_PATH } from "../support/springBootExample";

const PASSWORD = "boot-local-password-1";

/** Requests each cookie jar walk makes: four rounds of three instances. */
const WALK_REQUESTS = 12;

/** `npm run local`'s arguments for `instanceCount` Boot instances with `extra` config. */
function bootCluster(instanceCount: number, extra: string[] = []): string[] {
    return [
        "--stack",
        "dev",
        "--any-port",
        "--config-path",
        ...[
            `api-cluster:app.path=${EXAMPLE_PATH}`,
            `api-cluster:instanceCount=${instanceCount}`,
            "api-cluster:healthCheck.intervalSeconds=5",
            "api-cluster:healthCheck.timeoutSeconds=2",
            "api-cluster:deregistrationDelaySeconds=2",
            ...extra,
        ].flatMap((pair) => ["--config", pair]),
    ];
}

/** One answer of /api/session/counter. */
interface Step {
    instanceId: string;
    count: number;
    session: string;
}

/**
 * `requests` GETs of /api/session/counter through `url` with a cookie jar: kept as a browser keeps
 * one (every Set-Cookie stored and sent back), or, with `keep` false, the same cookies every time.
 */
async function walk(
    url: string,
    requests: number,
    jar = new Map<string, string>(),
    keep = true,
): Promise<{ steps: Step[]; jar: Map<string, string> }> {
    const steps: Step[] = [];
    for (let i = 0; i < requests; i++) {
        const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
        const reply = await get(`${url}/api/session/counter`, cookie ? { Cookie: cookie } : {});
        assert.strictEqual(reply.status, 200, JSON.stringify(reply.body));
        for (const header of keep ? reply.setCookies : []) {
            const [pair] = header.split(";");
            jar.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
        }
        steps.push({ instanceId: String(reply.body.instanceId), count: Number(reply.body.count), session: String(reply.body.session) });
    }
    return { steps, jar };
}

describe("the Spring Boot example on the local cluster", function () {
    // The first start builds the example against Maven Central (about a minute on an empty ~/.m2).
    this.timeout(10 * 60_000);
    const env = { ...ONLINE_MAVEN_ENV, ADMIN_PASSWORD: PASSWORD };
    let plain: LocalRun | undefined;
    let appCookie: LocalRun | undefined;
    let lbCookie: LocalRun | undefined;

    before(async function () {
        // One start first builds the jar into .build/local; the two after it reuse it.
        plain = await startLocal(bootCluster(3), 3, env);
        const runs = await Promise.allSettled([
            startLocal(
                bootCluster(2, [
                    "api-cluster:stickiness.enabled=true",
                    "api-cluster:stickiness.type=app_cookie",
                    "api-cluster:stickiness.cookieName=JSESSIONID",
                ]),
                2,
                env,
            ),
            startLocal(bootCluster(2, ["api-cluster:stickiness.enabled=true", "api-cluster:stickiness.type=lb_cookie"]), 2, env),
        ]);
        [appCookie, lbCookie] = runs.map((run) => (run.status === "fulfilled" ? run.value : undefined));
        const failed = runs.find((run): run is PromiseRejectedResult => run.status === "rejected");
        if (failed !== undefined) {
            throw failed.reason;
        }
    });

    after(async function () {
        await Promise.all([plain, appCookie, lbCookie].map(stopLocal));
        killAllStarted();
    });

    it("starts 3 instances of the Boot jar, built by build-app.sh, behind HAProxy", function () {
        const run = plain as LocalRun;
        assert.deepStrictEqual(
            run.instances.map((instance) => instance.instanceId),
            ["local-0", "local-1", "local-2"],
        );
        assert.match(
            run.stderr(),
            /api-cluster:app \(source maven, path examples\/spring-boot-api\) as \.build\/local\/maven-[0-9a-f]{20}\.jar/,
        );
    });

    it("passes npm run smoke against each instance on its own, as the admin user over HTTP Basic", async function () {
        for (const instance of (plain as LocalRun).instances) {
            const smoke = await runSmoke(
                ["--url", `http://127.0.0.1:${instance.port}`, "--expect-instances", "1", "--stickiness", "off"],
                env,
            );
            assert.strictEqual(smoke.status, 0, smoke.stderr);
            assert.deepStrictEqual(smoke.stdout.trim().split("\n"), [
                `smoke http://127.0.0.1:${instance.port}`,
                "PASS health: GET /health answered 200",
                "PASS auth-required: GET /api/instance without credentials answered 401",
                `PASS auth: GET /api/instance as admin@fake.com answered 200 from ${instance.instanceId}`,
                `PASS instances: 10 requests reached 1 distinct instances: ${instance.instanceId} ×10`,
                "SKIP stickiness: stickiness off with one instance: nothing to move between",
            ]);
        }
    });

    it("passes npm run smoke through the balancer, its requests spread evenly over the 3 instances", async function () {
        const run = plain as LocalRun;
        const smoke = await runSmoke(["--url", run.url, "--expect-instances", "3", "--stickiness", "off"], env);
        assert.strictEqual(smoke.status, 0, smoke.stderr);
        const lines = smoke.stdout.trim().split("\n");
        assert.deepStrictEqual(lines.slice(0, 3), [
            `smoke ${run.url}`,
            "PASS health: GET /health answered 200",
            "PASS auth-required: GET /api/instance without credentials answered 401",
        ]);
        assert.match(lines[3], /^PASS auth: GET \/api\/instance as admin@fake\.com answered 200 from local-[012]$/);
        assert.strictEqual(lines.length, 6);
        // 15 requests round robin over 3 instances: 5 each.
        assert.match(lines[4], /^PASS instances: 15 requests reached 3 distinct instances: local-\d ×5, local-\d ×5, local-\d ×5$/);
        assert.match(lines[5], /^PASS stickiness: off: 3 instances answered one jar \(local-\d, local-\d, local-\d\), count 1,1,1,1,1,1$/);
    });

    it("without stickiness, loses a cookie-keeping client's session on every request: 12 requests, 12 sessions, every count 1", async function () {
        const { steps, jar } = await walk((plain as LocalRun).url, WALK_REQUESTS);
        // Round robin sends request i to instance i mod 3; each carries the JSESSIONID the previous
        // instance set, which the next one does not know, so it starts a new session at 1.
        assert.deepStrictEqual(
            steps.map((step) => step.count),
            Array(WALK_REQUESTS).fill(1),
        );
        assert.strictEqual(new Set(steps.slice(0, 3).map((step) => step.instanceId)).size, 3);
        assert.deepStrictEqual(
            steps.map((step) => step.instanceId),
            steps.map((_, i) => steps[i % 3].instanceId),
        );
        assert.strictEqual(new Set(steps.map((step) => step.session)).size, WALK_REQUESTS);
        assert.deepStrictEqual([...jar.keys()], ["JSESSIONID"]);
    });

    it("with app_cookie on JSESSIONID, keeps it on one instance through the ALB's AWSALBAPP-0 cookie: one session, counts 1 to 12", async function () {
        const run = appCookie as LocalRun;
        const { steps, jar } = await walk(run.url, WALK_REQUESTS);
        assert.strictEqual(new Set(steps.map((step) => step.instanceId)).size, 1);
        assert.strictEqual(new Set(steps.map((step) => step.session)).size, 1);
        assert.deepStrictEqual(
            steps.map((step) => step.count),
            Array.from({ length: WALK_REQUESTS }, (_, i) => i + 1),
        );
        assert.deepStrictEqual([...jar.keys()].sort(), ["AWSALBAPP-0", "JSESSIONID"]);
        assert.strictEqual(jar.get("AWSALBAPP-0"), steps[0].instanceId);
        // As the ALB, which routes by its own cookie only: the session cookie alone is balanced as any
        // request, so 4 requests alternate, 2 on the session's instance (13, 14) and 2 on the other,
        // which starts a new session each time (1, 1).
        const alone = await walk(run.url, 4, new Map([["JSESSIONID", jar.get("JSESSIONID") as string]]), false);
        assert.strictEqual(new Set(alone.steps.map((step) => step.instanceId)).size, 2);
        assert.deepStrictEqual(
            alone.steps.map((step) => step.count).sort((a, b) => a - b),
            [1, 1, 13, 14],
        );
    });

    it("with lb_cookie, keeps it on one instance through the AWSALB cookie: one session, counts 1 to 12", async function () {
        const { steps, jar } = await walk((lbCookie as LocalRun).url, WALK_REQUESTS);
        assert.strictEqual(new Set(steps.map((step) => step.instanceId)).size, 1);
        assert.strictEqual(new Set(steps.map((step) => step.session)).size, 1);
        assert.deepStrictEqual(
            steps.map((step) => step.count),
            Array.from({ length: WALK_REQUESTS }, (_, i) => i + 1),
        );
        assert.deepStrictEqual([...jar.keys()].sort(), ["AWSALB", "JSESSIONID"]);
    });
});
