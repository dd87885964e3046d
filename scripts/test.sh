#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs what is missing, builds, runs every test.
# Idempotent: a second run installs nothing. `swift test` runs last so its summary closes the output.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/install.sh

perch_install_build_dependencies
perch_apt_install ffmpeg   # a real MJPEG producer for the pipe: source tests
perch_install_packaging_dependencies   # packaging/test-deb.sh
perch_install_cross_dependencies      # cross/ (qemu-user-static, qemu-system-arm)

echo "== Embedded Swift gate (the core must compile without Foundation)"
scripts/check-embedded.sh

echo "== Camera pipeline on real V4L2 drivers (vivid + v4l2loopback in a QEMU VM)"
scripts/vm/test-vivid.sh

echo "== ARM: conformance vectors on aarch64 + armv7 (Embedded Swift under qemu-user), identical to x86_64"
cross/selftest.sh

echo "== ARM: vivid capture -> cat model in an arm64 VM (cortex-a72), identical to the x86_64 replay"
cross/vm-capture.sh

echo "== swift test"
swift build --build-tests
echo "== .deb from .build/debug: lintian, systemd-analyze, install, purge (packaging/test-deb.sh)"
packaging/test-deb.sh .build/debug
swift test --skip-build
