#!/usr/bin/env bash
# Benchmark the client's decoding of one 5,000-entry /v3/identity/map answer (decrypted JSON to
# per-row outcomes), with the release build: time per entry, median and best of ROUNDS (default
# 200) rounds. The target is at most 0.5 us an entry.
#
#   scripts/bench-map-decode.sh
#   ROUNDS=1000 scripts/bench-map-decode.sh
set -euo pipefail
. "$(dirname "$0")/lib-bench.sh"

bin=$(release_build ${BUILD_FLAGS:-})
"$bin/uid2-batch-bench" map-decode "${ROUNDS:-200}"
