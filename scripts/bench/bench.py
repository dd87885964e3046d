#!/usr/bin/env python3
"""Times one model on Perch, LiteRT (XNNPACK), LiteRT (builtin kernels, no delegate) and TFLM, single thread.

Normally started by bench.sh, which builds the Perch CLI first. Every engine gets the same input (the first case
of the model's shared vectors file), a warm-up, then `--iterations` timed invoke() calls (fewer if
`--max-seconds` runs out first, never fewer than `--min-iterations`). Only invoke() is timed. Prints a table
(model, engine, median ms, p90 ms, Perch/engine ratio) or, with --json, one JSON object.

Python is only the harness here: it never runs in Perch's runtime path.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tflite_patch import patch_bias_quantized_dimension  # noqa: E402

SHARED = os.environ.get("PERCH_SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
MODELS = {
    "person_detect": "models/person_detect/person_detect.tflite",
    "mobilenet_v2": "models/mobilenet_v2/mobilenet_v2_quantized_1x3x224x224.tflite",
}


def percentile_ms(samples_ns, q):
    """The q-th percentile of nanosecond samples, in milliseconds (numpy's linear interpolation)."""
    return float(np.percentile(np.asarray(samples_ns, dtype=np.float64), q)) / 1e6


def summary(samples_ns):
    """min / median / p90 / p99 in ms plus the sample count."""
    return {"iterations": len(samples_ns), "min_ms": min(samples_ns) / 1e6, "median_ms": percentile_ms(samples_ns, 50),
            "p90_ms": percentile_ms(samples_ns, 90), "p99_ms": percentile_ms(samples_ns, 99)}


def time_invokes(invoke, args, before_each=None):
    """Warm-up, then times invoke() until `iterations` or `max_seconds` (at least `min_iterations`).

    `before_each` (untimed) runs before every invoke: TFLM's planner reuses the input tensor's memory for later
    activations, so its input must be set again before each invoke or the next result is garbage.
    """
    for _ in range(args.warmup):
        if before_each:
            before_each()
        invoke()
    samples, deadline = [], time.monotonic() + args.max_seconds
    while len(samples) < args.iterations and (len(samples) < args.min_iterations or time.monotonic() < deadline):
        if before_each:
            before_each()
        start = time.perf_counter_ns()
        invoke()
        samples.append(time.perf_counter_ns() - start)
    return samples


def first_case_input(model_path):
    """The first case's int8 input from the model's vectors file, as a numpy array of the static shape."""
    vectors = os.path.splitext(model_path)[0] + ".vectors.json"
    with open(vectors, encoding="utf-8") as f:
        case = json.load(f)["cases"][0]
    tensor = case["inputs"][0]
    return case["name"], np.array(tensor["data"], dtype=np.int8).reshape(tensor["shape"])


def litert_engine(model_bytes, data, resolver, args):
    """Times LiteRT with the given op resolver (None = default, which applies XNNPACK), one thread."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    kwargs = {"model_content": model_bytes, "num_threads": 1}
    if resolver is not None:
        kwargs["experimental_op_resolver_type"] = getattr(OpResolverType, resolver)
    interpreter = Interpreter(**kwargs)
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], data)
    samples = time_invokes(interpreter.invoke, args)
    output = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    return samples, np.array(output)


def tflm_engine(model_bytes, data, args):
    """Times the TFLM Python interpreter (reference kernels)."""
    from tflite_micro.python.tflite_micro import runtime

    interpreter = runtime.Interpreter.from_bytes(model_bytes)
    samples = time_invokes(interpreter.invoke, args, before_each=lambda: interpreter.set_input(data, 0))
    return samples, np.array(interpreter.get_output(0))


def perch_engine(perch_bin, model_path, data, args, extra_flags=()):
    """Runs `perch bench MODEL --input BYTES --iterations N --warmup W --json` (plus `extra_flags`) on the same
    input as the other engines; returns its JSON object (or None + reason)."""
    if not perch_bin or not os.access(perch_bin, os.X_OK):
        return None, "Perch CLI not built (see bench.sh output)"
    with tempfile.NamedTemporaryFile(prefix="perch-bench-input-", suffix=".bin", delete=False) as f:
        f.write(np.ascontiguousarray(data).tobytes())
        input_path = f.name
    command = [perch_bin, "bench", model_path, "--input", input_path, "--iterations", str(args.iterations),
               "--warmup", str(args.warmup), "--json", *extra_flags]
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    finally:
        os.unlink(input_path)
    if result.returncode != 0:
        return None, f"`perch bench` failed (exit {result.returncode}): {result.stderr.strip()[:300]}"
    try:
        return json.loads(result.stdout), None
    except json.JSONDecodeError:
        return None, f"`perch bench --json` printed no JSON object: {result.stdout.strip()[:300]}"


def bench_model(name, args):
    """Benchmarks one shared model on every engine; returns a list of result rows."""
    model_path = os.path.realpath(os.path.join(args.shared, MODELS[name]))
    with open(model_path, "rb") as f:
        model_bytes = f.read()
    case, data = first_case_input(model_path)
    rows, reference = [], None

    def row(engine, samples=None, extra=None, note=""):
        entry = {"model": name, "engine": engine, "input_case": case, "note": note}
        if samples is not None:
            entry.update(summary(samples))
        entry.update(extra or {})
        rows.append(entry)
        return entry

    def perch_row(engine, extra_flags=()):
        perch, reason = perch_engine(args.perch_bin, model_path, data, args, extra_flags)
        if perch is None:
            row(engine, note=f"skipped: {reason}")
            return None
        latency = perch.get("latency_ms", {})
        row(engine, extra={"iterations": perch.get("iterations"), "min_ms": latency.get("min"),
                           "median_ms": latency.get("median"), "p90_ms": latency.get("p90"),
                           "p99_ms": latency.get("p99"), "arena_bytes": perch.get("arena_bytes"),
                           "rss_bytes": perch.get("rss_bytes"), "instructions": perch.get("instructions")},
            note=f"{perch.get('instructions')} CONV_2D; arena {perch.get('arena_bytes')} B, "
                 f"RSS {perch.get('rss_bytes')} B")
        return perch

    perch = perch_row("perch")
    if perch is not None and perch.get("instructions") not in (None, "swift-simd"):
        # The Swift loops alone, as on CPUs without the dot-product instruction (e.g. the ARM boards).
        perch_row("perch (swift simd only)", ["--no-hardware-dot-product"])

    if "tflm" in args.engines:
        samples, reference = tflm_engine(model_bytes, data, args)
        row("tflm (reference kernels)", samples)

    litert_bytes, litert_note = model_bytes, ""
    patched = patch_bias_quantized_dimension(model_bytes)
    if patched.count:
        litert_bytes = patched.data
        litert_note = (f"LiteRT ran a temp copy with quantized_dimension 3→0 on {patched.count} 1-D bias "
                       f"tensors (TFLM ignores the field)")
        if args.keep_patched:
            path = os.path.join(tempfile.mkdtemp(prefix="perch-bench-"), os.path.basename(model_path))
            with open(path, "wb") as f:
                f.write(litert_bytes)
            litert_note += f"; copy at {path}"
    for engine, resolver in (("litert xnnpack (default)", None),
                             ("litert builtin (no delegates)", "BUILTIN_WITHOUT_DEFAULT_DELEGATES")):
        key = "litert" if resolver is None else "litert-builtin"
        if key not in args.engines:
            continue
        try:
            samples, output = litert_engine(litert_bytes, data, resolver, args)
        except Exception as error:  # report, do not hide: LiteRT may refuse a model
            row(engine, note=f"LiteRT unable: {error}")
            continue
        note = litert_note
        if reference is not None:
            delta = int(np.max(np.abs(output.astype(np.int32) - reference.astype(np.int32))))
            note = (note + "; " if note else "") + ("output == TFLM" if delta == 0 else f"output max |Δ| vs TFLM {delta}")
        row(engine, samples, note=note)

    perch_median = rows[0].get("median_ms")
    for entry in rows:
        if perch_median and entry.get("median_ms"):
            entry["perch_over_engine"] = perch_median / entry["median_ms"]
    return rows


def print_table(rows):
    """Prints the human-readable table."""
    header = f"{'model':14s} {'engine':32s} {'iters':>6s} {'median ms':>10s} {'p90 ms':>9s} {'Perch/engine':>12s}"
    print(header)
    print("-" * len(header))
    for r in rows:
        def fmt(key, width, spec=".3f"):
            value = r.get(key)
            return f"{value:{width}{spec}}" if isinstance(value, (int, float)) else f"{'–':>{width}s}"

        print(f"{r['model']:14s} {r['engine']:32s} {fmt('iterations', 6, 'd')} {fmt('median_ms', 10)} "
              f"{fmt('p90_ms', 9)} {fmt('perch_over_engine', 12)}")
    notes = [f"  {r['model']} / {r['engine']}: {r['note']}" for r in rows if r.get("note")]
    if notes:
        print("\nnotes:")
        print("\n".join(notes))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--engines", nargs="+", default=["tflm", "litert", "litert-builtin"],
                        choices=["tflm", "litert", "litert-builtin"], help="Python-side engines to time")
    parser.add_argument("--perch-bin", help="path of the release `perch` executable (skipped when absent)")
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--min-iterations", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--max-seconds", type=float, default=30.0, help="time budget per engine and model")
    parser.add_argument("--shared", default=SHARED, help="the shared folder holding models/")
    parser.add_argument("--keep-patched", action="store_true", help="keep LiteRT's patched model copy")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.shared, "models")):
        print(f"skip: shared models folder not found at {args.shared}", file=sys.stderr)
        return 0
    rows = [r for name in args.models for r in bench_model(name, args)]
    if args.json:
        print(json.dumps({"threads": 1, "cpu": _cpu_name(), "results": rows}, indent=2))
    else:
        print(f"single thread, cpu: {_cpu_name()}\n")
        print_table(rows)
    return 0


def _cpu_name():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
