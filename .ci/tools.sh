#!/usr/bin/env bash
# The system tools the checks run, beside Node.js: the JDK (the reference API's live tests and
# `npm run local`), HAProxy (`npm run local`'s load balancer), shellcheck (the image's scripts) and
# Maven with Debian's packaged plugins (the API's offline build), jq (scripts/check-instances.sh). `npm run check` and .ci/run both
# start here. Whatever is missing is installed with apt-get when this machine has it and the user
# may (root, or sudo without a password); otherwise one line says what to install, and it exits 1.
# Then the JDK 21 runtime of the API's slow-client test, from PyPI through .ci/java21.sh (pip, as
# the user, into a cache folder), with python3-pip from apt-get first if pip is missing.
set -euo pipefail
# Its own folder, without dirname: the tests run it on a PATH of stub commands.
here="${BASH_SOURCE[0]%/*}"
[ "$here" = "${BASH_SOURCE[0]}" ] && here=.

# command:Debian package, one per tool the checks run.
TOOLS=(
    "javac:openjdk-17-jdk-headless"
    "haproxy:haproxy"
    "shellcheck:shellcheck"
    "mvn:maven"
    "jq:jq"
)
# Debian's Maven plugins, for `mvn -o -s /etc/maven/settings-debian.xml` with no Maven Central.
MAVEN_PLUGINS=(
    maven-debian-helper
    libmaven-clean-plugin-java
    libmaven-resources-plugin-java
    libmaven-compiler-plugin-java
    libsurefire-java
    libmaven-jar-plugin-java
    libmaven-install-plugin-java
)

missing=()
for tool in "${TOOLS[@]}"; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
# The plugins are files, not commands: settings-debian.xml comes with maven-debian-helper, the
# plugins with their packages (both paths overridable, for the tests). Where dpkg answers, each
# package not installed is named; elsewhere the files decide.
maven_settings="${DEBIAN_MAVEN_SETTINGS:-/etc/maven/settings-debian.xml}"
maven_repo="${DEBIAN_MAVEN_REPO:-/usr/share/maven-repo}"
if [ ! -f "$maven_settings" ] || [ ! -d "$maven_repo/org/apache/maven/plugins/maven-compiler-plugin" ]; then
    missing+=("${MAVEN_PLUGINS[@]}")
elif [ -z "${DEBIAN_MAVEN_REPO:-}" ] && command -v dpkg-query >/dev/null 2>&1; then
    for package in "${MAVEN_PLUGINS[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
fi
java21_missing=false
"$BASH" "$here/java21.sh" --path >/dev/null 2>&1 || java21_missing=true
if [ "$java21_missing" = true ] && ! python3 -m pip --version >/dev/null 2>&1; then
    missing+=(python3-pip)
fi

# Installs the JDK 21 runtime when it is missing, and exits with its status.
finish() {
    if [ "$java21_missing" = true ]; then
        "$BASH" "$here/java21.sh" >/dev/null || exit 1
    fi
    exit 0
}
[ "${#missing[@]}" -eq 0 ] && finish

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
if command -v apt-get >/dev/null 2>&1 && { [ -z "$sudo" ] || sudo -n true 2>/dev/null; }; then
    echo "installing with apt-get: ${missing[*]}" >&2
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    finish
fi
if command -v apt-get >/dev/null 2>&1; then
    echo "error: missing ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
else
    echo "error: missing ${missing[*]} (Debian package names); install the same tools with your package manager, e.g. brew install openjdk@17 haproxy shellcheck maven jq" >&2
fi
exit 1
