"""Test cases, the TFLM oracle, the LiteRT BUILTIN_REF cross-check and the vector JSON writer."""

import hashlib
import json
from importlib.metadata import version as dist_version

import numpy as np
from ai_edge_litert.interpreter import Interpreter as LiteRTInterpreter
from ai_edge_litert.interpreter import OpResolverType
from tflite_micro.python.tflite_micro import _version as tflm_version
from tflite_micro.python.tflite_micro import runtime as tflm

from convert import seed_of

RANDOM_CASES = 8
FLOAT_RANDOM_RANGE = 4.0  # float inputs are uniform in [-4, 4]
ORACLE = f"tflite-micro {tflm_version.__version__} reference kernels"
LITERT_REF_ORACLE = f"ai-edge-litert {dist_version('ai-edge-litert')} BUILTIN_REF reference kernels"

_NP = {"int8": np.int8, "float32": np.float32}


def _ties(info, scale, rng):
    """Float inputs x with x/scale exactly k + 0.5 in float32: they pin QUANTIZE's round-half-away-from-zero."""
    scale = np.float32(scale)
    count = int(np.prod(info.shape))
    values = []
    while len(values) < count:
        k = int(rng.integers(-100, 100))
        x = np.float32((k + 0.5) * float(scale))
        if np.float32(x / scale) == np.float32(k + 0.5):
            values.append(x)
    return np.array(values, dtype=np.float32).reshape(info.shape)


def make_cases(name, inputs, quantize_scales):
    """Returns [(case name, [numpy input per position])]: seeded random inputs, then edge inputs.

    `quantize_scales[p]` is the scale that float input p is quantized with (ignored for int8 inputs).
    """
    rng = np.random.default_rng(seed_of(name, "cases"))
    cases = []
    for i in range(RANDOM_CASES):
        data = []
        for info in inputs:
            if info.dtype == "int8":
                data.append(rng.integers(-128, 128, info.shape, dtype=np.int64).astype(np.int8))
            else:
                data.append(rng.uniform(-FLOAT_RANDOM_RANGE, FLOAT_RANDOM_RANGE, info.shape).astype(np.float32))
        cases.append((f"random_{i}", data))
    if all(info.dtype == "int8" for info in inputs):
        cases.append(("all_min", [np.full(info.shape, -128, np.int8) for info in inputs]))
        cases.append(("all_max", [np.full(info.shape, 127, np.int8) for info in inputs]))
        cases.append(("all_zero_point", [np.full(info.shape, info.zero_point, np.int8) for info in inputs]))
    else:
        def fill(value):
            return [np.full(info.shape, value, _NP[info.dtype]) for info in inputs]

        cases.append(("all_zero", fill(0)))
        cases.append(("large_positive_saturates", fill(1000)))
        cases.append(("large_negative_saturates", fill(-1000)))
        cases.append(("quantize_ties", [_ties(info, quantize_scales[p], rng) if info.dtype == "float32" else
                                        rng.integers(-128, 128, info.shape, dtype=np.int64).astype(np.int8)
                                        for p, info in enumerate(inputs)]))
    return cases


def run_tflm(model_bytes, data, output_count):
    """Runs one case in a FRESH TFLM interpreter (reference kernels); returns the outputs in position order."""
    interpreter = tflm.Interpreter.from_bytes(model_bytes)
    for position, x in enumerate(data):
        interpreter.set_input(x, position)
    interpreter.invoke()
    return [np.array(interpreter.get_output(position)) for position in range(output_count)]


def litert_ref(model_bytes):
    """A LiteRT interpreter with the BUILTIN_REF op resolver (reference kernels), one thread."""
    interpreter = LiteRTInterpreter(model_content=model_bytes, num_threads=1,
                                    experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    interpreter.allocate_tensors()
    return interpreter


def run_litert(interpreter, data):
    """Runs one case in LiteRT; returns the outputs in position order."""
    for detail, x in zip(interpreter.get_input_details(), data):
        interpreter.set_tensor(detail["index"], x)
    interpreter.invoke()
    return [np.array(interpreter.get_tensor(d["index"])) for d in interpreter.get_output_details()]


def _number_list(array, dtype):
    if dtype == "int8":
        return "[" + ",".join(str(int(v)) for v in array.reshape(-1)) + "]"
    # repr of the float32 value widened to double: exact, and a Double → Float conversion gives it back.
    return "[" + ",".join(repr(float(v)) for v in array.reshape(-1).astype(np.float32)) + "]"


def _tensor_line(info, array):
    assert tuple(array.shape) == info.shape, (array.shape, info.shape)
    assert array.dtype == _NP[info.dtype], (array.dtype, info.dtype)
    head = json.dumps({"index": info.index, "position": info.position, "shape": list(info.shape),
                       "dtype": info.dtype, "scale": info.scale, "zero_point": info.zero_point})
    return head[:-1] + ', "data": ' + _number_list(array, info.dtype) + "}"


def vectors_json(model_file, model_bytes, inputs, outputs, cases, note, oracle=ORACLE):
    """Renders the vector file in the shared format (pretty-printed, one tensor per line)."""
    lines = ["{",
             f'  "model": {json.dumps(model_file)},',
             f'  "model_sha256": "{hashlib.sha256(model_bytes).hexdigest()}",',
             f'  "oracle": {json.dumps(oracle)},',
             f'  "note": {json.dumps(note, ensure_ascii=False)},',
             '  "cases": [']
    for c, (name, data, expected) in enumerate(cases):
        lines.append("    {")
        lines.append(f'      "name": {json.dumps(name)},')
        lines.append('      "inputs": [')
        lines.append(",\n".join("        " + _tensor_line(i, x) for i, x in zip(inputs, data)))
        lines.append("      ],")
        lines.append('      "outputs": [')
        lines.append(",\n".join("        " + _tensor_line(o, y) for o, y in zip(outputs, expected)))
        lines.append("      ]")
        lines.append("    }" + ("," if c + 1 < len(cases) else ""))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def read_back(text):
    """Parses a vector file back into [(name, [inputs], [outputs])] numpy arrays, for the self-check."""
    doc = json.loads(text)
    result = []
    for case in doc["cases"]:
        def arrays(tensors):
            return [np.array(t["data"], dtype=_NP[t["dtype"]]).reshape(t["shape"]) for t in tensors]

        result.append((case["name"], arrays(case["inputs"]), arrays(case["outputs"])))
    return result
