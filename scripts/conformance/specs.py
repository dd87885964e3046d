"""The conformance models: one `Spec` per generated .tflite, with what it must contain and what it covers.

A spec's `body(rng, *inputs)` is traced once by tf.function with static float32 input shapes; weights are drawn
from `rng` during that single trace, so they depend only on the model's seed. `ops` is the exact set of builtin
operators the converted model must contain (the generator fails otherwise).
"""

from dataclasses import dataclass, field

import numpy as np
import tensorflow as tf

from layers import conv2d, dense, depthwise_conv2d
from tflite_info import set_softmax_beta


@dataclass
class Spec:
    """One generated model."""

    name: str
    shapes: list  # static input shapes, in position order
    body: object  # (rng, *tensors) -> tensor or tuple of tensors
    ops: set  # exact set of builtin operator names expected in the converted model
    covers: str  # what the model is for (README)
    float_input: bool = False  # float32 model input (QUANTIZE at the start)
    float_output: bool = False  # float32 model output (DEQUANTIZE at the end)
    per_tensor: bool = False  # disable per-channel weight quantization
    input_sigma: list = field(default_factory=list)  # per-input std of the N(0, σ²) calibration data (default 1)
    oracle: str = "tflm"  # "tflm", or "litert-ref" where TFLM's kernel is known broken (the README says why)
    patch: object = None  # optional bytes -> bytes edit of the converted model (e.g. SOFTMAX beta)


def _add_specs():
    specs = []

    def conv(name, shape, filters, kernel, strides=1, padding="SAME", dilation=1, act=None, per_tensor=False, covers=""):
        specs.append(
            Spec(
                name,
                [shape],
                lambda rng, x: conv2d(x, rng, filters, kernel, strides, padding, dilation, act),
                {"CONV_2D"},
                covers,
                per_tensor=per_tensor,
            )
        )

    # MARK: - CONV_2D
    conv("conv_3x3_s1_same_relu", [1, 8, 8, 4], 8, 3, 1, "SAME", act="relu", covers="3×3, stride 1, SAME, fused RELU")
    conv("conv_3x3_s2_valid", [1, 9, 9, 3], 6, 3, 2, "VALID", covers="3×3, stride 2, VALID, no activation")
    conv("conv_3x3_s2_same_relu6", [1, 8, 8, 3], 4, 3, 2, "SAME", act="relu6",
         covers="3×3, stride 2, SAME on an even size (asymmetric padding), fused RELU6")
    conv("conv_3x3_dil2_same", [1, 10, 10, 3], 4, 3, 1, "SAME", 2, covers="dilation 2, SAME (static batch 1)")
    conv("conv_3x3_dil2_valid_relu", [1, 9, 9, 2], 4, 3, 1, "VALID", 2, act="relu", covers="dilation 2, VALID, RELU")
    conv("conv_1x1_relu6", [1, 6, 6, 8], 12, 1, 1, "SAME", act="relu6", covers="1×1 pointwise, RELU6")
    conv("conv_1x1_s2", [1, 8, 8, 4], 4, 1, 2, "VALID", covers="1×1, stride 2 (resnet-style shortcut)")
    conv("conv_5x5_s2_same", [1, 9, 9, 3], 4, 5, 2, "SAME", covers="5×5, stride 2, SAME")
    conv("conv_5x5_s1_valid_relu", [1, 8, 8, 2], 3, 5, 1, "VALID", act="relu", covers="5×5, stride 1, VALID, RELU")
    conv("conv_3x1_s2x1_same", [1, 8, 6, 3], 5, (3, 1), (2, 1), "SAME",
         covers="non-square kernel 3×1 and strides 2×1, non-square input")
    conv("conv_2x3_s1x2_valid_relu", [1, 7, 9, 2], 4, (2, 3), (1, 2), "VALID", act="relu",
         covers="non-square kernel 2×3, strides 1×2, VALID")
    conv("conv_3x3_per_tensor", [1, 6, 6, 4], 4, 3, 1, "SAME", per_tensor=True,
         covers="per-TENSOR weight quantization (one scale for all filters)")

    # MARK: - DEPTHWISE_CONV_2D
    def dw(name, shape, kernel, mult=1, strides=1, padding="SAME", dilation=1, act=None, covers=""):
        specs.append(
            Spec(
                name,
                [shape],
                lambda rng, x: depthwise_conv2d(x, rng, kernel, mult, strides, padding, dilation, act),
                {"DEPTHWISE_CONV_2D"},
                covers,
            )
        )

    dw("dw_3x3_s1_same_relu6", [1, 8, 8, 6], 3, 1, 1, "SAME", act="relu6", covers="multiplier 1, stride 1, RELU6")
    dw("dw_3x3_s2_valid", [1, 9, 9, 4], 3, 1, 2, "VALID", covers="multiplier 1, stride 2, VALID")
    dw("dw_3x3_s2_same_m2", [1, 8, 8, 4], 3, 2, 2, "SAME", covers="multiplier 2, stride 2, SAME")
    dw("dw_3x3_s1_same_m2_relu", [1, 6, 6, 3], 3, 2, 1, "SAME", act="relu", covers="multiplier 2, stride 1, RELU")
    dw("dw_3x3_dil2_same", [1, 10, 10, 4], 3, 1, 1, "SAME", 2, covers="dilation 2, SAME (static batch 1)")
    dw("dw_5x5_s1_valid_relu", [1, 8, 8, 3], 5, 1, 1, "VALID", act="relu", covers="5×5, VALID, RELU")

    # MARK: - FULLY_CONNECTED
    def fc(name, shape, units, bias=True, act=None, covers=""):
        specs.append(Spec(name, [shape], lambda rng, x: dense(x, rng, units, bias, act), {"FULLY_CONNECTED"}, covers))

    fc("fc_32_to_16_relu", [1, 32], 16, act="relu", covers="with bias, fused RELU")
    fc("fc_32_to_16_nobias", [1, 32], 16, bias=False, covers="without bias")
    fc("fc_48_to_5", [1, 48], 5, covers="with bias, no activation")
    fc("fc_batch3_24_to_10", [3, 24], 10, covers="batch 3 (3 rows)")

    def fc_keep_dims(rng, x):
        w = rng.normal(0.0, 0.5, (16, 8)).astype(np.float32)
        b = rng.normal(0.0, 0.2, (8,)).astype(np.float32)
        return tf.einsum("bij,jk->bik", x, w) + b

    specs.append(Spec("fc_keep_num_dims", [[1, 4, 16]], fc_keep_dims, {"FULLY_CONNECTED"},
                      "3-D input [1,4,16] → [1,4,8] (keep_num_dims)"))
    return specs


