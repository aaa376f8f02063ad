#!/usr/bin/env bash
# Benchmark compressed inputs and outputs (release builds): `hash` and `map` on ROWS rows
# (default 1,000,000), the plain export against its .gz and .zst copies (made with gzip -6 and
# zstd -3, as exports usually are), and plain input against .gz and .zst outputs; rows/s and
# peak RSS for each, all in the same run. `map` runs against a local uid2-operator-sim at
# concurrency 8. Targets: for `hash`, zstd input costs at most 30% of the plain throughput and
# gzip input at most 60%; memory stays flat.
#
#   scripts/bench-compressed.sh
#   ROWS=200000 BUILD_FLAGS="--scratch-path .build-static" scripts/bench-compressed.sh
set -euo pipefail
. "$(dirname "$0")/lib-bench.sh"

bin=$(release_build ${BUILD_FLAGS:-})
bench_work_dir
work=$BENCH_WORK
rows=${ROWS:-1000000}
plain=$(ensure_export "$rows" 42)
[ -s "$plain.gz" ] && [ "$plain.gz" -nt "$plain" ] || gzip -6 -c "$plain" > "$plain.gz"
[ -s "$plain.zst" ] && [ "$plain.zst" -nt "$plain" ] || zstd -q -3 -c "$plain" > "$plain.zst"

report() {  # NAME ROWS: one line from the last peak_rss_kb run
    awk -v name="$1" -v rows="$2" -v wall="$BENCH_ELAPSED_S" -v rss="$BENCH_PEAK_RSS_KB" -v user="$BENCH_USER_S" -v sys="$BENCH_SYS_S" \
        'BEGIN { printf "%-28s rows=%d wall_s=%.2f rows_per_s=%.0f cpu_s=%.2f peak_rss_mb=%d\n", name, rows, wall, rows / wall, user + sys, rss / 1024 }'
}

run_hash() {  # NAME INPUT OUTPUT
    local status=0
    peak_rss_kb "$bin/uid2-batch" hash "$2" --key-column customer_id --out "$3" --force --quiet 2>/dev/null || status=$?
    if [ "$status" -gt 1 ]; then echo "hash $1 failed with exit $status" >&2; exit "$status"; fi
    report "hash $1" "$rows"
}

run_hash "plain" "$plain" "$work/h.csv"
run_hash "gzip input" "$plain.gz" "$work/h-gz-in.csv"
run_hash "zstd input" "$plain.zst" "$work/h-zst-in.csv"
run_hash "gzip output" "$plain" "$work/h.csv.gz"
run_hash "zstd output" "$plain" "$work/h.csv.zst"
cmp -s "$work/h.csv" "$work/h-gz-in.csv" && cmp -s "$work/h.csv" "$work/h-zst-in.csv" || { echo "compressed inputs gave other rows" >&2; exit 1; }
gzip -dc "$work/h.csv.gz" | cmp -s - "$work/h.csv" || { echo "the gzip output differs" >&2; exit 1; }
zstd -dc "$work/h.csv.zst" | cmp -s - "$work/h.csv" || { echo "the zstd output differs" >&2; exit 1; }
printf "sizes: plain output %d bytes, gzip %d, zstd %d\n" "$(stat -c %s "$work/h.csv")" "$(stat -c %s "$work/h.csv.gz")" "$(stat -c %s "$work/h.csv.zst")"

start_sim "$bin" "$work"
run_map() {  # NAME INPUT OUTPUT
    local status=0
    UID2_API_KEY="$BENCH_API_KEY" UID2_CLIENT_SECRET="$BENCH_CLIENT_SECRET" peak_rss_kb "$bin/uid2-batch" map "$2" \
        --base-url "http://127.0.0.1:$BENCH_SIM_PORT" --key-column customer_id --out "$3" --force --quiet 2>/dev/null || status=$?
    if [ "$status" -gt 1 ]; then echo "map $1 failed with exit $status" >&2; exit "$status"; fi
    report "map $1" "$rows"
}
run_map "plain" "$plain" "$work/m.csv"
run_map "gzip input" "$plain.gz" "$work/m-gz.csv"
run_map "zstd input and output" "$plain.zst" "$work/m.csv.zst"

# A resume on a compressed input reads it again from the start and drops the committed rows:
# it costs about what reading and splitting does, measured here as a merge-free count of rows.
for format in gz zst; do
    start=$(date +%s.%N)
    "$bin/uid2-batch" hash "$plain.$format" --key-column customer_id --out "$work/skip.csv" --force --quiet --max-error-rate 1 \
        --shard-count 1000 --shard-index 0 2>/dev/null || true
    end=$(date +%s.%N)
    awk -v f="$format" -v size="$(stat -c %s "$plain")" -v s="$start" -v e="$end" \
        'BEGIN { printf "%s input read and split (a resume skipping rows) at %.0f MB/s of CSV: %.1f s per GB\n", f, size / (e - s) / 1e6, (e - s) / size * 1e9 }'
done
