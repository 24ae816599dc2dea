#!/usr/bin/env bash
# Image Builder build step InstallRuntime: installs Amazon Corretto (the JDK, version JAVA_VERSION)
# and Maven with dnf.
#
# Maven may pull in a JDK of its own through its JDK binding and switch the `java` alternative, so
# this script pins the API to the chosen Corretto through a stable link, JDK_LINK, which the systemd
# unit, the build (JAVA_HOME) and the other steps use.
#
# Variables: JAVA_VERSION (17 or 21).
set -euo pipefail

: "${JAVA_VERSION:?JAVA_VERSION must be the Corretto major version, 17 or 21}"
readonly JDK_LINK=/usr/lib/jvm/api-cluster-jdk
readonly CORRETTO="java-$JAVA_VERSION-amazon-corretto"

dnf install -y "$CORRETTO-headless" "$CORRETTO-devel"

# Prefer the Maven build bound to the same Corretto when the repository has it; plain maven otherwise.
if dnf list --available "maven-amazon-corretto$JAVA_VERSION" >/dev/null 2>&1; then
    dnf install -y "maven-amazon-corretto$JAVA_VERSION"
else
    dnf install -y maven
fi

# The AWS CLI fetches the artifact and, at boot, the admin password; the standard AL2023 AMI has it.
if ! command -v aws >/dev/null 2>&1; then
    dnf install -y awscli-2
fi
dnf clean all

# Find the chosen Corretto's javac among the devel package's files, then link its JDK home.
javac_path=""
mapfile -t devel_files < <(rpm -ql "$CORRETTO-devel")
for file in "${devel_files[@]}"; do
    if [[ "$file" == */bin/javac ]]; then
        javac_path="$file"
        break
    fi
done
if [[ -z "$javac_path" ]]; then
    echo "install-runtime: $CORRETTO-devel ships no bin/javac" >&2
    exit 1
fi
jdk_home="$(dirname "$(dirname "$(readlink -f "$javac_path")")")"
ln -sfn "$jdk_home" "$JDK_LINK"

"$JDK_LINK/bin/java" -version
mvn -version
