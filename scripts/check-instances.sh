#!/usr/bin/env bash
# Hits each API instance on its own, around the load balancer, as the lesson does: for every
# instance in the stack's `instances` output (fleet `instances`), or every InService instance of the
# Auto Scaling group named by its `autoScalingGroupName` output (fleet `autoscaling`), it opens a
# Session Manager port forward to the instance's app port, then checks GET /health and
# GET /api/instance (with the admin user) through it, and closes the forward. Nothing is opened to
# the internet: the SSM agent on the instance reaches Session Manager over the instances' only
# egress, HTTPS.
#
# Needs: the Pulumi CLI on the stack's backend, the AWS CLI v2 with the Session Manager plugin and
# credentials for the stack's account and region (AWS_REGION), curl and jq. The stack must have
# api-cluster:sessionManager on (the default).
#
# The admin password is read from SSM into a shell variable and handed to curl on its stdin: it is
# never printed and never on a command line. It goes over plain HTTP only to 127.0.0.1, the local end
# of the port forward (Session Manager carries it to the instance over TLS); get() refuses any other
# address, so no flag allows plain HTTP elsewhere: the script never needs one.
#
# Exit status: 0 every instance answered both checks, 1 at least one did not, 2 a usage error or a
# missing tool.
set -euo pipefail

readonly USAGE="usage: scripts/check-instances.sh [--stack <stack>] [--local-port <port>]

