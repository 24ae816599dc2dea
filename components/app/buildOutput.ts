/**
 * What a failed local build says: its output cleaned for a reader (colour codes stripped, the
 * temporary copy's path written as the app's own path) and, when Maven could not download what the
 * project needs, what to do about it, naming API_CLUSTER_MAVEN_ARGS.
 */

/** The environment variable whose words go to Maven before its own arguments. */
export const MAVEN_ARGS_VARIABLE = "API_CLUSTER_MAVEN_ARGS";

/** The Maven arguments that build a project without dependencies offline, from Debian's packaged plugins. */
export const DEBIAN_OFFLINE_MAVEN_ARGS = "-o -s /etc/maven/settings-debian.xml";

/** ANSI escape sequences (colours, cursor moves): Maven 3.8's launcher writes `ESC[0m` even with `-Dstyle.color=never`. */
const ANSI_ESCAPE = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** `text` without ANSI escape sequences. */
export function stripAnsi(text: string): string {
    return text.replace(ANSI_ESCAPE, "");
}

/** `text` with every occurrence of the temporary copy's path `copy` written as the app's path `real`, colour codes stripped. */
export function cleanBuildOutput(text: string, copy: string, real: string): string {
    return stripAnsi(text).split(copy).join(real);
}

/**
 * What Maven prints when it cannot get an artifact: no network, an unknown host, a mirror that
 * refuses, or offline mode without the artifact in the local repository.
 */
const RESOLUTION_FAILURES = [
    /Could not resolve dependencies/,
    /Could not transfer artifact/,
    /Could not find artifact/,
    /Failed to read artifact descriptor/,
    /Non-resolvable parent POM/,
    /Non-resolvable import POM/,
    /Unknown host/i,
    /could not be resolved/,
    /in offline mode and the artifact .* has not been downloaded/,
];

/** Maven's first `[ERROR]` line that says an artifact could not be resolved, without the prefix and the help reference; undefined when none does. */
export function mavenResolutionFailure(output: string): string | undefined {
    const line = stripAnsi(output)
        .split("\n")
        .map((candidate) => candidate.trim())
        .find((candidate) => candidate.startsWith("[ERROR]") && RESOLUTION_FAILURES.some((pattern) => pattern.test(candidate)));
    return line
        ?.replace(/^\[ERROR\]\s*/, "")
        .replace(/\s*-> \[Help \d+\]$/, "")
        .trim();
}

/** What to do when Maven could not download what the project needs: network, a mirror, or API_CLUSTER_MAVEN_ARGS. */
export function mavenResolutionHint(current: string | undefined): string {
    const now = current === undefined ? "unset now" : `now ${JSON.stringify(current)}`;
    return (
        `Maven could not download what the project needs: give it network access to Maven Central, or a mirror in ~/.m2/settings.xml, ` +
        `or set ${MAVEN_ARGS_VARIABLE} to the Maven arguments your machine needs (${now}), ` +
        `e.g. ${MAVEN_ARGS_VARIABLE}="${DEBIAN_OFFLINE_MAVEN_ARGS}" to build a project without dependencies offline from Debian's packaged plugins`
    );
}
