#!/usr/bin/env bash
# Benchmark sharded runs of `uid2-batch hash`: one unsharded run against SHARDS (default 4)
# shard processes started at once over the same export (each reads the whole input and keeps
# its rows), then `merge` of the shard outputs and of the shard errors files: wall time, rows/s
# and peak RSS. ROWS (default 10,000,000) sets the export size. The merged files are compared
# with the unsharded run's, byte for byte.
#
#   scripts/bench-shards.sh
#   ROWS=1000000 SHARDS=8 scripts/bench-shards.sh
set -euo pipefail
. "$(dirname "$0")/lib-bench.sh"

bin=$(release_build ${BUILD_FLAGS:-})
rows=${ROWS:-10000000}
shards=${SHARDS:-4}
input=$(ensure_export "$rows" 42)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
common=(hash "$input" --key-column customer_id --quiet --allow-row-errors)

sync
peak_rss_kb "$bin/uid2-batch" "${common[@]}" --out "$out/whole.csv"
echo "unsharded rows=$rows elapsed_s=$BENCH_ELAPSED_S peak_rss_mb=$((BENCH_PEAK_RSS_KB / 1024)) user_s=$BENCH_USER_S"

sync
start=$(python3 -c 'import time; print(time.monotonic())')
pids=()
for index in $(seq 0 $((shards - 1))); do
    "$bin/uid2-batch" "${common[@]}" --out "$out/part.csv" --shard-count "$shards" --shard-index "$index" &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
wall=$(python3 -c "import time; print(f'{time.monotonic() - $start:.2f}')")
echo "sharded shards=$shards rows=$rows wall_s=$wall (all shards at once)"

for kind in "" "errors."; do
    files=("$out"/part."$kind"shard-*-of-"$shards".csv)
    merged_rows=$(( $(cat "${files[@]}" | wc -l) - ${#files[@]} ))
    sync
    peak_rss_kb "$bin/uid2-batch" merge --quiet --out "$out/merged.${kind}csv" "${files[@]}"
    rate=$(python3 -c "print(f'{$merged_rows / max($BENCH_ELAPSED_S, 0.001):,.0f}')")
    echo "merge ${kind:-outputs.}files=${#files[@]} rows=$merged_rows elapsed_s=$BENCH_ELAPSED_S rows_per_s=$rate peak_rss_mb=$((BENCH_PEAK_RSS_KB / 1024))"
done
cmp "$out/merged.csv" "$out/whole.csv"
cmp "$out/merged.errors.csv" "$out/whole.errors.csv"
echo "merged files are identical to the unsharded run's"
