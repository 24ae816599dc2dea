#!/usr/bin/env bash
# Image Builder build step CreateUser: creates the unprivileged `api` system user the service runs
# as, and the configuration directory the boot script writes the env file into. Needs no variables.
set -euo pipefail

readonly API_USER=api
readonly CONFIG_DIR=/etc/api-cluster

if ! id -u "$API_USER" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /opt/api --shell /sbin/nologin \
        --comment "api-cluster REST API" "$API_USER"
fi

# root owns the directory; the api group may enter it to read its own env file, nobody else may.
install -d -o root -g "$API_USER" -m 0750 "$CONFIG_DIR"
id "$API_USER"
