#!/usr/bin/env bash
# Builds the perch .deb: /usr/bin/perchd and /usr/bin/perch, the sandboxed perchd.service,
# /etc/perch/perchd.toml (conffile), the factory model, docs, man pages and maintainer scripts
# that create the "perch" system user (group video) and remove it on purge.
#
#   packaging/build-deb.sh [--bin-path DIR] [--arch amd64|arm64] [--out DIR] [--version V]
#
#   --bin-path DIR  where perchd and perch are (e.g. .build/debug, which CI already built).
#                   Default: the production build of both products (scripts/lib/release-build.sh).
#   --arch A        Debian architecture of the binaries (default: this machine's). Checked
#                   against the ELF header.
#   --out DIR       where the .deb goes (default: .build/deb). The path is printed last.
#   --version V     package version (default: 0.1.0+git<commits>.<hash>, from git).
#   --scratch-path D  SwiftPM scratch path of the default release build (default: .build).
# Environment: PERCH_DEB_COMPRESSION (dpkg-deb -Z: xz, gzip, none; default xz),
#              PERCH_DEB_LEVEL (dpkg-deb -z; default 6), SOURCE_DATE_EPOCH (default: last commit).
#
# The Swift runtime: Debian has no package for it. A release build links it statically
# (--static-swift-stdlib): the binaries then need only Debian libraries, and nothing else is
# shipped. Binaries linked against the shared runtime (a debug build, as CI has) get the
# libswift*/Foundation*/dispatch libraries they load copied from the toolchain into
# /usr/lib/perch/ — Debian's place for a package's private libraries — with the binaries'
# RUNPATH set to exactly /usr/lib/perch (lintian accepts a RUNPATH into /usr/lib/<package>).
# No LD_LIBRARY_PATH in the unit, no dependency on a toolchain being installed.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
packaging="$repo/packaging"

bin_path=""
arch=""
out="$repo/.build/deb"
version=""
scratch_path=".build"

usage() {
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --bin-path) bin_path="${2:?--bin-path needs a directory}"; shift 2 ;;
        --arch) arch="${2:?--arch needs amd64 or arm64}"; shift 2 ;;
        --out) out="${2:?--out needs a directory}"; shift 2 ;;
        --version) version="${2:?--version needs a value}"; shift 2 ;;
        --scratch-path) scratch_path="${2:?--scratch-path needs a directory}"; shift 2 ;;
        -h | --help) usage 0 ;;
        *) echo "build-deb.sh: unknown argument: $1" >&2; usage 2 >&2 ;;
    esac
done

host_arch="$(dpkg --print-architecture)"
arch="${arch:-$host_arch}"
case "$arch" in
    amd64) elf_machine="X86-64" ;;
    arm64) elf_machine="AArch64" ;;
    *) echo "build-deb.sh: unsupported architecture: $arch (amd64 or arm64)" >&2; exit 2 ;;
esac

# MARK: - The binaries

if [ -z "$bin_path" ]; then
    if [ "$arch" != "$host_arch" ]; then
        echo "build-deb.sh: building for $arch needs --bin-path (a cross build with a Swift SDK, see cross/)" >&2
        exit 2
    fi
    source "$repo/scripts/lib/release-build.sh"
    echo "== ${PERCH_RELEASE_BUILD[*]} (perchd, perch)"
    release=("${PERCH_RELEASE_BUILD[@]}" --scratch-path "$scratch_path")
    for product in perchd perch; do
        (cd "$repo" && "${release[@]}" --product "$product")
    done
    bin_path="$(cd "$repo" && "${release[@]}" --show-bin-path)"
fi
bin_path="$(cd "$bin_path" && pwd)"
for binary in perchd perch; do
    if [ ! -x "$bin_path/$binary" ]; then
        echo "build-deb.sh: $bin_path/$binary is missing (build it first, or pass --bin-path)" >&2
        exit 1
    fi
    machine="$(LC_ALL=C readelf -h "$bin_path/$binary" | sed -n 's/^ *Machine: *//p')"
    case "$machine" in
        *"$elf_machine"*) ;;
        *) echo "build-deb.sh: $bin_path/$binary is '$machine', not $arch" >&2; exit 1 ;;
    esac
