#!/usr/bin/env bash
# The main job, for a newcomer: the whole Perch loop on this machine, in one process.
#   perch-server (in-process, SQLite) ← perchd (in-process) streaming the bundled photos through cat model v1,
#   detections arriving on the server, then cat v2 pushed, signed, rolled out and swapped in over the air.
# Installs what is missing (Debian packages), builds `perch` (release) and runs `perch demo`.
# Extra arguments go to `perch demo`, e.g.:
#   scripts/demo.sh --source v4l2:/dev/video0       # a USB camera instead of the bundled photos
#   scripts/demo.sh --source 'pipe:rpicam-vid -t 0 --codec mjpeg -o -'   # a Raspberry Pi CSI camera
#   scripts/demo.sh --non-interactive               # stop after the update instead of running until Ctrl-C
# Re-running is safe.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/install.sh
perch_install_build_dependencies

echo "== building perch (release; the first build fetches and compiles dependencies: several minutes)"
swift build -c release --product perch >/tmp/perch-demo-build.log 2>&1 || { tail -30 /tmp/perch-demo-build.log; exit 1; }
PERCH=$(swift build -c release --show-bin-path)/perch
echo
exec "$PERCH" demo "$@"
