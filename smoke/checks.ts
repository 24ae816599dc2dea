/**
 * The smoke checks: what the lesson checks by hand with curl, against any cluster, local or
 * deployed, over HTTP alone. Every check runs; each gives one line saying what it saw.
 */
import { DEFAULT_ENDPOINTS, SmokeEndpoints } from "./endpoints";
import { CookieJar, HttpGet, httpGet } from "./httpClient";

/** The outcome of one check. */
export const CheckStatus = {
    /** The check passed. */
    passed: "passed",
    /** The check failed; its detail says why. */
    failed: "failed",
    /** The check did not run; its detail says why. */
    skipped: "skipped",
} as const;

/** The outcome of one check, one of CheckStatus's values. */
export type CheckStatusValue = (typeof CheckStatus)[keyof typeof CheckStatus];

/** One check's result. */
export interface CheckResult {
    /** The check's name: `health`, `auth-required`, `auth`, `instances`, `stickiness`. */
    name: string;
    /** Passed, failed or skipped. */
    status: CheckStatusValue;
    /** One line: what was seen, or why it failed or did not run. */
    detail: string;
}

/** The cluster to check and what to expect of it. */
export interface SmokeTarget {
    /** The load balancer's URL, without a trailing slash. */
    url: string;
    /** The admin's username. */
    adminUsername: string;
    /** The admin's password; undefined sends no credentials, and the checks that need them are skipped. */
    adminPassword?: string;
    /** How many distinct instances must answer; undefined skips the check. */
    expectInstances?: number;
    /** Whether stickiness is on; undefined skips the check. */
    stickiness?: boolean;
    /** The API's endpoints the checks request (smoke/endpoints.ts). Default: the reference API's, every setting at its default. */
    endpoints?: SmokeEndpoints;
}

/** The endpoints of `target`. */
function endpointsOf(target: SmokeTarget): SmokeEndpoints {
    return target.endpoints ?? DEFAULT_ENDPOINTS;
}

/** The detail of a check skipped because the API declares no such endpoint. */
export function undeclaredDetail(setting: string): string {
    return `the API declares no such endpoint (api-cluster:app.${setting} is none)`;
}

/** Requests a session jar makes in the stickiness check. */
export const STICKINESS_REQUESTS = 6;

/** Requests the instances check makes for `instances` instances: enough for round robin to reach each several times. */
export function distributionRequests(instances: number): number {
    return Math.max(10, 5 * instances);
}

