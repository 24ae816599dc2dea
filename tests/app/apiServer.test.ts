/**
 * Live tests of the reference API in app/ (its one source, ApiServer.java): each starts the real Java process with
 * PORT=0, reads the port the system chose from its "listening on <address>:<port>" line, and talks HTTP to it. The source is compiled once with javac; one test also runs it
 * through the single-file source launcher, as `npm run api` does. A machine without a JDK fails
 * these tests (CI installs one); nothing is skipped.
 */
import * as assert from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { setTimeout as sleep } from "timers/promises";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** The source, relative to the repository's root, as `npm run api` runs it. */
const SOURCE_PATH = path.join("app", "src", "main", "java", "com", "example", "apicluster", "ApiServer.java");
const SOURCE = path.join(REPO_ROOT, SOURCE_PATH);
const MAIN_CLASS = "com.example.apicluster.ApiServer";
const HOST = "127.0.0.1";
const USERNAME = "admin@fake.com";
const PASSWORD = "adminpass";
const INSTANCE_ID = "i-0123456789abcdef0";
const ZONE = "eu-west-1a";
const LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z (\S+) (\S+) (\S+) (\d{3}) (\d+)ms$/;
const SESSION_COOKIE = /^API_SESSION=([0-9a-f]{32}); Path=\/; HttpOnly; SameSite=Lax$/;
/** The line the API prints once it listens: the bound address, the bound port and the instance id. */
const LISTENING_LINE = /^api-server: listening on (\S+):(\d+) as (.*)$/m;

/** A response read to its end. */
interface Reply {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
}

/** How a process ended and what it wrote. */
interface Ended {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
}

/** A running API process and everything it has written so far. */
interface Server {
    /** The address it reported, as it printed it. */
    address: string;
    /** The port it reported: the one the system chose for PORT=0. */
    port: number;
    child: ChildProcess;
    stdout: () => string;
    ended: Promise<Ended>;
}

const running = new Set<ChildProcess>();
let classesDir = "";

/** Fails with a readable message when a JDK tool is missing, instead of skipping. */
function requireTool(tool: string): void {
    const result = spawnSync(tool, ["-version"], { encoding: "utf8" });
    if (result.error !== undefined) {
        throw new Error(`\`${tool}\` is not on PATH (${result.error.message}): these tests run the real API and need a JDK 17 or newer`);
    }
}

/** Compiles ApiServer.java into a fresh temporary directory and returns it. */
function compile(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-server-"));
    const result = spawnSync("javac", ["-d", dir, SOURCE], { encoding: "utf8" });
    assert.strictEqual(result.status, 0, `javac failed:\n${result.stderr}`);
    return dir;
}

/**
 * Spawns the API with exactly `env` (plus PATH and HOSTNAME), never the caller's environment,
 * so an ADMIN_PASSWORD set in the shell cannot leak in.
 */
function launch(
    env: Record<string, string>,
    javaArgs = ["-cp", classesDir, MAIN_CLASS],
): {
    child: ChildProcess;
    stdout: () => string;
    ended: Promise<Ended>;
} {
    const child = spawn("java", javaArgs, {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? "", HOSTNAME: os.hostname(), ...env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const ended = new Promise<Ended>((resolve) => {
        child.once("close", (code, signal) => {
            running.delete(child);
            resolve({ code, signal, stdout, stderr });
        });
    });
    return { child, stdout: () => stdout, ended };
}

/**
 * Starts the API with PORT=0 on loopback (either overridable through `env`; a variable given as
 * undefined is left unset) and resolves with the address and port it reports once it listens.
 */
async function startServer(env: Record<string, string | undefined>, javaArgs?: string[]): Promise<Server> {
    const set = Object.entries({ PORT: "0", BIND_ADDRESS: HOST, ...env }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
    );
    const launched = launch(Object.fromEntries(set), javaArgs);
    const listening = await new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the API did not start within 20 s")), 20_000);
        const check = (): void => {
            const match = LISTENING_LINE.exec(launched.stdout());
            if (match !== null) {
                clearTimeout(timer);
                resolve(match);
            }
        };
        launched.child.stdout?.on("data", check);
        void launched.ended.then((end) => {
            clearTimeout(timer);
            reject(new Error(`the API exited with ${end.code} before listening:\n${end.stderr}`));
        });
    });
    return { address: listening[1], port: Number(listening[2]), ...launched };
}