done

if [ -z "$version" ]; then
    count="$(git -C "$repo" rev-list --count HEAD 2>/dev/null || echo 0)"
    hash="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    version="0.1.0+git${count}.${hash}"
fi
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}"

# The strip tool: the host's binutils for the host architecture; llvm-objcopy (from the Swift
# toolchain, target-independent) for another one.
strip_program() {  # MODE FILE  (MODE: exe | lib)
    local flags
    if [ "$1" = exe ]; then flags=(--remove-section=.comment --remove-section=.note --strip-all)
    else flags=(--remove-section=.comment --remove-section=.note --strip-unneeded); fi
    if [ "$arch" = "$host_arch" ]; then
        strip "${flags[@]}" "$2"
    else
        llvm-objcopy "${flags[@]}" "$2"
    fi
}

# MARK: - The package tree

work="$(mktemp -d "${TMPDIR:-/tmp}/perch-deb.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/debian/perch"   # dpkg-shlibdeps recognizes debian/<package>/ as the package being built
umask 022
install -d "$root/DEBIAN"

install -D -m 0755 "$bin_path/perchd" "$root/usr/bin/perchd"
install -D -m 0755 "$bin_path/perch" "$root/usr/bin/perch"
strip_program exe "$root/usr/bin/perchd"
strip_program exe "$root/usr/bin/perch"

# Shared Swift runtime → /usr/lib/perch (see the header). ldd gives the transitive closure; only
# libraries that come from a Swift toolchain (…/lib/swift/…) are copied, Debian's come from Depends.
swift_libs=()
if [ "$arch" = "$host_arch" ]; then
    while IFS= read -r lib; do swift_libs+=("$lib"); done < <(
        ldd "$bin_path/perchd" "$bin_path/perch" | awk '$2 == "=>" && $3 ~ /\/lib\/swift\// { print $3 }' | sort -u)
elif LC_ALL=C readelf -d "$bin_path/perchd" "$bin_path/perch" | grep -q 'NEEDED.*libswiftCore'; then
    echo "build-deb.sh: $arch binaries linked against the shared Swift runtime: build them with" \
        "--static-swift-stdlib (bundling a foreign runtime is not supported)" >&2
    exit 1
