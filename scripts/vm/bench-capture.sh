#!/usr/bin/env bash
# bench-capture.sh — frame -> model input tensor for 640x480 MJPEG, decode-at-scale vs full decode + resize.
#
#   scripts/vm/bench-capture.sh [ITERATIONS [PHOTO [NOISE]]]   (default 300; runs on the host, no VM needed)
#
# Builds perch-capture-vmtest in release mode and runs its `bench` mode: a deterministic photo-like 640x480 JPEG
# (quality 85, 4:2:0) through PerchCapture.Preprocessor to 96x96 gray ([-1,1], person_detect's input) and to
# 64x64 RGB, center crop, area filter, both paths in one run, next to entropy decoding alone (the floor under any
# decode). Prints a Markdown table (ms/frame, speedup, full/entropy). With PHOTO (JPEG, PPM/PGM or BMP), that photo
# center-cropped to 4:3 and resized to 640x480, plus seeded noise of ±NOISE levels, re-encoded at quality 85, is the
# frame instead.
# Timings on a shared 2-core machine are noisy: compare the two columns of one run, not runs with each other.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCRATCH=${SWIFT_SCRATCH:-$ROOT/.build-vmtest}
( cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product perch-capture-vmtest --static-swift-stdlib \
  >"${TMPDIR:-/tmp}/perch-bench-build.log" 2>&1 ) || { tail -30 "${TMPDIR:-/tmp}/perch-bench-build.log" >&2; exit 1; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
"$SCRATCH/release/perch-capture-vmtest" bench "${1:-300}" "${@:2}"
