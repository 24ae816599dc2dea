#!/usr/bin/env bash
# Image Builder validate step ValidateService: the API is installed, its unit is enabled and the
# image holds no credential. Needs no variables.
set -euo pipefail

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
echo "validate-service: $UNIT enabled, /opt/api/api-server.jar installed, no env file baked"