def _pool_specs():
    specs = []

    def pool(name, kind, shape, k, s, padding, covers):
        fn = tf.nn.avg_pool2d if kind == "avg" else tf.nn.max_pool2d
        op = "AVERAGE_POOL_2D" if kind == "avg" else "MAX_POOL_2D"
        specs.append(Spec(name, [shape], lambda rng, x: fn(x, k, s, padding), {op}, covers))

    pool("avgpool_2x2_s2_valid", "avg", [1, 8, 8, 4], 2, 2, "VALID", "2×2, stride 2, VALID")
    pool("avgpool_3x3_s2_same", "avg", [1, 9, 9, 3], 3, 2, "SAME", "3×3, stride 2, SAME (edge windows average fewer)")
    pool("avgpool_3x3_s1_same", "avg", [1, 6, 6, 4], 3, 1, "SAME", "3×3, stride 1, SAME")
    pool("maxpool_2x2_s2_valid", "max", [1, 8, 8, 4], 2, 2, "VALID", "2×2, stride 2, VALID")
    pool("maxpool_3x3_s2_same", "max", [1, 9, 9, 3], 3, 2, "SAME", "3×3, stride 2, SAME")
    pool("maxpool_3x3_s1_same", "max", [1, 6, 6, 4], 3, 1, "SAME", "3×3, stride 1, SAME")
    return specs


