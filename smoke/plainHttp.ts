/**
 * Where smoke may send the admin's credentials: over HTTPS anywhere, over plain HTTP only to this
 * machine (loopback: 127.0.0.0/8, ::1, localhost), where they never cross a network. Anything else
 * needs `--allow-plain-http`, or `--no-credentials` to run only the checks that send none.
 */

/** Whether a URL's host is this machine: `localhost`, an IPv4 address in 127.0.0.0/8, or `[::1]`. */
export function isLoopbackHost(hostname: string): boolean {
    const host = hostname.toLowerCase();
    if (host === "localhost" || host === "[::1]") {
        return true;
    }
    const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)?.slice(1).map(Number);
    return octets !== undefined && octets[0] === 127 && octets.every((octet) => octet <= 255);
}

/**
 * Why the credentials must not go to `url`, or undefined when they may: an `https://` URL, or a
 * plain `http://` one to a loopback host.
 */
export function plainHttpRefusal(url: string): string | undefined {
    let target: URL;
    try {
        target = new URL(url);
    } catch {
        return `refusing to send the admin's credentials to ${JSON.stringify(url)}, which is not a URL`;
    }
    if (target.protocol !== "http:" || isLoopbackHost(target.hostname)) {
        return undefined;
    }
    return (
        `refusing to send the admin's credentials over plain HTTP to ${target.host}, which is not this machine: ` +
        "use the https:// URL of a stack with TLS (hostedZoneId, hostedZoneName or certificateArn), " +
        "or --no-credentials to run only the checks that send none, or --allow-plain-http to send them anyway"
    );
}

/** How the admin's credentials travel, from the command line. */
export interface CredentialPolicy {
    /** Read the password and send the credentials; false (`--no-credentials`) reads no password and skips the checks that need it. */
    send: boolean;
    /** Send them over plain HTTP to a host that is not this machine (`--allow-plain-http`). */
    allowPlainHttp: boolean;
}

/** The default: credentials sent, over HTTPS or to loopback only. */
export const SECURE_CREDENTIALS: CredentialPolicy = { send: true, allowPlainHttp: false };

/** Why `policy` forbids sending the credentials to `url`, or undefined when it allows it or sends none. */
export function credentialRefusal(url: string, policy: CredentialPolicy): string | undefined {
    return policy.send && !policy.allowPlainHttp ? plainHttpRefusal(url) : undefined;
}
