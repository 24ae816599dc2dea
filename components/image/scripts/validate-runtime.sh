#!/usr/bin/env bash
# Image Builder validate step ValidateRuntime: Corretto 17 and Maven work. Needs no variables.
set -euo pipefail

readonly JDK_LINK=/usr/lib/jvm/api-cluster-jdk17

java -version
version_output="$("$JDK_LINK/bin/java" -version 2>&1)"
version_line="${version_output%%$'\n'*}"
echo "$version_line"
if [[ "$version_line" != *'"17.'* ]]; then
    echo "validate-runtime: $JDK_LINK is not Java 17: $version_line" >&2
    exit 1
fi
mvn -version
