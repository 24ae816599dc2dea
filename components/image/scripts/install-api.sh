#!/usr/bin/env bash
# Image Builder build step InstallApi: installs the jar BuildApi wrote as /opt/api/api-server.jar,
# owned by root and read-only to the service, then removes the build folder (sources, target/ and
# Maven's repository) so that none of it stays in the image.
#
# Variables: BUILD_DIR (the build folder), BUILT_JAR (the jar BuildApi wrote).
set -euo pipefail

: "${BUILD_DIR:?BUILD_DIR must name the build folder}"
: "${BUILT_JAR:?BUILT_JAR must name the built jar}"
readonly INSTALL_DIR=/opt/api
readonly JAR_NAME=api-server.jar

if [[ ! -s "$BUILT_JAR" ]]; then
    echo "install-api: $BUILT_JAR is missing or empty" >&2
    exit 1
fi
install -d -o root -g root -m 0755 "$INSTALL_DIR"
install -o root -g root -m 0644 "$BUILT_JAR" "$INSTALL_DIR/$JAR_NAME"
rm -rf "$BUILD_DIR"
ls -l "$INSTALL_DIR"