/** Runs the API expecting it to exit by itself, as it must on a bad configuration. */
function runToExit(env: Record<string, string>): Promise<Ended> {
    const { child, ended } = launch(env);
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    return ended.finally(() => clearTimeout(timer));
}

/** Sends one request on its own connection and reads the whole response. */
function request(port: number, urlPath: string, options: http.RequestOptions = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
        const req = http.request({ host: HOST, port, path: urlPath, agent: false, ...options }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (body += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
            res.on("error", reject);
        });
        req.on("error", reject);
        req.end();
    });
}

/** The value of an HTTP Basic Authorization header. */
function basic(username: string, password: string): string {
    return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}

/** Polls until `predicate` holds or `ms` pass; returns whether it held. */
async function eventually(predicate: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!predicate() && Date.now() < deadline) {
        await sleep(20);
    }
    return predicate();
}

/** The access-log lines of a server's stdout, parsed. */
function accessLog(stdout: string): { remote: string; method: string; path: string; status: number }[] {
    return stdout
        .split("\n")
        .map((line) => LOG_LINE.exec(line))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => ({ remote: match[2], method: match[3], path: match[4], status: Number(match[5]) }));
}

/** Asks for the session counter, sending `sessionId` as the API_SESSION cookie when given. */
async function counter(port: number, sessionId?: string): Promise<{ body: unknown; setCookie: string[] }> {
    const headers = sessionId === undefined ? {} : { Cookie: `theme=dark; API_SESSION=${sessionId}` };
    const reply = await request(port, "/api/session/counter", { headers });
    assert.strictEqual(reply.status, 200);
    return { body: JSON.parse(reply.body), setCookie: reply.headers["set-cookie"] ?? [] };
}

/** The session id in a Set-Cookie list holding exactly the API_SESSION cookie. */
function issuedSession(setCookie: string[]): string {
    assert.strictEqual(setCookie.length, 1, `expected one Set-Cookie, got ${JSON.stringify(setCookie)}`);
    const match = SESSION_COOKIE.exec(setCookie[0]);
    assert.ok(match, `unexpected Set-Cookie: ${setCookie[0]}`);
    return match[1];
}

