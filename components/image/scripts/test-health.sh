#!/usr/bin/env bash
# Image Builder test step TestHealth, on an instance launched from the new image: writes a
# throwaway env file with a random test password, starts the service, checks /health and that
# /api/instance wants the password, then stops the service and removes the env file.
#
# Variables: APP_PORT (the API's port).
set -euo pipefail

: "${APP_PORT:?APP_PORT must be the API port}"
readonly UNIT=api.service
readonly CONFIG_DIR=/etc/api-cluster
readonly ENV_FILE="$CONFIG_DIR/api.env"
readonly BASE_URL="http://127.0.0.1:$APP_PORT"

work="$(mktemp -d)"
cleanup() {
    systemctl stop "$UNIT" || true
    rm -f "$ENV_FILE"
    rm -rf "$work"
}
trap cleanup EXIT

# A random password for this test only; it is never printed and is removed with the env file.
test_password="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
install -d -o root -g api -m 0750 "$CONFIG_DIR"
(
    umask 077
    printf 'ADMIN_USERNAME="image-test"\nADMIN_PASSWORD="%s"\nINSTANCE_ID="image-test"\nAVAILABILITY_ZONE="image-test"\nPORT="%s"\n' \
        "$test_password" "$APP_PORT" >"$ENV_FILE"
    # curl reads the credentials from this file, so they never reach a command line.
    printf 'user = "image-test:%s"\n' "$test_password" >"$work/curl-auth"
)
chown api:api "$ENV_FILE"
chmod 0600 "$ENV_FILE"

systemctl start "$UNIT"
healthy=false
for _ in $(seq 1 30); do
    if curl -fsS --max-time 2 "$BASE_URL/health"; then
        healthy=true
        break
    fi
    sleep 2
done
echo
if [[ "$healthy" != true ]]; then
    echo "test-health: $BASE_URL/health did not answer 200" >&2
    journalctl -u "$UNIT" --no-pager -n 50 >&2 || true
    exit 1
fi

anonymous="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE_URL/api/instance")"
if [[ "$anonymous" != 401 ]]; then
    echo "test-health: /api/instance without credentials answered $anonymous, expected 401" >&2
    exit 1
fi
authorized="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -K "$work/curl-auth" "$BASE_URL/api/instance")"
if [[ "$authorized" != 200 ]]; then
    echo "test-health: /api/instance with the test credentials answered $authorized, expected 200" >&2
    exit 1
fi
echo "test-health: /health is UP and /api/instance enforces Basic auth"
