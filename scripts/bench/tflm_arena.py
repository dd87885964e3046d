#!/usr/bin/env python3
"""Prints the tensor-arena bytes TFLM actually uses for person_detect and mobilenet_v2 (the number to beat).

The TFLM Python wrapper (`tflite-micro` wheel) has no `arena_used_bytes()`; it builds its interpreter with a
RecordingMicroAllocator and exposes `print_allocations()`, which writes the RecordingMicroAllocator report
(`Arena allocation total/head/tail N bytes` and a per-kind breakdown) to the C stderr. This script captures that
report at the file-descriptor level after one invoke(), and also finds by bisection the smallest `arena_size`
the interpreter accepts (that includes the alignment slack of the arena start).

    python3 scripts/bench/tflm_arena.py [--json]
"""

import argparse
import json
import os
import re
import sys
import tempfile

import numpy as np
from tflite_micro.python.tflite_micro import _version
from tflite_micro.python.tflite_micro import runtime

SHARED = os.environ.get("PERCH_SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
MODELS = {
    "person_detect": "models/person_detect/person_detect.tflite",
    "mobilenet_v2": "models/mobilenet_v2/mobilenet_v2_quantized_1x3x224x224.tflite",
}


def capture_stderr(action):
    """Runs `action()` with file descriptor 2 redirected to a temp file; returns what C code wrote there."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            action()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        sink.seek(0)
        return sink.read().decode("utf-8", "replace")


def _interpreter(model_bytes, arena_size=None):
    interpreter = runtime.Interpreter.from_bytes(model_bytes, arena_size=arena_size)
    details = interpreter.get_input_details(0)
    interpreter.set_input(np.zeros(details["shape"], dtype=details["dtype"]), 0)
    interpreter.invoke()
    return interpreter


def recorded_allocations(model_bytes):
    """Parses RecordingMicroAllocator's report: {'total': N, 'head': N, 'tail': N, 'kinds': {...}}."""
    interpreter = _interpreter(model_bytes)
    report = capture_stderr(interpreter.print_allocations)
    result = {"kinds": {}}
    for line in report.splitlines():
        match = re.search(r"Arena allocation (total|head|tail) (\d+) bytes", line)
        if match:
            result[match.group(1)] = int(match.group(2))
            continue
        match = re.search(r"'([^']+)' used (\d+) bytes", line)
        if match:
            result["kinds"][match.group(1)] = int(match.group(2))
    if "total" not in result:
        raise RuntimeError(f"no allocation report from TFLM:\n{report}")
    return result


def smallest_accepted_arena(model_bytes, upper):
    """Bisects the smallest arena_size (bytes) for which TFLM allocates and invokes the model."""
    def works(size):
        try:
            capture_stderr(lambda: _interpreter(model_bytes, size))
            return True
        except RuntimeError:
            return False

    low, high = 0, upper
    assert works(high), "the upper bound must work"
    while high - low > 1:
        middle = (low + high) // 2
        if works(middle):
            high = middle
        else:
            low = middle
    return high


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=SHARED)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-bisect", action="store_true", help="skip the smallest-arena bisection")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.shared, "models")):
        print(f"skip: shared models folder not found at {args.shared}", file=sys.stderr)
        return 0
    results = {}
    for name, relative in MODELS.items():
        with open(os.path.join(args.shared, relative), "rb") as f:
            model_bytes = f.read()
        entry = recorded_allocations(model_bytes)
        if not args.no_bisect:
            entry["smallest_arena_size_accepted"] = smallest_accepted_arena(model_bytes, entry["total"] + 4096)
        results[name] = entry
    if args.json:
        print(json.dumps({"tflm": _version.__version__, "models": results}, indent=2))
        return 0
    print(f"TFLM {_version.__version__} (Python interpreter, RecordingMicroAllocator)")
    for name, entry in results.items():
        line = (f"{name:14s} arena used {entry['total']:>9,d} B  (head/non-persistent {entry['head']:,d}, "
                f"tail/persistent {entry['tail']:,d})")
        if "smallest_arena_size_accepted" in entry:
            line += f"; smallest arena_size accepted {entry['smallest_arena_size_accepted']:,d} B"
        print(line)
        for kind, size in entry["kinds"].items():
            print(f"{'':16s}{kind}: {size:,d} B")
    return 0


if __name__ == "__main__":
    sys.exit(main())
