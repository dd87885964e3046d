// perch_dot.h — int8 dot-product micro-kernels on instructions Swift cannot name (AVX-512 VNNI's
// vpdpbusd: four unsigned × signed byte products summed into each 32-bit lane). PerchKernels calls them
// from its optimized CONV_2D when the CPU has them and keeps its own Swift loops for everything else;
// the Embedded and ARM builds do not link this target at all.
#ifndef PERCH_DOT_H
#define PERCH_DOT_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU and OS run `perch_dot_conv_tile_u8s8` (AVX-512 F/BW/VNNI with the OS saving the
/// zmm state), else 0. Cheap, but meant to be asked once, at prepare time.
int perch_dot_available(void);

/// Per-output-channel requantization of a convolution, as TFLite's `MultiplyByQuantizedMultiplier` (double
/// rounding) after adding the folded bias; the arrays are indexed by output channel.
typedef struct {
    /// `bias + (inputOffset − 128) · Σ filter` per channel (the sums below use `x + 128`).
    const int32_t *folded_bias;
    /// Q0.31 multipliers (never negative).
    const int32_t *multipliers;
    /// Shifts (positive: left), in −31…31.
    const int32_t *shifts;
    int32_t output_offset;
    int32_t activation_min;
    int32_t activation_max;
} perch_dot_requantization;

/// Four output pixels of a convolution, channels `first_channel ..< first_channel + valid_channels` of a block
/// of `channels` (16, 32, 48 or 64; `valid_channels` ≤ `channels`): sums
///   Σ_r Σ_j (x_p[r * row_stride + j] + 128) · w(r, j, c)
/// over `rows` runs of `run_length` input bytes each (a convolution window's rows), then requantizes them with
/// `q` and stores int8 values at `out_p[c]`. The weights are packed as `[rows][groups][packed_channels][4]`
/// bytes, `groups = ceil(run_length / 4)`, byte `i` of a group holding tap `4·group + i` (zero past the run
/// and in padding channels). Wrapping int32 sums, exact. Only call when `perch_dot_available()` said 1.
void perch_dot_conv_tile_u8s8(
    const int8_t *x0, const int8_t *x1, const int8_t *x2, const int8_t *x3, ptrdiff_t row_stride, int rows,
    int run_length, const int8_t *packed, int packed_channels, int first_channel, int channels, int valid_channels,
    const perch_dot_requantization *q, int8_t *out0, int8_t *out1, int8_t *out2, int8_t *out3);

/// Four consecutive output pixels of a depthwise convolution with depth multiplier 1 whose taps all lie inside the
/// image, all `depth` channels: for pixel `p` and channel `c`, `Σ_taps (x + 128) · w` with `x` at
/// `origin[p · pixel_step + ty · row_step + tx · column_step + c]` and `w = filter[(ty · kw + tx) · depth + c]`,
/// then requantized with `q` (whose `folded_bias` is `bias + (inputOffset − 128) · Σ taps`) and stored at
/// `out[p · depth + c]`. Only call when `perch_dot_available()` said 1.
void perch_dot_depthwise_quad(
    const int8_t *origin, ptrdiff_t row_step, ptrdiff_t column_step, ptrdiff_t pixel_step, int kh, int kw,
    const int8_t *filter, int depth, const perch_dot_requantization *q, int8_t *out);

#endif
