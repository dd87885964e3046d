# Sysroots and the Swift SDK bundle for the Embedded ARM builds (sourced by cross/build.sh).
#
# A sysroot is Debian bookworm's own arm64/armhf packages, fetched with `apt-get download` through a private
# apt state (the host's dpkg database never gets a foreign architecture: multiarch installs fail on this
# machine, see cross/README.md) and unpacked with `dpkg -x`. Every step is skipped when its result is cached.

# Packages every sysroot holds: glibc + kernel headers + libgcc (crt files, libgcc for lld), and the C
# libraries PerchCapture's shims link (libjpeg-turbo, libv4l2).
PERCH_SYSROOT_PACKAGES=(libc6 libc6-dev linux-libc-dev libgcc-12-dev libgcc-s1
    libjpeg62-turbo libjpeg62-turbo-dev libv4l-0 libv4lconvert0 libv4l-dev)

# Prints a message on stderr, prefixed.
cross_log() { echo "[cross $(date +%T)] $*" >&2; }

# The private apt state shared by both architectures; `apt-get update` runs once (or when the lists are gone).
cross_apt_options() {
    local state=$CROSS_CACHE/apt
    mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
    [ -f "$state/status" ] || : >"$state/status"
    CROSS_APT=(apt-get -q -o APT::Architectures::=arm64 -o APT::Architectures::=armhf
        -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache" -o "Dir::State::Status=$state/status")
    if ! ls "$state/lists" | grep -q '_Packages'; then
        cross_log "apt-get update (arm64 + armhf indexes, private state)"
        # A foreign -security index has failed mid-sync here before; bookworm main is what we need.
        "${CROSS_APT[@]}" update >"$CROSS_CACHE/apt-update.log" 2>&1 || cross_log "some index failed (see $CROSS_CACHE/apt-update.log)"
    fi
}

# Builds `$CROSS_CACHE/sysroot-<debian arch>` once; the package list is part of the cache key.
# Arguments: <debian arch: arm64|armhf>
cross_make_sysroot() {
    local arch=$1
    local root=$CROSS_CACHE/sysroot-$arch
    local key="${PERCH_SYSROOT_PACKAGES[*]}"
    if [ -f "$root/.done" ] && [ "$(cat "$root/.done")" = "$key" ]; then
        return 0
    fi
    cross_apt_options
    cross_log "sysroot $arch: apt-get download + dpkg -x"
    local debs=$CROSS_CACHE/debs-$arch
    rm -rf "$root" "$debs"
    mkdir -p "$root" "$debs"
    local wanted=()
    for p in "${PERCH_SYSROOT_PACKAGES[@]}"; do wanted+=("$p:$arch"); done
    (cd "$debs" && "${CROSS_APT[@]}" download "${wanted[@]}" >"$CROSS_CACHE/download-$arch.log" 2>&1) || {
        # The lists may be stale (a package version left the mirror): refresh once and retry.
        "${CROSS_APT[@]}" update >"$CROSS_CACHE/apt-update.log" 2>&1 || true
        (cd "$debs" && "${CROSS_APT[@]}" download "${wanted[@]}" >"$CROSS_CACHE/download-$arch.log" 2>&1)
    } || { tail -20 "$CROSS_CACHE/download-$arch.log" >&2; cross_log "apt-get download failed for $arch"; return 1; }
    local deb
    for deb in "$debs"/*.deb; do dpkg -x "$deb" "$root"; done
    # Merged /usr, as on a real bookworm / Raspberry Pi OS root: without it qemu-arm's ld.so did not find
    # libc.so.6 for libjpeg's dependencies.
    if [ -d "$root/lib" ] && [ ! -L "$root/lib" ]; then
        cp -a "$root/lib/." "$root/usr/lib/"
        rm -rf "$root/lib"
        ln -s usr/lib "$root/lib"
    fi
    # Absolute symlinks (libfoo.so -> /lib/...) must resolve inside the sysroot, not on the host.
    local link target
    while IFS= read -r link; do
        target=$(readlink "$link")
        case "$target" in
            /*) ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$root$target")" "$link" ;;
        esac
    done < <(find "$root" -type l)
    rm -rf "$debs"
    echo "$key" >"$root/.done"
    cross_log "sysroot $arch: $(du -sh "$root" | cut -f1)"
}

# The toolchain's Embedded library directory for a triple (libswiftUnicodeDataTables.a: String comparison,
# lowercased() and the like need its tables, and the driver does not add it).
cross_embedded_lib_dir() {
    local swiftc
    swiftc=$(readlink -f "$(command -v swiftc)")
    echo "$(dirname "$(dirname "$swiftc")")/lib/swift/embedded/$1"
}

# Writes one SDK variant: swift-sdk.json + toolset.json.
# Arguments: <variant dir> <swift triple> <importer triple> <link triple> <debian arch>
#            [extra swiftc flags...] -- [extra cc flags...]
# The link triple is the GCC/multiarch spelling (`arm-linux-gnueabihf`) so clang finds crtbeginS.o and libgcc
# in `sysroot/usr/lib/gcc/<triple>/12`.
cross_write_variant() {
    local dir=$1 triple=$2 linux=$3 link=$4 arch=$5
    shift 5
    local swift_extra=() cc_extra=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do swift_extra+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    cc_extra=("$@")
    mkdir -p "$dir"
    ln -sfn "../../../sysroot-$arch" "$dir/sysroot"
    cat >"$dir/swift-sdk.json" <<EOF
{
  "schemaVersion": "4.0",
  "targetTriples": {
    "$triple": { "sdkRootPath": "sysroot", "toolsetPaths": [ "toolset.json" ] }
  }
}
EOF
    local swift_json="" cc_json="" flag
    for flag in "${swift_extra[@]}"; do swift_json+="\"$flag\", "; done
    for flag in "${cc_extra[@]}"; do cc_json+=", \"$flag\""; done
    cat >"$dir/toolset.json" <<EOF
{
  "schemaVersion": "1.0",
  "swiftCompiler": {
    "extraCLIOptions": [
      "-enable-experimental-feature", "Embedded",
      "-Xfrontend", "-function-sections",
      ${swift_json}"-Xfrontend", "-clang-target", "-Xfrontend", "$linux",
      "-L", "$(cross_embedded_lib_dir "$triple")", "-lswiftUnicodeDataTables", "-lm",
      "-Xclang-linker", "--target=$link",
      "-Xclang-linker", "-fuse-ld=lld"
    ]
  },
  "cCompiler": { "extraCLIOptions": [ "--target=$link"$cc_json ] }
}
EOF
}

# Writes the artifact bundle `$CROSS_CACHE/sdk/perch-embedded-arm.artifactbundle` (SDK ids
# `perch-embedded-aarch64` and `perch-embedded-armv7`); the sysroots are symlinked in.
cross_write_sdk_bundle() {
    local bundle=$CROSS_CACHE/sdk/perch-embedded-arm.artifactbundle
    mkdir -p "$bundle"
    cat >"$bundle/info.json" <<'EOF'
{
  "schemaVersion": "1.0",
  "artifacts": {
    "perch-embedded-aarch64": { "type": "swiftSDK", "version": "0.1.0", "variants": [ { "path": "aarch64" } ] },
    "perch-embedded-armv7": { "type": "swiftSDK", "version": "0.1.0", "variants": [ { "path": "armv7" } ] }
  }
}
EOF
    cross_write_variant "$bundle/aarch64" aarch64-none-none-elf aarch64-unknown-linux-gnu aarch64-linux-gnu arm64
    cross_write_variant "$bundle/armv7" armv7-none-none-eabi armv7-unknown-linux-gnueabihf arm-linux-gnueabihf armhf \
        -Xcc -mfloat-abi=hard -Xcc -mfpu=neon -- -march=armv7-a -mfpu=neon -mfloat-abi=hard
}
