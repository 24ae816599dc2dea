/**
 * The cluster's health at a glance, as one value: each instance as HAProxy sees it (its state, its
 * last check in words, the requests it served and its 5xx answers) and the last errors of the
 * access log. `npm run local` shows it (statusView.ts); a pure function of what it is made of.
 */
import { AccessEntry } from "./accessLog";
import { describeCheck } from "./healthCheck";
import { ServerStat } from "./haproxyStats";
import { LocalInstance } from "./localCluster";

/** One instance in the status. */
export interface InstanceStatus {
    /** Its instance id, HAProxy's server name. */
    instanceId: string;
    /** Its process id, when the run started it (always, but for a server HAProxy alone lists). */
    pid: number | null;
    /** Its loopback port. */
    port: number | null;
    /** HAProxy's state: `UP`, `DOWN`, `MAINT`, `DRAIN`, or a transition such as `UP 1/2` (going down) or `DOWN 1/2` (going up). */
    state: string;
    /** HAProxy's code for the last check, such as `L7OK`, `L7STS`, `L4CON`. */
    checkStatus: string;
    /** The last check in words: `GET /health answered 200`, `nothing listening on port 41235 (Connection refused)`. */
    check: string;
    /** HTTP requests HAProxy sent it. */
    requests: number;
    /** Its 5xx answers. */
    errors5xx: number;
}

/** The whole status. */
export interface ClusterStatus {
    /** The load balancer's URL. */
    url: string;
    /** The instances HAProxy has, in its order. */
    instances: InstanceStatus[];
    /** How many of them are UP. */
    up: number;
    /** Requests in the access log so far. */
    requests: number;
    /** Of those, the cluster's errors (5xx, no answer, cut by the instance). */
    errors: number;
    /** The last errors, oldest first. */
    lastErrors: AccessEntry[];
}

/** What the status is made of. */
export interface StatusSources {
    /** The load balancer's URL. */
    url: string;
    /** The backend's servers from `show stat`. */
    stats: ServerStat[];
    /** The run's instances (pids and ports). */
    instances: LocalInstance[];
    /** The health check's path and matcher, for the check's words. */
    healthPath: string;
    matcher: string;
    /** The access log's counts and recent errors. */
    requests: number;
    errors: number;
    lastErrors: AccessEntry[];
}

/** The status from its sources. */
export function clusterStatus(sources: StatusSources): ClusterStatus {
    const instances = sources.stats.map((stat) => {
        const known = sources.instances.find((instance) => instance.instanceId === stat.name);
        return {
            instanceId: stat.name,
            pid: known?.pid ?? null,
            port: known?.port ?? null,
            state: stat.status,
            checkStatus: stat.checkStatus,
            check: describeCheck(stat, sources.healthPath, sources.matcher),
            requests: stat.requests,
            errors5xx: stat.responses5xx,
        };
    });
    return {
        url: sources.url,
        instances,
        up: instances.filter((instance) => instance.state === "UP").length,
        requests: sources.requests,
        errors: sources.errors,
        lastErrors: [...sources.lastErrors],
    };
}