Hits each instance of the stack on its own through a Session Manager port forward:
GET /health, then GET /api/instance as the admin user, which must report that instance's id.
The instances are the stack's \`instances\` output, or with fleet \`autoscaling\` the InService
instances of the Auto Scaling group its \`autoScalingGroupName\` output names. The admin's
credentials go over plain HTTP to 127.0.0.1 only, the local end of each forward, never elsewhere.

  --stack <stack>      the Pulumi stack (default: the selected stack)
  --local-port <port>  the first local port; instance i forwards from <port> + i (default 18082)
  --help               print this help and exit"

# The local end of every port forward: the only address the admin's credentials are sent to.
readonly FORWARD_HOST=127.0.0.1

# Seconds to wait for a port forward to open, and for each HTTP request.
readonly FORWARD_TIMEOUT_SECONDS=60
readonly REQUEST_TIMEOUT_SECONDS=10

usage_error() {
    echo "check-instances: $1; see --help" >&2
    exit 2
}

# Whether the admin's credentials may go to URL $1: over HTTPS, or over plain HTTP to this machine
# (localhost, 127.0.0.0/8, [::1]) only, where they cross no network.
credentials_may_go_to() {
    [[ "$1" =~ ^https:// ]] || [[ "$1" =~ ^http://(localhost|127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|\[::1\])(:[0-9]{1,5})?(/|$) ]]
}

stack_args=()
first_local_port=18082
while [ "$#" -gt 0 ]; do
    case "$1" in
        --help | -h)
            echo "$USAGE"
            exit 0
            ;;
        --stack | -s)
            [ "$#" -ge 2 ] || usage_error "$1 needs a stack name"
            stack_args=(--stack "$2")
            shift 2
            ;;
        --local-port)
            [ "$#" -ge 2 ] || usage_error "--local-port needs a port"
            first_local_port="$2"
            shift 2
            ;;
        *)
            usage_error "unknown argument $1"
            ;;
    esac
done
if ! [[ "$first_local_port" =~ ^[0-9]{1,5}$ ]] || [ "$first_local_port" -lt 1024 ] || [ "$first_local_port" -gt 65535 ]; then
    usage_error "--local-port must be a port from 1024 to 65535; got $first_local_port"
fi

for tool in pulumi aws curl jq; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "check-instances: $tool is not installed; the runbook (docs/deploying.md) lists what it needs" >&2
        exit 2
    }
done

outputs="$(pulumi stack output --json "${stack_args[@]}")"
app_port="$(jq -r '.appPort // empty' <<<"$outputs")"
admin_username="$(jq -r '.adminUsername // empty' <<<"$outputs")"
parameter_name="$(jq -r '.adminPasswordParameterName // empty' <<<"$outputs")"
group_name="$(jq -r '.autoScalingGroupName // empty' <<<"$outputs")"
if [ -z "$app_port" ] || [ -z "$admin_username" ] || [ -z "$parameter_name" ]; then
    echo "check-instances: the stack has no appPort, adminUsername or adminPasswordParameterName output; run pulumi up first" >&2
    exit 1
fi
if [ -n "$group_name" ]; then
    # Fleet `autoscaling`: the group owns its instances, and the stack's `instances` output is empty.
    groups="$(aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names "$group_name" --output json)"
    mapfile -t instance_ids < <(jq -r '.AutoScalingGroups[0].Instances // [] | .[] | select(.LifecycleState == "InService") | .InstanceId' <<<"$groups")
    if [ "${#instance_ids[@]}" -eq 0 ]; then
        echo "check-instances: the Auto Scaling group $group_name has no InService instance; see its activity with aws autoscaling describe-scaling-activities --auto-scaling-group-name $group_name" >&2
        exit 1
    fi
else
    mapfile -t instance_ids < <(jq -r '.instances // [] | .[].id' <<<"$outputs")
    if [ "${#instance_ids[@]}" -eq 0 ]; then
        echo "check-instances: the stack has neither an instances nor an autoScalingGroupName output; run pulumi up first" >&2
        exit 1
    fi
fi
if ! credentials_may_go_to "http://$FORWARD_HOST:$first_local_port/"; then
    echo "check-instances: refusing to send the admin's credentials over plain HTTP to $FORWARD_HOST, which is not this machine" >&2
    exit 2
fi
if [ $((first_local_port + ${#instance_ids[@]} - 1)) -gt 65535 ]; then
    usage_error "--local-port $first_local_port leaves no room for ${#instance_ids[@]} ports"
fi

admin_password="$(aws ssm get-parameter --name "$parameter_name" --with-decryption --query Parameter.Value --output text)"

# Each port forward runs as its own process group (job control on), so closing it also stops the
# session-manager-plugin process the AWS CLI starts.
set -m
session_pid=""
session_log="$(mktemp)"

close_session() {
    if [ -n "$session_pid" ]; then
        kill -TERM -- "-$session_pid" 2>/dev/null || true
        wait "$session_pid" 2>/dev/null || true
        session_pid=""
    fi
}

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    close_session
    rm -f "$session_log"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Opens a port forward from local port $2 to the app port of instance $1, and returns once the
# plugin says it waits for connections; fails, saying why in `verdict`, when the session ends
# first or never opens. Runs in this shell, not a subshell, so close_session knows the session.
open_session() {
    local instance_id="$1" local_port="$2"
    : >"$session_log"
    aws ssm start-session --target "$instance_id" --document-name AWS-StartPortForwardingSession \
        --parameters "portNumber=$app_port,localPortNumber=$local_port" >"$session_log" 2>&1 </dev/null &
    session_pid=$!
    local deadline=$((SECONDS + FORWARD_TIMEOUT_SECONDS))
    until grep -q "Waiting for connections" "$session_log"; do
        if ! kill -0 "$session_pid" 2>/dev/null; then
            wait "$session_pid" 2>/dev/null || true
            session_pid=""
            local said
            said="$(<"$session_log")"
            verdict="the port forward ended before it opened: ${said//$'\n'/ }"
            return 1
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            verdict="the port forward did not open within ${FORWARD_TIMEOUT_SECONDS} s"
            return 1
        fi
        sleep 0.2
    done
}

# GET of $1 on local port $2; prints the body, then the status code on a line of its own. With a
# third argument, sends the admin user's credentials through curl's config on stdin.
get() {
    local path="$1" local_port="$2" authenticated="${3:-}"
    local url="http://$FORWARD_HOST:$local_port$path"
    if [ -n "$authenticated" ]; then
        local credentials="$admin_username:$admin_password"
        credentials="${credentials//\\/\\\\}"
        credentials="${credentials//\"/\\\"}"
        printf 'user = "%s"\n' "$credentials" |
            curl -sS --max-time "$REQUEST_TIMEOUT_SECONDS" -K - -w '\n%{http_code}' "$url" || true
    else
        curl -sS --max-time "$REQUEST_TIMEOUT_SECONDS" -w '\n%{http_code}' "$url" || true
    fi
}

# Checks one instance through its port forward; sets `verdict` to what it found.
check_instance() {
    local instance_id="$1" local_port="$2" response body status reported
    open_session "$instance_id" "$local_port" || return 1

    response="$(get /health "$local_port")"
    status="${response##*$'\n'}"
    body="${response%$'\n'*}"
    if [ "$status" != 200 ] || [ "$(jq -r '.status? // empty' <<<"$body" 2>/dev/null)" != UP ]; then
        verdict="GET /health answered $status: $body"
        return 1
    fi

    response="$(get /api/instance "$local_port" authenticated)"
    status="${response##*$'\n'}"
    body="${response%$'\n'*}"
    reported="$(jq -r '.instanceId? // empty' <<<"$body" 2>/dev/null || true)"
    if [ "$status" != 200 ] || [ "$reported" != "$instance_id" ]; then
        verdict="GET /api/instance answered $status: $body"
        return 1
    fi
    verdict="/health UP, /api/instance reports $reported in $(jq -r '.availabilityZone? // "?"' <<<"$body")"
}

failed=0
verdict=""
for i in "${!instance_ids[@]}"; do
    instance_id="${instance_ids[$i]}"
    local_port=$((first_local_port + i))
    if check_instance "$instance_id" "$local_port"; then
        echo "ok    $instance_id  port $app_port via localhost:$local_port  $verdict"
    else
        echo "FAIL  $instance_id  port $app_port via localhost:$local_port  $verdict"
        failed=1
    fi
    close_session
done
exit "$failed"