fi
if [ ${#swift_libs[@]} -gt 0 ]; then
    echo "== bundling ${#swift_libs[@]} Swift runtime libraries into /usr/lib/perch"
    install -d "$root/usr/lib/perch"
    for lib in "${swift_libs[@]}"; do
        install -m 0644 "$(readlink -f "$lib")" "$root/usr/lib/perch/$(basename "$lib")"
        strip_program lib "$root/usr/lib/perch/$(basename "$lib")"
    done
    patchelf --set-rpath /usr/lib/perch "$root/usr/bin/perchd" "$root/usr/bin/perch"
else
    # A static-stdlib build may still carry the toolchain's RUNPATH: nothing there is needed.
    for binary in perchd perch; do
        if LC_ALL=C readelf -d "$root/usr/bin/$binary" | grep -qE '\((RUNPATH|RPATH)\)'; then
            patchelf --remove-rpath "$root/usr/bin/$binary"
        fi
    done
fi

# Configuration, unit, model, documentation.
install -D -m 0644 "$packaging/perchd.toml" "$root/etc/perch/perchd.toml"
install -D -m 0644 "$packaging/perchd.service" "$root/usr/lib/systemd/system/perchd.service"
install -D -m 0644 "$repo/models/cat/cat_v1.tflite" "$root/usr/share/perch/models/cat_v1.tflite"
install -D -m 0644 "$repo/models/cat/cat_v1.json" "$root/usr/share/perch/models/cat_v1.json"
doc="$root/usr/share/doc/perch"
install -D -m 0644 "$packaging/debian/copyright" "$doc/copyright"
install -D -m 0644 "$repo/docs/perchd.md" "$doc/perchd.md"
install -D -m 0644 "$repo/firmware-configs/README.md" "$doc/examples/firmware-configs/README.md"
for board_dir in "$repo"/firmware-configs/*/; do
    board="$(basename "$board_dir")"
    for file in "$board_dir"perchd.toml "$board_dir"config.txt; do
        [ -f "$file" ] || continue
        install -D -m 0644 "$file" "$doc/examples/firmware-configs/$board/$(basename "$file")"
    done
done
sed -e "s/@VERSION@/$version/" \
    -e "s/@MAINTAINER@/Perch maintainers <perch-maintainers@example.org>/" \
    -e "s/@DATE@/$(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")/" \
    "$packaging/debian/changelog" | gzip -9n > "$doc/changelog.gz"
install -d "$root/usr/share/man/man1" "$root/usr/share/man/man8"
gzip -9n < "$packaging/man/perch.1" > "$root/usr/share/man/man1/perch.1.gz"
gzip -9n < "$packaging/man/perchd.8" > "$root/usr/share/man/man8/perchd.8.gz"
install -D -m 0644 "$packaging/debian/lintian-overrides" "$root/usr/share/lintian/overrides/perch"

# Maintainer scripts and conffiles.
install -m 0755 "$packaging/debian/postinst" "$packaging/debian/prerm" "$packaging/debian/postrm" "$root/DEBIAN/"
install -m 0644 "$packaging/debian/conffiles" "$root/DEBIAN/conffiles"

# MARK: - Depends

# Computed by dpkg-shlibdeps from the ELF files when the libraries' packages are installed here
# (host architecture); listed by hand for another architecture, where they cannot be looked up.
if [ "$arch" = "$host_arch" ]; then
    cat > "$work/debian/control" <<EOF
Source: perch

Package: perch
Architecture: $arch
EOF
    elf_files=("$root/usr/bin/perchd" "$root/usr/bin/perch")
    if [ -d "$root/usr/lib/perch" ]; then
        for lib in "$root"/usr/lib/perch/*.so*; do elf_files+=("$lib"); done
    fi
    shlib_flags=()
    [ -d "$root/usr/lib/perch" ] && shlib_flags+=("-l$root/usr/lib/perch")
    shlibs_depends="$(cd "$work" && dpkg-shlibdeps -O "${shlib_flags[@]}" "${elf_files[@]/#/-e}" 2>"$work/shlibdeps.log" |
        sed -n 's/^shlibs:Depends=//p')" || { cat "$work/shlibdeps.log" >&2; exit 1; }
    [ -n "$shlibs_depends" ] || { echo "build-deb.sh: dpkg-shlibdeps found no dependencies" >&2; cat "$work/shlibdeps.log" >&2; exit 1; }
else
    shlibs_depends="libc6, libgcc-s1, libstdc++6, libjpeg62-turbo, libv4l-0, libsqlite3-0, zlib1g"
fi
depends="adduser, $shlibs_depends"

# MARK: - Control, md5sums, build

installed_size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
cat > "$root/DEBIAN/control" <<EOF
Package: perch
Version: $version
Architecture: $arch
Maintainer: Perch maintainers <perch-maintainers@example.org>
Installed-Size: $installed_size
Depends: $depends
Section: misc
Priority: optional
Description: edge runtime for camera ML on embedded Linux
 Perch runs int8 TensorFlow Lite models on camera frames on Raspberry
 Pi-class boards, bit-exact with TensorFlow Lite's reference kernels.
 .
 This package holds perchd, the device daemon (camera capture, inference,
 an SQLite result journal, upload to a fleet server, signed over-the-air
 model updates, a thermal governor), run by a sandboxed systemd unit as the
 "perch" system user, and perch, the command-line tool (inspect, infer,
 verify, bench, capture, config check).
EOF

(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' md5sum) \
    > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/control"
find "$root" -type d -exec chmod 0755 {} +
find "$root" -exec touch --no-dereference -d "@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$out"
deb="$(cd "$out" && pwd)/perch_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"${PERCH_DEB_COMPRESSION:-xz}" -z"${PERCH_DEB_LEVEL:-6}" --build "$root" "$deb" >/dev/null
echo "== built $deb ($(du -h "$deb" | cut -f1), Depends: $depends)"
echo "$deb"