def _binary_specs():
    specs = []

    def binary(name, op, shapes, act=None, sigma=(1.0, 2.0), covers=""):
        fn = tf.add if op == "ADD" else tf.multiply
        specs.append(
            Spec(name, shapes, lambda rng, a, b: _act(fn(a, b), act), {op}, covers, input_sigma=list(sigma))
        )

    def with_const(name, op, shape, const_shape, covers):
        fn = tf.add if op == "ADD" else tf.multiply

        def body(rng, x):
            return fn(x, rng.normal(0.0, 1.0, const_shape).astype(np.float32))

        specs.append(Spec(name, [shape], body, {op}, covers))

    binary("add_same_shape", "ADD", [[1, 6, 6, 4], [1, 6, 6, 4]], covers="same shapes, different input scales")
    binary("add_relu", "ADD", [[1, 4, 4, 4], [1, 4, 4, 4]], act="relu", covers="same shapes, fused RELU")
    binary("add_broadcast_channel", "ADD", [[1, 6, 6, 4], [1, 1, 1, 4]], covers="broadcast [1,1,1,C]")
    binary("add_broadcast_spatial_relu6", "ADD", [[1, 5, 4, 3], [1, 5, 1, 1]], act="relu6",
           covers="broadcast [1,H,1,1], fused RELU6")
    with_const("add_const", "ADD", [1, 4, 4, 4], (4,), "constant int8 second operand, broadcast [C]")
    binary("mul_same_shape", "MUL", [[1, 6, 6, 4], [1, 6, 6, 4]], covers="same shapes, different input scales")
    binary("mul_relu", "MUL", [[1, 4, 4, 4], [1, 4, 4, 4]], act="relu", covers="same shapes, fused RELU")
    binary("mul_broadcast_channel", "MUL", [[1, 6, 6, 4], [1, 1, 1, 4]], covers="broadcast [1,1,1,C]")
    binary("mul_broadcast_pixel", "MUL", [[1, 4, 5, 3], [1, 4, 5, 1]], covers="broadcast [1,H,W,1]")
    with_const("mul_const", "MUL", [1, 4, 4, 4], (1, 1, 1, 4), "constant int8 second operand, broadcast")
    return specs


def _act(y, act):
    if act == "relu":
        return tf.nn.relu(y)
    if act == "relu6":
        return tf.nn.relu6(y)
    return y


