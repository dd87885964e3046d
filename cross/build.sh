#!/usr/bin/env bash
# build.sh — cross-builds Perch's Embedded-clean parts for ARM Linux (see cross/README.md).
#
#   cross/build.sh [--arch aarch64|armv7|x86_64|all] [--product NAME] [--sizes]
#
# 1. Sysroots for aarch64 (Debian arm64) and armv7 (Debian armhf): `apt-get download` + `dpkg -x` into
#    cross/.cache/sysroot-<arch> (git-ignored; skipped when cached).
# 2. The Swift SDK bundle cross/.cache/sdk/perch-embedded-arm.artifactbundle (swift-sdk.json + toolset.json per
#    target; SDK ids perch-embedded-aarch64, perch-embedded-armv7).
# 3. `swift build -c release` of cross/Package.swift — the core (PerchKernels, PerchTFLite, PerchInference,
#    PerchConformance), the capture pieces (CJPEG, CV4L2, PerchCapture's preprocessing/JPEG files) and the two
#    programs perch-selftest and perch-vm-capture — for each architecture; x86_64 is the same Embedded program
#    built natively, for comparison. Scratch paths cross/.build-<arch>.
# --product builds one product only (CI: perch-selftest); --sizes prints a table of stripped binary sizes.
# Prints the path of each built binary directory on stdout as `<arch> <dir>`.
set -euo pipefail
CROSS=$(cd "$(dirname "$0")" && pwd)
export CROSS_CACHE=${CROSS_CACHE:-$CROSS/.cache}
source "$CROSS/lib/sdk.sh"

ARCHES=(x86_64 aarch64 armv7) PRODUCT="" SIZES=0
while [ $# -gt 0 ]; do
    case "$1" in
        --arch) [ "$2" = all ] && ARCHES=(x86_64 aarch64 armv7) || ARCHES=("$2"); shift 2 ;;
        --product) PRODUCT=$2; shift 2 ;;
        --sizes) SIZES=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
        *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
command -v swift >/dev/null || { echo "build.sh: the Swift 6.3 toolchain must be on PATH" >&2; exit 1; }
mkdir -p "$CROSS_CACHE"

for arch in "${ARCHES[@]}"; do
    case "$arch" in
        aarch64) cross_make_sysroot arm64 ;;
        armv7) cross_make_sysroot armhf ;;
        x86_64) ;;
        *) echo "build.sh: unknown arch $arch" >&2; exit 2 ;;
    esac
done
cross_write_sdk_bundle

# Prints the release binary directory of an arch.
bin_dir() {
    case "$1" in
        x86_64) echo "$CROSS/.build-x86_64/release" ;;
        aarch64) echo "$CROSS/.build-aarch64/aarch64-none-none-elf/release" ;;
        armv7) echo "$CROSS/.build-armv7/armv7-none-none-eabi/release" ;;
    esac
}

for arch in "${ARCHES[@]}"; do
    args=(-c release --package-path "$CROSS" --scratch-path "$CROSS/.build-$arch")
    case "$arch" in
        x86_64)
            # The host's own Embedded stdlib; the Unicode tables and libm as the SDK toolsets add them.
            args+=(-Xlinker -L"$(cross_embedded_lib_dir x86_64-unknown-linux-gnu)" -Xlinker -lswiftUnicodeDataTables
                -Xlinker -lm) ;;
        aarch64) args+=(--swift-sdks-path "$CROSS_CACHE/sdk" --swift-sdk perch-embedded-aarch64) ;;
        armv7) args+=(--swift-sdks-path "$CROSS_CACHE/sdk" --swift-sdk perch-embedded-armv7) ;;
    esac
    [ -n "$PRODUCT" ] && args+=(--product "$PRODUCT")
    cross_log "swift build $arch${PRODUCT:+ ($PRODUCT)}"
    log=$CROSS_CACHE/build-$arch.log
    swift build "${args[@]}" >"$log" 2>&1 || { grep -E 'error|warning: unre' "$log" | head -30 >&2; tail -5 "$log" >&2; cross_log "build $arch failed"; exit 1; }
    echo "$arch $(bin_dir "$arch")"
done

if [ "$SIZES" = 1 ]; then
    objcopy=$(dirname "$(readlink -f "$(command -v swiftc)")")/llvm-objcopy
    printf '\n| binary | arch | stripped file | .text |\n|---|---|---|---|\n'
    for arch in "${ARCHES[@]}"; do
        for product in perch-selftest perch-vm-capture; do
            b=$(bin_dir "$arch")/$product
            [ -x "$b" ] || continue
            "$objcopy" --strip-all "$b" "$CROSS_CACHE/$product.$arch.stripped"
            text=$(printf '%d' "0x$(readelf -S -W "$b" | sed -n 's/.* \.text *PROGBITS *[0-9a-f]* [0-9a-f]* \([0-9a-f]*\) .*/\1/p')")
            printf '| %s | %s | %s B | %s B |\n' "$product" "$arch" "$(stat -c%s "$CROSS_CACHE/$product.$arch.stripped")" "$text"
        done
    done
fi
