#!/usr/bin/env bash
# Round trips of single requests through the client's HTTP transport to uid2-operator-sim, one
# after another, outside the request pipeline (release builds): with no added latency, what a
# request costs the transport and the simulator together; with --latency-ms 50, how late the
# simulator's answers come. The simulator answers these requests 401 (no API key), so the
# operator's cryptography is not in the figure. REQUESTS (default 1000) sets the count.
#
#   scripts/bench-transport.sh
set -euo pipefail
. "$(dirname "$0")/lib-bench.sh"

bin=$(release_build ${BUILD_FLAGS:-})
bench_work_dir
for latency in 0 50; do
    start_sim "$bin" "$BENCH_WORK" --latency-ms "$latency"
    count=${REQUESTS:-1000}
    [ "$latency" -gt 0 ] && count=$(( count / 10 ))
    echo "latency_ms=$latency $("$bin/uid2-batch-bench" transport-rtt "http://127.0.0.1:$BENCH_SIM_PORT/v2/token/generate" "$count")"
done
