# Shared install helpers: install Debian packages only when missing (idempotent, non-interactive).

# Installs the given Debian packages that are not installed yet.
perch_apt_install() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "== installing: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
            -o DPkg::Lock::Timeout=600 "${missing[@]}"
    fi
}

# What building Perch needs besides the Swift toolchain.
perch_install_build_dependencies() {
    if ! command -v swift >/dev/null 2>&1; then
        echo "Swift 6.3 is needed: see https://www.swift.org/install/linux/ (the toolchain at /opt/swift on our machines)" >&2
        exit 1
    fi
    perch_apt_install pkg-config libv4l-dev libjpeg-dev libsqlite3-dev
}

# What packaging/test-deb.sh needs: dpkg-shlibdeps (dpkg-dev), strip and readelf (binutils), patchelf
# (RUNPATH of builds with a bundled Swift runtime), lintian, systemd-analyze (systemd), adduser.
perch_install_packaging_dependencies() {
    perch_apt_install dpkg-dev binutils patchelf lintian systemd adduser
}

# What cross/ needs: qemu-user-static (the ARM self-test), qemu-system-arm (the arm64 capture VM; its script also
# installs it when missing), binutils (readelf), file. The ARM sysroots come from `apt-get download`, not apt install.
perch_install_cross_dependencies() {
    perch_apt_install qemu-user-static qemu-system-arm binutils file
}
