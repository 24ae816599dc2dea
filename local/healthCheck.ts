/**
 * What HAProxy's last health check of an instance saw, in words a developer can act on: the path
 * and the status it answered, or that nothing listens on its port, instead of HAProxy's codes
 * (`L7STS`, `L4CON`, …; management.txt, "show stat", field check_status).
 */
import { ServerStat } from "./haproxyStats";

/** The port of a stat's `addr` (`127.0.0.1:41235`), or `?` when it has none. */
function portOf(stat: ServerStat): string {
    return /:(\d+)$/.exec(stat.address)?.[1] ?? "?";
}

/** The last check of `stat` in words: `GET /health answered 503`, `nothing listening on port 41235`, … */
export function describeCheck(stat: ServerStat, healthPath: string, matcher: string): string {
    const request = `GET ${healthPath}`;
    const detail = stat.lastCheck ? ` (${stat.lastCheck})` : "";
    switch (stat.checkStatus) {
        case "":
        case "INI":
            return "not checked yet";
        case "L7OK":
        case "L7OKC":
            return `${request} answered ${stat.checkCode}`;
        case "L7STS":
            return `${request} answered ${stat.checkCode}, not ${matcher}`;
        case "L4CON":
            return `nothing listening on port ${portOf(stat)}${detail}`;
        case "L4TOUT":
            return `no connection to port ${portOf(stat)} within the check's timeout`;
        case "L7TOUT":
            return `${request} got no answer within the check's timeout`;
        case "L7RSP":
            return `${request} got an answer that is not HTTP${detail}`;
        default:
            return `${stat.checkStatus}: ${stat.checkDescription}${detail}`;
    }
}

/** Whether the last check failed (as opposed to passed or not run yet). */
export function checkFailed(stat: ServerStat): boolean {
    return !["", "INI", "L7OK", "L7OKC"].includes(stat.checkStatus);
}
