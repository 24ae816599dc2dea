/**
 * The reference API under slow clients, on JDK 17 (the `java` on PATH) and JDK 21 (the runtime that
 * .ci/java21.sh installs from PyPI), with real sockets on loopback and a real JVM each.
 *
 * Why it holds (see ApiServer's class comment for the sources read): com.sun.net.httpserver reads
 * the request line and headers on the executor's thread, blocking, and after the answer drains a
 * declared body the handler did not read, blocking too. A client that drips its headers or never
 * sends its body so holds a worker. The API sets `sun.net.httpserver.maxReqTime` from
 * REQUEST_READ_TIMEOUT_SECONDS: a timer task (every 1 s) closes each connection still reading its
 * request that long after its first byte, which frees the worker. And its workers grow on demand
 * up to MAX_CONCURRENT_REQUESTS (256), so 64 slow clients leave threads for /health; past the cap
 * the dispatcher closes the connection at once. Run against the former code (a fixed pool of 16
 * workers, no deadline), the first test got 0 of 10 probes answered within 2 s on JDK 17 and on
 * JDK 21; with the fix the slowest of the 10 took 10 to 100 ms on this (shared, loaded) machine.
 *
 * Neither JDK is skipped: a missing one fails the `before all` hook with what to install.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import { setTimeout as sleep } from "timers/promises";
import { ApiProcess, LOOPBACK, compileApi, javaMajorVersion, startApi } from "./apiProcess";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** Slow clients of each kind in the load test: 32 drip headers, 32 withhold a declared body. */
const SLOW_CLIENTS_PER_KIND = 32;
const PROBES = 10;
/** The most a /health probe may take with the slow clients connected. */
const PROBE_LIMIT_MS = 2_000;
/** How often a dripping client sends its next header byte. */
const DRIP_INTERVAL_MS = 200;
const BODY_LENGTH = 1_024;
const OK_RESPONSE = /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\{"status":"UP"\}/;

/** A client that sends part of a request and keeps its connection open until stopped. */
interface SlowClient {
    /** When its first byte was written (Date.now()). */
    startedAt: number;
    /** Everything the server sent it. */
    received(): string;
    /** When the server closed the connection, or undefined while it is open. */
    closedAt(): number | undefined;
    /** Bytes of the request written so far. */
    sent(): number;
    /** Writes more of the request now. */
    write(text: string): void;
    /** Stops writing and destroys the socket. */
    stop(): void;
}

/** Which `java` a JDK's tests run: JDK 17's on PATH, JDK 21's from .ci/java21.sh. */
function javaFor(major: string): string {
    if (major === "17") {
        return "java";
    }
    const found = spawnSync("bash", [path.join(REPO_ROOT, ".ci", "java21.sh"), "--path"], { encoding: "utf8" });
    if (found.status !== 0) {
        throw new Error(found.stderr.trim() || `.ci/java21.sh --path exited with ${found.status}`);
    }
    return found.stdout.trim();
}

/**
 * Connects to the API and writes `head` at once, then `drip` one byte every `intervalMs` until
 * stopped, over and over with `repeat`, else once; `drip` empty sends nothing more.
 */
function slowClient(port: number, head: string, drip = "", intervalMs = DRIP_INTERVAL_MS, repeat = false): Promise<SlowClient> {
    return new Promise((resolve, reject) => {
        const socket = net.connect({ host: LOOPBACK, port });
        socket.setNoDelay(true);
        let received = "";
        let closedAt: number | undefined;
        let sent = 0;
        let timer: NodeJS.Timeout | undefined;
        socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
        socket.on("error", () => undefined);
        socket.on("close", () => {
            closedAt ??= Date.now();
            clearInterval(timer);
        });
        socket.once("connect", () => {
            socket.off("error", reject);
            const startedAt = Date.now();
            socket.write(head);
            sent = head.length;
            let next = 0;
            if (drip !== "") {
                timer = setInterval(() => {
                    if (next === drip.length) {
                        clearInterval(timer);
                    } else if (!socket.destroyed) {
                        socket.write(drip[next]);
                        sent++;
                        next = repeat ? (next + 1) % drip.length : next + 1;
                    }
                }, intervalMs);
            }
            resolve({
                startedAt,
                received: () => received,
                closedAt: () => closedAt,
                sent: () => sent,
                write: (text) => {
                    socket.write(text);
                    sent += text.length;
                },
                stop: () => {
                    clearInterval(timer);
                    closedAt ??= Date.now();
                    socket.destroy();
                },
            });
        });
        socket.once("error", reject);
    });
}

