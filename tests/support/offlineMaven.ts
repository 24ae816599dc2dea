/**
 * Loaded by mocha before any test (.mocharc.js `require`): Maven builds in the tests (app:build,
 * the local cluster, the bench's local run) go offline from Debian's packaged plugins when this
 * machine has them. `.ci/run` exports the same value; a developer who has set
 * API_CLUSTER_MAVEN_ARGS (even to "", to build online) keeps theirs. Every process a test starts
 * inherits it through process.env.
 */
import * as fs from "fs";

/** Debian's Maven settings, which point Maven at /usr/share/maven-repo (maven-debian-helper). */
export const DEBIAN_MAVEN_SETTINGS = "/etc/maven/settings-debian.xml";

/** The Maven arguments of an offline build from Debian's packaged plugins. */
export const OFFLINE_MAVEN_ARGS = `-o -s ${DEBIAN_MAVEN_SETTINGS}`;

if (process.env.API_CLUSTER_MAVEN_ARGS === undefined && fs.existsSync(DEBIAN_MAVEN_SETTINGS)) {
    process.env.API_CLUSTER_MAVEN_ARGS = OFFLINE_MAVEN_ARGS;
}
