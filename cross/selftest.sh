#!/usr/bin/env bash
# selftest.sh — the conformance vectors on aarch64 and armv7 under qemu-user, compared with x86_64.
#
#   cross/selftest.sh [--arch aarch64|armv7|all] [--no-shared]
#
# Builds perch-selftest (Embedded Swift) for x86_64 natively and for the ARM targets with the SDK bundle
# (cross/build.sh), runs it over the project's conformance suite (Tests/PerchInferenceTests/Conformance, 78
# models) and, when present, ../shared/models (person_detect, mobilenet_v2, single_op), with the reference and
# the optimized kernels; the ARM runs go through qemu-aarch64-static / qemu-arm-static -L <sysroot>. Every case
# must pass (bit-exact with TFLite Micro) and each ARM run's output must be identical to the x86_64 run's.
# Then perch-vm-capture runs models/cat/demo-frames/*.jpg through the capture pipeline (libjpeg decode via the
# CJPEG shim, PerchCapture's Preprocessor with the cat sidecar's recipe, the cat model) on each architecture; the
# tensors' hashes and the outputs must be identical too.
# Exit status 1 on any failure or difference.
set -euo pipefail
CROSS=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$CROSS/.." && pwd)
ARM=(aarch64 armv7) SHARED=1
while [ $# -gt 0 ]; do
    case "$1" in
        --arch) [ "$2" = all ] && ARM=(aarch64 armv7) || ARM=("$2"); shift 2 ;;
        --no-shared) SHARED=0; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
        *) echo "selftest: unknown option $1" >&2; exit 2 ;;
    esac
done
source "$ROOT/scripts/lib/install.sh"
perch_install_cross_dependencies

T0=$(date +%s)
for arch in x86_64 "${ARM[@]}"; do "$CROSS/build.sh" --arch "$arch" >/dev/null; done
T1=$(date +%s)

OUT=$(mktemp -d "${TMPDIR:-/tmp}/perch-selftest.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
suites=("$ROOT/Tests/PerchInferenceTests/Conformance")
SHARED_DIR=$(cd "$ROOT/.." && pwd)/shared/models
if [ "$SHARED" = 1 ] && [ -d "$SHARED_DIR/person_detect" ]; then
    suites+=("$SHARED_DIR")
else
    echo "selftest: $SHARED_DIR is absent (or --no-shared): shared models (person_detect, mobilenet_v2, single_op) skipped"
fi

# Runs one build over every suite, then the JPEG pipeline over the demo frames; output in $OUT/<arch>.txt.
# Arguments: <arch> <bin dir> <command prefix...>
run() {
    local arch=$1 bin=$2
    shift 2
    local status=0 suite
    : >"$OUT/$arch.txt"
    for suite in "${suites[@]}"; do
        # relative paths, sorted: the output must not depend on where the files are
        mapfile -t files < <(cd "$suite" && find . -name '*.vectors.json' | sed 's|^\./||' | LC_ALL=C sort)
        "$@" "$bin/perch-selftest" "$suite" "${files[@]}" >>"$OUT/$arch.txt" || status=1
    done
    "$@" "$bin/perch-vm-capture" images "$ROOT/models/cat/cat_v1.tflite" "$ROOT/models/cat/cat_v1.json" \
        "$ROOT"/models/cat/demo-frames/*.jpg >>"$OUT/$arch.txt" || status=1
    return $status
}

failed=0
run x86_64 "$CROSS/.build-x86_64/release" || failed=1
echo "x86_64: $(grep '^selftest:' "$OUT/x86_64.txt" | tr '\n' ';') $(grep -c '^frame ' "$OUT/x86_64.txt") demo JPEGs"
[ "$(grep -c '^frame ' "$OUT/x86_64.txt")" -gt 0 ] || { echo "FAIL no demo JPEG went through the pipeline"; failed=1; }
for arch in "${ARM[@]}"; do
    case "$arch" in
        aarch64) qemu=(qemu-aarch64-static -L "$CROSS/.cache/sysroot-arm64")
            bin=$CROSS/.build-aarch64/aarch64-none-none-elf/release ;;
        armv7) qemu=(qemu-arm-static -L "$CROSS/.cache/sysroot-armhf")
            bin=$CROSS/.build-armv7/armv7-none-none-eabi/release ;;
        *) echo "selftest: unknown arch $arch" >&2; exit 2 ;;
    esac
    t=$(date +%s)
    run "$arch" "$bin" "${qemu[@]}" || failed=1
    echo "$arch (${qemu[0]}, $(($(date +%s) - t)) s): $(grep '^selftest:' "$OUT/$arch.txt" | tr '\n' ';')"
    if diff -u "$OUT/x86_64.txt" "$OUT/$arch.txt" >"$OUT/$arch.diff"; then
        echo "PASS $arch output identical to x86_64 ($(grep -c '^PASS ' "$OUT/$arch.txt") model x kernel-set lines, $(grep -c '^frame ' "$OUT/$arch.txt") demo JPEGs through decode + preprocessing + cat model)"
    else
        echo "FAIL $arch output differs from x86_64:"
        head -40 "$OUT/$arch.diff"
        failed=1
    fi
done
grep '^frame ' "$OUT/x86_64.txt" || true
grep '^FAIL ' "$OUT/x86_64.txt" | head -20 || true
echo "[selftest] builds $((T1 - T0)) s, runs $(($(date +%s) - T1)) s" >&2
exit $failed
