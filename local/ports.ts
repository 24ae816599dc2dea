/**
 * A port for HAProxy's listener with `--any-port`. HAProxy cannot report a port 0 it bound, so the
 * port is chosen here, free on the very address HAProxy binds, and a start whose bind then fails
 * (another process took the port in between) is retried with another (localCluster.ts). The API
 * instances need none of this: each binds port 0 itself and reports the port it got.
 */
import * as net from "net";

/**
 * A port the system has free on `host` right now: it binds port 0 on `host`, reads the port the
 * system chose, and closes. Another process may take it before the caller binds it, so a caller
 * must retry with another port when its own bind fails.
 */
export function freePort(host = "127.0.0.1"): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, host, () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}
