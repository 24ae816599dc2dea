#!/usr/bin/env bash
# Image Builder build step InstallApi: fetches the API artifact (a zip of the API's Java sources)
# from the private artifact bucket, compiles it with Corretto 17 into /opt/api/api-server.jar and
# leaves /opt/api owned by root and read-only to the service.
#
# Variables: ARTIFACT_URI (s3://bucket/key of the zip), MAIN_CLASS (default ApiServer).
set -euo pipefail

: "${ARTIFACT_URI:?ARTIFACT_URI must name the artifact, s3://bucket/key}"
MAIN_CLASS="${MAIN_CLASS:-ApiServer}"
readonly JDK_LINK=/usr/lib/jvm/api-cluster-jdk17
readonly INSTALL_DIR=/opt/api
readonly JAR_NAME=api-server.jar

work="$(mktemp -d)"
cleanup() {
    rm -rf "$work"
}
trap cleanup EXIT

# The region comes from the instance metadata (IMDSv2), so the CLI needs no configuration.
imds_token="$(curl -fsS --retry 5 --retry-connrefused -X PUT http://169.254.169.254/latest/api/token \
    -H "X-aws-ec2-metadata-token-ttl-seconds: 300")"
region="$(curl -fsS --retry 5 --retry-connrefused -H "X-aws-ec2-metadata-token: $imds_token" \
    http://169.254.169.254/latest/meta-data/placement/region)"

aws s3 cp --region "$region" --no-progress "$ARTIFACT_URI" "$work/artifact.zip"

# `jar` unpacks zips, so the build needs nothing beyond the JDK.
mkdir -p "$work/src" "$work/classes"
(cd "$work/src" && "$JDK_LINK/bin/jar" xf "$work/artifact.zip")

mapfile -t sources < <(find "$work/src" -type f -name '*.java' | sort)
if [[ "${#sources[@]}" -eq 0 ]]; then
    echo "install-api: the artifact $ARTIFACT_URI holds no .java file" >&2
    exit 1
fi
"$JDK_LINK/bin/javac" --release 17 -encoding UTF-8 -d "$work/classes" "${sources[@]}"
"$JDK_LINK/bin/jar" --create --file "$work/$JAR_NAME" --main-class "$MAIN_CLASS" -C "$work/classes" .

install -d -o root -g root -m 0755 "$INSTALL_DIR"
install -o root -g root -m 0644 "$work/$JAR_NAME" "$INSTALL_DIR/$JAR_NAME"
if [[ -f "$work/src/README.md" ]]; then
    install -o root -g root -m 0644 "$work/src/README.md" "$INSTALL_DIR/README.md"
fi
ls -l "$INSTALL_DIR"
