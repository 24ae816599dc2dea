package com.example.apicluster;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Reference REST API of the api-cluster lesson, written against the JDK alone so that
 * {@code java app/src/main/java/com/example/apicluster/ApiServer.java} runs it with
 * nothing to download, and {@code mvn package} builds it into a runnable jar.
 *
 * <p>Endpoints (all GET): {@code /health} and {@code /actuator/health} for the load balancer,
 * {@code /api/instance} behind HTTP Basic auth, {@code /api/session/counter} to show why a
 * stateful API needs sticky sessions, and {@code /api/slow} to hold a request in flight.
 * Configuration comes from environment variables; see app/README.md.
 */
public final class ApiServer {

    /** Exit code for a configuration error found before the server starts. */
    static final int EXIT_CONFIG = 2;
    /** Exit code when the port cannot be bound. */
    static final int EXIT_BIND = 1;
    /** Worker threads; a fixed pool so a slow request never blocks /health. */
    static final int WORKER_THREADS = 16;
    /** Requests /api/slow may hold at once; the rest of the pool stays free for other endpoints. */
    static final int SLOW_PERMITS = 4;
    /** Upper bound of {@code /api/slow?ms=N}. */
    static final int SLOW_MAX_MS = 30_000;
    /** Name of the cookie that carries the session id of {@code /api/session/counter}. */
    static final String SESSION_COOKIE = "API_SESSION";
    /** Challenge sent with every 401. */
    static final String BASIC_CHALLENGE = "Basic realm=\"api-cluster\"";

    private ApiServer() {
    }

