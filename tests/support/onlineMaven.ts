/**
 * Maven for the Spring Boot example, which needs Maven Central: no offline flag and Maven's own
 * settings (the repository in ~/.m2, a cache that a clean machine fills on its first build). The
 * other Maven builds of the tests stay offline from Debian's packaged plugins (offlineMaven.ts).
 */

/** The environment a test adds to a process that builds the example: API_CLUSTER_MAVEN_ARGS empty, so build-app.sh goes online. */
export const ONLINE_MAVEN_ENV: Record<string, string> = { API_CLUSTER_MAVEN_ARGS: "" };

/** Runs `build` with API_CLUSTER_MAVEN_ARGS emptied in this process (buildApp reads process.env), then restores it once the build has ended. */
export async function withOnlineMaven<T>(build: () => Promise<T>): Promise<T> {
    const saved = process.env.API_CLUSTER_MAVEN_ARGS;
    process.env.API_CLUSTER_MAVEN_ARGS = ONLINE_MAVEN_ENV.API_CLUSTER_MAVEN_ARGS;
    try {
        return await build();
    } finally {
        if (saved === undefined) {
            delete process.env.API_CLUSTER_MAVEN_ARGS;
        } else {
            process.env.API_CLUSTER_MAVEN_ARGS = saved;
        }
    }
}
