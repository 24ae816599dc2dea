/**
 * The little HTTP the smoke checks speak: one GET per call on a fresh connection (so the load
 * balancer chooses anew each time, as for a new client), optional Basic credentials, and a cookie
 * jar like curl's `-c jar -b jar`.
 */
import * as http from "http";
import * as https from "https";

/** An answer read to its end. */
export interface HttpReply {
    /** The status code. */
    status: number;
    /** The body as text. */
    body: string;
    /** The `Set-Cookie` headers, as sent. */
    setCookies: string[];
}

/** What one GET carries besides its URL. */
export interface HttpGetOptions {
    /** `username:password` for HTTP Basic auth. Default none. */
    basicAuth?: string;
    /** The `Cookie` header to send. Default none. */
    cookie?: string;
}

/** Sends one GET; rejects when no answer comes (connection refused, timeout). */
export type HttpGet = (url: string, options?: HttpGetOptions) => Promise<HttpReply>;

/** Milliseconds one request may take. */
const REQUEST_TIMEOUT_MS = 10_000;

/** The real HTTP(S) client. */
export const httpGet: HttpGet = (url, options = {}) =>
    new Promise((resolve, reject) => {
        const target = new URL(url);
        const client = target.protocol === "https:" ? https : http;
        const headers: Record<string, string> = {};
        if (options.basicAuth !== undefined) {
            headers.Authorization = `Basic ${Buffer.from(options.basicAuth).toString("base64")}`;
        }
        if (options.cookie) {
            headers.Cookie = options.cookie;
        }
        const request = client.get(target, { headers, agent: false, timeout: REQUEST_TIMEOUT_MS }, (response) => {
            let body = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => (body += chunk));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body, setCookies: response.headers["set-cookie"] ?? [] }));
            response.on("error", reject);
        });
        request.on("timeout", () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
        request.on("error", reject);
    });

/** Cookies kept across requests, by name; attributes (path, expiry) are ignored, as one short run needs none. */
export class CookieJar {
    private readonly cookies = new Map<string, string>();

    /** Stores every cookie of a reply's `Set-Cookie` headers. */
    store(setCookies: string[]): void {
        for (const header of setCookies) {
            const pair = header.split(";")[0];
            const at = pair.indexOf("=");
            if (at > 0) {
                this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
            }
        }
    }

    /** The `Cookie` header for the next request; empty when the jar is empty. */
    header(): string {
        return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    }

    /** The cookies' names, in the order first stored. */
    names(): string[] {
        return [...this.cookies.keys()];
    }
}
