#!/usr/bin/env bash
# test-vivid.sh — PerchCapture against real kernel V4L2 drivers in a QEMU VM (see scripts/vm/README.md).
#
#   scripts/vm/test-vivid.sh [--no-mjpeg] [--frames N] [--keep-log]
#
# Builds `perch-capture-vmtest` (release, static Swift stdlib), boots the VM (scripts/vm/run-vm.sh) with vivid
# and v4l2loopback, and runs scripts/vm/guest-run.sh in it:
#   - vivid /dev/video0: QUERYCAP, ENUM_FMT/FRAMESIZES/FRAMEINTERVALS, S_FMT negotiation (MJPEG is refused and
#     substituted), S_PARM 1/25, >= 30 frames each of YUYV 640x480 and GREY 640x480 with the OSD off: frame size,
#     sequence numbers, a reopen, and a deterministic FNV-1a checksum (YUYV = ef62b9c5);
#   - v4l2loopback /dev/video10: an MJPEG producer and >= 30 frames captured as MJPEG and decoded by libjpeg,
#     compared with the producer's images, plus decode-at-scale preprocessing;
#   - unplug: vivid's Disconnect control unregisters /dev/video0 mid-stream (ENODEV, as a USB unplug); the source
#     reports a lost device, backs off, and streams again after the guest reloads the driver (rmmod + insmod).
# Exits non-zero on any failed check (124 timeout, 125 VM/infrastructure failure).
# Env: PERCH_VM_CACHE (downloads, default /tmp/perch-vm-cache), SWIFT_SCRATCH (default .build-vmtest).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MJPEG=1 FRAMES=30 VMARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-mjpeg) MJPEG=0; shift ;;
    --frames) FRAMES=$2; shift 2 ;;
    --keep-log) VMARGS+=(--keep-log); shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
    *) echo "test-vivid: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$MJPEG" = 1 ] && VMARGS+=(--loopback)
T0=$(date +%s)
SCRATCH=${SWIFT_SCRATCH:-$ROOT/.build-vmtest}

# libv4l-dev/libjpeg-dev are build dependencies of PerchCapture.
for p in libv4l-dev libjpeg-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -q \
    --no-install-recommends install "$p" >/dev/null
done
echo "[test-vivid] building perch-capture-vmtest (release)" >&2
( cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product perch-capture-vmtest --static-swift-stdlib \
  >"${TMPDIR:-/tmp}/perch-vmtest-build.log" 2>&1 ) \
  || { tail -40 "${TMPDIR:-/tmp}/perch-vmtest-build.log" >&2; echo "[test-vivid] build failed" >&2; exit 1; }
T1=$(date +%s)

DATA=$(mktemp -d "${TMPDIR:-/tmp}/perch-vmtest.XXXXXX")
trap 'rm -rf "$DATA"' EXIT
cp "$SCRATCH/release/perch-capture-vmtest" "$DATA/"
strip "$DATA/perch-capture-vmtest" 2>/dev/null || true
{ echo '#!/bin/sh'; echo "export FRAMES=$FRAMES"; tail -n +2 "$HERE/guest-run.sh"; } >"$DATA/run.sh"
chmod +x "$DATA/run.sh"

set +e
"$HERE/run-vm.sh" "${VMARGS[@]}" "$DATA" | tee "$DATA/out.txt"
rc=${PIPESTATUS[0]}
set -e
T2=$(date +%s)
echo "vm: $(grep -c '^PASS ' "$DATA/out.txt") passed, $(grep -c '^FAIL ' "$DATA/out.txt") failed"
echo "[test-vivid] build $((T1 - T0)) s, VM (incl. downloads on a fresh cache) $((T2 - T1)) s, exit $rc" >&2
if [ "$rc" = 0 ] && ! grep -q '^PASS ' "$DATA/out.txt"; then
  echo "[test-vivid] no check ran" >&2
  exit 1
fi
exit "$rc"