/** Drips a header line forever: the request line and Host are sent, the next header never ends. */
function headerDripper(port: number): Promise<SlowClient> {
    return slowClient(port, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Drip: ", "abcdefgh", DRIP_INTERVAL_MS, true);
}

/** Sends complete headers declaring a body, and never the body. */
function bodyWithholder(port: number): Promise<SlowClient> {
    return slowClient(port, `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${BODY_LENGTH}\r\n\r\n`);
}

/** One GET /health on its own connection: its status (undefined when it failed) and how long it took. */
function probe(port: number): Promise<{ status: number | undefined; ms: number; error?: string }> {
    const started = Date.now();
    return new Promise((resolve) => {
        const done = (status: number | undefined, error?: string): void => resolve({ status, ms: Date.now() - started, error });
        const req = http.get({ host: LOOPBACK, port, path: "/health", agent: false, timeout: PROBE_LIMIT_MS }, (res) => {
            res.resume();
            res.on("end", () => done(res.statusCode));
            res.on("error", (e) => done(undefined, e.message));
        });
        req.on("timeout", () => req.destroy(new Error(`no answer within ${PROBE_LIMIT_MS} ms`)));
        req.on("error", (e: NodeJS.ErrnoException) => done(undefined, e.code ?? e.message));
    });
}

/** Polls until `predicate` holds or `ms` pass; returns whether it held. */
async function eventually(predicate: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!predicate() && Date.now() < deadline) {
        await sleep(20);
    }
    return predicate();
}

