// perch_dot.c — see include/perch_dot.h. Compiled for every x86_64 CPU: the AVX-512 code is confined to
// functions with a target attribute and only reached after the runtime check, so a portable build runs
// it on a CPU that has VNNI and never elsewhere.
#include "perch_dot.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

int perch_dot_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    if (!(ecx & bit_OSXSAVE)) return 0;
    // XCR0: SSE, AVX and the three AVX-512 state components (opmask, upper zmm halves, zmm16–31).
    unsigned int xcr0_low, xcr0_high;
    __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 0xE6) != 0xE6) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const int avx512f = (ebx >> 16) & 1, avx512bw = (ebx >> 30) & 1, avx512vl = (ebx >> 31) & 1;
    const int vnni = (ecx >> 11) & 1;
    return avx512f && avx512bw && avx512vl && vnni;
}

#define PERCH_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline)) static inline

/// Four input bytes at `p`, each plus 128 (sign bit flipped), broadcast to every lane.
PERCH_VNNI __m512i broadcast_biased4(const int8_t *p) {
    uint32_t word;
    memcpy(&word, p, 4);
    return _mm512_set1_epi32((int)(word ^ 0x80808080u));
}

/// The last `count` (1–3) input bytes of a run, plus 128, zero-padded to four and broadcast: the
/// padding meets zero weights, and no byte past the run is read.
PERCH_VNNI __m512i broadcast_biased_tail(const int8_t *p, int count) {
    uint32_t word = 0;
    for (int i = 0; i < count; i++) word |= (uint32_t)((uint8_t)p[i] ^ 0x80u) << (8 * i);
    return _mm512_set1_epi32((int)word);
}

/// Adds one group's products to the accumulators: operand `u[p]` of pixel `p` times each weight vector.
PERCH_VNNI void accumulate(const int vectors, __m512i a[4][4], const __m512i u[4], const int8_t *w) {
    __m512i wv[4];
    for (int v = 0; v < vectors; v++) wv[v] = _mm512_loadu_si512(w + 64 * v);
    for (int p = 0; p < 4; p++)
        for (int v = 0; v < vectors; v++) a[p][v] = _mm512_dpbusd_epi32(a[p][v], u[p], wv[v]);
}

/// Requantizer constants of sixteen channels.
typedef struct {
    __m512i bias, multiplier, multiplier_odd, left_shift, right_shift, mask, half_mask, offset, lower, upper;
} requantizer16;

/// The constants of channels `c ..< c + 16` (lanes past `valid` are loaded as zero and never stored).
PERCH_VNNI requantizer16 requantizer_at(const perch_dot_requantization *q, int c, __mmask16 valid) {
    requantizer16 r;
    const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi32(1), bits = _mm512_set1_epi32(31);
    const __m512i shift = _mm512_maskz_loadu_epi32(valid, q->shifts + c);
    r.bias = _mm512_maskz_loadu_epi32(valid, q->folded_bias + c);
    r.multiplier = _mm512_maskz_loadu_epi32(valid, q->multipliers + c);
    r.multiplier_odd = _mm512_srli_epi64(r.multiplier, 32);
    // Shift counts masked to 0…31, as Swift's `&<<` / `&>>` do in the scalar and SIMD requantizers.
    r.left_shift = _mm512_and_si512(_mm512_max_epi32(shift, zero), bits);
    r.right_shift = _mm512_and_si512(_mm512_max_epi32(_mm512_sub_epi32(zero, shift), zero), bits);
    r.mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, r.right_shift), one);
    r.half_mask = _mm512_srai_epi32(r.mask, 1);
    r.offset = _mm512_set1_epi32(q->output_offset);
    r.lower = _mm512_set1_epi32(q->activation_min);
    r.upper = _mm512_set1_epi32(q->activation_max);
    return r;
}

