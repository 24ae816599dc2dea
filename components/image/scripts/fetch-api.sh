#!/usr/bin/env bash
# Image Builder build step FetchApi: fetches the API artifact (a zip of the Maven project's sources,
# or of the jar) from the private artifact bucket and unpacks it into the build folder, where
# BuildApi (build-app.sh) builds it and InstallApi installs the jar and removes the folder.
#
# Variables: ARTIFACT_URI (s3://bucket/key of the zip), BUILD_DIR (the build folder).
set -euo pipefail

: "${ARTIFACT_URI:?ARTIFACT_URI must name the artifact, s3://bucket/key}"
: "${BUILD_DIR:?BUILD_DIR must name the build folder}"
readonly JDK_LINK=/usr/lib/jvm/api-cluster-jdk

# The region comes from the instance metadata (IMDSv2), so the CLI needs no configuration.
imds_token="$(curl -fsS --retry 5 --retry-connrefused -X PUT http://169.254.169.254/latest/api/token \
    -H "X-aws-ec2-metadata-token-ttl-seconds: 300")"
region="$(curl -fsS --retry 5 --retry-connrefused -H "X-aws-ec2-metadata-token: $imds_token" \
    http://169.254.169.254/latest/meta-data/placement/region)"

rm -rf "$BUILD_DIR"
install -d -m 0700 "$BUILD_DIR" "$BUILD_DIR/src"
aws s3 cp --region "$region" --no-progress "$ARTIFACT_URI" "$BUILD_DIR/artifact.zip"

# `jar` unpacks zips, so this needs nothing beyond the JDK.
(cd "$BUILD_DIR/src" && "$JDK_LINK/bin/jar" xf "$BUILD_DIR/artifact.zip")
find "$BUILD_DIR/src" -type f | sort
