#!/usr/bin/env bash
# Image Builder build step InstallService, second half: the rendered step first writes the unit
# (api.service) to UNIT_PATH, then this script fixes its mode, checks it and enables it. The unit
# does not start here: it waits for the env file the boot script writes on each instance.
#
# Variables: UNIT_PATH (default /etc/systemd/system/api.service).
set -euo pipefail

UNIT_PATH="${UNIT_PATH:-/etc/systemd/system/api.service}"

if [[ ! -s "$UNIT_PATH" ]]; then
    echo "install-service: $UNIT_PATH is missing or empty" >&2
    exit 1
fi
chown root:root "$UNIT_PATH"
chmod 0644 "$UNIT_PATH"
systemd-analyze verify --man=no "$UNIT_PATH"
systemctl daemon-reload
systemctl enable "$(basename "$UNIT_PATH")"
