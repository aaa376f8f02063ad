#!/usr/bin/env bash
# Measures uid2-operator-sim: successful POST /v2/token/generate answers per second over loopback
# with keep-alive, driven by wrk (Debian: apt-get install -y wrk).
#
# Usage: scripts/bench-simulator.sh            # defaults: 2 wrk threads, 64 connections, 20 s
#        THREADS=2 CONNECTIONS=128 DURATION=30 scripts/bench-simulator.sh
#
# wrk replays one envelope, sealed just before the run; the operator (and the simulator) accept a
# request timestamp up to ~2 minutes old, so DURATION must stay below 100 seconds. Every answer is
# checked: the rate counts only HTTP 200 answers, as counted by the simulator's GET /stats.
set -euo pipefail

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-20}
if (( DURATION >= 100 )); then
    echo "DURATION must be below 100 s (the request timestamp window is about 2 minutes)" >&2
    exit 2
fi
command -v wrk >/dev/null || { echo "wrk not found: apt-get update && apt-get install -y wrk" >&2; exit 2; }

cd "$(dirname "$0")/.."
swift build -c release --product uid2-operator-sim >&2
SIM="$(swift build -c release --show-bin-path)/uid2-operator-sim"

WORK=$(mktemp -d)
SIM_PID=""
cleanup() {
    if [[ -n "$SIM_PID" ]] && kill -0 "$SIM_PID" 2>/dev/null; then
        kill -TERM "$SIM_PID" 2>/dev/null || true
        wait "$SIM_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

API_KEY="UID2-C-L-999-bench.$(head -c 24 /dev/urandom | base64 | tr -d '\n')"
SECRET=$(head -c 32 /dev/urandom | base64 | tr -d '\n')

"$SIM" --port 0 --api-key "$API_KEY" --client-secret "$SECRET" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 100); do
    grep -q "listening on" "$WORK/sim.log" && break
    sleep 0.1
done
URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/sim.log" | head -1)
[[ -n "$URL" ]] || { echo "simulator did not start:" >&2; cat "$WORK/sim.log" >&2; exit 1; }

# A typical SDK request: the base64 SHA-256 of a normalized email.
BODY=$("$SIM" seal-request --client-secret "$SECRET" --json '{"email_hash":"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="}')
cat >"$WORK/generate.lua" <<LUA
wrk.method = "POST"
wrk.body = "$BODY"
wrk.headers["Authorization"] = "Bearer $API_KEY"
wrk.headers["Content-Type"] = "text/plain"
LUA

# Sanity check: one request must succeed before measuring.
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $API_KEY" --data "$BODY" "$URL/v2/token/generate")
[[ "$STATUS" == 200 ]] || { echo "sanity request answered $STATUS" >&2; exit 1; }

wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/generate.lua" "$URL/v2/token/generate" | tee "$WORK/wrk.txt"

STATS=$(curl -s "$URL/stats")
echo "simulator stats: $STATS"
# Successful generations = HTTP 200 answers on /v2/token/generate, minus the sanity request.
OK=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["requests"]["/v2/token/generate"].get("200", 0) - 1)' "$STATS")
SECONDS_RUN=$(grep -Eo 'requests in [0-9.]+(ms|s|m)' "$WORK/wrk.txt" | awk '{v=$3; if (v ~ /ms$/) {sub(/ms$/,"",v); v=v/1000} else if (v ~ /m$/) {sub(/m$/,"",v); v=v*60} else {sub(/s$/,"",v)}; print v}')
RATE=$(awk -v ok="$OK" -v s="$SECONDS_RUN" 'BEGIN { printf "%.0f", ok / s }')
LOAD=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
echo "RESULT: $RATE successful token generations/s ($OK in ${SECONDS_RUN}s; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, keep-alive, loopback, $(nproc) cores shared by wrk and the simulator; load average after the run: $LOAD)"
