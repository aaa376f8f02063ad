#!/usr/bin/env bash
# Runs the release binary the way a user behind a corporate egress proxy does: HTTPS to
# uid2-operator-sim serving the test CA's certificate, through a real forward proxy from
# Debian's packages (tinyproxy, installed when missing), with and without proxy
# authentication, and with NO_PROXY naming the operator. Each check reads the proxy's own log,
# so a run that bypassed the proxy fails it. `swift test` covers the same paths with the test
# support's CONNECT proxy; this is the check against a proxy the tool did not write.
#
#   scripts/check-proxy.sh            (BUILD_FLAGS="--scratch-path DIR" reuses a build)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-bench.sh

if ! command -v tinyproxy >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tinyproxy >/dev/null
    else
        echo "check-proxy: tinyproxy is needed (apt-get install tinyproxy)" >&2
        exit 1
    fi
fi
# shellcheck disable=SC2086
bin=$(release_build ${BUILD_FLAGS:-})
bench_work_dir
work=$BENCH_WORK
certs=Tests/UID2TestSupport/Certificates
proxy_pids=()
cleanup() {
    for pid in "${proxy_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    stop_sim
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "check-proxy: FAILED: $*" >&2
    for log in "$work"/*.log; do echo "--- $log" >&2; tail -20 "$log" >&2; done
    exit 1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_proxy NAME [CONFIG LINES...]: a tinyproxy on a free loopback port, in the foreground,
# logging every CONNECT to $work/NAME.log; its port in PROXY_PORT.
start_proxy() {
    local name=$1
    shift
    PROXY_PORT=$(free_port)
    {
        echo "Port $PROXY_PORT"
        echo "Listen 127.0.0.1"
        echo "Timeout 60"
        echo "Allow 127.0.0.1"
        echo "LogLevel Connect"
        echo "LogFile \"$work/$name.log\""
        echo "MaxClients 50"
        printf '%s\n' "$@"
    } > "$work/$name.conf"
    : > "$work/$name.log"
    chmod a+rw "$work/$name.log"
    chmod a+rx "$work"
    tinyproxy -d -c "$work/$name.conf" >> "$work/$name.out" 2>&1 &
    proxy_pids+=($!)
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$PROXY_PORT") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    fail "tinyproxy ($name) did not start"
}

# tunnels NAME: the CONNECT requests the proxy logged.
tunnels() {
    grep -c "CONNECT" "$work/$1.log" || true
}

start_sim "$bin" "$work" --tls-cert "$certs/server.pem" --tls-key "$certs/server-key.pem" --error-500-rate 0.05 --fault-seed 3
operator="https://127.0.0.1:$BENCH_SIM_PORT"
export UID2_API_KEY=$BENCH_API_KEY UID2_CLIENT_SECRET=$BENCH_CLIENT_SECRET
unset https_proxy http_proxy all_proxy no_proxy HTTP_PROXY ALL_PROXY NO_PROXY SSL_CERT_DIR || true
export SSL_CERT_FILE=$certs/ca.pem

start_proxy open
open_port=$PROXY_PORT
start_proxy guarded 'BasicAuth batch s3cretPass'
guarded_port=$PROXY_PORT

# map NAME [ARGS...]: map the sample export; the exit code in STATUS, stderr in $work/NAME.err.
map() {
    local name=$1
    shift
    STATUS=0
    "$bin/uid2-batch" map samples/crm-export.csv --key-column customer_id --base-url "$operator" \
        --out "$work/$name.csv" --summary-json "$work/$name.json" --max-attempts 10 "$@" 2> "$work/$name.err" || STATUS=$?
}

# 1. Through the proxy, without authentication.
HTTPS_PROXY="http://127.0.0.1:$open_port" map open
[ "$STATUS" -eq 1 ] || fail "map through tinyproxy exited $STATUS, expected 1: $(cat "$work/open.err")"
[ "$(tunnels open)" -ge 2 ] || fail "tinyproxy logged $(tunnels open) CONNECTs: the run did not go through it"
grep -q "\"proxy\" : \"127.0.0.1:$open_port\"" "$work/open.json" || fail "the summary does not name the proxy"
echo "check-proxy: through tinyproxy: $(tunnels open) tunnels, $(wc -l < "$work/open.csv") output lines"

# 2. NO_PROXY naming the operator: direct, and the proxy sees nothing more.
before=$(tunnels open)
HTTPS_PROXY="http://127.0.0.1:$open_port" NO_PROXY="example.com,127.0.0.1" map exempt
[ "$STATUS" -eq 1 ] || fail "map with NO_PROXY exited $STATUS: $(cat "$work/exempt.err")"
[ "$(tunnels open)" -eq "$before" ] || fail "NO_PROXY named the operator, yet the run went through the proxy"
cmp -s "$work/open.errors.csv" "$work/exempt.errors.csv" || fail "the errors files differ with and without the proxy"
echo "check-proxy: NO_PROXY=127.0.0.1: no tunnel, same result"

# 3. With proxy authentication: the right credentials pass, none or wrong ones are exit 2.
HTTPS_PROXY="http://batch:s3cretPass@127.0.0.1:$guarded_port" map guarded
[ "$STATUS" -eq 1 ] || fail "map through the authenticating tinyproxy exited $STATUS: $(cat "$work/guarded.err")"
[ "$(tunnels guarded)" -ge 2 ] || fail "the authenticating tinyproxy logged no tunnel"
! grep -q "s3cretPass" "$work/guarded.err" "$work/guarded.json" "$work/guarded.csv" || fail "the proxy password was written out"
HTTPS_PROXY="http://127.0.0.1:$guarded_port" map anonymous
[ "$STATUS" -eq 2 ] && grep -q "asks for credentials (HTTP 407)" "$work/anonymous.err" \
    || fail "no credentials: exit $STATUS, $(cat "$work/anonymous.err")"
HTTPS_PROXY="http://batch:wrongPass@127.0.0.1:$guarded_port" map wrong
[ "$STATUS" -eq 2 ] && grep -q "rejected the credentials" "$work/wrong.err" && ! grep -q "wrongPass" "$work/wrong.err" \
    || fail "wrong credentials: exit $STATUS, $(cat "$work/wrong.err")"
[ ! -e "$work/anonymous.csv.partial" ] && [ ! -e "$work/wrong.csv.partial" ] || fail "a refused run left files"
echo "check-proxy: proxy authentication: accepted with the right credentials, 407 named otherwise"

# 4. The check can fail: a run told to ignore the proxy is seen as one that bypassed it.
before=$(tunnels open)
HTTPS_PROXY="http://127.0.0.1:$open_port" map bypass --no-proxy
[ "$STATUS" -eq 1 ] && [ "$(tunnels open)" -eq "$before" ] || fail "--no-proxy still went through the proxy"
echo "check-proxy: passed"
