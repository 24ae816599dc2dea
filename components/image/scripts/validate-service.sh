#!/usr/bin/env bash
# Image Builder validate step ValidateService: the API is installed, its unit is enabled and the
# image holds neither a credential nor the build folder.
#
# Variables: BUILD_DIR (the build folder, which InstallApi removed).
set -euo pipefail

: "${BUILD_DIR:?BUILD_DIR must name the build folder}"

readonly UNIT=api.service
readonly ENV_FILE=/etc/api-cluster/api.env

enabled="$(systemctl is-enabled "$UNIT")"
if [[ "$enabled" != enabled ]]; then
    echo "validate-service: $UNIT is $enabled, expected enabled" >&2
    exit 1
fi
id api
test -s /opt/api/api-server.jar
if [[ -e "$ENV_FILE" ]]; then
    echo "validate-service: $ENV_FILE exists; the image must not hold a credential" >&2
    exit 1
fi
if [[ -e "$BUILD_DIR" ]]; then
    echo "validate-service: $BUILD_DIR exists; the image must not hold the build's sources or Maven repository" >&2
    exit 1
fi
echo "validate-service: $UNIT enabled, /opt/api/api-server.jar installed, no env file baked"