describe("the reference API in app/", function () {
    let server: Server;

    before(async function () {
        requireTool("java");
        requireTool("javac");
        classesDir = compile();
        server = await startServer({
            ADMIN_PASSWORD: PASSWORD,
            INSTANCE_ID,
            AVAILABILITY_ZONE: ZONE,
            MAX_SESSIONS: "3",
        });
    });

    after(function () {
        for (const child of running) {
            child.kill("SIGKILL");
        }
        if (classesDir !== "") {
            fs.rmSync(classesDir, { recursive: true, force: true });
        }
    });

    describe("health checks", function () {
        for (const probe of ["/health", "/actuator/health"]) {
            it(`answers GET ${probe} with 200 and exactly {"status":"UP"} as JSON, without credentials`, async function () {
                const reply = await request(server.port, probe);
                assert.strictEqual(reply.status, 200);
                assert.strictEqual(reply.headers["content-type"], "application/json");
                assert.strictEqual(reply.body, '{"status":"UP"}');
            });
        }
    });

    describe("GET /api/instance", function () {
        const unauthorized = [
            { name: "no Authorization header", headers: {} },
            { name: "a wrong username", headers: { Authorization: basic("root@fake.com", PASSWORD) } },
            { name: "a wrong password", headers: { Authorization: basic(USERNAME, "wrongpass") } },
            { name: "a password that only shares a prefix", headers: { Authorization: basic(USERNAME, "admin") } },
            { name: "a scheme other than Basic", headers: { Authorization: `Bearer ${PASSWORD}` } },
            { name: "credentials that are not base64", headers: { Authorization: "Basic !!!" } },
            {
                name: "credentials without a colon",
                headers: { Authorization: `Basic ${Buffer.from(USERNAME).toString("base64")}` },
            },
        ];
        for (const attempt of unauthorized) {
            it(`answers 401 with a Basic challenge to ${attempt.name}`, async function () {
                const reply = await request(server.port, "/api/instance", { headers: attempt.headers });
                assert.strictEqual(reply.status, 401);
                assert.strictEqual(reply.headers["www-authenticate"], 'Basic realm="api-cluster"');
                assert.strictEqual(reply.headers["content-type"], "application/json");
                assert.deepStrictEqual(JSON.parse(reply.body), { error: "Unauthorized" });
            });
        }

        it("names the instance, its zone and its hostname to the right credentials", async function () {
            const reply = await request(server.port, "/api/instance", {
                headers: { Authorization: basic(USERNAME, PASSWORD) },
            });
            assert.strictEqual(reply.status, 200);
            assert.strictEqual(reply.headers["content-type"], "application/json");
            assert.deepStrictEqual(JSON.parse(reply.body), {
                instanceId: INSTANCE_ID,
                availabilityZone: ZONE,
                hostname: os.hostname(),
            });
        });

        it("accepts the scheme name in any case", async function () {
            const reply = await request(server.port, "/api/instance", {
                headers: { Authorization: basic(USERNAME, PASSWORD).replace("Basic", "bASIC") },
            });
            assert.strictEqual(reply.status, 200);
        });
    });

    describe("GET /api/session/counter", function () {
        it("starts a session at count 1 and sets an HttpOnly, SameSite=Lax API_SESSION cookie", async function () {
            const first = await counter(server.port);
            const session = issuedSession(first.setCookie);
            assert.deepStrictEqual(first.body, { session, count: 1, instanceId: INSTANCE_ID });
        });

        it("counts up while the client sends the cookie back, without setting it again", async function () {
            const session = issuedSession((await counter(server.port)).setCookie);
            const second = await counter(server.port, session);
            const third = await counter(server.port, session);
            assert.deepStrictEqual(second, { body: { session, count: 2, instanceId: INSTANCE_ID }, setCookie: [] });
            assert.deepStrictEqual(third, { body: { session, count: 3, instanceId: INSTANCE_ID }, setCookie: [] });
        });

        it("starts over at 1 in a new session when the cookie is missing, as behind an ALB without stickiness", async function () {
            const session = issuedSession((await counter(server.port)).setCookie);
            await counter(server.port, session);
            const cookieless = await counter(server.port);
            const fresh = issuedSession(cookieless.setCookie);
            assert.notStrictEqual(fresh, session);
            assert.deepStrictEqual(cookieless.body, { session: fresh, count: 1, instanceId: INSTANCE_ID });
        });

        it("never adopts a session id it did not issue", async function () {
            const forged = "0123456789abcdef0123456789abcdef";
            const reply = await counter(server.port, forged);
            const issued = issuedSession(reply.setCookie);
            assert.notStrictEqual(issued, forged);
            assert.deepStrictEqual(reply.body, { session: issued, count: 1, instanceId: INSTANCE_ID });
        });

        it("forgets the least recently used session once MAX_SESSIONS (3 here) are held", async function () {
            const [a, b] = [issuedSession((await counter(server.port)).setCookie), issuedSession((await counter(server.port)).setCookie)];
            await counter(server.port);
            await counter(server.port, a);
            await counter(server.port);
            const touched = await counter(server.port, a);
            const evicted = await counter(server.port, b);
            assert.deepStrictEqual(touched, { body: { session: a, count: 3, instanceId: INSTANCE_ID }, setCookie: [] });
            assert.notStrictEqual(issuedSession(evicted.setCookie), b);
            assert.strictEqual((evicted.body as { count: number }).count, 1);
        });
    });

    describe("GET /api/slow", function () {
        it("answers after the requested number of milliseconds", async function () {
            const started = Date.now();
            const reply = await request(server.port, "/api/slow?ms=300");
            const took = Date.now() - started;
            assert.strictEqual(reply.status, 200);
            assert.deepStrictEqual(JSON.parse(reply.body), { sleptMs: 300, instanceId: INSTANCE_ID });
            assert.ok(took >= 300 && took < 2_000, `took ${took} ms`);
        });

        for (const bad of ["abc", "-5", "1.5", ""]) {
            it(`answers 400 to ms=${JSON.stringify(bad)}`, async function () {
                const reply = await request(server.port, `/api/slow?ms=${bad}`);
                assert.strictEqual(reply.status, 400);
                assert.deepStrictEqual(JSON.parse(reply.body), { error: "ms must be an integer from 0 to 30000" });
            });
        }

        it("keeps /health answering at once while a slow request is in flight", async function () {
            const slow = request(server.port, "/api/slow?ms=1500");
            await sleep(100);
            const started = Date.now();
            const health = await request(server.port, "/health");
            const took = Date.now() - started;
            assert.strictEqual(health.status, 200);
            assert.ok(took < 500, `/health took ${took} ms behind a slow request`);
            assert.strictEqual((await slow).status, 200);
        });

        it("turns a fifth concurrent slow request away with 503 and Retry-After", async function () {
            const held = [1, 2, 3, 4].map(() => request(server.port, "/api/slow?ms=1000"));
            await sleep(300);
            const fifth = await request(server.port, "/api/slow?ms=1000");
            assert.strictEqual(fifth.status, 503);
            assert.strictEqual(fifth.headers["retry-after"], "1");
            assert.deepStrictEqual(
                (await Promise.all(held)).map((reply) => reply.status),
                [200, 200, 200, 200],
            );
        });
    });

    describe("routing", function () {
        it("answers an unknown path with 404 JSON", async function () {
            const reply = await request(server.port, "/api/nothing-here");
            assert.strictEqual(reply.status, 404);
            assert.strictEqual(reply.headers["content-type"], "application/json");
            assert.deepStrictEqual(JSON.parse(reply.body), { error: "Not Found" });
        });

        for (const method of ["POST", "PUT", "DELETE"]) {
            it(`answers ${method} on a known path with 405 and Allow: GET`, async function () {
                const reply = await request(server.port, "/health", { method });
                assert.strictEqual(reply.status, 405);
                assert.strictEqual(reply.headers.allow, "GET");
                assert.deepStrictEqual(JSON.parse(reply.body), { error: "Method Not Allowed" });
            });
        }
    });

    describe("access log", function () {
        it("writes one line per request with time, remote address, method, path, status and duration", async function () {
            const probe = `/log-probe-${process.pid}-${Date.now()}`;
            await request(server.port, `${probe}?secret=query`);
            const logged = (): ReturnType<typeof accessLog> => accessLog(server.stdout()).filter((entry) => entry.path === probe);
            assert.strictEqual(await eventually(() => logged().length > 0, 2_000), true);
            assert.deepStrictEqual(logged(), [{ remote: HOST, method: "GET", path: probe, status: 404 }]);
        });

        it("never writes the password, the Authorization header or the query string", async function () {
            await request(server.port, "/api/instance", { headers: { Authorization: basic(USERNAME, PASSWORD) } });
            await sleep(100);
            const stdout = server.stdout();
            for (const secret of [PASSWORD, "wrongpass", basic(USERNAME, PASSWORD), "Authorization", "secret=query"]) {
                assert.strictEqual(stdout.includes(secret), false, `stdout contains ${secret}`);
            }
        });
    });

    describe("without INSTANCE_ID and AVAILABILITY_ZONE", function () {
        it("names the instance by its hostname and reports the zone as null", async function () {
            const bare = await startServer({ ADMIN_PASSWORD: PASSWORD, ADMIN_USERNAME: "ops@fake.com" });
            try {
                const reply = await request(bare.port, "/api/instance", {
                    headers: { Authorization: basic("ops@fake.com", PASSWORD) },
                });
                assert.strictEqual(reply.status, 200);
                assert.deepStrictEqual(JSON.parse(reply.body), {
                    instanceId: os.hostname(),
                    availabilityZone: null,
                    hostname: os.hostname(),
                });
            } finally {
                bare.child.kill("SIGKILL");
            }
        });
    });

    describe("graceful stop on SIGTERM", function () {
        it("finishes the request in flight, refuses new connections, and exits 0", async function () {
            const stopping = await startServer({ ADMIN_PASSWORD: PASSWORD, INSTANCE_ID, SHUTDOWN_GRACE_SECONDS: "10" });
            assert.strictEqual((await request(stopping.port, "/health")).status, 200);
            let slowDone = false;
            const slow = request(stopping.port, "/api/slow?ms=1500").finally(() => (slowDone = true));
            await sleep(200);
            const signalled = Date.now();
            stopping.child.kill("SIGTERM");

            let refusedWhileInFlight = false;
            const deadline = Date.now() + 1_000;
            while (!refusedWhileInFlight && Date.now() < deadline) {
                const error = await request(stopping.port, "/health").then(
                    () => undefined,
                    (e: NodeJS.ErrnoException) => e,
                );
                refusedWhileInFlight = error?.code === "ECONNREFUSED" && !slowDone;
                await sleep(20);
            }

            const reply = await slow;
            const end = await stopping.ended;
            const exitedAfter = Date.now() - signalled;
            assert.strictEqual(refusedWhileInFlight, true, "no connection was refused while the slow request ran");
            assert.strictEqual(reply.status, 200);
            assert.deepStrictEqual(JSON.parse(reply.body), { sleptMs: 1500, instanceId: INSTANCE_ID });
            assert.deepStrictEqual({ code: end.code, signal: end.signal }, { code: 0, signal: null });
            assert.ok(exitedAfter < 5_000, `exited ${exitedAfter} ms after SIGTERM, grace is 10 s`);
            assert.strictEqual(end.stdout.trimEnd().endsWith("api-server: stopped cleanly"), true, end.stdout);
        });

        it("still exits 0 when SHUTDOWN_GRACE_SECONDS runs out with a request in flight", async function () {
            const stopping = await startServer({ ADMIN_PASSWORD: PASSWORD, SHUTDOWN_GRACE_SECONDS: "1" });
            assert.strictEqual((await request(stopping.port, "/health")).status, 200);
            const slow = request(stopping.port, "/api/slow?ms=5000").then(
                () => "answered",
                () => "cut off",
            );
            await sleep(200);
            const signalled = Date.now();
            stopping.child.kill("SIGTERM");
            const end = await stopping.ended;
            const exitedAfter = Date.now() - signalled;
            assert.deepStrictEqual({ code: end.code, signal: end.signal }, { code: 0, signal: null });
            assert.ok(exitedAfter >= 900 && exitedAfter < 3_000, `exited ${exitedAfter} ms after SIGTERM, grace is 1 s`);
            assert.strictEqual(await slow, "cut off");
            assert.strictEqual(end.stdout.includes("grace period over; abandoning 1 request(s)"), true, end.stdout);
        });
    });

    describe("listening address and port", function () {
        it("binds a port the system chooses for PORT=0 and reports it with the address and instance id", async function () {
            const [first, second] = [
                await startServer({ ADMIN_PASSWORD: PASSWORD, INSTANCE_ID: "i-first" }),
                await startServer({ ADMIN_PASSWORD: PASSWORD, INSTANCE_ID: "i-second" }),
            ];
            try {
                assert.deepStrictEqual(
                    [first, second].map((api) => ({
                        line: LISTENING_LINE.exec(api.stdout())?.[0],
                        ephemeral: api.port >= 1024 && api.port <= 65_535,
                    })),
                    [
                        { line: `api-server: listening on 127.0.0.1:${first.port} as i-first`, ephemeral: true },
                        { line: `api-server: listening on 127.0.0.1:${second.port} as i-second`, ephemeral: true },
                    ],
                );
                assert.notStrictEqual(first.port, second.port);
                assert.deepStrictEqual(
                    [(await request(first.port, "/health")).status, (await request(second.port, "/health")).status],
                    [200, 200],
                );
            } finally {
                first.child.kill("SIGKILL");
                second.child.kill("SIGKILL");
            }
        });

        it("binds only BIND_ADDRESS: 127.0.0.1 refuses connections to 127.0.0.2", async function () {
            // Linux routes all of 127.0.0.0/8 to the loopback interface, so 127.0.0.2 is this machine too.
            const error = await request(server.port, "/health", { host: "127.0.0.2" }).then(
                () => undefined,
                (e: NodeJS.ErrnoException) => e.code,
            );
            assert.strictEqual(server.address, "127.0.0.1");
            assert.strictEqual(error, "ECONNREFUSED");
        });

        it("binds every interface by default (0.0.0.0), so it answers on 127.0.0.2 as well", async function () {
            const wildcard = await startServer({ ADMIN_PASSWORD: PASSWORD, INSTANCE_ID: "i-wild", BIND_ADDRESS: undefined });
            try {
                assert.strictEqual(
                    LISTENING_LINE.exec(wildcard.stdout())?.[0],
                    `api-server: listening on 0.0.0.0:${wildcard.port} as i-wild`,
                );
                assert.strictEqual((await request(wildcard.port, "/health", { host: "127.0.0.2" })).status, 200);
            } finally {
                wildcard.child.kill("SIGKILL");
            }
        });

        it("binds an IPv6 literal and reports it without brackets", async function () {
            const v6 = await startServer({ ADMIN_PASSWORD: PASSWORD, INSTANCE_ID: "i-v6", BIND_ADDRESS: "::1" });
            try {
                assert.strictEqual(LISTENING_LINE.exec(v6.stdout())?.[0], `api-server: listening on 0:0:0:0:0:0:0:1:${v6.port} as i-v6`);
                assert.strictEqual((await request(v6.port, "/health", { host: "::1" })).status, 200);
            } finally {
                v6.child.kill("SIGKILL");
            }
        });
    });

    describe("startup checks", function () {
        for (const port of ["abc", "70000", "65536", "-1", ""]) {
            it(`refuses PORT=${JSON.stringify(port)} with exit code 2 and one line naming PORT and its range`, async function () {
                const end = await runToExit({ ADMIN_PASSWORD: PASSWORD, PORT: port });
                assert.deepStrictEqual(
                    { code: end.code, stdout: end.stdout, stderr: end.stderr },
                    {
                        code: 2,
                        stdout: "",
                        stderr: `api-server: PORT must be an integer from 0 to 65535, got "${port}"\n`,
                    },
                );
            });
        }

        for (const address of [
            "localhost",
            "example.com",
            "256.0.0.1",
            "1.2.3",
            "010.0.0.1",
            "[::1]",
            "::1%lo",
            "1::2::3",
            "1.2.3.4:80",
            ".:",
            "",
        ]) {
            it(`refuses BIND_ADDRESS=${JSON.stringify(address)} with exit code 2 and one line naming BIND_ADDRESS`, async function () {
                const end = await runToExit({ ADMIN_PASSWORD: PASSWORD, PORT: "0", BIND_ADDRESS: address });
                assert.deepStrictEqual(
                    { code: end.code, stdout: end.stdout, stderr: end.stderr },
                    {
                        code: 2,
                        stdout: "",
                        stderr:
                            "api-server: BIND_ADDRESS must be an IP address literal such as 0.0.0.0 (every interface), " +
                            `127.0.0.1 or ::1, got "${address}"\n`,
                    },
                );
            });
        }

        it("refuses SHUTDOWN_GRACE_SECONDS that is not a whole number of seconds", async function () {
            const end = await runToExit({ ADMIN_PASSWORD: PASSWORD, SHUTDOWN_GRACE_SECONDS: "soon" });
            assert.strictEqual(end.code, 2);
            assert.strictEqual(end.stderr, 'api-server: SHUTDOWN_GRACE_SECONDS must be an integer from 0 to 3600, got "soon"\n');
        });

        for (const [name, env] of [
            ["unset", {}],
            ["empty", { ADMIN_PASSWORD: "" }],
        ] as const) {
            it(`refuses to start when ADMIN_PASSWORD is ${name}, with no default password`, async function () {
                const end = await runToExit({ PORT: "0", ...env });
                assert.deepStrictEqual(
                    { code: end.code, stdout: end.stdout, stderr: end.stderr },
                    {
                        code: 2,
                        stdout: "",
                        stderr:
                            "api-server: ADMIN_PASSWORD must be set to a non-empty value; " +
                            "refusing to start without one (there is no default password)\n",
                    },
                );
            });
        }

        it("exits 1 with a message naming the address and port when the port is already taken", async function () {
            const end = await runToExit({ ADMIN_PASSWORD: PASSWORD, BIND_ADDRESS: HOST, PORT: String(server.port) });
            assert.strictEqual(end.code, 1);
            assert.strictEqual(end.stderr.startsWith(`api-server: cannot listen on ${HOST}:${server.port}: `), true, end.stderr);
        });

        it("exits 1 with a message naming the address when BIND_ADDRESS is not an address of this machine", async function () {
            // 192.0.2.1 is TEST-NET-1 (RFC 5737): on no interface here, so bind(2) fails; nothing is sent to it.
            const end = await runToExit({ ADMIN_PASSWORD: PASSWORD, BIND_ADDRESS: "192.0.2.1", PORT: "0" });
            assert.strictEqual(end.code, 1);
            assert.strictEqual(end.stderr.startsWith("api-server: cannot listen on 192.0.2.1:0: "), true, end.stderr);
        });

        it("runs from source with the single-file launcher, as `npm run api` does", async function () {
            const scripts = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).scripts;
            assert.strictEqual(scripts.api, `java ${SOURCE_PATH.split(path.sep).join("/")}`);
            const fromSource = await startServer({ ADMIN_PASSWORD: PASSWORD }, [SOURCE_PATH]);
            try {
                const reply = await request(fromSource.port, "/health");
                assert.strictEqual(reply.body, '{"status":"UP"}');
            } finally {
                fromSource.child.kill("SIGKILL");
            }
        });
    });
});
