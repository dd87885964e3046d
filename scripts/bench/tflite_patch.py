"""In-place flatbuffer edit so LiteRT accepts person_detect: bias `quantized_dimension` 3 → 0.

person_detect's 1-D int32 bias tensors carry per-channel quantization with `quantized_dimension = 3`, out of range
for a 1-D tensor. TFLM ignores the field; LiteRT refuses the model. This finds each tensor's
QuantizationParameters table and overwrites the stored int32 field with 0 in a COPY of the bytes; nothing else
moves, so the patched model has the same weights, layout and size. Used by the benchmark only (LiteRT side).
"""

import struct
from dataclasses import dataclass

from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

_QUANTIZED_DIMENSION_VTABLE_OFFSET = 16  # field 6 of QuantizationParameters: 4 + 2 × 6


@dataclass
class Patched:
    """The edited copy and how many tensors were changed (0: `data` is the input unchanged)."""

    data: bytes
    count: int


def patch_bias_quantized_dimension(model_bytes):
    """Returns a copy with `quantized_dimension` set to 0 wherever it is ≥ the tensor's rank."""
    data = bytearray(model_bytes)
    model = schema.Model.GetRootAs(data, 0)
    count = 0
    for s in range(model.SubgraphsLength()):
        graph = model.Subgraphs(s)
        for t in range(graph.TensorsLength()):
            tensor = graph.Tensors(t)
            quant = tensor.Quantization()
            if quant is None or quant.QuantizedDimension() < tensor.ShapeLength():
                continue
            field = quant._tab.Offset(_QUANTIZED_DIMENSION_VTABLE_OFFSET)
            assert field != 0, "a non-zero quantized_dimension must be stored explicitly"
            struct.pack_into("<i", data, quant._tab.Pos + field, 0)
            count += 1
    return Patched(bytes(data), count)
