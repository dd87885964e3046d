#!/usr/bin/env bash
# Tests the perch .deb on this machine (run by scripts/test.sh after the Swift build):
#   1. builds it from already-built binaries (default .build/debug; no extra Swift build),
#   2. lintian: errors and warnings fail (packaging/debian/lintian-overrides explains each override),
#   3. installs it with dpkg -i (apt-get install -f for missing dependencies),
#   4. checks the user, groups, files, conffile, unit enablement, the Swift runtime resolution,
#      that perchd and perch run as installed, `systemd-analyze verify` on the installed unit and
#      its `systemd-analyze security` exposure,
#   5. purges it and checks that everything is gone.
#
#   packaging/test-deb.sh [BIN_PATH]
#
# Needs root (or sudo): it really installs and removes the package. Works without systemd as
# PID 1 (containers): the maintainer scripts only talk to systemd when /run/systemd/system exists.
set -euo pipefail
cd "$(dirname "$0")/.."
bin_path="${1:-.build/debug}"

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

failures=0
pass() { echo "  ok   $*"; }
fail() { echo "  FAIL $*"; failures=$((failures + 1)); }
check() {  # DESCRIPTION COMMAND...
    local description="$1"; shift
    if "$@" >/dev/null 2>&1; then pass "$description"; else fail "$description"; fi
}
check_not() {  # DESCRIPTION COMMAND...
    local description="$1"; shift
    if "$@" >/dev/null 2>&1; then fail "$description"; else pass "$description"; fi
}

if [ ! -x "$bin_path/perchd" ] || [ ! -x "$bin_path/perch" ]; then
    echo "test-deb.sh: $bin_path/perchd or $bin_path/perch is missing: run swift build first" >&2
    exit 1
fi
for tool in dpkg-deb lintian patchelf systemd-analyze adduser; do
    command -v "$tool" >/dev/null || { echo "test-deb.sh: $tool is missing (scripts/lib/install.sh installs it)" >&2; exit 1; }
done

# A package left by an interrupted run would make the install test meaningless.
if dpkg-query -W -f='${Status}' perch 2>/dev/null | grep -q "installed"; then
    echo "== purging a perch package left from an earlier run"
    $sudo dpkg --purge perch >/dev/null
fi

out="$(mktemp -d "${TMPDIR:-/tmp}/perch-deb-test.XXXXXX")"
trap 'rm -rf "$out"' EXIT

echo "== build the .deb from $bin_path"
# gzip -1: the debug binaries are large, and xz would cost minutes of CI for no test value.
deb="$(PERCH_DEB_COMPRESSION=gzip PERCH_DEB_LEVEL=1 packaging/build-deb.sh --bin-path "$bin_path" --out "$out" | tail -n 1)"
check "the .deb exists: $(basename "$deb")" test -s "$deb"
contents="$(dpkg-deb -c "$deb")"
for path in ./usr/bin/perchd ./usr/bin/perch ./etc/perch/perchd.toml ./usr/lib/systemd/system/perchd.service \
    ./usr/share/doc/perch/copyright ./usr/share/doc/perch/changelog.gz ./usr/share/perch/models/cat_v1.tflite; do
    check "package holds $path" grep -q " $path\$" <<<"$contents"
done
check_not "package holds no file owned by anyone but root" grep -qv ' root/root ' <<<"$contents"
check "conffiles lists /etc/perch/perchd.toml" bash -c "dpkg-deb -I '$deb' conffiles | grep -qx /etc/perch/perchd.toml"

echo "== lintian"
lintian_log="$out/lintian.txt"
if lintian --fail-on error,warning "$deb" >"$lintian_log" 2>&1; then
    pass "lintian: no error or warning"
    sed 's/^/       /' "$lintian_log"
else
    cat "$lintian_log"
    fail "lintian reported errors or warnings"
fi

echo "== install"
if ! $sudo dpkg -i "$deb" >"$out/dpkg-i.txt" 2>&1; then
    echo "   dpkg -i left dependencies unresolved: apt-get install -f"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq -o DPkg::Lock::Timeout=600 >>"$out/dpkg-i.txt" 2>&1 || true
fi
if dpkg-query -W -f='${Status}' perch 2>/dev/null | grep -q "install ok installed"; then
    pass "dpkg reports perch installed"
else
    cat "$out/dpkg-i.txt"
    fail "perch is not installed"
fi

check "user perch exists" getent passwd perch
check "user perch is a system user (uid < 1000)" bash -c '[ "$(id -u perch)" -lt 1000 ]'
check "user perch has no login shell" bash -c 'getent passwd perch | grep -Eq ":(/usr/sbin/nologin|/bin/false)$"'
check "user perch's home is /var/lib/perch" bash -c 'getent passwd perch | cut -d: -f6 | grep -qx /var/lib/perch'
check "group perch exists" getent group perch
check "user perch is in group video" bash -c 'id -nG perch | tr " " "\n" | grep -qx video'
check "/var/lib/perch is perch:perch 0750" bash -c '[ "$(stat -c %U:%G:%a /var/lib/perch)" = perch:perch:750 ]'
for path in /usr/bin/perchd /usr/bin/perch; do
    check "$path is executable" test -x "$path"
