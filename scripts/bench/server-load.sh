#!/usr/bin/env bash
# Load benchmark of perch-server's result ingestion (never part of CI; numbers are machine- and load-dependent).
#
# Builds perch-server and perch-loadtest in release mode, starts perch-server on a fresh temporary data
# directory on a free loopback port (a separate process, so the RSS reported is the server's alone), enrolls
# DEVICES simulated devices and has each upload BATCH-result batches back to back for DURATION seconds after a
# WARMUP; prints accepted results/s, p50/p99 request latency and the server's peak RSS (VmHWM).
#
#   scripts/bench/server-load.sh                       # 500 devices, batches of 100, 10 s (+2 s warm-up)
#   DEVICES=1000 BATCH=50 DURATION=20 scripts/bench/server-load.sh
#   SERVER_FLAGS=--fast-sync scripts/bench/server-load.sh   # synchronous=NORMAL instead of FULL
#   PERCH_BENCH_SKIP_BUILD=1 scripts/bench/server-load.sh   # reuse the last build
#   scripts/bench/server-load.sh --json                # the load test's JSON report on stdout
set -euo pipefail
cd "$(dirname "$0")/../.."

DEVICES="${DEVICES:-500}"
BATCH="${BATCH:-100}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
SERVER_FLAGS="${SERVER_FLAGS:-}"
SCRATCH="${PERCH_LOAD_SCRATCH:-.build-load}"

if [ "${PERCH_BENCH_SKIP_BUILD:-0}" != 1 ]; then
    echo "== building perch-server and perch-loadtest (release, $SCRATCH)" >&2
    swift build -c release --scratch-path "$SCRATCH" --product perch-server >&2
    swift build -c release --scratch-path "$SCRATCH" --product perch-loadtest >&2
fi
BIN="$SCRATCH/release"

DATA="$(mktemp -d -t perch-load.XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$DATA"
}
trap cleanup EXIT

# Many devices need many sockets on both sides.
ulimit -n "$(( DEVICES * 2 + 1024 ))" 2>/dev/null || true

# shellcheck disable=SC2086
"$BIN/perch-server" serve --data "$DATA" --host 127.0.0.1 --port "$PORT" --log-level warning $SERVER_FLAGS \
    >"$DATA/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 200); do
    if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
    sleep 0.05
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$DATA/server.log" >&2; exit 1; }

echo "== $DEVICES devices, batches of $BATCH, ${WARMUP} s warm-up + ${DURATION} s, server pid $SERVER_PID" \
    "(${SERVER_FLAGS:-synchronous=FULL}), $(nproc) CPUs" >&2
"$BIN/perch-loadtest" --server "http://127.0.0.1:$PORT" --enrollment-secret-file "$DATA/enrollment.secret" \
    --devices "$DEVICES" --batch "$BATCH" --duration "$DURATION" --warmup "$WARMUP" --server-pid "$SERVER_PID" "$@"