def _shape_specs():
    specs = []
    # MARK: - CONCATENATION
    specs.append(Spec("concat_last_axis_diff_scales", [[1, 4, 4, 3], [1, 4, 4, 5]],
                      lambda rng, a, b: tf.concat([a, b], axis=-1), {"CONCATENATION"},
                      "axis −1, inputs calibrated with σ 1 and σ 4 (the converter gives all three tensors one scale)",
                      input_sigma=[1.0, 4.0]))
    specs.append(Spec("concat_requantize", [[1, 4, 4, 3], [1, 4, 4, 2]],
                      lambda rng, a, b: tf.concat([a, tf.math.tanh(b)], axis=-1), {"TANH", "QUANTIZE", "CONCATENATION"},
                      "TANH's fixed output scale differs from the concat scale, so the converter inserts an "
                      "int8→int8 QUANTIZE (requantize)", input_sigma=[3.0, 1.0]))
    specs.append(Spec("concat_axis1", [[1, 3, 4, 2], [1, 2, 4, 2]],
                      lambda rng, a, b: tf.concat([a, b], axis=1), {"CONCATENATION"},
                      "axis 1 (height), inputs with σ 1 and σ 0.5", input_sigma=[1.0, 0.5]))
    specs.append(Spec("concat_three_axis2", [[1, 3, 2, 2], [1, 3, 3, 2], [1, 3, 1, 2]],
                      lambda rng, a, b, c: tf.concat([a, b, c], axis=2), {"CONCATENATION"},
                      "three inputs, axis 2 (width), σ 1 / 2 / 3", input_sigma=[1.0, 2.0, 3.0]))

    # MARK: - PAD / PADV2
    specs.append(Spec("pad_hw", [[1, 5, 5, 3]],
                      lambda rng, x: tf.pad(x, [[0, 0], [1, 2], [2, 1], [0, 0]]), {"PAD"},
                      "explicit PAD of height/width (pads with the zero point)"))
    specs.append(Spec("pad_all_dims", [[1, 4, 4, 2]],
                      lambda rng, x: tf.pad(x, [[0, 0], [1, 0], [0, 1], [1, 2]]), {"PAD"},
                      "PAD of height, width and channels"))

    # MARK: - MEAN
    specs.append(Spec("mean_hw_keepdims", [[1, 6, 6, 4]],
                      lambda rng, x: tf.reduce_mean(x, axis=[1, 2], keepdims=True), {"MEAN"},
                      "axes [1,2], keepdims true"))
    specs.append(Spec("mean_hw_nokeepdims", [[1, 5, 7, 3]],
                      lambda rng, x: tf.reduce_mean(x, axis=[1, 2], keepdims=False), {"MEAN"},
                      "axes [1,2], keepdims false, non-square"))
    specs.append(Spec("mean_channels", [[1, 4, 4, 6]],
                      lambda rng, x: tf.reduce_mean(x, axis=[3], keepdims=True), {"MEAN"},
                      "axis [3] (channels), keepdims true"))
    specs.append(Spec("mean_axis1_nokeepdims", [[1, 5, 3, 4]],
                      lambda rng, x: tf.reduce_mean(x, axis=[1], keepdims=False), {"MEAN"},
                      "axis [1] only, keepdims false"))

    # MARK: - RESHAPE
    specs.append(Spec("reshape_4d_to_2d", [[1, 4, 4, 4]], lambda rng, x: tf.reshape(x, [1, 64]), {"RESHAPE"},
                      "[1,4,4,4] → [1,64]"))
    specs.append(Spec("reshape_2d_to_4d", [[1, 48]], lambda rng, x: tf.reshape(x, [1, 4, 4, 3]), {"RESHAPE"},
                      "[1,48] → [1,4,4,3]"))

    # MARK: - TRANSPOSE
    specs.append(Spec("transpose_0312", [[1, 4, 5, 3]], lambda rng, x: tf.transpose(x, [0, 3, 1, 2]),
                      {"TRANSPOSE"}, "4-D perm [0,3,1,2] (NHWC → NCHW)"))
    specs.append(Spec("transpose_0213", [[1, 3, 4, 5]], lambda rng, x: tf.transpose(x, [0, 2, 1, 3]),
                      {"TRANSPOSE"}, "4-D perm [0,2,1,3] (swap H and W)"))

    # MARK: - SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND (static shapes; see README for the TFLM padding caveat)
    specs.append(Spec("space_to_batch_nopad", [[1, 4, 6, 3]],
                      lambda rng, x: tf.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]]), {"SPACE_TO_BATCH_ND"},
                      "block [2,2], no padding: [1,4,6,3] → [4,2,3,3]"))
    specs.append(Spec("space_to_batch_pad", [[1, 5, 5, 2]],
                      lambda rng, x: tf.space_to_batch_nd(x, [2, 2], [[1, 0], [0, 1]]), {"SPACE_TO_BATCH_ND"},
                      "block [2,2], padding [[1,0],[0,1]]: padded cells must hold the zero point. Oracle: LiteRT "
                      "BUILTIN_REF, because TFLM pads with uninitialized arena bytes (see README)",
                      input_sigma=[0.5], oracle="litert-ref"))
    specs.append(Spec("batch_to_space_nocrop", [[4, 2, 3, 3]],
                      lambda rng, x: tf.batch_to_space(x, [2, 2], [[0, 0], [0, 0]]), {"BATCH_TO_SPACE_ND"},
                      "block [2,2], no crop: [4,2,3,3] → [1,4,6,3]"))
    specs.append(Spec("batch_to_space_crop", [[4, 3, 3, 2]],
                      lambda rng, x: tf.batch_to_space(x, [2, 2], [[1, 0], [0, 1]]), {"BATCH_TO_SPACE_ND"},
                      "block [2,2], crops [[1,0],[0,1]]: [4,3,3,2] → [1,5,5,2]"))

    # MARK: - RESIZE_BILINEAR
    def resize(name, shape, size, align, half, covers):
        specs.append(Spec(name, [shape],
                          lambda rng, x: tf.compat.v1.image.resize_bilinear(x, size, align_corners=align,
                                                                            half_pixel_centers=half),
                          {"RESIZE_BILINEAR"}, covers))

    resize("resize_up_align_corners", [1, 4, 4, 3], [8, 8], True, False, "upscale 4×4 → 8×8, align_corners")
    resize("resize_up_half_pixel", [1, 4, 4, 3], [7, 9], False, True, "upscale 4×4 → 7×9, half_pixel_centers")
    resize("resize_up_legacy", [1, 3, 5, 2], [6, 10], False, False, "upscale ×2, neither flag (legacy)")
    resize("resize_down_half_pixel", [1, 8, 8, 3], [5, 5], False, True, "downscale 8×8 → 5×5, half_pixel_centers")
    resize("resize_down_align_corners", [1, 9, 9, 2], [4, 4], True, False, "downscale 9×9 → 4×4, align_corners")
    resize("resize_down_legacy", [1, 8, 8, 3], [3, 6], False, False, "downscale 8×8 → 3×6, neither flag")
    return specs


