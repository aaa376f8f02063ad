#!/usr/bin/env bash
# Benchmark `uid2-batch optout-status` against a local uid2-operator-sim (release builds).
#
# ROWS raw UID2s (default 1,000,000; 33 random bytes each, as v3 and v4 ids are, every 50th a
# 32-byte v2 id) checked at the default concurrency of 1 (the docs' one batch at a time) with
# 5,000-id batches; client and simulator share the machine. Reports ids/s over the run and the
# wall time, the requests sent, client CPU per 5,000-id batch and the client's peak RSS.
# Targets: at least 200,000 ids/s, under 100 MB.
#
#   scripts/bench-optout-status.sh
#   ROWS=200000 BUILD_FLAGS="--scratch-path .build-static" scripts/bench-optout-status.sh
set -euo pipefail
. "$(dirname "$0")/lib-bench.sh"

bin=$(release_build ${BUILD_FLAGS:-})
bench_work_dir
work=$BENCH_WORK
start_sim "$bin" "$work" --optout-status-rate 0.01
port=$BENCH_SIM_PORT

rows=${ROWS:-1000000}
input=$(raw_uid2_export "$rows")

status=0
UID2_API_KEY="$BENCH_API_KEY" UID2_CLIENT_SECRET="$BENCH_CLIENT_SECRET" peak_rss_kb "$bin/uid2-batch" optout-status "$input" \
    --base-url "http://127.0.0.1:$port" --key-column customer_id \
    --out "$work/optout.csv" --force --quiet --summary-json "$work/summary.json" || status=$?
if [ "$status" -gt 1 ]; then echo "uid2-batch failed with exit $status" >&2; exit "$status"; fi
python3 - "$work/summary.json" "$rows" "$BENCH_ELAPSED_S" "$BENCH_USER_S" "$BENCH_SYS_S" "$BENCH_PEAK_RSS_KB" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
rows, wall, user, system, rss = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
stats = summary["stats"]
run = summary["elapsedSeconds"]
requests = stats["attempts"]
checked = sum(stats["results"].values())
opted_out = stats["results"].get("opted_out", 0)
print(f"optout-status ids={rows} checked={checked} opted_out={opted_out} requests={requests} run_s={run:.2f} wall_s={wall:.2f} "
      f"ids_per_s={rows / run:.0f} ids_per_s_wall={rows / wall:.0f} "
      f"client_cpu_ms_per_5000_batch={(user + system) / max(1, requests) * 1e3 * (5000 * requests / max(1, checked)):.1f} "
      f"peak_rss_mb={rss // 1024}")
PY
