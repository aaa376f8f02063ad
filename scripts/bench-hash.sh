#!/usr/bin/env bash
# Benchmark `uid2-batch hash`: release build, synthetic exports of 1M and 10M rows (override with
# ROWS="..."), wall time, rows/s and peak RSS for each, with the default checkpoint every 2 s and
# with time-based checkpoints effectively off (--checkpoint-interval 86400, the longest; checkpoints every
# 16 MiB of output remain), to show what checkpoints cost. RUNS=N repeats each measurement.
#
# Each timed run writes new files on a quiet disk: the previous run's files are removed and
# everything is synced first, so a run does not pay for freeing the last one's blocks (which
# ext4 does at its next journal commit, slowly when mounted with discard).
#
#   scripts/bench-hash.sh            # 1,000,000 and 10,000,000 rows
#   ROWS=1000000 scripts/bench-hash.sh
set -euo pipefail
. "$(dirname "$0")/lib-bench.sh"

bin=$(release_build ${BUILD_FLAGS:-})
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for rows in ${ROWS:-1000000 10000000}; do
    input=$(ensure_export "$rows" 42)
    for interval in 2 86400; do
      for _ in $(seq "${RUNS:-1}"); do
        rm -f "$out"/hashes*
        sync
        status=0
        peak_rss_kb "$bin/uid2-batch" hash "$input" --key-column customer_id --out "$out/hashes.csv" --force --quiet \
            --checkpoint-interval "$interval" || status=$?
        if [ "$status" -gt 1 ]; then echo "uid2-batch failed with exit $status" >&2; exit "$status"; fi
        rate=$(python3 -c "print(f'{$rows / max($BENCH_ELAPSED_S, 0.001):,.0f}')")
        echo "hash rows=$rows checkpoint_interval_s=$interval elapsed_s=$BENCH_ELAPSED_S rows_per_s=$rate peak_rss_mb=$((BENCH_PEAK_RSS_KB / 1024)) user_s=$BENCH_USER_S sys_s=$BENCH_SYS_S"
      done
    done
done