def _activation_specs():
    specs = []
    specs.append(Spec("softmax_beta1", [[1, 10]], lambda rng, x: tf.nn.softmax(x), {"SOFTMAX"},
                      "beta 1, [1,10]", input_sigma=[3.0]))
    specs.append(Spec("softmax_rows_3d", [[1, 3, 8]], lambda rng, x: tf.nn.softmax(x, axis=-1), {"SOFTMAX"},
                      "beta 1 over the last axis of [1,3,8]", input_sigma=[2.0]))
    specs.append(Spec("softmax_beta_0_5", [[1, 10]], lambda rng, x: tf.nn.softmax(x), {"SOFTMAX"},
                      "beta 0.5 (set in the flatbuffer after conversion: the converter never folds a scale into "
                      "beta)", input_sigma=[3.0], patch=lambda b: set_softmax_beta(b, 0.5)))
    specs.append(Spec("logistic", [[1, 4, 4, 4]], lambda rng, x: tf.math.sigmoid(x), {"LOGISTIC"},
                      "σ 3 inputs (reaches saturation)", input_sigma=[3.0]))
    specs.append(Spec("tanh", [[1, 64]], lambda rng, x: tf.math.tanh(x), {"TANH"}, "σ 2 inputs", input_sigma=[2.0]))
    specs.append(Spec("hard_swish", [[1, 4, 4, 4]], lambda rng, x: x * tf.nn.relu6(x + 3.0) * (1.0 / 6.0),
                      {"HARD_SWISH"}, "x·relu6(x+3)/6 pattern, σ 3 inputs", input_sigma=[3.0]))
    specs.append(Spec("leaky_relu_0_1", [[1, 4, 4, 4]], lambda rng, x: tf.nn.leaky_relu(x, alpha=0.1),
                      {"LEAKY_RELU"}, "alpha 0.1"))
    specs.append(Spec("leaky_relu_0_3", [[1, 4, 4, 4]], lambda rng, x: tf.nn.leaky_relu(x, alpha=0.3),
                      {"LEAKY_RELU"}, "alpha 0.3"))
    return specs


def _quantize_specs():
    specs = []
    specs.append(Spec("float_io_conv_relu", [[1, 6, 6, 3]],
                      lambda rng, x: conv2d(x, rng, 4, 3, 1, "SAME", act="relu"),
                      {"QUANTIZE", "CONV_2D", "DEQUANTIZE"},
                      "float32 in → QUANTIZE → CONV_2D → DEQUANTIZE → float32 out", float_input=True, float_output=True))
    specs.append(Spec("float_in_fc_int8_out", [[1, 16]], lambda rng, x: dense(x, rng, 6),
                      {"QUANTIZE", "FULLY_CONNECTED"}, "float32 in → QUANTIZE (float→int8) → FC → int8 out",
                      float_input=True))
    specs.append(Spec("int8_in_softmax_float_out", [[1, 10]], lambda rng, x: tf.nn.softmax(x),
                      {"SOFTMAX", "DEQUANTIZE"}, "int8 in → SOFTMAX → DEQUANTIZE (int8→float) → float32 out",
                      float_output=True, input_sigma=[3.0]))
    return specs


