# shellcheck shell=bash
# Helpers for benchmark scripts. Source it, do not run it:
#
#   . "$(dirname "$0")/lib-bench.sh"
#
#   peak_rss_kb CMD [ARGS...]  Run CMD and print "peak_rss_kb=N elapsed_s=X user_s=U sys_s=S"
#                              on stderr; returns CMD's exit code (128+N if killed by signal N).
#                              The figures are also left in BENCH_PEAK_RSS_KB, BENCH_ELAPSED_S,
#                              BENCH_USER_S and BENCH_SYS_S. Uses GNU time when /usr/bin/time
#                              is GNU time, else a small python3 wrapper (see below).
#   release_build [FLAGS...]   "swift build -c release --static-swift-stdlib" (the build the
#                              README installs) from the repository root (build log on
#                              stderr), then print the release bin directory on stdout.
#   bench_work_dir             Make a scratch directory (its path in BENCH_WORK) and install
#                              an EXIT trap that stops the simulator and removes the directory.
#   start_sim BIN WORK [OPTIONS...]
#                              (Re)start BIN/uid2-operator-sim on a free loopback port with
#                              OPTIONS, credentials BENCH_API_KEY and BENCH_CLIENT_SECRET (a
#                              fresh random secret) and its log in WORK/sim.log; sets
#                              BENCH_SIM_PORT and BENCH_BASE_URL. stop_sim stops it (call it
#                              from an EXIT trap). With BENCH_TLS=1 the simulator serves HTTPS
#                              with the test CA's certificate, and BENCH_TRUST holds the
#                              client's --ca-file option (empty otherwise): pass
#                              "${BENCH_TRUST[@]}" to uid2-batch.
#   ensure_export ROWS [SEED]  Print the path of /tmp/uid2-bench/export-ROWS-SEED.csv (SEED
#                              defaults to 42), generating it with scripts/gen-export.py first
#                              if it is missing or older than the generator.
#
# Example:
#   bin=$(release_build) || exit
#   input=$(ensure_export 1000000 42) || exit
#   peak_rss_kb "$bin/uid2-batch" hash "$input" --out /dev/null
#
# Sourcing changes no shell options (no set -e/-u here); the helpers behave under set -eu.
# Set BENCH_NO_GNU_TIME=1 to force the python3 fallback.

BENCH_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_EXPORT_DIR=/tmp/uid2-bench

# The python3 fallback forks and execs the command itself, waits for it with SIGINT/SIGQUIT
# ignored (the command gets the terminal's Ctrl-C itself, as under GNU time), forwards
# SIGTERM, and takes the child's resource usage from wait4(): getrusage(RUSAGE_CHILDREN)
# would also count whatever ran before the interpreter in this process (a pyenv shim's
# helpers, for one). Pages a child has before exec count towards its peak, so the wrapper
# is kept minimal (-I -S, plain fork): its floor is a few MB (GNU time's about 1 MB), and
# commands smaller than that are reported at the floor.
_BENCH_RUSAGE_PY='
import os, signal, sys, time
report, argv = sys.argv[1], sys.argv[2:]
start = time.monotonic()
pid = os.fork()
if pid == 0:
    # Undo what the interpreter set up, as subprocess does with restore_signals.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    try:
        os.execvp(argv[0], argv)
    except OSError as error:
        os.write(2, ("peak_rss_kb: cannot run %s: %s\n" % (argv[0], error.strerror)).encode())
        os._exit(127 if isinstance(error, FileNotFoundError) else 126)
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGQUIT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, lambda signum, frame: os.kill(pid, signum))
_, status, usage = os.wait4(pid, 0)
elapsed = time.monotonic() - start
# ru_maxrss is in KiB on Linux, in bytes on macOS.
rss_kb = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
with open(report, "w") as out:
    out.write("%d %.2f %.2f %.2f\n" % (rss_kb, elapsed, usage.ru_utime, usage.ru_stime))
sys.exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))
'

_bench_have_gnu_time() {
    [ -z "${BENCH_NO_GNU_TIME:-}" ] && [ -x /usr/bin/time ] &&
        /usr/bin/time --version 2>&1 | grep -q 'GNU'
}

peak_rss_kb() {
    if [ "$#" -eq 0 ]; then
        echo "usage: peak_rss_kb CMD [ARGS...]" >&2
        return 2
    fi
    local report rc=0 figures
    report=$(mktemp "${TMPDIR:-/tmp}/peak-rss.XXXXXX") || return 2
    if _bench_have_gnu_time; then
        /usr/bin/time -o "$report" -f '%M %e %U %S' "$@" || rc=$?
    else
        python3 -I -S -c "$_BENCH_RUSAGE_PY" "$report" "$@" || rc=$?
    fi
    # GNU time puts "Command exited with non-zero status N" before the figures.
    figures=$(tail -n 1 "$report")
    rm -f "$report"
    BENCH_PEAK_RSS_KB='' BENCH_ELAPSED_S='' BENCH_USER_S='' BENCH_SYS_S=''
    if [[ $figures =~ ^([0-9]+)\ ([0-9.]+)\ ([0-9.]+)\ ([0-9.]+)$ ]]; then
        BENCH_PEAK_RSS_KB=${BASH_REMATCH[1]} BENCH_ELAPSED_S=${BASH_REMATCH[2]}
        BENCH_USER_S=${BASH_REMATCH[3]} BENCH_SYS_S=${BASH_REMATCH[4]}
        echo "peak_rss_kb=$BENCH_PEAK_RSS_KB elapsed_s=$BENCH_ELAPSED_S user_s=$BENCH_USER_S sys_s=$BENCH_SYS_S" >&2
    else
        echo "peak_rss_kb: no measurement for: $*" >&2
    fi
    return "$rc"
}

