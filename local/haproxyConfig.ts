/**
 * The HAProxy config that stands in for the application load balancer: the stack's listener port,
 * round robin, the target group's health check, stickiness and deregistration delay, mapped as
 * docs/local-cluster.md's table says. A pure function of the settings, so tests read it directly.
 */
import { ClusterSettings } from "../components/config/schema";
import { ACCESS_LOG_FORMAT } from "./accessLog";

/** One API process behind the load balancer. */
export interface LocalServer {
    /** Its instance id (`local-0`, …), also its HAProxy server name. */
    instanceId: string;
    /** Its port on the loopback interface. */
    port: number;
}

/** Where and how HAProxy runs. */
export interface HaproxyConfigOptions {
    /** The address the listener binds, `127.0.0.1` by default in `npm run local`. */
    bindAddress: string;
    /** The listener's port: the stack's `port`, or one chosen free on `bindAddress` (`--any-port`). */
    listenerPort: number;
    /**
     * Whether HAProxy re-sends a request whose instance refused the connection or closed it without
     * an answer, to another instance (`--retries`). Default false: like the ALB, it does not, and the
     * client gets the error.
     */
    retries?: boolean;
    /** The stats socket's path, through which readiness, draining and ejection are observed. */
    statsSocket: string;
}

/** HAProxy's name of the backend, used on the stats socket. */
export const BACKEND = "api";

/** HAProxy's name of the frontend. */
export const FRONTEND = "listener";

/** The cookie HAProxy inserts for `lb_cookie` stickiness, named as the ALB names its own. */
export const LB_COOKIE = "AWSALB";

/**
 * The `http-check expect` line for a target group matcher (`200`, `200-299`, `200,204`): HAProxy's
 * `status` takes the same comma-separated codes and ranges.
 */
export function expectLine(matcher: string): string {
    return `http-check expect status ${matcher}`;
}

/**
 * The cookie the ALB adds for `app_cookie` stickiness, beside the app's own: AWSALBAPP-0 for the
 * first (here the only) target group with application-based stickiness.
 */
export const APP_STICKINESS_COOKIE = "AWSALBAPP-0";

/**
 * The backend's stickiness lines: none when off; for `lb_cookie` an inserted AWSALB cookie per
 * server; for `app_cookie` the ALB's AWSALBAPP-0 cookie. The ALB, on a response that sets the app's
 * cookie (`cookieName`), adds a cookie of its own that names the target, and routes a later request
 * by that cookie when it carries the app's cookie too; it never reads the app cookie's value, and a
 * request with only the app's cookie is balanced as any other. HAProxy does the same with a
 * `Set-Cookie` added on such responses and a `use-server` rule on the two cookies; a named server that
 * is down or in maintenance is passed over (`use-server` needs it usable), so the request is balanced,
 * the new instance's session cookie gets a new AWSALBAPP-0, as the ALB re-sticks. The ALB's cookie
 * says 7 days and the ALB checks the duration itself; here the cookie's Max-Age is the duration.
 */
function stickinessLines(settings: ClusterSettings): string[] {
    const { enabled, type, cookieName, durationSeconds } = settings.stickiness;
    if (!enabled) {
        return [];
    }
    if (type === "lb_cookie") {
        return [`cookie ${LB_COOKIE} insert indirect nocache httponly maxlife ${durationSeconds}s`];
    }
    return [
        `use-server %[req.cook(${APP_STICKINESS_COOKIE})] if { req.cook(${APP_STICKINESS_COOKIE}) -m found } { req.cook(${cookieName}) -m found }`,
        `http-response add-header Set-Cookie "${APP_STICKINESS_COOKIE}=%[srv_name]; Max-Age=${durationSeconds}; Path=/; HttpOnly" if { res.cook(${cookieName}) -m found }`,
    ];
}

/**
 * What HAProxy does with a request whose instance refused the connection or closed it unanswered.
 *
 * Off (the ALB's behaviour): HAProxy's default is 3 retries (CONN_RETRIES in
 * include/haproxy/defaults.h) on the same server with `retry-on conn-failure` (configuration.txt,
 * "retries" and "retry-on", HAProxy 2.6), so "no retry" needs `retries 0` and `retry-on none`
 * written out; `option redispatch` is off by default and stays off. A refused connection then
 * answers 503 and a request in flight on a killed instance 502 (the ALB answers 502 to both, per
 * its HTTP 502 troubleshooting: a TCP RST on connect, or a RST or FIN with a request outstanding),
 * until the health check takes the instance out.
 *
 * On (`--retries`): up to 3 retries, each on another server (`option redispatch 1`), on a refused
 * connection or a connection closed after the request was sent with nothing received (an instance
 * killed while it read the request). A slow answer (a timeout) is never retried.
 */
export function retryLines(retries: boolean): string[] {
    if (!retries) {
        return ["    retries 0", "    retry-on none"];
    }
    return ["    retries 3", "    option redispatch 1", "    retry-on conn-failure empty-response"];
}

/** The `add server` command for a server started after HAProxy (a rolled instance), with the health check of the config's servers. */
export function addServerCommand(settings: ClusterSettings, server: LocalServer): string {
    const check = settings.healthCheck;
    // A server added at run time takes nothing from `default-server` (management.txt, "add server").
    return `add server ${BACKEND}/${server.instanceId} 127.0.0.1:${server.port} check inter ${check.intervalSeconds}s rise ${check.healthyThreshold} fall ${check.unhealthyThreshold}`;
}

/** Renders the HAProxy config for `servers` with the stack's settings. */
export function renderHaproxyConfig(settings: ClusterSettings, servers: LocalServer[], options: HaproxyConfigOptions): string {
    const check = settings.healthCheck;
    const lbCookie = settings.stickiness.enabled && settings.stickiness.type === "lb_cookie";
    const lines = [
        "# Generated by npm run local; the ALB's settings mapped onto HAProxy (docs/local-cluster.md).",
        "global",
        `    stats socket ${options.statsSocket} mode 600 level admin`,
        "    log stderr format short local0 notice",
        "",
        "defaults",
        "    mode http",
        "    log global",
        "    timeout connect 2s",
        "    timeout client 60s",
        // The ALB's idle timeout is 60 s; slow requests up to /api/slow's 30 s fit.
        "    timeout server 60s",
        // One connection per request to an instance, so none is reused after the instance stops.
        "    option http-server-close",
        ...retryLines(options.retries ?? false),
        "",
        `frontend ${FRONTEND}`,
        `    bind ${options.bindAddress}:${options.listenerPort}`,
        // The access log: one line per request on HAProxy's stdout, which local reads (accessLog.ts);
        // not the global log, so HAProxy's own messages stay in haproxy.log.
        "    no log",
        "    log stdout format raw local0 info",
        `    log-format "${ACCESS_LOG_FORMAT}"`,
        `    default_backend ${BACKEND}`,
        "",
        `backend ${BACKEND}`,
        "    balance roundrobin",
        `    option httpchk GET ${check.path}`,
        `    ${expectLine(check.matcher)}`,
        `    timeout check ${check.timeoutSeconds}s`,
        `    default-server check inter ${check.intervalSeconds}s rise ${check.healthyThreshold} fall ${check.unhealthyThreshold}`,
        ...stickinessLines(settings).map((line) => `    ${line}`),
        ...servers.map(
            (server) => `    server ${server.instanceId} 127.0.0.1:${server.port}${lbCookie ? ` cookie ${server.instanceId}` : ""}`,
        ),
        "",
    ];
    return lines.join("\n");
}
