#!/usr/bin/env bash
# Checks --metrics-file outputs of real runs with the reference parser of the Prometheus text
# format (prometheus_client's), on top of the strict reader that `swift test` uses: a completed
# map run against the in-process simulator, a sharded hash run, an aborted tokenize run and the
# file it leaves for the next run. Also shows that the check can fail: a malformed file must be
# refused. Installs what it needs (scripts/install-test-tools.sh) and builds the debug binary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-tools.sh >/dev/null
python=.build/test-tools/bin/python3
swift build --product uid2-batch >/dev/null
bin=$(swift build --show-bin-path 2>/dev/null)/uid2-batch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Parses FILE with the reference parser; every family must be a gauge with a command label.
check() {
    "$python" - "$1" <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1], encoding="utf-8").read()
families = list(text_string_to_metric_families(text))
assert families, "no metric families"
for family in families:
    assert family.type == "gauge", f"{family.name} is a {family.type}"
    for sample in family.samples:
        assert "command" in sample.labels, f"{sample.name} has no command label"
names = {family.name for family in families}
assert "uid2_batch_last_run_exit_code" in names, "no exit code"
PY
}

status=0
"$bin" map samples/crm-export.csv --key-column customer_id --simulate --out "$work/map.csv" \
    --metrics-file "$work/map.prom" --quiet || status=$?
[ "$status" -eq 1 ] || { echo "map --simulate exited $status, expected 1" >&2; exit 1; }
check "$work/map.prom"

for index in 0 1; do
    status=0
    "$bin" hash samples/crm-export.csv --shard-count 2 --shard-index "$index" --out "$work/hash.csv" \
        --metrics-file "$work/hash.prom" --quiet || status=$?
    [ "$status" -eq 1 ] || { echo "hash shard $index exited $status, expected 1" >&2; exit 1; }
    check "$work/hash.shard-$index-of-2.prom"
done

status=0
UID2_API_KEY=UID2-C-L-1-abc= UID2_CLIENT_SECRET=ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo= \
    "$bin" tokenize samples/crm-export.csv --base-url http://127.0.0.1:9 --max-attempts 1 --out "$work/tokens.csv" \
    --metrics-file "$work/map.prom" --quiet || status=$?
[ "$status" -eq 3 ] || { echo "tokenize against a closed port exited $status, expected 3" >&2; exit 1; }
check "$work/map.prom"
grep -q '^uid2_batch_last_success_timestamp_seconds{command="tokenize"}' "$work/map.prom" \
    || { echo "the aborted run did not carry the last success over" >&2; exit 1; }

printf '# TYPE a gauge\na{command="x} 1\n' > "$work/bad.prom"
if check "$work/bad.prom" 2>/dev/null; then
    echo "the reference parser accepted a malformed file: the check cannot fail" >&2
    exit 1
fi
echo "metrics files: valid Prometheus text (reference parser)"
