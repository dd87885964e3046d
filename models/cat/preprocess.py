"""Integer-exact evaluation preprocessing for the Perch cat / non-cat model.

This file is the reference for the Swift port (`perch eval`). Every step is integer arithmetic except
the one-off construction of the 256-entry quantization table, which is done in float64. The algorithm
(also written out in README.md, "Preprocessing"):

1. Decode the JPEG at full size with PIL (libjpeg-turbo, default ISLOW IDCT, fancy upsampling; no
   `draft()`), then `convert("RGB")`. Result: H x W x 3 uint8, row-major, RGB.
2. Center-crop a square of side S = min(W, H):
       left = (W - S) // 2,  top = (H - S) // 2          (floor division)
3. Resize the S x S square to N x N (N = model size) with an area-average ("box") filter using
   integer-exact weights. Work in a coordinate system where one source pixel has length N and one
   output pixel has length S (both axes identical, so the whole square spans S*N units):
       source pixel i covers [i*N, (i+1)*N),   output pixel j covers [j*S, (j+1)*S)
       w[j][i] = max(0, min((i+1)*N, (j+1)*S) - max(i*N, j*S))        (an integer, 0 <= w <= min(N, S))
   For every output j, sum_i w[j][i] == S. Per channel c:
       acc[y][x] = sum_{r, s} w[y][r] * w[x][s] * pixel[top + r][left + s][c]    (exact integer, < 2^31)
       out[y][x][c] = (acc + D // 2) // D,   D = S * S                             (round half up)
   The same formula works for upscaling (S < N): each output then overlaps one or two source pixels.
4. Quantize each uint8 value v with a 256-entry lookup table computed in float64 from the input
   tensor's scale and zero point:
       normalize(v) = v / 127.5 - 1.0                   (training normalization: [-1, 1])
       q[v] = clamp(round_half_away_from_zero(normalize(v) / scale) + zero_point, -128, 127)
   The tensor is laid out NHWC, batch 1: index = (y * N + x) * 3 + c.

The functions below implement exactly this, vectorised with numpy. `resize_box_int` uses float64
matrix products only on integers whose every partial sum is below 2^53, so it is exact; it then
rounds with integer arithmetic.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

#: Training/evaluation normalization of an 8-bit value v: v / 127.5 - 1 (range [-1, 1]).
NORMALIZATION = "[-1,1]"


def decode_rgb(path: str) -> np.ndarray:
    """Decodes a JPEG at full size (no draft) and returns H x W x 3 uint8 RGB."""
    with Image.open(path) as img:
        return np.asarray(img.convert("RGB"), dtype=np.uint8)


def center_square(rgb: np.ndarray) -> np.ndarray:
    """Center-crops the largest square: side min(W, H), offsets floor((W - S) / 2), floor((H - S) / 2)."""
    h, w = rgb.shape[:2]
    s = min(h, w)
    top = (h - s) // 2
    left = (w - s) // 2
    return rgb[top:top + s, left:left + s]


def box_weights(s: int, n: int) -> np.ndarray:
    """Integer overlap weights w[j][i] (n x s) of source pixel i in output pixel j; each row sums to s."""
    i = np.arange(s, dtype=np.int64)
    j = np.arange(n, dtype=np.int64)
    lo = np.maximum(i[None, :] * n, j[:, None] * s)
    hi = np.minimum((i[None, :] + 1) * n, (j[:, None] + 1) * s)
    w = np.maximum(hi - lo, 0)
    assert np.all(w.sum(axis=1) == s)
    return w


def resize_box_int(square: np.ndarray, n: int) -> np.ndarray:
    """Area-average resize of an S x S x C uint8 square to n x n x C uint8, integer-exact, round half up."""
    s = square.shape[0]
    assert square.shape[1] == s, "input must be square"
    w = box_weights(s, n).astype(np.float64)
    out = np.empty((n, n, square.shape[2]), dtype=np.uint8)
    d = s * s
    for c in range(square.shape[2]):
        # Every entry and partial sum is an integer <= 255 * S * S < 2^53: float64 is exact here.
        acc = w @ square[:, :, c].astype(np.float64) @ w.T
        acc_i = np.rint(acc).astype(np.int64)
        assert np.array_equal(acc_i.astype(np.float64), acc)
        out[:, :, c] = ((acc_i + d // 2) // d).astype(np.uint8)
    return out


def normalize(v: np.ndarray) -> np.ndarray:
    """The training normalization of 8-bit values, float64: v / 127.5 - 1."""
    return np.asarray(v, dtype=np.float64) / 127.5 - 1.0


def round_half_away_from_zero(x: np.ndarray) -> np.ndarray:
    """Rounds float64 values to the nearest integer, ties away from zero."""
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def quantization_table(scale: float, zero_point: int) -> np.ndarray:
    """The 256-entry table q[v] = clamp(round_half_away(normalize(v) / scale) + zp, -128, 127), int8."""
    v = np.arange(256)
    q = round_half_away_from_zero(normalize(v) / np.float64(scale)) + int(zero_point)
    return np.clip(q, -128, 127).astype(np.int8)


def resized_uint8(path: str, n: int) -> np.ndarray:
    """Steps 1-3: decode, center square, integer box resize to n x n x 3 uint8."""
    return resize_box_int(center_square(decode_rgb(path)), n)


def preprocess_int8(path: str, n: int, scale: float, zero_point: int) -> np.ndarray:
    """Steps 1-4: the int8 NHWC tensor [1, n, n, 3] that the model is evaluated on."""
    table = quantization_table(scale, zero_point)
    return table[resized_uint8(path, n)][None, ...]


def preprocess_float(path: str, n: int) -> np.ndarray:
    """Steps 1-3 plus normalization, float32 [1, n, n, 3], for the float model."""
    return normalize(resized_uint8(path, n)).astype(np.float32)[None, ...]