done
for path in /etc/perch/perchd.toml /usr/lib/systemd/system/perchd.service /usr/share/man/man8/perchd.8.gz \
    /usr/share/man/man1/perch.1.gz /usr/share/perch/models/cat_v1.json; do
    check "$path exists" test -f "$path"
done
check "dpkg knows /etc/perch/perchd.toml as a conffile" \
    bash -c "dpkg-query -W -f='\${Conffiles}' perch | grep -q '/etc/perch/perchd.toml'"
check "the unit is enabled for multi-user.target (deb-systemd-helper, no systemd needed)" \
    test -L /etc/systemd/system/multi-user.target.wants/perchd.service
check "dpkg --verify finds no changed file" bash -c '[ -z "$(dpkg --verify perch)" ]'

# The binaries must find every library, and the Swift runtime only in /usr/lib/perch (bundled)
# or nowhere (static): never in a toolchain that the device will not have.
ldd_out="$(ldd /usr/bin/perchd /usr/bin/perch)"
check_not "ldd: no library 'not found'" grep -q "not found" <<<"$ldd_out"
outside="$(awk '$2 == "=>" && $3 !~ /^\/(usr\/)?lib\// { print $3 }' <<<"$ldd_out")"
check "ldd: every library resolves in /lib, /usr/lib or /usr/lib/perch${outside:+ (not: $outside)}" test -z "$outside"
runpath="$(readelf -d /usr/bin/perchd | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')"
if [ -d /usr/lib/perch ]; then
    check "RUNPATH of perchd is /usr/lib/perch" test "$runpath" = /usr/lib/perch
else
    check "perchd has no RUNPATH (static Swift runtime)" test -z "$runpath"
fi

help_out="$($sudo runuser -u perch -- /usr/bin/perchd --help 2>&1 || true)"
check "perchd --help runs as user perch" grep -q -- "--config" <<<"$help_out"
check "perch config check accepts the installed /etc/perch/perchd.toml" \
    bash -c "$sudo runuser -u perch -- /usr/bin/perch config check /etc/perch/perchd.toml | grep -q ': ok'"
check "perch inspect reads the installed factory model" \
    bash -c "/usr/bin/perch inspect /usr/share/perch/models/cat_v1.tflite | grep -qi conv"

# verify also opens the man: page of Documentation=, which needs man-db; a minimal system may lack it.
man_check=no
command -v man >/dev/null && man_check=yes
verify_out="$(systemd-analyze verify --man="$man_check" /usr/lib/systemd/system/perchd.service 2>&1)" && verify_rc=0 || verify_rc=$?
if [ "$verify_rc" -eq 0 ] && [ -z "$verify_out" ]; then
    pass "systemd-analyze verify perchd.service: clean (man page checked: $man_check)"
else
    echo "$verify_out"
    fail "systemd-analyze verify perchd.service (exit $verify_rc)"
fi
security_out="$(systemd-analyze security --offline=yes --threshold=25 /usr/lib/systemd/system/perchd.service 2>&1)" \
    && security_rc=0 || security_rc=$?
exposure="$(grep -o 'Overall exposure level for perchd.service: [0-9.]* [A-Z]*' <<<"$security_out" || true)"
if [ "$security_rc" -eq 0 ]; then pass "systemd-analyze security: ${exposure#Overall } (threshold 2.5)"
else echo "$security_out" | grep '✗' || true; fail "systemd-analyze security: ${exposure:-no score} (threshold 2.5)"; fi

echo "== purge"
$sudo dpkg --purge perch >"$out/dpkg-purge.txt" 2>&1 || { cat "$out/dpkg-purge.txt"; fail "dpkg --purge perch"; }
check_not "dpkg no longer lists perch" bash -c "dpkg-query -W -f='\${Status}' perch 2>/dev/null | grep -q installed"
check_not "user perch is gone" getent passwd perch
check_not "group perch is gone" getent group perch
check "group video is still there" getent group video
for path in /usr/bin/perchd /usr/bin/perch /usr/lib/perch /etc/perch /var/lib/perch /usr/share/perch \
    /usr/share/doc/perch /usr/lib/systemd/system/perchd.service /etc/systemd/system/multi-user.target.wants/perchd.service; do
    check_not "$path is gone" test -e "$path"
done

if [ "$failures" -gt 0 ]; then
    echo "== .deb test: $failures check(s) failed"
    exit 1
fi
echo "== .deb test: all checks passed"
