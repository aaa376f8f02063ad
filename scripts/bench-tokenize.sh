#!/usr/bin/env bash
# Benchmark `uid2-batch tokenize` against a local uid2-operator-sim (release builds).
#
# 1. Pipeline saturation: 50 ms added latency, concurrency 32: the ideal is 32 / 0.05 s = 640
#    rows/s; the pipeline should stay above 90% of it.
# 2. No added latency: rows/s and client CPU time per row.
# 3. Memory: peak RSS at 50,000 and 500,000 rows (should be flat).
#
#   scripts/bench-tokenize.sh
#   BENCH_TLS=1 scripts/bench-tokenize.sh      (HTTPS, trusting the test CA)
#   LATENCY_ROWS=5000 FAST_ROWS=100000 RSS_ROWS="50000 500000" scripts/bench-tokenize.sh
set -euo pipefail
. "$(dirname "$0")/lib-bench.sh"

bin=$(release_build ${BUILD_FLAGS:-})
bench_work_dir
work=$BENCH_WORK
api_key=$BENCH_API_KEY
secret=$BENCH_CLIENT_SECRET

tokenize() { # ROWS CONCURRENCY
    local input
    input=$(ensure_export "$1" 42)
    local status=0
    UID2_API_KEY="$api_key" UID2_CLIENT_SECRET="$secret" peak_rss_kb "$bin/uid2-batch" tokenize "$input" \
        --base-url "$BENCH_BASE_URL" "${BENCH_TRUST[@]}" --concurrency "$2" --key-column customer_id \
        --out "$work/tokens.csv" --force --quiet --summary-json "$work/summary.json" || status=$?
    if [ "$status" -gt 1 ]; then echo "uid2-batch failed with exit $status" >&2; exit "$status"; fi
    requests=$(python3 -c "import json; print(json.load(open('$work/summary.json'))['stats']['attempts'])")
    run_s=$(python3 -c "import json; print(json.load(open('$work/summary.json'))['elapsedSeconds'])")
}

rows=${LATENCY_ROWS:-10000}
start_sim "$bin" "$work" --latency-ms 50
tokenize "$rows" 32
printf 'scheme=%s ' "$BENCH_SCHEME"
python3 - "$requests" "$run_s" "$BENCH_ELAPSED_S" "$rows" <<'PY'
import sys
requests, run, wall, rows = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
# run: the run's own time from its summary; wall: the whole process, start-up and shutdown included.
print(f"latency=50ms concurrency=32 rows={rows} requests={requests} run_s={run:.2f} wall_s={wall:.2f} "
      f"requests_per_s={requests / run:.0f} ideal=640 efficiency={requests / run / 640:.1%} "
      f"efficiency_wall={requests / wall / 640:.1%} rows_per_s={rows / run:.0f}")
PY

rows=${FAST_ROWS:-200000}
start_sim "$bin" "$work"
tokenize "$rows" 32
printf 'scheme=%s ' "$BENCH_SCHEME"
python3 - "$requests" "$BENCH_ELAPSED_S" "$BENCH_USER_S" "$BENCH_SYS_S" <<'PY'
import sys
requests, elapsed, user, system = int(sys.argv[1]), *map(float, sys.argv[2:])
print(f"latency=0 concurrency=32 requests={requests} elapsed_s={elapsed:.2f} requests_per_s={requests / elapsed:.0f} client_cpu_us_per_request={(user + system) / requests * 1e6:.0f}")
PY

for rows in ${RSS_ROWS:-50000 500000}; do
    tokenize "$rows" 32
    echo "memory rows=$rows peak_rss_mb=$((BENCH_PEAK_RSS_KB / 1024)) elapsed_s=$BENCH_ELAPSED_S"
done
