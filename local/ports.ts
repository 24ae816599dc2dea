/** Free TCP ports for the local cluster, its bench and the tests. */
import * as net from "net";

/**
 * A port the system has free on `host` (loopback by default) right now: it binds port 0, reads the
 * port the system chose, and closes. Another process may take it before the caller binds it.
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
