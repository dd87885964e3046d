#!/usr/bin/env bash
# Builds and runs the libFuzzer target for the PerchTFLite reader.
#
#   fuzz/run.sh [RUNS]         RUNS defaults to 1,000,000 executions
#
# Environment: MAX_LEN (default 16384), MODELS (default ../shared/models relative to the repo root).
# Output: fuzz/out/reader-fuzz, corpus in fuzz/corpus-work/ (both git-ignored), crashes in fuzz/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-1000000}"
MAX_LEN="${MAX_LEN:-16384}"
MODELS="${MODELS:-../shared/models}"

mkdir -p fuzz/out fuzz/corpus-work
swiftc -sanitize=fuzzer,address -parse-as-library -O -use-ld=lld \
    fuzz/ReaderFuzz.swift Sources/PerchTFLite/*.swift -o fuzz/out/reader-fuzz

if [ -d "$MODELS" ]; then
    python3 fuzz/seed_corpus.py "$MODELS" fuzz/corpus-work "$MAX_LEN"
else
    echo "note: $MODELS not found; fuzzing from an empty corpus" >&2
fi
printf 'kw1="TFL3"\n' > fuzz/out/tflite.dict

time ./fuzz/out/reader-fuzz fuzz/corpus-work \
    -runs="$RUNS" -max_len="$MAX_LEN" -dict=fuzz/out/tflite.dict \
    -artifact_prefix=fuzz/out/ -print_final_stats=1
