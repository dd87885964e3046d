"""Architecture of the cat / non-cat model: a MobileNet-v1-style CNN (training side only).

Conv 3x3/2 stem, then depthwise-separable blocks (depthwise 3x3 + BN + ReLU6, pointwise 1x1 + BN +
ReLU6), global average pooling (MEAN), dropout, dense to 2 logits, softmax. After conversion this is
only CONV_2D, DEPTHWISE_CONV_2D, MEAN, FULLY_CONNECTED and SOFTMAX (BN folds into the convolutions,
ReLU6 fuses into them).
"""

from __future__ import annotations

import keras
from keras import layers

#: (pointwise output channels at width 1.0, depthwise stride) for each separable block.
BLOCKS = [(32, 1), (64, 2), (64, 1), (128, 2), (128, 1), (256, 2), (256, 1)]
STEM_CHANNELS = 16


def _ch(c: int, width: float) -> int:
    return max(8, int(round(c * width / 8)) * 8)


def build(size: int, width: float = 1.0, dropout: float = 0.2, blocks=None):
    """Returns (logits_model, softmax_model) sharing weights; input float [1, size, size, 3] in [-1, 1]."""
    blocks = blocks or BLOCKS
    inp = keras.Input((size, size, 3), name="image")
    x = layers.Conv2D(_ch(STEM_CHANNELS, width), 3, strides=2, padding="same", use_bias=False)(inp)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU(6.0)(x)
    for c, s in blocks:
        x = layers.DepthwiseConv2D(3, strides=s, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU(6.0)(x)
        x = layers.Conv2D(_ch(c, width), 1, use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU(6.0)(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(dropout)(x)
    logits = layers.Dense(2, name="logits")(x)
    probs = layers.Softmax(name="probs")(logits)
    return keras.Model(inp, logits), keras.Model(inp, probs)


def count_macs(model) -> int:
    """Multiply-accumulates of one inference (conv: out elems x kh x kw x cin; dw: out x kh x kw; FC: in x out)."""
    macs = 0
    for layer in model.layers:
        if isinstance(layer, layers.DepthwiseConv2D):
            _, h, w, c = layer.output.shape
            kh, kw = layer.kernel_size
            macs += h * w * c * kh * kw
        elif isinstance(layer, layers.Conv2D):
            _, h, w, c = layer.output.shape
            kh, kw = layer.kernel_size
            macs += h * w * c * kh * kw * layer.input.shape[-1]
        elif isinstance(layer, layers.Dense):
            macs += layer.input.shape[-1] * layer.units
    return int(macs)