/// `clamp(MultiplyByQuantizedMultiplier(sum + bias) + offset, lower, upper)` in sixteen lanes, the same
/// integers as `FixedPoint.multiplyByQuantizedMultiplier` (see `VectorRequantization` for the argument):
/// SaturatingRoundingDoublingHighMul as `floor((p + 2^30) / 2^31)` of the 64-bit product (even lanes with
/// `vpmuldq` directly, odd lanes shifted down first), then gemmlowp's RoundingDivideByPOT.
PERCH_VNNI __m128i requantize16(__m512i sum, const requantizer16 *r) {
    const __m512i nudge = _mm512_set1_epi64(1LL << 30);
    const __m512i x = _mm512_sllv_epi32(_mm512_add_epi32(sum, r->bias), r->left_shift);
    const __m512i even = _mm512_srli_epi64(_mm512_add_epi64(_mm512_mul_epi32(x, r->multiplier), nudge), 31);
    const __m512i odd = _mm512_slli_epi64(
        _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(x, 32), r->multiplier_odd), nudge), 1);
    const __m512i high = _mm512_mask_blend_epi32(0xAAAA, even, odd);
    const __m512i remainder = _mm512_and_si512(high, r->mask);
    const __m512i threshold = _mm512_sub_epi32(r->half_mask, _mm512_srai_epi32(high, 31));
    __m512i result = _mm512_srav_epi32(high, r->right_shift);
    result = _mm512_mask_add_epi32(result, _mm512_cmpgt_epi32_mask(remainder, threshold), result, _mm512_set1_epi32(1));
    result = _mm512_add_epi32(result, r->offset);
    result = _mm512_min_epi32(_mm512_max_epi32(result, r->lower), r->upper);
    return _mm512_cvtepi32_epi8(result);
}

