"""Small tf.nn building blocks with seeded random weights, used by the model specs.

Each helper draws its weights from the numpy Generator it is given (kernels N(0, 0.5²), biases N(0, 0.2²), the same
distributions as the shared single_op suite), so a model's weights depend only on its seed and the order of calls.
"""

import numpy as np
import tensorflow as tf

KERNEL_SIGMA = 0.5
BIAS_SIGMA = 0.2


def pair(value):
    """Returns `value` as an (h, w) pair."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def activation(y, act):
    """Applies a fused-able activation: None, "relu" or "relu6"."""
    if act is None:
        return y
    if act == "relu":
        return tf.nn.relu(y)
    if act == "relu6":
        return tf.nn.relu6(y)
    raise ValueError(act)


def conv2d(x, rng, filters, kernel, strides=1, padding="SAME", dilation=1, act=None):
    """CONV_2D: tf.nn.conv2d + bias + activation (the converter fuses all three)."""
    kh, kw = pair(kernel)
    sh, sw = pair(strides)
    dh, dw = pair(dilation)
    cin = int(x.shape[-1])
    w = rng.normal(0.0, KERNEL_SIGMA, (kh, kw, cin, filters)).astype(np.float32)
    b = rng.normal(0.0, BIAS_SIGMA, (filters,)).astype(np.float32)
    y = tf.nn.conv2d(x, w, strides=[1, sh, sw, 1], padding=padding, dilations=[1, dh, dw, 1])
    return activation(tf.nn.bias_add(y, b), act)


def depthwise_conv2d(x, rng, kernel, multiplier=1, strides=1, padding="SAME", dilation=1, act=None):
    """DEPTHWISE_CONV_2D: tf.nn.depthwise_conv2d + bias + activation."""
    kh, kw = pair(kernel)
    sh, sw = pair(strides)
    dh, dw = pair(dilation)
    cin = int(x.shape[-1])
    w = rng.normal(0.0, KERNEL_SIGMA, (kh, kw, cin, multiplier)).astype(np.float32)
    b = rng.normal(0.0, BIAS_SIGMA, (cin * multiplier,)).astype(np.float32)
    y = tf.nn.depthwise_conv2d(x, w, strides=[1, sh, sw, 1], padding=padding, dilations=[dh, dw])
    return activation(tf.nn.bias_add(y, b), act)


def dense(x, rng, units, bias=True, act=None):
    """FULLY_CONNECTED on a 2-D input: matmul (+ bias) + activation."""
    cin = int(x.shape[-1])
    w = rng.normal(0.0, KERNEL_SIGMA, (cin, units)).astype(np.float32)
    y = tf.matmul(x, w)
    if bias:
        y = y + rng.normal(0.0, BIAS_SIGMA, (units,)).astype(np.float32)
    return activation(y, act)
