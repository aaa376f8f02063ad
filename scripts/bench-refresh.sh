#!/usr/bin/env bash
# Benchmark `uid2-batch refresh` and `tokenize --previous` against a local uid2-operator-sim
# (release builds).
#
# 1. refresh saturation: REFRESH_ROWS tokens (generated first with no added latency) refreshed
#    with --all at 50 ms added latency and concurrency 32: the ideal is 32 / 0.05 s = 640
#    requests/s; the pipeline should stay above 90% of it.
# 2. tokenize --previous over an unchanged PREVIOUS_ROWS-row export (default 1,000,000): every
#    row is copied and no request is sent; wall time and peak RSS. The previous output is built
#    from `hash` output with tokens that stay valid for a week, since generating a million real
#    tokens would take most of an hour; copying reads only the keys, the identity hash, the
#    status and identity_expires.
#
#   scripts/bench-refresh.sh
#   REFRESH_ROWS=5000 PREVIOUS_ROWS=200000 scripts/bench-refresh.sh
set -euo pipefail
. "$(dirname "$0")/lib-bench.sh"

bin=$(release_build ${BUILD_FLAGS:-})
bench_work_dir
work=$BENCH_WORK
export UID2_API_KEY=$BENCH_API_KEY UID2_CLIENT_SECRET=$BENCH_CLIENT_SECRET
token_key=$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')

rows=${REFRESH_ROWS:-10000}
input=$(ensure_export "$rows" 42)
start_sim "$bin" "$work" --token-key "$token_key"
status=0
"$bin/uid2-batch" tokenize "$input" --base-url "http://127.0.0.1:$BENCH_SIM_PORT" --concurrency 32 \
    --key-column customer_id --out "$work/tokens.csv" --force --quiet || status=$?
if [ "$status" -gt 1 ]; then echo "uid2-batch tokenize failed with exit $status" >&2; exit "$status"; fi

start_sim "$bin" "$work" --token-key "$token_key" --latency-ms 50
status=0
peak_rss_kb "$bin/uid2-batch" refresh "$work/tokens.csv" --base-url "http://127.0.0.1:$BENCH_SIM_PORT" --all \
    --concurrency 32 --key-column customer_id --out "$work/refreshed.csv" --force --quiet \
    --summary-json "$work/summary.json" || status=$?
if [ "$status" -gt 1 ]; then echo "uid2-batch refresh failed with exit $status" >&2; exit "$status"; fi
python3 - "$work/summary.json" "$BENCH_ELAPSED_S" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
stats, run, wall = summary["stats"], summary["elapsedSeconds"], float(sys.argv[2])
requests = stats["attempts"]
print(f"refresh latency=50ms concurrency=32 rows={stats['rowsRead']} requests={requests} run_s={run:.2f} wall_s={wall:.2f} "
      f"requests_per_s={requests / run:.0f} ideal=640 efficiency={requests / run / 640:.1%} "
      f"efficiency_wall={requests / wall / 640:.1%} results={stats['results']}")
PY
stop_sim

rows=${PREVIOUS_ROWS:-1000000}
input=$(ensure_export "$rows" 42)
status=0
"$bin/uid2-batch" hash "$input" --key-column customer_id --out "$work/hashes.csv" --force --quiet || status=$?
if [ "$status" -gt 1 ]; then echo "uid2-batch hash failed with exit $status" >&2; exit "$status"; fi
python3 - "$work/hashes.csv" "$work/previous.csv" <<'PY'
import sys, time
now = int(time.time() * 1000)
week = now + 7 * 86_400_000
with open(sys.argv[1]) as source, open(sys.argv[2], "w") as target:
    next(source)
    target.write("row,customer_id,identity_type,identity_hash,status,advertising_token,refresh_token,"
                 "identity_expires,refresh_from,refresh_expires,refresh_response_key\n")
    for line in source:
        target.write(f"{line.rstrip()},success,A4AAAAsample,AAAAArefresh,{week},{now + 3_600_000},{week},key=\n")
PY
start_sim "$bin" "$work"
sync
status=0
peak_rss_kb "$bin/uid2-batch" tokenize "$input" --base-url "http://127.0.0.1:$BENCH_SIM_PORT" --key-column customer_id \
    --previous "$work/previous.csv" --out "$work/tokens-previous.csv" --force --quiet \
    --summary-json "$work/summary-previous.json" || status=$?
if [ "$status" -gt 1 ]; then echo "uid2-batch tokenize --previous failed with exit $status" >&2; exit "$status"; fi
python3 - "$work/summary-previous.json" "$rows" "$BENCH_ELAPSED_S" "$BENCH_PEAK_RSS_KB" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))["stats"]
rows, wall, rss = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"tokenize --previous rows={rows} copied={stats['copied']} requests={stats['attempts']} wall_s={wall:.2f} "
      f"rows_per_s={rows / wall:,.0f} peak_rss_mb={rss // 1024}")
PY