/** Parses a JSON body's object, or undefined. */
function json(body: string): Record<string, unknown> | undefined {
    try {
        const parsed: unknown = JSON.parse(body);
        return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

/** The reason a request got no answer, in a few words. */
function failure(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

/** The health check's path (`healthCheck.path`) answers 200. */
async function checkHealth(target: SmokeTarget, get: HttpGet): Promise<CheckResult> {
    const health = endpointsOf(target).health;
    const reply = await get(`${target.url}${health}`);
    return reply.status === 200
        ? { name: "health", status: CheckStatus.passed, detail: `GET ${health} answered 200` }
        : { name: "health", status: CheckStatus.failed, detail: `GET ${health} answered ${reply.status}, expected 200` };
}

/** The protected endpoint (`app.protectedEndpoint`) without credentials answers 401. */
async function checkAuthRequired(target: SmokeTarget, get: HttpGet): Promise<CheckResult> {
    const guarded = endpointsOf(target).protected;
    if (guarded === undefined) {
        return { name: "auth-required", status: CheckStatus.skipped, detail: undeclaredDetail("protectedEndpoint") };
    }
    const reply = await get(`${target.url}${guarded}`);
    return reply.status === 401
        ? { name: "auth-required", status: CheckStatus.passed, detail: `GET ${guarded} without credentials answered 401` }
        : {
              name: "auth-required",
              status: CheckStatus.failed,
              detail: `GET ${guarded} without credentials answered ${reply.status}, expected 401`,
          };
}

/** One authenticated GET of `endpoint`: the instance id that answered (when the body names one), or the reason it did not answer 200. */
async function instanceAnswer(
    target: SmokeTarget,
    endpoint: string,
    password: string,
    get: HttpGet,
): Promise<{ instanceId?: string; problem?: string }> {
    const reply = await get(`${target.url}${endpoint}`, { basicAuth: `${target.adminUsername}:${password}` });
    const instanceId = json(reply.body)?.instanceId;
    if (reply.status !== 200) {
        return { problem: `answered ${reply.status}, expected 200` };
    }
    return typeof instanceId === "string" ? { instanceId } : { problem: `answered 200 without an instanceId: ${reply.body.slice(0, 80)}` };
}

/** The detail of a check skipped because no credentials are sent. */
export const NO_CREDENTIALS_DETAIL = "--no-credentials: the admin's credentials are not sent";

/**
 * The protected endpoint with the admin's credentials answers 200; when it is also the instance
 * endpoint (the reference API's `/api/instance`), with an instance id.
 */
async function checkAuth(target: SmokeTarget, get: HttpGet): Promise<CheckResult> {
    const { protected: guarded, instance } = endpointsOf(target);
    if (guarded === undefined) {
        return { name: "auth", status: CheckStatus.skipped, detail: undeclaredDetail("protectedEndpoint") };
    }
    if (target.adminPassword === undefined) {
        return { name: "auth", status: CheckStatus.skipped, detail: NO_CREDENTIALS_DETAIL };
    }
    const as = `GET ${guarded} as ${target.adminUsername}`;
    if (guarded !== instance) {
        const reply = await get(`${target.url}${guarded}`, { basicAuth: `${target.adminUsername}:${target.adminPassword}` });
        return reply.status === 200
            ? { name: "auth", status: CheckStatus.passed, detail: `${as} answered 200` }
            : { name: "auth", status: CheckStatus.failed, detail: `${as} answered ${reply.status}, expected 200` };
    }
    const answer = await instanceAnswer(target, guarded, target.adminPassword, get);
    return answer.problem === undefined
        ? { name: "auth", status: CheckStatus.passed, detail: `${as} answered 200 from ${answer.instanceId}` }
        : { name: "auth", status: CheckStatus.failed, detail: `${as} ${answer.problem}` };
}

/** K authenticated requests reach exactly `expectInstances` distinct instances, and none fails. */
async function checkInstances(target: SmokeTarget, get: HttpGet): Promise<CheckResult> {
    const expected = target.expectInstances;
    const endpoint = endpointsOf(target).instance;
    if (endpoint === undefined) {
        return { name: "instances", status: CheckStatus.skipped, detail: undeclaredDetail("instanceEndpoint") };
    }
    if (expected === undefined) {
        return { name: "instances", status: CheckStatus.skipped, detail: "no --expect-instances given" };
    }
    const password = target.adminPassword;
    if (password === undefined) {
        return { name: "instances", status: CheckStatus.skipped, detail: NO_CREDENTIALS_DETAIL };
    }
    const count = distributionRequests(expected);
    const seen = new Map<string, number>();
    const problems: string[] = [];
    for (let i = 0; i < count; i++) {
        try {
            const answer = await instanceAnswer(target, endpoint, password, get);
            if (answer.instanceId !== undefined) {
                seen.set(answer.instanceId, (seen.get(answer.instanceId) ?? 0) + 1);
            } else {
                problems.push(answer.problem ?? "no answer");
            }
        } catch (err) {
            problems.push(failure(err));
        }
    }
    const spread = [...seen].map(([id, hits]) => `${id} ×${hits}`).join(", ");
    if (problems.length > 0) {
        return {
            name: "instances",
            status: CheckStatus.failed,
            detail: `${problems.length} of ${count} requests failed (${problems[0]}); answered: ${spread}`,
        };
    }
    return seen.size === expected
        ? { name: "instances", status: CheckStatus.passed, detail: `${count} requests reached ${expected} distinct instances: ${spread}` }
        : {
              name: "instances",
              status: CheckStatus.failed,
              detail: `${count} requests reached ${seen.size} distinct instances, expected ${expected}: ${spread}`,
          };
}

/**
 * A cookie jar over the session endpoint (`app.sessionEndpoint`): with stickiness on, one instance
 * answers every request and the count climbs 1, 2, …; with it off, more than one instance answers.
 */
async function checkStickiness(target: SmokeTarget, get: HttpGet): Promise<CheckResult> {
    const session = endpointsOf(target).session;
    if (session === undefined) {
        return { name: "stickiness", status: CheckStatus.skipped, detail: undeclaredDetail("sessionEndpoint") };
    }
    if (target.stickiness === undefined) {
        return { name: "stickiness", status: CheckStatus.skipped, detail: "stickiness unknown: give --stickiness on|off or --stack" };
    }
    if (!target.stickiness && target.expectInstances === 1) {
        return { name: "stickiness", status: CheckStatus.skipped, detail: "stickiness off with one instance: nothing to move between" };
    }
    const jar = new CookieJar();
    const steps: { instanceId: string; count: number }[] = [];
    for (let i = 0; i < STICKINESS_REQUESTS; i++) {
        const reply = await get(`${target.url}${session}`, { cookie: jar.header() });
        jar.store(reply.setCookies);
        const body = json(reply.body);
        if (reply.status !== 200 || typeof body?.instanceId !== "string" || typeof body.count !== "number") {
            return {
                name: "stickiness",
                status: CheckStatus.failed,
                detail: `GET ${session} answered ${reply.status}: ${reply.body.slice(0, 80)}`,
            };
        }
        steps.push({ instanceId: body.instanceId, count: body.count });
    }
    const instances = [...new Set(steps.map((step) => step.instanceId))];
    const counts = steps.map((step) => step.count).join(",");
    const cookies = jar.names().join(", ");
    if (target.stickiness) {
        const climbs = steps.every((step, i) => step.count === i + 1);
        return instances.length === 1 && climbs
            ? {
                  name: "stickiness",
                  status: CheckStatus.passed,
                  detail: `on: ${instances[0]} answered all ${STICKINESS_REQUESTS}, count ${counts} (cookies: ${cookies})`,
              }
            : {
                  name: "stickiness",
                  status: CheckStatus.failed,
                  detail: `on, but ${instances.length} instance(s) answered (${instances.join(", ")}), count ${counts}`,
              };
    }
    return instances.length > 1
        ? {
              name: "stickiness",
              status: CheckStatus.passed,
              detail: `off: ${instances.length} instances answered one jar (${instances.join(", ")}), count ${counts}`,
          }
        : {
              name: "stickiness",
              status: CheckStatus.failed,
              detail: `off, but ${instances[0]} answered all ${STICKINESS_REQUESTS} requests of one jar, count ${counts}`,
          };
}

/** Runs every check in order; a check whose request gets no answer fails with the reason. */
export async function runSmokeChecks(target: SmokeTarget, get: HttpGet = httpGet): Promise<CheckResult[]> {
    const checks: [string, (target: SmokeTarget, get: HttpGet) => Promise<CheckResult>][] = [
        ["health", checkHealth],
        ["auth-required", checkAuthRequired],
        ["auth", checkAuth],
        ["instances", checkInstances],
        ["stickiness", checkStickiness],
    ];
    const results: CheckResult[] = [];
    for (const [name, check] of checks) {
        try {
            results.push(await check(target, get));
        } catch (err) {
            results.push({ name, status: CheckStatus.failed, detail: `no answer: ${failure(err)}` });
        }
    }
    return results;
}