for (const major of ["17", "21"]) {
    describe(`the reference API with slow clients, on JDK ${major}`, function () {
        this.timeout(120_000);
        let java = "";
        let classesDir = "";
        let api: ApiProcess | undefined;
        const clients: SlowClient[] = [];

        before(function () {
            java = javaFor(major);
            assert.strictEqual(javaMajorVersion(java), major, `${java} is not a JDK ${major}`);
            classesDir = compileApi();
        });

        afterEach(async function () {
            for (const client of clients.splice(0)) {
                client.stop();
            }
            await api?.stop();
            api = undefined;
        });

        after(function () {
            if (classesDir !== "") {
                fs.rmSync(classesDir, { recursive: true, force: true });
            }
        });

        it(`answers ${PROBES} of ${PROBES} /health probes with 200 within 2 s while 64 slow clients hold connections`, async function () {
            // A deadline past the test's end: the slow clients stay connected, so the probes pass only
            // because workers are left for them, not because the deadline freed some.
            api = await startApi(java, classesDir, { REQUEST_READ_TIMEOUT_SECONDS: "120" });
            const port = api.port;
            for (let i = 0; i < SLOW_CLIENTS_PER_KIND; i++) {
                clients.push(await headerDripper(port), await bodyWithholder(port));
            }
            await sleep(500);

            const probes = [];
            for (let i = 0; i < PROBES; i++) {
                probes.push(await probe(port));
            }
            const maxMs = Math.max(...probes.map((p) => p.ms));
            console.log(`      JDK ${major}: ${PROBES} /health probes beside 64 slow clients, slowest ${maxMs} ms`);

            assert.deepStrictEqual(
                probes.map((p) => p.status ?? p.error),
                new Array(PROBES).fill(200),
            );
            assert.ok(maxMs < PROBE_LIMIT_MS, `slowest probe ${maxMs} ms`);
            // Every slow client was still connected when the probes ended: the drippers kept dripping
            // and got nothing back; the withholders got their answer and their connection was kept,
            // its worker waiting for the body.
            const drippers = clients.filter((_, i) => i % 2 === 0);
            const withholders = clients.filter((_, i) => i % 2 === 1);
            assert.deepStrictEqual(
                clients.map((client) => client.closedAt()),
                new Array(2 * SLOW_CLIENTS_PER_KIND).fill(undefined),
            );
            assert.deepStrictEqual(
                drippers.map((client) => client.received()),
                new Array(SLOW_CLIENTS_PER_KIND).fill(""),
            );
            assert.deepStrictEqual(
                withholders.map((client) => OK_RESPONSE.test(client.received())),
                new Array(SLOW_CLIENTS_PER_KIND).fill(true),
            );
        });

        it("closes a client still sending its headers or its declared body REQUEST_READ_TIMEOUT_SECONDS (2 s here) after its first byte", async function () {
            api = await startApi(java, classesDir, { REQUEST_READ_TIMEOUT_SECONDS: "2" });
            const dripper = await headerDripper(api.port);
            const withholder = await bodyWithholder(api.port);
            clients.push(dripper, withholder);

            assert.strictEqual(
                await eventually(() => dripper.closedAt() !== undefined && withholder.closedAt() !== undefined, 6_000),
                true,
            );
            // The timer task runs every second, so a connection is closed 2 to 3 s after its first byte.
            const after = (client: SlowClient): number => (client.closedAt() as number) - client.startedAt;
            for (const client of [dripper, withholder]) {
                assert.ok(after(client) >= 1_950 && after(client) < 4_500, `closed ${after(client)} ms after its first byte`);
            }
            // The dripper is closed without an answer; the withholder had its answer, then the close.
            assert.strictEqual(dripper.received(), "");
            assert.strictEqual(dripper.sent() > 10, true);
            assert.match(withholder.received(), OK_RESPONSE);
            assert.strictEqual(withholder.received().match(/HTTP\/1\.1 /g)?.length, 1);
        });

        it("closes a dripping client 10 s after its first byte when REQUEST_READ_TIMEOUT_SECONDS is unset", async function () {
            api = await startApi(java, classesDir, {});
            const dripper = await headerDripper(api.port);
            clients.push(dripper);
            assert.strictEqual(await eventually(() => dripper.closedAt() !== undefined, 14_000), true, "still open after 14 s");
            const after = (dripper.closedAt() as number) - dripper.startedAt;
            assert.ok(after >= 9_950 && after < 12_500, `closed ${after} ms after its first byte`);
            assert.strictEqual(dripper.received(), "");
        });

        it("answers a slow request that completes within REQUEST_READ_TIMEOUT_SECONDS (3 s here), and keeps its connection for the next", async function () {
            api = await startApi(java, classesDir, { REQUEST_READ_TIMEOUT_SECONDS: "3" });
            // Headers one byte every 25 ms: about 1 s for the whole request.
            const request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            const dripped = await slowClient(api.port, request[0], request.slice(1), 25);
            // A declared body that arrives after 1 s (the answer comes before it: /health reads no
            // body), then, past the first request's deadline, a second request on the same connection.
            const late = await slowClient(api.port, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\n");
            clients.push(dripped, late);
            await sleep(1_000);
            late.write("hello");
            await sleep(late.startedAt + 3_500 - Date.now());
            late.write(request);
            // Past the first request's deadline and the timer's next run.
            await sleep(late.startedAt + 5_000 - Date.now());

            assert.match(dripped.received(), OK_RESPONSE);
            assert.strictEqual(dripped.received().match(/HTTP\/1\.1 /g)?.length, 1);
            assert.deepStrictEqual({ dripped: dripped.closedAt(), late: late.closedAt() }, { dripped: undefined, late: undefined });
            assert.deepStrictEqual(late.received().match(/HTTP\/1\.1 \d{3}/g), ["HTTP/1.1 200", "HTTP/1.1 200"]);
        });

        it("closes a connection at once, without an answer, past MAX_CONCURRENT_REQUESTS (16 here), and answers again once one ends", async function () {
            api = await startApi(java, classesDir, { REQUEST_READ_TIMEOUT_SECONDS: "120", MAX_CONCURRENT_REQUESTS: "16" });
            for (let i = 0; i < 15; i++) {
                clients.push(await headerDripper(api.port));
            }
            await sleep(500);
            const fifteenth = await probe(api.port);
            // The probe's worker logs its access line after the answer; let it go back to the pool
            // before the sixteenth dripper needs it.
            await sleep(300);
            const sixteenth = await headerDripper(api.port);
            clients.push(sixteenth);
            await sleep(500);
            const refused = await probe(api.port);
            const sixteenthHeld = sixteenth.closedAt() === undefined;
            clients[0].stop();
            let again = await probe(api.port);
            for (let i = 0; i < 20 && again.status !== 200; i++) {
                await sleep(100);
                again = await probe(api.port);
            }

            assert.deepStrictEqual(
                { fifteenth: fifteenth.status, sixteenthHeld, refused: refused.status, again: again.status },
                { fifteenth: 200, sixteenthHeld: true, refused: undefined, again: 200 },
            );
            assert.ok(refused.ms < 1_000, `the refused probe took ${refused.ms} ms`);
            assert.match(
                api.stderr(),
                /^api-server: 16 requests in progress \(MAX_CONCURRENT_REQUESTS\); closed 1 connection\(s\) without an answer$/m,
            );
        });
    });
}
