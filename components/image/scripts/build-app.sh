#!/usr/bin/env bash
# Builds the API's runnable jar from its source, the same way in both places it runs:
#   - Image Builder build step BuildApi, on the build instance, against the unpacked artifact;
#   - `npm run app:build` (components/app/localBuild.ts) on a developer's machine or in CI, against
#     a copy of the same files the artifact holds.
#
# For a Maven project it runs `mvn -B package` with the tests skipped (no download progress, no
# colour codes, so its log reads as plain lines), then picks the one runnable
# jar in target/: every *.jar but *-sources.jar, *-javadoc.jar, *-tests.jar and original-*.jar
# (maven-shade-plugin's copy of the unshaded jar); none or several is an error. For a jar it takes
# the jar as it is. Either way the jar must name a Main-Class in its manifest unless MAIN_CLASS is
# set, and it is copied to OUT.
#
# Variables:
#   APP_SOURCE        maven or jar
#   APP_PATH          the Maven project folder (maven) or the jar file (jar)
#   OUT               where the jar goes
#   MAIN_CLASS        optional: the class to run, for a jar whose manifest has no Main-Class
#   JAVA_VERSION      optional: api-cluster:app.javaVersion, passed to Maven as the property
#                     -Dapi-cluster.javaVersion, which a project may compile for (the Spring Boot
#                     example's java.version does); a project that does not name it ignores it
#   MAVEN_REPO_LOCAL  optional: Maven's repository folder (-Dmaven.repo.local), e.g. in a work folder
#   JAVA_HOME         optional: the JDK Maven and the manifest check use; else java on PATH
#   API_CLUSTER_MAVEN_ARGS  optional, from the environment: extra Maven arguments, split on spaces,
#                     e.g. "-o -s /etc/maven/settings-debian.xml" to build offline from Debian's plugins
set -euo pipefail

: "${APP_SOURCE:?APP_SOURCE must be maven or jar}"
: "${APP_PATH:?APP_PATH must name the Maven project folder or the jar}"
: "${OUT:?OUT must name the jar to write}"
MAIN_CLASS="${MAIN_CLASS:-}"
MAVEN_REPO_LOCAL="${MAVEN_REPO_LOCAL:-}"
JAVA_VERSION="${JAVA_VERSION:-}"

fail() {
    echo "build-app: $*" >&2
    exit 1
}

jdk_tool() {
    if [[ -n "${JAVA_HOME:-}" ]]; then
        echo "$JAVA_HOME/bin/$1"
    else
        echo "$1"
    fi
}

if [[ -n "${JAVA_HOME:-}" ]]; then
    export JAVA_HOME
fi

case "$APP_SOURCE" in
maven)
    [[ -f "$APP_PATH/pom.xml" ]] || fail "$APP_PATH holds no pom.xml"
    maven_args=(-B --no-transfer-progress -Dstyle.color=never -DskipTests package)
    if [[ -n "$JAVA_VERSION" ]]; then
        maven_args=("-Dapi-cluster.javaVersion=$JAVA_VERSION" "${maven_args[@]}")
    fi
    if [[ -n "$MAVEN_REPO_LOCAL" ]]; then
        maven_args=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL" "${maven_args[@]}")
    fi
    read -r -a extra_args <<<"${API_CLUSTER_MAVEN_ARGS:-}"
    echo "build-app: mvn ${extra_args[*]} ${maven_args[*]} in $APP_PATH" >&2
    (cd "$APP_PATH" && mvn "${extra_args[@]}" "${maven_args[@]}") || fail "mvn package failed in $APP_PATH"

    jars=()
    shopt -s nullglob
    for candidate in "$APP_PATH"/target/*.jar; do
        name="$(basename "$candidate")"
        case "$name" in
        *-sources.jar | *-javadoc.jar | *-tests.jar | original-*.jar) ;;
        *) jars+=("$candidate") ;;
        esac
    done
    shopt -u nullglob
    if [[ "${#jars[@]}" -eq 0 ]]; then
        fail "mvn package left no runnable jar in $APP_PATH/target (none but *-sources, *-javadoc, *-tests or original-* jars); is the packaging jar?"
    fi
    if [[ "${#jars[@]}" -gt 1 ]]; then
        fail "mvn package left ${#jars[@]} candidate jars in $APP_PATH/target (${jars[*]##*/}); make the build produce one"
    fi
    jar_file="${jars[0]}"
    ;;
jar)
    [[ -f "$APP_PATH" && -r "$APP_PATH" ]] || fail "$APP_PATH is not a readable file"
    jar_file="$APP_PATH"
    ;;
*)
    fail "APP_SOURCE must be maven or jar, got '$APP_SOURCE'"
    ;;
esac

# The manifest names the class `java -jar` runs; without one, MAIN_CLASS must (java -cp jar class).
manifest_dir="$(mktemp -d)"
trap 'rm -rf "$manifest_dir"' EXIT
(cd "$manifest_dir" && "$(jdk_tool jar)" xf "$jar_file" META-INF/MANIFEST.MF) || fail "$jar_file cannot be read as a jar"
if [[ -z "$MAIN_CLASS" ]] && ! grep -qi '^Main-Class:' "$manifest_dir/META-INF/MANIFEST.MF" 2>/dev/null; then
    fail "$(basename "$jar_file") has no Main-Class in its manifest; set the app's mainClass or configure the jar's manifest"
fi

mkdir -p "$(dirname "$OUT")"
cp "$jar_file" "$OUT"
echo "build-app: $(basename "$jar_file") -> $OUT" >&2
