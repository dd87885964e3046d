#!/usr/bin/env bash
# Speed benchmark, one run, single thread: Perch (release CLI built for this CPU) versus LiteRT (XNNPACK),
# LiteRT (builtin kernels, no delegates) and the TFLM Python interpreter, on person_detect and mobilenet_v2.
#
#   scripts/bench/bench.sh [--json] [--iterations N] [--warmup W] [--max-seconds S] [--models person_detect ...]
#
# Env: PERCH_TARGET_CPU (default: the host CPU as gcc/clang name it), PERCH_BENCH_SKIP_BUILD=1 (reuse the last
# build), PERCH_SHARED (default ../shared). Needs: pip install -r scripts/requirements-oracle.txt.
# Progress and build messages go to stderr, so `--json` leaves one JSON object on stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
log() { echo "bench: $*" >&2; }

host_cpu() {
    local cpu=""
    # gcc's -march=native names the CPU from what it can actually run (cpuid features). clang's host name comes
    # from the model number and can overstate a VM's CPU (e.g. "emeraldrapids" without AMX), and swiftc's
    # -target-cpu, unlike clang -march=native, adds no feature corrections: so gcc first.
    if command -v gcc >/dev/null 2>&1; then
        cpu="$(gcc -march=native -Q --help=target 2>/dev/null | awk '$1 == "-march=" { print $2; exit }')"
    fi
    if [ -z "$cpu" ] && command -v clang >/dev/null 2>&1; then
        cpu="$(clang -### -march=native -x c -c /dev/null 2>&1 | sed -n 's/.*"-target-cpu" "\([^"]*\)".*/\1/p' | head -n 1)"
    fi
    echo "$cpu"
}

PERCH_BIN=""
CPU="${PERCH_TARGET_CPU:-$(host_cpu)}"
CPU_FLAGS=()
if [ -n "$CPU" ]; then CPU_FLAGS=(-Xswiftc -target-cpu -Xswiftc "$CPU"); fi
BUILD_LOG="$(mktemp -t perch-bench-build.XXXXXX)"
if [ "${PERCH_BENCH_SKIP_BUILD:-0}" = "1" ] && [ -x .build-bench/release/perch ]; then
    PERCH_BIN="$ROOT/.build-bench/release/perch"
    log "reusing .build-bench/release/perch (PERCH_BENCH_SKIP_BUILD=1)"
else
    log "building perch (release, -target-cpu ${CPU:-default}) in .build-bench; log: $BUILD_LOG"
    if swift build -c release --product perch --scratch-path .build-bench "${CPU_FLAGS[@]}" >"$BUILD_LOG" 2>&1; then
        PERCH_BIN="$ROOT/.build-bench/release/perch"
    else
        log "SKIPPING Perch: the release build failed (last lines of $BUILD_LOG below)"
        tail -n 15 "$BUILD_LOG" >&2
    fi
fi
if [ -n "$PERCH_BIN" ] && ! "$PERCH_BIN" bench --help >/dev/null 2>&1; then
    log "SKIPPING Perch: this build has no \`perch bench\` subcommand yet"
    PERCH_BIN=""
fi

exec python3 "$ROOT/scripts/bench/bench.py" --perch-bin "$PERCH_BIN" "$@"
