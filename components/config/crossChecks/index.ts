/**
 * The cross-checks: rules that tie two settings together, one file per area (fleet sizes, CIDR
 * coverage, existing network, TLS by name, availability zones, alarm emails); the few one-line rules of the
 * health check, stickiness, the app and SSH with a dedicated network stand here.
 */
import { appPathProblem } from "../../app/appPath";
import { APP_FIELDS, ClusterSettings, HEALTH_CHECK_FIELDS, NetworkMode } from "../schema";
import { Label, passes, show } from "../valueCheck";
import { alarmEmailProblems } from "./alarmRules";
import { coveredCidrs, sshCoverageProblems } from "./cidrRules";
import { existingNetworkProblems } from "./existingNetworkRules";
import { fleetSizeProblems } from "./fleetSizeRules";
import { tlsProblems } from "./tlsRules";
import { availabilityZonesProblems } from "./zoneRules";

/** Rules that tie two settings together, run only where each side passed its own rule. */
export function crossChecks(settings: ClusterSettings, label: Label): string[] {
    const problems: string[] = [];
    const { healthCheck, stickiness } = settings;
    const timingsValid =
        passes(HEALTH_CHECK_FIELDS.timeoutSeconds, healthCheck.timeoutSeconds) &&
        passes(HEALTH_CHECK_FIELDS.intervalSeconds, healthCheck.intervalSeconds);
    if (timingsValid && healthCheck.timeoutSeconds >= healthCheck.intervalSeconds) {
        problems.push(
            `${label("healthCheck.timeoutSeconds")} must be below healthCheck.intervalSeconds (${healthCheck.intervalSeconds}); got ${healthCheck.timeoutSeconds}`,
        );
    }
    if (stickiness.type === "app_cookie" && stickiness.cookieName === undefined) {
        problems.push(`${label("stickiness.cookieName")} is required when stickiness.type is app_cookie; got nothing`);
    }
    if (stickiness.type === "lb_cookie" && stickiness.cookieName !== undefined) {
        problems.push(
            `${label("stickiness.cookieName")} is only used with stickiness.type app_cookie; got ${show(stickiness.cookieName)} with lb_cookie`,
        );
    }
    const app = settings.app;
    if (settings.amiId === undefined && passes(APP_FIELDS.source, app.source) && passes(APP_FIELDS.path, app.path)) {
        const problem = appPathProblem(app);
        if (problem) problems.push(`${label("app.path")} ${problem}`);
    }
    problems.push(...fleetSizeProblems(settings, label));
    problems.push(...sshCoverageProblems(settings.sshCidrs, label));
    problems.push(...coveredCidrs("allowedCidrs", settings.allowedCidrs, label));
    problems.push(...coveredCidrs("sshCidrs", settings.sshCidrs, label));
    if (settings.network === NetworkMode.Dedicated && Array.isArray(settings.sshCidrs) && settings.sshCidrs.length > 0) {
        problems.push(
            `${label("sshCidrs")} must be empty with network dedicated: the instances sit in private subnets with no public address, ` +
                `so no SSH client can reach them; reach an instance through a Session Manager port forward instead ` +
                `(sessionManager, on by default; see docs/deploying.md); got ${show(settings.sshCidrs)}`,
        );
    }
    problems.push(...existingNetworkProblems(settings, label));
    problems.push(...tlsProblems(settings, label));
    problems.push(...availabilityZonesProblems(settings, label));
    problems.push(...alarmEmailProblems(settings, label));
    return problems;
}
