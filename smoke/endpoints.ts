/**
 * Which endpoints of the API the smoke checks request, from the stack's settings: the health
 * check's path (`healthCheck.path`) and the app's declared endpoints (`app.instanceEndpoint`,
 * `app.protectedEndpoint`, `app.sessionEndpoint`, each a path or `none`). Their defaults are the
 * schema's, the reference API's paths; an endpoint the API does not declare is left out, and the
 * checks that need it are skipped.
 */
import { APP_FIELDS, AppEndpointKey, ClusterSettings, HEALTH_CHECK_FIELDS, NO_ENDPOINT, SettingSpec } from "../components/config/schema";

/** The endpoints the checks request; an undefined one is not served by the API. */
export interface SmokeEndpoints {
    /** The health check's path: answers 200 without credentials. */
    health: string;
    /** The instance-identity endpoint: 200 with `instanceId` for the admin. */
    instance?: string;
    /** An endpoint behind the admin's credentials: 401 without them, 200 with them. */
    protected?: string;
    /** The session counter: 200 with `instanceId` and `count`, counted in the caller's session. */
    session?: string;
}

/** A string setting's default from the schema table. */
function stringDefault(spec: SettingSpec): string {
    if (spec.kind !== "string" || spec.default === undefined) {
        throw new Error("smoke endpoints: the schema gives this setting no string default");
    }
    return spec.default;
}

/** The setting's path, or undefined for `none`; a setting left out takes the schema's default. */
function declared(app: Partial<Record<AppEndpointKey, string>>, key: AppEndpointKey): string | undefined {
    const value = app[key] ?? stringDefault(APP_FIELDS[key]);
    return value === NO_ENDPOINT ? undefined : value;
}

/** The endpoints of a stack's settings. */
export function smokeEndpoints(settings: {
    healthCheck: Pick<ClusterSettings["healthCheck"], "path">;
    app: Partial<Record<AppEndpointKey, string>>;
}): SmokeEndpoints {
    return {
        health: settings.healthCheck.path,
        instance: declared(settings.app, "instanceEndpoint"),
        protected: declared(settings.app, "protectedEndpoint"),
        session: declared(settings.app, "sessionEndpoint"),
    };
}

/** The reference API's endpoints: every setting at the schema's default. */
export const DEFAULT_ENDPOINTS: SmokeEndpoints = smokeEndpoints({
    healthCheck: { path: stringDefault(HEALTH_CHECK_FIELDS.path) },
    app: {},
});