    /** Reads the configuration, starts the server and installs the graceful-stop hook. */
    public static void main(String[] args) {
        Config config;
        try {
            config = Config.fromEnvironment(System.getenv());
        } catch (ConfigException e) {
            System.err.println("api-server: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 0);
        } catch (IOException e) {
            System.err.println("api-server: cannot listen on " + config.bindAddress().getHostAddress() + ":"
                    + config.port() + ": " + e.getMessage());
            System.exit(EXIT_BIND);
            return;
        }
        InFlight inFlight = new InFlight();
        Api api = new Api(config, new SessionStore(config.maxSessions()));
        server.createContext("/", api::handle).getFilters().addAll(List.of(inFlight, new AccessLog()));
        server.setExecutor(workers);
        Runtime.getRuntime().addShutdownHook(
                new Thread(() -> shutDown(server, workers, inFlight, config.shutdownGraceSeconds()), "shutdown"));
        server.start();
        System.out.println(listeningLine(config.bindAddress(), server.getAddress().getPort(), config.instanceId()));
    }

    /**
     * The line that says the server is up: {@code api-server: listening on <address>:<port> as <instanceId>}.
     * The address is BIND_ADDRESS as {@link InetAddress#getHostAddress} writes it (IPv6 without
     * brackets, for example {@code 0:0:0:0:0:0:0:1}); the port is the one bound, the system's choice
     * when PORT is 0. The local cluster and the tests read the port from this line.
     */
    static String listeningLine(InetAddress address, int boundPort, String instanceId) {
        return "api-server: listening on " + address.getHostAddress() + ":" + boundPort + " as " + instanceId;
    }

    /**
     * Stops accepting connections, lets in-flight requests finish for up to {@code graceSeconds},
     * then halts with status 0. Halting from the hook is what turns the JVM's default 143 on
     * SIGTERM into 0, so systemd and the tests see a clean stop.
     */
    static void shutDown(HttpServer server, ExecutorService workers, InFlight inFlight, int graceSeconds) {
        System.out.println("api-server: stopping; waiting up to " + graceSeconds + "s for "
                + inFlight.count() + " in-flight request(s)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        Thread stopper = new Thread(() -> server.stop(graceSeconds), "http-stop");
        stopper.setDaemon(true);
        stopper.start();
        boolean drained = inFlight.awaitZero(deadline);
        workers.shutdown();
        if (drained) {
            System.out.println("api-server: stopped cleanly");
        } else {
            System.out.println("api-server: grace period over; abandoning " + inFlight.count() + " request(s)");
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** A configuration value the server refuses to start with. */
    static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigException(String message) {
            super(message);
        }
    }

    /** Settings read once from the environment at startup. */
    record Config(InetAddress bindAddress, int port, String adminUsername, String adminPassword, String instanceId,
                  String availabilityZone, String hostname, int shutdownGraceSeconds, int maxSessions) {

        private static final Pattern DIGITS = Pattern.compile("[0-9]{1,10}");
        /** A dotted-quad IPv4 literal, each part 0 to 255. */
        private static final Pattern IPV4 = Pattern.compile(
                "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
        /**
         * The characters of an IPv6 literal (hex digits, colons, an embedded IPv4 part) with at least one
         * colon, starting with a hex digit or a colon: InetAddress parses such a string as a literal and
         * throws for an invalid one; it never sends it to DNS.
         */
        private static final Pattern IPV6_CHARACTERS = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

        /** Builds the configuration, failing on the first invalid or missing value. */
        static Config fromEnvironment(Map<String, String> env) throws ConfigException {
            InetAddress bindAddress = addressSetting(env, "BIND_ADDRESS", "0.0.0.0");
            int port = intSetting(env, "PORT", 8082, 0, 65_535);
            int grace = intSetting(env, "SHUTDOWN_GRACE_SECONDS", 20, 0, 3_600);
            int maxSessions = intSetting(env, "MAX_SESSIONS", 10_000, 1, 1_000_000);
            String password = env.get("ADMIN_PASSWORD");
            if (password == null || password.isEmpty()) {
                throw new ConfigException("ADMIN_PASSWORD must be set to a non-empty value; "
                        + "refusing to start without one (there is no default password)");
            }
            String username = nonEmptyOr(env.get("ADMIN_USERNAME"), "admin@fake.com");
            String hostname = localHostname(env);
            String instanceId = nonEmptyOr(env.get("INSTANCE_ID"), hostname);
            String zone = nonEmptyOr(env.get("AVAILABILITY_ZONE"), null);
            return new Config(bindAddress, port, username, password, instanceId, zone, hostname, grace, maxSessions);
        }

        /** Parses an integer variable in {@code [min, max]}, or returns {@code fallback} when it is unset. */
        static int intSetting(Map<String, String> env, String name, int fallback, int min, int max)
                throws ConfigException {
            String raw = env.get(name);
            if (raw == null) {
                return fallback;
            }
            long value = DIGITS.matcher(raw).matches() ? Long.parseLong(raw) : -1;
            if (value < min || value > max) {
                throw new ConfigException(name + " must be an integer from " + min + " to " + max
                        + ", got \"" + printable(raw) + "\"");
            }
            return (int) value;
        }

        /**
         * Parses an IP address literal (IPv4 dotted quad or IPv6 without brackets or zone), or
         * {@code fallback} when unset. A host name is refused, so no DNS lookup ever runs here.
         */
        static InetAddress addressSetting(Map<String, String> env, String name, String fallback)
                throws ConfigException {
            String raw = env.getOrDefault(name, fallback);
            if (IPV4.matcher(raw).matches() || IPV6_CHARACTERS.matcher(raw).matches()) {
                try {
                    // A literal of these characters is parsed, never looked up in DNS.
                    return InetAddress.getByName(raw);
                } catch (UnknownHostException e) {
                    // an invalid IPv6 literal: refused below
                }
            }
            throw new ConfigException(name + " must be an IP address literal such as 0.0.0.0 (every interface), "
                    + "127.0.0.1 or ::1, got \"" + printable(raw) + "\"");
        }

        private static String nonEmptyOr(String value, String fallback) {
            return value == null || value.isEmpty() ? fallback : value;
        }

        private static String localHostname(Map<String, String> env) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return nonEmptyOr(env.get("HOSTNAME"), "localhost");
            }
        }
    }

    /** Counts requests between the filter chain's entry and exit, so shutdown knows when all are done. */
    static final class InFlight extends Filter {
        private final AtomicInteger count = new AtomicInteger();
        private final Object lock = new Object();

        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            count.incrementAndGet();
            try {
                chain.doFilter(exchange);
            } finally {
                if (count.decrementAndGet() == 0) {
                    synchronized (lock) {
                        lock.notifyAll();
                    }
                }
            }
        }

        @Override
        public String description() {
            return "counts in-flight requests";
        }

        int count() {
            return count.get();
        }

        /** Waits until no request is in flight or {@code deadlineNanos} passes; true when drained. */
        boolean awaitZero(long deadlineNanos) {
            synchronized (lock) {
                long left;
                while (count.get() > 0 && (left = deadlineNanos - System.nanoTime()) > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return count.get() == 0;
            }
        }
    }

    /**
     * Writes one line per request to stdout: time, remote address, method, raw path, status and
     * duration. Headers and the query string are never logged, so credentials cannot leak here.
     */
    static final class AccessLog extends Filter {
        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            long start = System.nanoTime();
            try {
                chain.doFilter(exchange);
            } finally {
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.println(Instant.now() + " " + exchange.getRemoteAddress().getAddress().getHostAddress()
                        + " " + printable(exchange.getRequestMethod()) + " "
                        + printable(exchange.getRequestURI().getRawPath()) + " " + exchange.getResponseCode()
                        + " " + millis + "ms");
            }
        }

        @Override
        public String description() {
            return "access log";
        }
    }

    /** In-memory per-session counters on this instance, least recently used evicted past the cap. */
    static final class SessionStore {
        private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{32}");
        private final SecureRandom random = new SecureRandom();
        private final Map<String, Integer> counts;

        SessionStore(int maxSessions) {
            this.counts = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                    return size() > maxSessions;
                }
            };
        }

