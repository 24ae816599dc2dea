#!/usr/bin/env bash
# Image Builder validate step ValidateRuntime: the chosen Corretto and Maven work.
#
# Variables: JAVA_VERSION (17 or 21).
set -euo pipefail

: "${JAVA_VERSION:?JAVA_VERSION must be the Corretto major version, 17 or 21}"
readonly JDK_LINK=/usr/lib/jvm/api-cluster-jdk

java -version
version_output="$("$JDK_LINK/bin/java" -version 2>&1)"
version_line="${version_output%%$'\n'*}"
echo "$version_line"
if [[ "$version_line" != *"\"$JAVA_VERSION."* ]]; then
    echo "validate-runtime: $JDK_LINK is not Java $JAVA_VERSION: $version_line" >&2
    exit 1
fi
mvn -version
