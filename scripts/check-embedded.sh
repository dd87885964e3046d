#!/usr/bin/env bash
# CI gate: the inference core (PerchKernels, PerchTFLite, PerchInference) and the golden-vector
# checker (PerchConformance) must compile as Embedded Swift — no Foundation, no Glibc, no untyped
# throws, no existentials — so the same sources cross-build for ARM boards.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

embedded() {
    local module=$1
    shift
    swiftc -enable-experimental-feature Embedded -wmo -parse-as-library -warnings-as-errors \
        -module-name "$module" -emit-module -emit-module-path "$out/$module.swiftmodule" \
        -I "$out" "$@" $(find "Sources/$module" -name '*.swift' | sort) -o "$out/$module.o" -c
    echo "embedded: $module OK"
}

embedded PerchKernels
embedded PerchTFLite
embedded PerchInference
embedded PerchConformance