        /** One step of a session: the id used (new when {@code requestedId} is unknown) and its count. */
        record Step(String id, int count, boolean created) {
        }

        /** Increments the counter of {@code requestedId}, or starts a new session at 1 if it is unknown. */
        synchronized Step increment(String requestedId) {
            if (requestedId != null && SESSION_ID.matcher(requestedId).matches() && counts.containsKey(requestedId)) {
                int count = counts.merge(requestedId, 1, Integer::sum);
                return new Step(requestedId, count, false);
            }
            String id = newId();
            counts.put(id, 1);
            return new Step(id, 1, true);
        }

        private String newId() {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
    }

    /** Routes requests to the endpoints and writes their JSON responses. */
    static final class Api {
        private final Config config;
        private final SessionStore sessions;
        private final Semaphore slowPermits = new Semaphore(SLOW_PERMITS);
        private final byte[] usernameDigest;
        private final byte[] passwordDigest;
        private final Map<String, HttpHandler> routes;

        Api(Config config, SessionStore sessions) {
            this.config = config;
            this.sessions = sessions;
            this.usernameDigest = sha256(config.adminUsername());
            this.passwordDigest = sha256(config.adminPassword());
            this.routes = Map.of(
                    "/health", this::health,
                    "/actuator/health", this::health,
                    "/api/instance", this::instance,
                    "/api/session/counter", this::sessionCounter,
                    "/api/slow", this::slow);
        }

        /** Entry point of every request: exact-path routing, GET only, 500 on an unexpected error. */
        void handle(HttpExchange exchange) throws IOException {
            try {
                HttpHandler route = routes.get(exchange.getRequestURI().getPath());
                if (route == null) {
                    sendJson(exchange, 404, "{\"error\":\"Not Found\"}");
                } else if (!"GET".equals(exchange.getRequestMethod())) {
                    exchange.getResponseHeaders().set("Allow", "GET");
                    sendJson(exchange, 405, "{\"error\":\"Method Not Allowed\"}");
                } else {
                    route.handle(exchange);
                }
            } catch (RuntimeException e) {
                System.err.println("api-server: unexpected error: " + e);
                if (exchange.getResponseCode() == -1) {
                    sendJson(exchange, 500, "{\"error\":\"Internal Server Error\"}");
                }
            } finally {
                exchange.close();
            }
        }

        /** {@code GET /health} and {@code GET /actuator/health}: liveness for the load balancer, no auth. */
        private void health(HttpExchange exchange) throws IOException {
            sendJson(exchange, 200, "{\"status\":\"UP\"}");
        }

