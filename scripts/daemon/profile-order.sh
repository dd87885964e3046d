#!/usr/bin/env bash
# Regenerates packaging/perchd.order: the functions perchd runs, which the linker lays out next to each other.
#
# Usage: scripts/daemon/profile-order.sh [SECONDS]   (default 90)
# Builds perchd and perch-server for production (scripts/lib/release-build.sh, scratch path .build-daemon-release),
# starts perch-server on loopback, and runs perchd under valgrind's callgrind for SECONDS, doing what it does on a
# board: frames from a dir: source through the cat model, events and results into the journal, enrollment, result
# sync, heartbeats and OTA polls against the server, /healthz and /metrics scrapes. Every function callgrind saw
# run that the binary defines becomes a line of the order file (sorted: the file diffs well).
# Why: the kernel maps a binary's code in 64 KB windows around each page fault; with the daemon's ~1.5 MB of
# executed code spread over 30 MB of text, those windows made most of the binary resident (rss-bench.sh).
# A stale order file costs memory, never correctness: the linker skips names it does not find. Rerun it after
# changes that move what the daemon runs (new dependencies, a new sync or capture path).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/install.sh
source scripts/lib/release-build.sh
SECONDS_TO_RUN=${1:-90}
perch_apt_install valgrind python3
SCRATCH=.build-daemon-release
for product in perchd perch-server; do
    "${PERCH_RELEASE_BUILD[@]}" --scratch-path "$SCRATCH" --product "$product" >/dev/null
done
BIN="$("${PERCH_RELEASE_BUILD[@]}" --scratch-path "$SCRATCH" --show-bin-path)"
WORK=$(mktemp -d /tmp/perchd-order.XXXXXX)
cleanup() { kill "${DAEMON:-}" "${SERVER:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK/state" "$WORK/server" "$WORK/frames"
# valgrind cannot read the toolchain's DWARF 5; the function symbols are all it needs.
strip --strip-debug -o "$WORK/perchd" "$BIN/perchd"
cp models/cat/demo-frames/*.jpg "$WORK/frames/"

PORT=$((20000 + RANDOM % 20000))
HEALTH_PORT=$((PORT + 1))
echo "profile-secret-$RANDOM$RANDOM" > "$WORK/enrollment.secret"
"$BIN/perch-server" --data "$WORK/server" --port "$PORT" --enrollment-secret-file "$WORK/enrollment.secret" \
    --log-level warning >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do [ -s "$WORK/server/fleet-signing.pub" ] && break; sleep 0.2; done
[ -s "$WORK/server/fleet-signing.pub" ] || { cat "$WORK/server.log" >&2; echo "perch-server did not start" >&2; exit 1; }

cat > "$WORK/perchd.toml" <<TOML
[device]
state_dir = "$WORK/state"
hardware_id = "order-profile"
[camera]
source = "dir:$WORK/frames"
fps = 10.0
loop = true
[model]
path = "$PWD/models/cat/cat_v1.tflite"
[postprocess]
event_labels = ["cat"]
snapshot = true
[journal]
commit_interval_ms = 2000
[sync]
server_url = "http://127.0.0.1:$PORT"
enrollment_secret_file = "$WORK/enrollment.secret"
heartbeat_interval_s = 5
[ota]
enabled = true
poll_interval_s = 5
fleet_public_key = "$(tr -d '\n' < "$WORK/server/fleet-signing.pub")"
[health]
listen = "127.0.0.1:$HEALTH_PORT"
[logging]
level = "info"
TOML
echo "== perchd under callgrind for ${SECONDS_TO_RUN}s (slow: ~50x)"
valgrind --tool=callgrind --demangle=no --compress-strings=no --callgrind-out-file="$WORK/callgrind.out" \
    "$WORK/perchd" --config "$WORK/perchd.toml" >"$WORK/perchd.log" 2>&1 &
DAEMON=$!
END=$((SECONDS + SECONDS_TO_RUN))
while [ $SECONDS -lt $END ]; do
    sleep 5
    kill -0 $DAEMON 2>/dev/null || { tail -20 "$WORK/perchd.log" >&2; echo "perchd exited" >&2; exit 1; }
    curl -s -m 10 "http://127.0.0.1:$HEALTH_PORT/healthz" >/dev/null || true
    curl -s -m 10 "http://127.0.0.1:$HEALTH_PORT/metrics" >/dev/null || true
done
kill -TERM $DAEMON
wait $DAEMON || true
DAEMON=
# The profile only counts if the daemon did its online work: its results reached the server.
STORED=$(curl -s -m 10 -H "Authorization: Bearer $(cat "$WORK/server/admin.token")" \
    "http://127.0.0.1:$PORT/api/v1/results?limit=5" | grep -o '"seq"' | wc -l)
[ "$STORED" -gt 0 ] || { tail -20 "$WORK/perchd.log" >&2; echo "no results reached the server: profile not representative" >&2; exit 1; }
echo "results on the server: ok"
grep -q "^fn=" "$WORK/callgrind.out" || { tail -20 "$WORK/perchd.log" >&2; echo "no profile written" >&2; exit 1; }
python3 - "$WORK/callgrind.out" "$BIN/perchd" packaging/perchd.order <<'PY'
import subprocess, sys
profile, binary, out = sys.argv[1:]
ran = {line.split("=", 1)[1].strip() for line in open(profile, errors="replace") if line.startswith(("fn=", "cfn="))}
defined = {}
nm = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
for line in nm.splitlines():
    fields = line.split()
    if len(fields) == 4 and fields[2] in "tTwW":
        defined[fields[3]] = int(fields[1], 16)
# valgrind hides AVX-512 from cpuid, so under callgrind CONV_2D takes the Swift loops; a CPU with VNNI runs the
# hardware dot-product path instead (CPerchDot and the Swift code around it), added here by name.
dot_product = {name for name in defined if name.startswith("perch_dot_") or "DotProduct" in name}
names = sorted(name for name in ran | dot_product if name in defined)
open(out, "w").write("".join(name + "\n" for name in names))
print(f"{out}: {len(names)} functions, {sum(defined[n] for n in names) / 2**20:.2f} MiB of code "
      f"(of {sum(defined.values()) / 2**20:.1f} MiB defined)")
PY
