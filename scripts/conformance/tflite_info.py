"""Reads what the generator needs from a .tflite flatbuffer: operators, subgraph inputs/outputs, quantization.

Uses the flatbuffer schema module shipped inside the pinned `tflite-micro` wheel, so the op list comes from the
bytes that are committed, not from the converter's idea of them.
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

_OP_NAMES = {
    value: name
    for name, value in vars(schema.BuiltinOperator).items()
    if not name.startswith("_") and isinstance(value, int)
}

_TENSOR_TYPES = {
    value: name
    for name, value in vars(schema.TensorType).items()
    if not name.startswith("_") and isinstance(value, int)
}


@dataclass(frozen=True)
class TensorInfo:
    """One subgraph input or output: tensor index, position, static shape, dtype and per-tensor quantization."""

    index: int
    position: int
    shape: tuple
    dtype: str  # "int8" or "float32" (lower-case TensorType name)
    scale: float  # 0.0 for a tensor without quantization
    zero_point: int


def _model(model_bytes):
    return schema.Model.GetRootAs(bytearray(model_bytes), 0)


def operator_names(model_bytes):
    """Returns the builtin operator names of subgraph 0, in execution order (e.g. ["QUANTIZE", "CONV_2D"])."""
    model = _model(model_bytes)
    codes = []
    for i in range(model.OperatorCodesLength()):
        code = model.OperatorCodes(i)
        # Schema v3a keeps small codes in deprecated_builtin_code; the real code is the larger of the two.
        codes.append(max(code.BuiltinCode(), code.DeprecatedBuiltinCode()))
    graph = model.Subgraphs(0)
    return [_OP_NAMES[codes[graph.Operators(i).OpcodeIndex()]] for i in range(graph.OperatorsLength())]


def operator_summary(model_bytes):
    """Returns e.g. "QUANTIZE, 2 × CONV_2D, ADD": ops in first-appearance order, with counts above one."""
    names = operator_names(model_bytes)
    counts = Counter(names)
    seen = []
    for name in names:
        if name not in seen:
            seen.append(name)
    return ", ".join(name if counts[name] == 1 else f"{counts[name]} × {name}" for name in seen)


def _tensor_info(graph, tensor_index, position):
    tensor = graph.Tensors(tensor_index)
    dtype = _TENSOR_TYPES[tensor.Type()].lower()
    quant = tensor.Quantization()
    scale, zero_point = 0.0, 0
    if quant is not None and quant.ScaleLength() > 0:
        assert quant.ScaleLength() == 1, "graph inputs/outputs must be per-tensor quantized"
        scale = float(np.float32(quant.Scale(0)))
        zero_point = int(quant.ZeroPoint(0))
    shape = tuple(int(d) for d in tensor.ShapeAsNumpy())
    return TensorInfo(tensor_index, position, shape, dtype, scale, zero_point)


def io_tensors(model_bytes):
    """Returns (inputs, outputs) of subgraph 0 as lists of `TensorInfo`, in position order."""
    graph = _model(model_bytes).Subgraphs(0)
    inputs = [_tensor_info(graph, int(graph.Inputs(p)), p) for p in range(graph.InputsLength())]
    outputs = [_tensor_info(graph, int(graph.Outputs(p)), p) for p in range(graph.OutputsLength())]
    return inputs, outputs


def builtin_options_of(model_bytes, op_name):
    """Returns a list of dicts of the scalar builtin options of every `op_name` operator (for README notes)."""
    model = _model(model_bytes)
    graph = model.Subgraphs(0)
    result = []
    for i in range(graph.OperatorsLength()):
        op = graph.Operators(i)
        code = model.OperatorCodes(op.OpcodeIndex())
        if _OP_NAMES[max(code.BuiltinCode(), code.DeprecatedBuiltinCode())] != op_name:
            continue
        table = op.BuiltinOptions()
        if table is None:
            result.append({})
            continue
        cls_name = {
            "CONV_2D": "Conv2DOptions",
            "DEPTHWISE_CONV_2D": "DepthwiseConv2DOptions",
            "FULLY_CONNECTED": "FullyConnectedOptions",
            "SOFTMAX": "SoftmaxOptions",
            "LEAKY_RELU": "LeakyReluOptions",
            "RESIZE_BILINEAR": "ResizeBilinearOptions",
            "CONCATENATION": "ConcatenationOptions",
            "REDUCER": "ReducerOptions",
            "MEAN": "ReducerOptions",
            "ADD": "AddOptions",
            "MUL": "MulOptions",
            "AVERAGE_POOL_2D": "Pool2DOptions",
            "MAX_POOL_2D": "Pool2DOptions",
        }.get(op_name)
        if cls_name is None:
            result.append({})
            continue
        options = getattr(schema, cls_name)()
        options.Init(table.Bytes, table.Pos)
        values = {}
        for attr in dir(options):
            if attr[0].isupper() and attr not in ("Init", "GetRootAs") and not attr.startswith("GetRootAs"):
                try:
                    value = getattr(options, attr)()
                except TypeError:
                    continue
                if isinstance(value, (int, float, bool)):
                    values[attr] = value
        result.append(values)
    return result


def consumer_output_quantization(model_bytes, tensor_index):
    """Returns (scale, zero_point) of the output of the first operator that reads `tensor_index`.

    For a float32 model input this is the int8 tensor its QUANTIZE produces, whose scale the tie cases need.
    """
    graph = _model(model_bytes).Subgraphs(0)
    for i in range(graph.OperatorsLength()):
        op = graph.Operators(i)
        if tensor_index in [int(op.Inputs(j)) for j in range(op.InputsLength())]:
            info = _tensor_info(graph, int(op.Outputs(0)), 0)
            return info.scale, info.zero_point
    raise ValueError(f"no operator reads tensor {tensor_index}")


def set_softmax_beta(model_bytes, beta):
    """Returns a copy of the model with every SOFTMAX's beta set to `beta` (object API unpack → edit → repack).

    The converter never emits beta ≠ 1 (softmax(β·x) stays MUL + SOFTMAX), so a beta case needs this edit. The
    repacked file is a valid TFLite flatbuffer with the same tensors, buffers and quantization.
    """
    import flatbuffers

    model = schema.ModelT.InitFromObj(_model(model_bytes))
    names = {i: _OP_NAMES[max(c.builtinCode, c.deprecatedBuiltinCode)] for i, c in enumerate(model.operatorCodes)}
    edited = 0
    for op in model.subgraphs[0].operators:
        if names[op.opcodeIndex] == "SOFTMAX":
            op.builtinOptions.beta = beta
            edited += 1
    assert edited, "no SOFTMAX to edit"
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


_PADDING = {0: "SAME", 1: "VALID"}
_ACTIVATION = {0: None, 1: "RELU", 2: "RELU_N1_TO_1", 3: "RELU6", 4: "TANH", 5: "SIGN_BIT"}


def _short(op_name, o):
    parts = []
    if "StrideH" in o:
        parts.append(f"s{o['StrideH']}×{o['StrideW']}")
    if "FilterHeight" in o:
        parts.append(f"k{o['FilterHeight']}×{o['FilterWidth']}")
    if o.get("DilationHFactor", 1) != 1 or o.get("DilationWFactor", 1) != 1:
        parts.append(f"d{o['DilationHFactor']}×{o['DilationWFactor']}")
    if "DepthMultiplier" in o:
        parts.append(f"mult {o['DepthMultiplier']}")
    if "Padding" in o:
        parts.append(_PADDING[o["Padding"]])
    if o.get("KeepNumDims"):
        parts.append("keep_num_dims")
    if "KeepDims" in o:
        parts.append(f"keepdims {str(o['KeepDims']).lower()}")
    if "Axis" in o:
        parts.append(f"axis {o['Axis']}")
    if "Beta" in o:
        parts.append(f"beta {o['Beta']:g}")
    if "Alpha" in o:
        parts.append(f"alpha {o['Alpha']:.2g}")
    if o.get("AlignCorners"):
        parts.append("align_corners")
    if o.get("HalfPixelCenters"):
        parts.append("half_pixel_centers")
    if _ACTIVATION.get(o.get("FusedActivationFunction", 0)):
        parts.append(_ACTIVATION[o["FusedActivationFunction"]])
    return f"{op_name}({', '.join(parts)})" if parts else None


def options_summary(model_bytes):
    """Returns e.g. "CONV_2D(s2×2, SAME, RELU6); SOFTMAX(beta 1)" for the ops whose options matter."""
    seen = []
    for name in dict.fromkeys(operator_names(model_bytes)):
        for options in builtin_options_of(model_bytes, name):
            text = _short(name, options)
            if text and text not in seen:
                seen.append(text)
    return "; ".join(seen)
