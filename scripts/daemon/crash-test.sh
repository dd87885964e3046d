#!/usr/bin/env bash
# Repeated kill -9 of perchd at random moments (journal writes, uploads, model activation).
#
# Usage: scripts/daemon/crash-test.sh [ROUNDS]   (default 5 rounds; each round is the suite's 50-kill test)
# Runs the CrashTests suite ROUNDS times with the daemon scratch path; every round starts a fresh real
# perch-server and state directory and checks: every committed result on the server exactly once, no gap,
# and a valid active model after every kill.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-5}
swift build --scratch-path .build-daemon --build-tests >/dev/null
for round in $(seq "$ROUNDS"); do
  echo "round $round/$ROUNDS"
  swift test --scratch-path .build-daemon --skip-build --filter CrashTests
done
