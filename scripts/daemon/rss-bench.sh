#!/usr/bin/env bash
# Steady-state RSS, CPU per frame and journal bytes per hour of perchd running the cat model from a dir: source.
#
# Usage: scripts/daemon/rss-bench.sh [SECONDS] [FPS]   (defaults: 60 s at 10 fps)
# Builds perchd for production (scripts/lib/release-build.sh: release, the Swift runtime linked statically as the
# .deb ships it, function sections laid out by packaging/perchd.order) with its own scratch path
# (.build-daemon-release), runs it offline (no server),
# samples /proc/PID/status (VmRSS, RssAnon, RssFile) and /proc/PID/stat (utime+stime) once a second, and reads the
# journal's bytes-written counter at the end. Needs models/cat/cat_v1.tflite and python3 (to write PPM frames).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-60}
FPS=${2:-10}
source scripts/lib/release-build.sh
"${PERCH_RELEASE_BUILD[@]}" --scratch-path .build-daemon-release --product perchd >/dev/null
BIN="$("${PERCH_RELEASE_BUILD[@]}" --scratch-path .build-daemon-release --show-bin-path)/perchd"
WORK=$(mktemp -d /tmp/perchd-bench.XXXXXX)
mkdir -p "$WORK/frames" "$WORK/state"
python3 - "$WORK/frames" <<'PY'
import sys
for i in range(20):
    w, h = 640, 480
    data = bytearray(f"P6\n{w} {h}\n255\n".encode())
    for y in range(h):
        data += bytes(((x * 2 + i * 17) & 255, (y * 3 + i * 29) & 255, ((x ^ y) + i * 7) & 255)[c]
                      for x in range(w) for c in range(3))
    open(f"{sys.argv[1]}/frame-{i:03d}.ppm", "wb").write(data)
PY
cat > "$WORK/perchd.toml" <<TOML
[device]
state_dir = "$WORK/state"
hardware_id = "bench"
[camera]
source = "dir:$WORK/frames"
fps = $FPS.0
loop = true
[model]
path = "$PWD/models/cat/cat_v1.tflite"
[journal]
commit_interval_ms = 5000
[health]
listen = "127.0.0.1:19464"
[thermal]
throttled_fps = 1.0
[logging]
level = "warning"
TOML
RUN_START=$(date +%s.%N)
"$BIN" --config "$WORK/perchd.toml" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
sleep 5  # warm-up
TICKS=$(getconf CLK_TCK)
read -r U0 S0 < <(awk '{print $14, $15}' /proc/$PID/stat)
START=$(date +%s.%N)
MAX_RSS=0
for _ in $(seq "$SECONDS_TO_RUN"); do
  RSS=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
  [ "$RSS" -gt "$MAX_RSS" ] && MAX_RSS=$RSS
  sleep 1
done
read -r U1 S1 < <(awk '{print $14, $15}' /proc/$PID/stat)
ANON=$(awk '/RssAnon/ {print $2}' /proc/$PID/status)
FILE=$(awk '/RssFile/ {print $2}' /proc/$PID/status)
END=$(date +%s.%N)
kill -TERM $PID; wait $PID || true
RUN_END=$(date +%s.%N)
trap - EXIT
FRAMES=$(python3 - "$WORK/state/journal.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT COALESCE(MAX(seq), 0) FROM results").fetchone()[0])
PY
)
WRITTEN=$(python3 - "$WORK/state/journal.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT COALESCE(SUM(bytes), 0) FROM wear").fetchone()[0])
PY
)
python3 - <<PY
elapsed = $END - $START
cpu = (($U1 + $S1) - ($U0 + $S0)) / $TICKS
frames = $FRAMES
print(f"steady-state max RSS: {$MAX_RSS / 1024:.1f} MiB ({$MAX_RSS * 1024 / 1e6:.1f} MB) over {elapsed:.0f} s at {$FPS} fps")
print(f"at the end: anonymous {$ANON / 1024:.1f} MiB, file-backed {$FILE / 1024:.1f} MiB (binary and shared libraries)")
print(f"CPU: {cpu:.2f} s over the window; frames journaled in total: {frames}")
print(f"CPU per frame (window): {1000 * cpu / max(1, elapsed * $FPS):.2f} ms (assumes the target rate was met)")
run = $RUN_END - $RUN_START
print(f"journal bytes written: {$WRITTEN} in {run:.0f} s = {$WRITTEN * 3600 / run / 1e6:.1f} MB/hour")
PY
rm -rf "$WORK"