def _multi_op_specs():
    specs = []

    def mobilenet_block(rng, x):
        y = conv2d(x, rng, 8, 3, 2, "SAME", act="relu6")
        z = depthwise_conv2d(y, rng, 3, 1, 1, "SAME", act="relu6")
        z = conv2d(z, rng, 8, 1, 1, "SAME")
        z = z + y
        z = tf.reduce_mean(z, axis=[1, 2])
        return tf.nn.softmax(dense(z, rng, 5))

    specs.append(Spec("mobilenet_block", [[1, 12, 12, 3]], mobilenet_block,
                      {"CONV_2D", "DEPTHWISE_CONV_2D", "ADD", "MEAN", "FULLY_CONNECTED", "SOFTMAX"},
                      "conv 3×3 s2 → dw 3×3 → conv 1×1 → residual ADD → MEAN → FC → SOFTMAX"))

    def two_branch(rng, x):
        a = conv2d(x, rng, 4, 1, 1, "SAME", act="relu")
        b = conv2d(x, rng, 6, 3, 1, "SAME", act="relu6")
        y = tf.concat([a, b], axis=-1)
        y = tf.nn.max_pool2d(y, 2, 2, "VALID")
        y = tf.reshape(y, [1, 4 * 4 * 10])
        return dense(y, rng, 6)

    specs.append(Spec("two_branch_concat", [[1, 8, 8, 3]], two_branch,
                      {"CONV_2D", "CONCATENATION", "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED"},
                      "two conv branches (1×1 RELU, 3×3 RELU6) → CONCATENATION → MAX_POOL → RESHAPE → FC"))

    def se_block(rng, x):
        y = conv2d(x, rng, 8, 1, 1, "SAME", act="relu")
        s = tf.reduce_mean(y, axis=[1, 2], keepdims=True)
        s = conv2d(s, rng, 4, 1, 1, "SAME", act="relu")
        s = tf.math.sigmoid(conv2d(s, rng, 8, 1, 1, "SAME"))
        y = y * s
        y = y * tf.nn.relu6(y + 3.0) * (1.0 / 6.0)
        return tf.nn.avg_pool2d(y, 2, 2, "VALID")

    specs.append(Spec("squeeze_excite_block", [[1, 6, 6, 8]], se_block,
                      {"CONV_2D", "MEAN", "LOGISTIC", "MUL", "HARD_SWISH", "AVERAGE_POOL_2D"},
                      "conv → MEAN keepdims → 1×1 convs → LOGISTIC → broadcast MUL → HARD_SWISH → AVERAGE_POOL"))

    def float_tiny_net(rng, x):
        y = conv2d(x, rng, 4, 3, 2, "SAME", act="relu")
        y = depthwise_conv2d(y, rng, 3, 2, 1, "VALID", act="relu6")
        y = tf.pad(y, [[0, 0], [1, 1], [1, 1], [0, 0]])
        y = tf.nn.avg_pool2d(y, 2, 2, "VALID")
        y = tf.reshape(y, [1, 2 * 2 * 8])
        return tf.nn.softmax(dense(y, rng, 4))

    specs.append(Spec("float_io_tiny_net", [[1, 8, 8, 1]], float_tiny_net,
                      {"QUANTIZE", "CONV_2D", "DEPTHWISE_CONV_2D", "PAD", "AVERAGE_POOL_2D", "RESHAPE",
                       "FULLY_CONNECTED", "SOFTMAX", "DEQUANTIZE"},
                      "float32 in/out around conv → dw ×2 → PAD → AVERAGE_POOL → RESHAPE → FC → SOFTMAX",
                      float_input=True, float_output=True))
    return specs


def all_specs():
    """Returns every spec, in generation order; names are unique."""
    specs = (_add_specs() + _pool_specs() + _binary_specs() + _shape_specs() + _activation_specs()
             + _quantize_specs() + _multi_op_specs())
    names = [s.name for s in specs]
    assert len(names) == len(set(names)), "duplicate spec names"
    return specs