        /** {@code GET /api/instance}: which instance answered; requires the admin's Basic credentials. */
        private void instance(HttpExchange exchange) throws IOException {
            if (!isAuthorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", BASIC_CHALLENGE);
                sendJson(exchange, 401, "{\"error\":\"Unauthorized\"}");
                return;
            }
            sendJson(exchange, 200, "{\"instanceId\":" + json(config.instanceId())
                    + ",\"availabilityZone\":" + json(config.availabilityZone())
                    + ",\"hostname\":" + json(config.hostname()) + "}");
        }

        /**
         * {@code GET /api/session/counter}: a per-session counter held in this instance's memory.
         * Deliberately unauthenticated so the sticky-session demo is a plain {@code curl -c jar -b jar};
         * it exposes nothing but a number the caller itself incremented. The cookie has no Secure
         * flag because the lesson's listener is plain HTTP.
         */
        private void sessionCounter(HttpExchange exchange) throws IOException {
            SessionStore.Step step = sessions.increment(sessionCookie(exchange));
            if (step.created()) {
                exchange.getResponseHeaders().add("Set-Cookie",
                        SESSION_COOKIE + "=" + step.id() + "; Path=/; HttpOnly; SameSite=Lax");
            }
            sendJson(exchange, 200, "{\"session\":" + json(step.id()) + ",\"count\":" + step.count()
                    + ",\"instanceId\":" + json(config.instanceId()) + "}");
        }

        /**
         * {@code GET /api/slow?ms=N}: answers after N milliseconds (default 1000, at most 30000), to
         * show graceful shutdown with a request in flight. Unauthenticated but harmless: at most
         * {@link ApiServer#SLOW_PERMITS} run at once, the rest get 503 at once, so /health always has threads.
         */
        private void slow(HttpExchange exchange) throws IOException {
            Integer millis = slowMillis(exchange.getRequestURI().getRawQuery());
            if (millis == null) {
                sendJson(exchange, 400, "{\"error\":\"ms must be an integer from 0 to " + SLOW_MAX_MS + "\"}");
                return;
            }
            if (!slowPermits.tryAcquire()) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                sendJson(exchange, 503, "{\"error\":\"Too many slow requests in flight\"}");
                return;
            }
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                slowPermits.release();
            }
            sendJson(exchange, 200, "{\"sleptMs\":" + millis + ",\"instanceId\":" + json(config.instanceId()) + "}");
        }

        /** The {@code ms} query parameter, capped at {@link ApiServer#SLOW_MAX_MS}; 1000 when absent, null when invalid. */
        private static Integer slowMillis(String rawQuery) {
            if (rawQuery == null) {
                return 1_000;
            }
            for (String pair : rawQuery.split("&")) {
                if (pair.startsWith("ms=")) {
                    String value = pair.substring(3);
                    if (!value.matches("[0-9]{1,9}")) {
                        return null;
                    }
                    return Math.min(Integer.parseInt(value), SLOW_MAX_MS);
                }
            }
            return 1_000;
        }

        /**
         * Checks a Basic Authorization header against the admin credentials. Both parts are compared
         * as SHA-256 digests with {@link MessageDigest#isEqual}, so neither content nor length leaks
         * through timing, and both comparisons always run.
         */
        boolean isAuthorized(String header) {
            if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return false;
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return false;
            }
            boolean userOk = MessageDigest.isEqual(usernameDigest, sha256(decoded.substring(0, colon)));
            boolean passwordOk = MessageDigest.isEqual(passwordDigest, sha256(decoded.substring(colon + 1)));
            return userOk & passwordOk;
        }

        private static String sessionCookie(HttpExchange exchange) {
            for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
                for (String part : header.split(";")) {
                    String cookie = part.trim();
                    if (cookie.startsWith(SESSION_COOKIE + "=")) {
                        return cookie.substring(SESSION_COOKIE.length() + 1);
                    }
                }
            }
            return null;
        }

        private static void sendJson(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** A JSON string literal for {@code value}, or {@code null}. */
    static String json(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** {@code value} with control characters replaced by '?', safe to put on one log line. */
    static String printable(String value) {
        return value.replaceAll("\\p{Cntrl}", "?");
    }

    /** SHA-256 of the UTF-8 bytes of {@code value}. */
    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
