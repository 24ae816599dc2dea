#!/usr/bin/env bash
# Boot script (EC2 user data) of every API instance. It holds no secret: the admin password stays in
# SSM Parameter Store until this script reads it with the instance role, which may call
# ssm:GetParameter on that one parameter and decrypt it (through SSM) with the stack's own KMS key,
# and nothing else.
#
# It reads the instance id, availability zone and region through IMDSv2, reads the password, writes
# /etc/api-cluster/api.env (mode 0600, owner api) for the systemd unit, and restarts the service.
# The password only ever lives in a shell variable and the env file: it is never echoed, never
# logged and never passed on a command line.
#
# renderBootScript (bootScript.ts) fills in the three values below.
set -euo pipefail

readonly PARAMETER_NAME='@@PARAMETER_NAME@@'
readonly ADMIN_USERNAME='@@ADMIN_USERNAME@@'
readonly APP_PORT='@@APP_PORT@@'

readonly API_USER=api
readonly CONFIG_DIR=/etc/api-cluster
readonly ENV_FILE="$CONFIG_DIR/api.env"
readonly UNIT=api.service
readonly IMDS=http://169.254.169.254/latest
readonly SSM_ATTEMPTS=6

log() {
    echo "api-cluster boot: $*"
}

fail() {
    echo "api-cluster boot: $*" >&2
    exit 1
}

if ! id -u "$API_USER" >/dev/null 2>&1; then
    fail "user $API_USER does not exist; this instance was not launched from the api-cluster image"
fi

imds_token="$(curl -fsS --retry 10 --retry-connrefused --retry-delay 1 -X PUT "$IMDS/api/token" \
    -H "X-aws-ec2-metadata-token-ttl-seconds: 300")"

# Prints one instance metadata value.
metadata() {
    curl -fsS --retry 10 --retry-connrefused --retry-delay 1 \
        -H "X-aws-ec2-metadata-token: $imds_token" "$IMDS/meta-data/$1"
}

instance_id="$(metadata instance-id)"
availability_zone="$(metadata placement/availability-zone)"
region="$(metadata placement/region)"
log "instance $instance_id in $availability_zone ($region)"

# The AWS CLI writes the decrypted value to its stdout, a pipe into this shell: no command line,
# no log. Instance roles can take a moment to be usable after boot, hence the retries.
admin_password=""
for attempt in $(seq 1 "$SSM_ATTEMPTS"); do
    if admin_password="$(aws ssm get-parameter --region "$region" --name "$PARAMETER_NAME" \
        --with-decryption --query Parameter.Value --output text)"; then
        break
    fi
    admin_password=""
    if [[ "$attempt" -lt "$SSM_ATTEMPTS" ]]; then
        log "reading $PARAMETER_NAME failed (attempt $attempt of $SSM_ATTEMPTS); retrying"
        sleep $((attempt * 5))
    fi
done
if [[ -z "$admin_password" ]]; then
    fail "could not read a non-empty admin password from $PARAMETER_NAME"
fi

# Sets `quoted` to $1 as a double-quoted value of a systemd EnvironmentFile: inside double quotes,
# systemd takes \\, \", \$ and \` as the escaped character and everything else literally.
quote_env_value() {
    local value="$1"
    value="${value//\\/\\\\}"
    value="${value//\"/\\\"}"
    value="${value//\$/\\\$}"
    value="${value//\`/\\\`}"
    quoted="\"$value\""
}

install -d -o root -g "$API_USER" -m 0750 "$CONFIG_DIR"
umask 077
env_tmp="$(mktemp "$CONFIG_DIR/.api.env.XXXXXX")"
trap 'rm -f "$env_tmp"' EXIT
{
    quoted=""
    quote_env_value "$ADMIN_USERNAME"
    printf 'ADMIN_USERNAME=%s\n' "$quoted"
    quote_env_value "$admin_password"
    printf 'ADMIN_PASSWORD=%s\n' "$quoted"
    quote_env_value "$instance_id"
    printf 'INSTANCE_ID=%s\n' "$quoted"
    quote_env_value "$availability_zone"
    printf 'AVAILABILITY_ZONE=%s\n' "$quoted"
    quote_env_value "$APP_PORT"
    printf 'PORT=%s\n' "$quoted"
} >"$env_tmp"
unset admin_password quoted
chown "$API_USER:$API_USER" "$env_tmp"
chmod 0600 "$env_tmp"
mv -f "$env_tmp" "$ENV_FILE"
trap - EXIT
log "wrote $ENV_FILE (mode 0600, owner $API_USER)"

systemctl restart "$UNIT"
log "restarted $UNIT on port $APP_PORT"
