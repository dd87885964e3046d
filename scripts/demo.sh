#!/usr/bin/env bash
# The main job, for a newcomer: build `perch` (release) and run the bundled cat / non-cat model through it.
#   1. inspect it (operators, tensors, MACs, arena),
#   2. verify it bit-exactly against golden vectors computed by TensorFlow Lite Micro,
#   3. benchmark it.
# Installs what is missing (Debian packages). Re-running is safe.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/install.sh
perch_install_build_dependencies

MODEL=models/cat/cat_v1.tflite
VECTORS=models/cat/eval-samples/cat_v1.vectors.json

echo "== building perch (release)"
swift build -c release --product perch >/tmp/perch-demo-build.log 2>&1 || { tail -30 /tmp/perch-demo-build.log; exit 1; }
PERCH=$(swift build -c release --show-bin-path)/perch

echo
echo "== perch inspect $MODEL"
"$PERCH" inspect "$MODEL"
echo
echo "== perch verify $MODEL $VECTORS   (outputs must equal TFLite Micro's, bit for bit)"
"$PERCH" verify "$MODEL" "$VECTORS"
echo
echo "== perch bench $MODEL"
"$PERCH" bench "$MODEL" --iterations 200 --warmup 20
