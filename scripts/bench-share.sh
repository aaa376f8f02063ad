#!/usr/bin/env bash
# Benchmark `uid2-batch share encrypt` and `share decrypt` against a local uid2-operator-sim
# (release builds).
#
# ROWS raw UID2s (default 1,000,000; 33 random bytes each, as v3 and v4 ids are, every 50th a
# 32-byte v2 id) are encrypted, then the tokens decrypted; after the one key request each
# command works locally on all cores. Reports rows/s over each run, client CPU per row and peak
# RSS, and checks that the decrypted raw UID2s are the input's. Targets: at least 1,000,000
# rows/s each on two cores, under 64 MB.
#
#   scripts/bench-share.sh
#   ROWS=200000 BUILD_FLAGS="--scratch-path .build-static" scripts/bench-share.sh
set -euo pipefail
. "$(dirname "$0")/lib-bench.sh"

bin=$(release_build ${BUILD_FLAGS:-})
bench_work_dir
work=$BENCH_WORK
start_sim "$bin" "$work"
port=$BENCH_SIM_PORT

rows=${ROWS:-1000000}
input=$(raw_uid2_export "$rows")

run() {
    local name=$1 summary=$2
    shift 2
    local status=0
    UID2_API_KEY="$BENCH_API_KEY" UID2_CLIENT_SECRET="$BENCH_CLIENT_SECRET" peak_rss_kb "$bin/uid2-batch" share "$name" "$@" \
        --base-url "http://127.0.0.1:$port" --key-column customer_id --force --quiet --summary-json "$summary" || status=$?
    if [ "$status" -ne 0 ]; then echo "uid2-batch share $name failed with exit $status" >&2; exit "$status"; fi
    python3 - "$name" "$summary" "$rows" "$BENCH_ELAPSED_S" "$BENCH_USER_S" "$BENCH_SYS_S" "$BENCH_PEAK_RSS_KB" <<'PY'
import json, sys
name, summary = sys.argv[1], json.load(open(sys.argv[2]))
rows, wall, user, system, rss = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
run = summary["elapsedSeconds"]
done = sum(summary["stats"]["results"].values())
print(f"share {name} rows={rows} with_result={done} run_s={run:.2f} wall_s={wall:.2f} rows_per_s={rows / run:.0f} "
      f"rows_per_s_wall={rows / wall:.0f} client_cpu_us_per_row={(user + system) / rows * 1e6:.2f} peak_rss_mb={rss // 1024}")
PY
}

run encrypt "$work/encrypt.json" "$input" --out "$work/shared.csv"
run decrypt "$work/decrypt.json" "$work/shared.csv" --out "$work/decrypted.csv"
# The raw UID2s come back unchanged, row for row.
if ! cmp -s <(cut -d, -f1,2 "$input" | tail -n +2) <(cut -d, -f2,3 "$work/decrypted.csv" | tail -n +2); then
    echo "share: the decrypted raw UID2s differ from the input's" >&2
    exit 1
fi
echo "share: the $rows decrypted raw UID2s are the input's"
