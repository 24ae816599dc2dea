#!/usr/bin/env bash
# Image Builder build step InstallRuntime: installs Amazon Corretto 17 (the JDK) and Maven with dnf.
#
# Maven may pull in a JDK of its own through its JDK binding and switch the `java` alternative, so
# this script pins the API to Corretto 17 through a stable link, JDK_LINK, which the systemd unit
# and install-api.sh use. It needs no variables.
set -euo pipefail

readonly JDK_LINK=/usr/lib/jvm/api-cluster-jdk17

dnf install -y java-17-amazon-corretto-headless java-17-amazon-corretto-devel

# Prefer the Maven build bound to Corretto 17 when the repository has it; plain maven otherwise.
if dnf list --available maven-amazon-corretto17 >/dev/null 2>&1; then
    dnf install -y maven-amazon-corretto17
else
    dnf install -y maven
fi

# The AWS CLI fetches the artifact and, at boot, the admin password; the standard AL2023 AMI has it.
if ! command -v aws >/dev/null 2>&1; then
    dnf install -y awscli-2
fi
dnf clean all

# Find Corretto 17's javac among the devel package's files, then link its JDK home.
javac17=""
mapfile -t devel_files < <(rpm -ql java-17-amazon-corretto-devel)
for file in "${devel_files[@]}"; do
    if [[ "$file" == */bin/javac ]]; then
        javac17="$file"
        break
    fi
done
if [[ -z "$javac17" ]]; then
    echo "install-runtime: java-17-amazon-corretto-devel ships no bin/javac" >&2
    exit 1
fi
jdk_home="$(dirname "$(dirname "$(readlink -f "$javac17")")")"
ln -sfn "$jdk_home" "$JDK_LINK"

"$JDK_LINK/bin/java" -version
mvn -version