/// Four pixels × `vectors` sixteen-channel vectors (1–4; a constant after inlining, so the accumulator array
/// lives in registers: with 4, 16 accumulators, 4 weight and 4 operand registers of AVX-512's 32), summed,
/// requantized and stored.
PERCH_VNNI void conv_tile(
    const int vectors, const int8_t *const x0[4], ptrdiff_t row_stride, int rows, int run_length,
    const int8_t *packed, ptrdiff_t group_stride, int first_channel, int valid_channels,
    const perch_dot_requantization *q, int8_t *const out[4]) {
    const int groups = (run_length + 3) / 4, full_groups = run_length / 4, tail = run_length % 4;
    __m512i a[4][4];
    for (int p = 0; p < 4; p++)
        for (int v = 0; v < vectors; v++) a[p][v] = _mm512_setzero_si512();
    for (int r = 0; r < rows; r++) {
        const int8_t *const x[4] = {
            x0[0] + r * row_stride, x0[1] + r * row_stride, x0[2] + r * row_stride, x0[3] + r * row_stride};
        const int8_t *w = packed + (ptrdiff_t)r * groups * group_stride;
        __m512i u[4];
        for (int g = 0; g < full_groups; g++, w += group_stride) {
            for (int p = 0; p < 4; p++) u[p] = broadcast_biased4(x[p] + 4 * g);
            accumulate(vectors, a, u, w);
        }
        if (tail) {
            for (int p = 0; p < 4; p++) u[p] = broadcast_biased_tail(x[p] + 4 * full_groups, tail);
            accumulate(vectors, a, u, w);
        }
    }
    for (int v = 0; v < vectors; v++) {
        const int c = first_channel + 16 * v, left = valid_channels - 16 * v;
        if (left <= 0) break;
        const __mmask16 valid = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        const requantizer16 r = requantizer_at(q, c, valid);
        for (int p = 0; p < 4; p++) {
            const __m128i bytes = requantize16(a[p][v], &r);
            if (left >= 16) {
                _mm_storeu_si128((__m128i *)(out[p] + c), bytes);
            } else {
                _mm_mask_storeu_epi8(out[p] + c, valid, bytes);
            }
        }
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
void perch_dot_conv_tile_u8s8(
    const int8_t *x0, const int8_t *x1, const int8_t *x2, const int8_t *x3, ptrdiff_t row_stride, int rows,
    int run_length, const int8_t *packed, int packed_channels, int first_channel, int channels, int valid_channels,
    const perch_dot_requantization *q, int8_t *out0, int8_t *out1, int8_t *out2, int8_t *out3) {
    const int8_t *const x[4] = {x0, x1, x2, x3};
    int8_t *const out[4] = {out0, out1, out2, out3};
    const ptrdiff_t group_stride = (ptrdiff_t)packed_channels * 4;
    switch (channels) {
    case 64:
        conv_tile(4, x, row_stride, rows, run_length, packed, group_stride, first_channel, valid_channels, q, out);
        break;
    case 48:
        conv_tile(3, x, row_stride, rows, run_length, packed, group_stride, first_channel, valid_channels, q, out);
        break;
    case 32:
        conv_tile(2, x, row_stride, rows, run_length, packed, group_stride, first_channel, valid_channels, q, out);
        break;
    default:
        conv_tile(1, x, row_stride, rows, run_length, packed, group_stride, first_channel, valid_channels, q, out);
        break;
    }
}

/// `vectors` (1 or 2) sixteen-channel blocks of a depthwise quad from channel `c`; lanes from `valid_channels`
/// on are loaded as zero weights and never stored. `(x + 128) · w` goes through `vpdpwssd` with each operand
/// in the low half of its lane (the high halves are 0 and the weight's sign, whose product is 0).
PERCH_VNNI void depthwise_block(
    const int vectors, const int8_t *origin, ptrdiff_t row_step, ptrdiff_t column_step, ptrdiff_t pixel_step,
    int kh, int kw, const int8_t *filter, int depth, int c, int valid_channels, const perch_dot_requantization *q,
    int8_t *out) {
    const __m128i flip = _mm_set1_epi8((char)0x80);
    __mmask16 valid[2];
    for (int v = 0; v < vectors; v++) {
        const int left = valid_channels - 16 * v;
        valid[v] = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
    }
    __m512i a[4][2];
    for (int p = 0; p < 4; p++)
        for (int v = 0; v < vectors; v++) a[p][v] = _mm512_setzero_si512();
    const int8_t *tap = filter + c;
    for (int ty = 0; ty < kh; ty++) {
        const int8_t *row = origin + ty * row_step + c;
        for (int tx = 0; tx < kw; tx++, tap += depth) {
            const int8_t *x = row + tx * column_step;
            for (int v = 0; v < vectors; v++) {
                const __m512i w = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(valid[v], tap + 16 * v));
                for (int p = 0; p < 4; p++) {
                    const __m128i bytes = _mm_maskz_loadu_epi8(valid[v], x + p * pixel_step + 16 * v);
                    const __m512i u = _mm512_cvtepu8_epi32(_mm_xor_si128(bytes, flip));
                    a[p][v] = _mm512_dpwssd_epi32(a[p][v], u, w);
                }
            }
        }
    }
    for (int v = 0; v < vectors; v++) {
        const requantizer16 r = requantizer_at(q, c + 16 * v, valid[v]);
        for (int p = 0; p < 4; p++) {
            const __m128i bytes = requantize16(a[p][v], &r);
            _mm_mask_storeu_epi8(out + p * depth + c + 16 * v, valid[v], bytes);
        }
    }
}

/// The lower 256 bits of `v` in both halves.
PERCH_VNNI __m512i duplicate_low_half(__m512i v) {
    return _mm512_inserti64x4(v, _mm512_castsi512_si256(v), 1);
}

/// A depthwise quad with at most eight channels: two pixels per sixteen-lane vector (lanes 0–7 the first,
/// 8–15 the second), so the lanes are not half empty.
PERCH_VNNI void depthwise_narrow(
    const int8_t *origin, ptrdiff_t row_step, ptrdiff_t column_step, ptrdiff_t pixel_step, int kh, int kw,
    const int8_t *filter, int depth, const perch_dot_requantization *q, int8_t *out) {
    const __m128i flip = _mm_set1_epi8((char)0x80);
    const __mmask16 half = (__mmask16)((1u << depth) - 1);
    __m512i a[2] = {_mm512_setzero_si512(), _mm512_setzero_si512()};
    const int8_t *tap = filter;
    for (int ty = 0; ty < kh; ty++) {
        const int8_t *row = origin + ty * row_step;
        for (int tx = 0; tx < kw; tx++, tap += depth) {
            const int8_t *x = row + tx * column_step;
            const __m128i w8 = _mm_maskz_loadu_epi8(half, tap);
            const __m512i w = _mm512_cvtepi8_epi32(_mm_unpacklo_epi64(w8, w8));
            for (int j = 0; j < 2; j++) {
                const __m128i first = _mm_maskz_loadu_epi8(half, x + 2 * j * pixel_step);
                const __m128i second = _mm_maskz_loadu_epi8(half, x + (2 * j + 1) * pixel_step);
                const __m128i bytes = _mm_xor_si128(_mm_unpacklo_epi64(first, second), flip);
                a[j] = _mm512_dpwssd_epi32(a[j], _mm512_cvtepu8_epi32(bytes), w);
            }
        }
    }
    requantizer16 r = requantizer_at(q, 0, half);
    r.bias = duplicate_low_half(r.bias);
    r.multiplier = duplicate_low_half(r.multiplier);
    r.multiplier_odd = _mm512_srli_epi64(r.multiplier, 32);
    r.left_shift = duplicate_low_half(r.left_shift);
    r.right_shift = duplicate_low_half(r.right_shift);
    r.mask = duplicate_low_half(r.mask);
    r.half_mask = duplicate_low_half(r.half_mask);
    for (int j = 0; j < 2; j++) {
        const __m128i bytes = requantize16(a[j], &r);
        _mm_mask_storeu_epi8(out + 2 * j * depth, half, bytes);
        _mm_mask_storeu_epi8(out + (2 * j + 1) * depth, half, _mm_srli_si128(bytes, 8));
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
void perch_dot_depthwise_quad(
    const int8_t *origin, ptrdiff_t row_step, ptrdiff_t column_step, ptrdiff_t pixel_step, int kh, int kw,
    const int8_t *filter, int depth, const perch_dot_requantization *q, int8_t *out) {
    if (depth <= 8) {
        depthwise_narrow(origin, row_step, column_step, pixel_step, kh, kw, filter, depth, q, out);
        return;
    }
    int c = 0;
    for (; c + 32 <= depth; c += 32)
        depthwise_block(2, origin, row_step, column_step, pixel_step, kh, kw, filter, depth, c, 32, q, out);
    if (c < depth) {
        const int left = depth - c;
        if (left > 16) {
            depthwise_block(2, origin, row_step, column_step, pixel_step, kh, kw, filter, depth, c, left, q, out);
        } else {
            depthwise_block(1, origin, row_step, column_step, pixel_step, kh, kw, filter, depth, c, left, q, out);
        }
    }
}

#else

int perch_dot_available(void) { return 0; }

void perch_dot_conv_tile_u8s8(
    const int8_t *x0, const int8_t *x1, const int8_t *x2, const int8_t *x3, ptrdiff_t row_stride, int rows,
    int run_length, const int8_t *packed, int packed_channels, int first_channel, int channels, int valid_channels,
    const perch_dot_requantization *q, int8_t *out0, int8_t *out1, int8_t *out2, int8_t *out3) {
    // Unreachable: perch_dot_available() is 0 on this architecture, and callers check it.
    (void)x0, (void)x1, (void)x2, (void)x3, (void)row_stride, (void)rows, (void)run_length, (void)packed;
    (void)packed_channels, (void)first_channel, (void)channels, (void)valid_channels, (void)q;
    (void)out0, (void)out1, (void)out2, (void)out3;
    __builtin_trap();
}

void perch_dot_depthwise_quad(
    const int8_t *origin, ptrdiff_t row_step, ptrdiff_t column_step, ptrdiff_t pixel_step, int kh, int kw,
    const int8_t *filter, int depth, const perch_dot_requantization *q, int8_t *out) {
    // Unreachable, as above.
    (void)origin, (void)row_step, (void)column_step, (void)pixel_step, (void)kh, (void)kw, (void)filter;
    (void)depth, (void)q, (void)out;
    __builtin_trap();
}

#endif