release_build() {
    (
        cd "$BENCH_REPO_ROOT" &&
            swift build -c release --static-swift-stdlib "$@" >&2 &&
            swift build -c release --static-swift-stdlib "$@" --show-bin-path
    )
}

ensure_export() {
    local rows=${1:-} seed=${2:-42}
    if ! [[ $rows =~ ^[0-9]+$ && $seed =~ ^-?[0-9]+$ ]]; then
        echo "usage: ensure_export ROWS [SEED]" >&2
        return 2
    fi
    local generator="$BENCH_REPO_ROOT/scripts/gen-export.py"
    local path="$BENCH_EXPORT_DIR/export-$rows-$seed.csv" partial
    if [ ! -f "$path" ] || [ "$generator" -nt "$path" ]; then
        mkdir -p "$BENCH_EXPORT_DIR" || return
        # Generate beside the target and rename, so an interrupted run leaves no short file.
        partial=$(mktemp "$BENCH_EXPORT_DIR/.export-$rows-$seed.XXXXXX") || return
        if ! python3 "$generator" --rows "$rows" --seed "$seed" --out "$partial" >&2; then
            rm -f "$partial"
            return 1
        fi
        chmod a+r "$partial" && mv -f "$partial" "$path" || return
    fi
    printf '%s\n' "$path"
}

BENCH_API_KEY="UID2-C-L-999-bench0.benchmark-key"
BENCH_CLIENT_SECRET=$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')
BENCH_SIM_PID=""
BENCH_SIM_PORT=""

stop_sim() {
    if [ -n "$BENCH_SIM_PID" ]; then
        kill "$BENCH_SIM_PID" 2>/dev/null && wait "$BENCH_SIM_PID" 2>/dev/null
        BENCH_SIM_PID=""
    fi
    return 0
}

BENCH_TRUST=()
BENCH_SCHEME=http
if [ "${BENCH_TLS:-0}" = 1 ]; then
    BENCH_TRUST=(--ca-file "$BENCH_REPO_ROOT/Tests/UID2TestSupport/Certificates/ca.pem")
    BENCH_SCHEME=https
fi

start_sim() {
    local bin=$1 work=$2
    shift 2
    stop_sim
    local tls=()
    if [ "$BENCH_SCHEME" = https ]; then
        tls=(--tls-cert "$BENCH_REPO_ROOT/Tests/UID2TestSupport/Certificates/server.pem"
            --tls-key "$BENCH_REPO_ROOT/Tests/UID2TestSupport/Certificates/server-key.pem")
    fi
    "$bin/uid2-operator-sim" --port 0 --api-key "$BENCH_API_KEY" --client-secret "$BENCH_CLIENT_SECRET" "${tls[@]}" "$@" \
        > "$work/sim.log" 2>&1 &
    BENCH_SIM_PID=$!
    for _ in $(seq 1 200); do
        BENCH_SIM_PORT=$(sed -n 's/.*listening on https\{0,1\}:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/sim.log")
        if [ -n "$BENCH_SIM_PORT" ]; then
            BENCH_BASE_URL="$BENCH_SCHEME://127.0.0.1:$BENCH_SIM_PORT"
            return 0
        fi
        sleep 0.05
    done
    echo "uid2-operator-sim did not start" >&2
    cat "$work/sim.log" >&2
    return 1
}

bench_work_dir() {
    BENCH_WORK=$(mktemp -d) || return
    trap 'stop_sim; rm -rf "$BENCH_WORK"' EXIT
}

# raw_uid2_export ROWS: the path of a `customer_id,raw_uid2` file of ROWS random raw UID2s (33
# bytes each, as v3 and v4 ids are, every 50th a 32-byte v2 id), made once in BENCH_EXPORT_DIR.
raw_uid2_export() {
    local rows=$1
    local path="$BENCH_EXPORT_DIR/raw-uid2-$rows.csv"
    if [ ! -s "$path" ]; then
        mkdir -p "$BENCH_EXPORT_DIR"
        python3 - "$rows" "$path" <<'PY'
import base64, os, random, sys
rows, path = int(sys.argv[1]), sys.argv[2]
generator = random.Random(7)
with open(path + ".tmp", "w") as out:
    out.write("customer_id,raw_uid2\n")
    for row in range(1, rows + 1):
        size = 32 if row % 50 == 0 else 33
        out.write("C%d,%s\n" % (row, base64.b64encode(generator.randbytes(size)).decode()))
os.replace(path + ".tmp", path)
PY
    fi
    echo "$path"
}
