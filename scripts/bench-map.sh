#!/usr/bin/env bash
# Benchmark `uid2-batch map` against a local uid2-operator-sim (release builds).
#
# A ROWS-row export (default 1,000,000) mapped at concurrency 8 with 5,000-row batches; client
# and simulator share the machine. Reports identities/s over the run and the wall time, the
# requests sent, client CPU per 5,000-row batch and the client's peak RSS. Then maps the same
# export again with --previous set to the first output (a night with no changes): every row is
# copied and no request is sent; reports its wall time and peak RSS (the index of the previous
# file is most of it: run with ROWS=10000000 for the figure at 10M rows).
#
#   scripts/bench-map.sh
#   BENCH_TLS=1 scripts/bench-map.sh      (HTTPS, trusting the test CA)
#   ROWS=200000 CONCURRENCY=4 BUILD_FLAGS="--scratch-path .build-static" scripts/bench-map.sh
set -euo pipefail
. "$(dirname "$0")/lib-bench.sh"

bin=$(release_build ${BUILD_FLAGS:-})
bench_work_dir
work=$BENCH_WORK
api_key=$BENCH_API_KEY
secret=$BENCH_CLIENT_SECRET
start_sim "$bin" "$work"
port=$BENCH_SIM_PORT

rows=${ROWS:-1000000}
input=$(ensure_export "$rows" 42)
status=0
UID2_API_KEY="$api_key" UID2_CLIENT_SECRET="$secret" peak_rss_kb "$bin/uid2-batch" map "$input" \
    --base-url "$BENCH_BASE_URL" "${BENCH_TRUST[@]}" --concurrency "${CONCURRENCY:-8}" --key-column customer_id \
    --out "$work/map.csv" --force --quiet --summary-json "$work/summary.json" || status=$?
if [ "$status" -gt 1 ]; then echo "uid2-batch failed with exit $status" >&2; exit "$status"; fi
printf 'scheme=%s ' "$BENCH_SCHEME"
python3 - "$work/summary.json" "$rows" "$BENCH_ELAPSED_S" "$BENCH_USER_S" "$BENCH_SYS_S" "$BENCH_PEAK_RSS_KB" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
rows, wall, user, system, rss = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
run = summary["elapsedSeconds"]
requests = summary["stats"]["attempts"]
mapped = sum(summary["stats"]["results"].values())
print(f"map rows={rows} identities_sent={mapped} requests={requests} run_s={run:.2f} wall_s={wall:.2f} "
      f"rows_per_s={rows / run:.0f} rows_per_s_wall={rows / wall:.0f} "
      f"client_cpu_ms_per_5000_batch={(user + system) / max(1, requests) * 1e3 * (5000 * requests / max(1, mapped)):.1f} "
      f"peak_rss_mb={rss // 1024}")
PY

status=0
UID2_API_KEY="$api_key" UID2_CLIENT_SECRET="$secret" peak_rss_kb "$bin/uid2-batch" map "$input" \
    --base-url "$BENCH_BASE_URL" "${BENCH_TRUST[@]}" --concurrency "${CONCURRENCY:-8}" --key-column customer_id \
    --previous "$work/map.csv" --out "$work/map-previous.csv" --force --quiet \
    --summary-json "$work/summary-previous.json" || status=$?
if [ "$status" -gt 1 ]; then echo "uid2-batch map --previous failed with exit $status" >&2; exit "$status"; fi
cmp -s "$work/map.csv" "$work/map-previous.csv" || { echo "map --previous output differs from the first run's" >&2; exit 1; }
python3 - "$work/summary-previous.json" "$rows" "$BENCH_ELAPSED_S" "$BENCH_PEAK_RSS_KB" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
rows, wall, rss = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
stats = summary["stats"]
print(f"map --previous rows={rows} copied={stats['copied']} requests={stats['attempts']} wall_s={wall:.2f} "
      f"rows_per_s_wall={rows / wall:.0f} peak_rss_mb={rss // 1024} rss_bytes_per_row={rss * 1024 / rows:.1f}")
PY
