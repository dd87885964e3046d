#!/usr/bin/env bash
# vm-capture.sh — camera → preprocessing → model on arm64, checked against x86_64 (see cross/README.md).
#
#   cross/vm-capture.sh [--frames N] [--keep-log]
#
# 1. cross/build.sh builds perch-vm-capture for aarch64 (Embedded Swift, SDK bundle) and x86_64 (same program).
# 2. scripts/vm/run-vm-arm64.sh boots qemu-system-aarch64 -M virt -cpu cortex-a72 with Debian's arm64 kernel and
#    vivid; in the guest the aarch64 binary captures N YUYV 640x480 frames from /dev/video0 (OSD text off),
#    preprocesses each with PerchCapture's Preprocessor exactly as models/cat/cat_v1.json prescribes (center
#    square, box filter to 64x64 RGB, float64 round-half-away table), runs models/cat/cat_v1.tflite and prints
#    one line per frame; the raw frames come back through a virtio serial port.
# 3. The x86_64 build replays those raw frames through the same pipeline; its lines must equal the guest's.
# Exits 0 when N frame lines came back and all match; 1 on a mismatch; VM failures keep run-vm-arm64's codes.
set -euo pipefail
CROSS=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$CROSS/.." && pwd)
FRAMES=4 VMARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --frames) FRAMES=$2; shift 2 ;;
        --keep-log) VMARGS+=(--keep-log); shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
        *) echo "vm-capture: unknown option $1" >&2; exit 2 ;;
    esac
done
T0=$(date +%s)
"$CROSS/build.sh" --arch aarch64 --product perch-vm-capture >/dev/null
"$CROSS/build.sh" --arch x86_64 --product perch-vm-capture >/dev/null
T1=$(date +%s)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/perch-vm-capture.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/data"
cp "$CROSS/.build-aarch64/aarch64-none-none-elf/release/perch-vm-capture" "$WORK/data/"
"$(dirname "$(readlink -f "$(command -v swiftc)")")/llvm-objcopy" --strip-all "$WORK/data/perch-vm-capture"
cp "$ROOT/models/cat/cat_v1.tflite" "$ROOT/models/cat/cat_v1.json" "$WORK/data/"
cat >"$WORK/data/run.sh" <<EOF
#!/bin/sh
echo "uname: \$(uname -m) \$(uname -r)"
./perch-vm-capture capture /dev/video0 $FRAMES cat_v1.tflite cat_v1.json "\$PERCH_VM_OUT"
EOF
chmod +x "$WORK/data/run.sh"

set +e
"$ROOT/scripts/vm/run-vm-arm64.sh" "${VMARGS[@]}" --sysroot "$CROSS/.cache/sysroot-arm64" --out "$WORK/out" "$WORK/data" \
    | tee "$WORK/guest.txt"
rc=${PIPESTATUS[0]}
set -e
T2=$(date +%s)
[ "$rc" = 0 ] || { echo "vm-capture: the guest run failed (exit $rc)" >&2; exit "$rc"; }

# the granted format, as the guest printed it: "device /dev/video0 granted YUYV 640x480 bytesperline=1280"
read -r width height bpl < <(sed -n 's/^device .* granted [^ ]* \([0-9]*\)x\([0-9]*\) bytesperline=\([0-9]*\).*/\1 \2 \3/p' "$WORK/guest.txt")
[ -n "${bpl:-}" ] || { echo "vm-capture: no format line from the guest" >&2; exit 1; }
"$CROSS/.build-x86_64/release/perch-vm-capture" replay "$ROOT/models/cat/cat_v1.tflite" "$ROOT/models/cat/cat_v1.json" \
    "$width" "$height" "$bpl" "$WORK/out/out.bin" >"$WORK/native.txt"
grep '^frame ' "$WORK/guest.txt" >"$WORK/guest-frames.txt" || true
grep '^frame ' "$WORK/native.txt" >"$WORK/native-frames.txt" || true
echo "== x86_64 replay of the guest's raw frames ($(stat -c%s "$WORK/out/out.bin") bytes)"
cat "$WORK/native-frames.txt"
n=$(wc -l <"$WORK/guest-frames.txt")
T3=$(date +%s)
echo "[vm-capture] builds $((T1 - T0)) s, VM $((T2 - T1)) s, replay $((T3 - T2)) s" >&2
if [ "$n" != "$FRAMES" ]; then
    echo "FAIL vm-capture: $n frame lines from the guest, expected $FRAMES"
    exit 1
fi
if diff -u "$WORK/guest-frames.txt" "$WORK/native-frames.txt"; then
    echo "PASS vm-capture: $FRAMES frames captured on arm64 (cortex-a72, vivid) give identical tensors and outputs natively"
else
    echo "FAIL vm-capture: aarch64 and x86_64 disagree (diff above)"
    exit 1
fi
