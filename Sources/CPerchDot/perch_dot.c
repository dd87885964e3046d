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
    const int avx512f = (ebx >> 16) & 1, avx512bw = (ebx >> 30) & 1, vnni = (ecx >> 11) & 1;
    return avx512f && avx512bw && vnni;
}

#define PERCH_VNNI __attribute__((target("avx512f,avx512bw,avx512vnni"), always_inline)) static inline

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

/// Sums of four pixels × `vectors` sixteen-channel vectors (1–4; a constant after inlining, so the
/// accumulator array lives in registers: with 4, 16 accumulators, 4 weight and 4 operand registers of
/// AVX-512's 32).
PERCH_VNNI void conv_tile(
    const int vectors, const int8_t *x0, const int8_t *x1, const int8_t *x2, const int8_t *x3,
    ptrdiff_t row_stride, int rows, int run_length, const int8_t *packed, ptrdiff_t group_stride,
    int32_t *acc) {
    const int groups = (run_length + 3) / 4, full_groups = run_length / 4, tail = run_length % 4;
    __m512i a[4][4];
    for (int p = 0; p < 4; p++)
        for (int v = 0; v < vectors; v++) a[p][v] = _mm512_setzero_si512();
    for (int r = 0; r < rows; r++) {
        const int8_t *const x[4] = {
            x0 + r * row_stride, x1 + r * row_stride, x2 + r * row_stride, x3 + r * row_stride};
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
    for (int p = 0; p < 4; p++)
        for (int v = 0; v < vectors; v++) _mm512_storeu_si512(acc + 64 * p + 16 * v, a[p][v]);
}

__attribute__((target("avx512f,avx512bw,avx512vnni")))
void perch_dot_conv_tile_u8s8(
    const int8_t *x0, const int8_t *x1, const int8_t *x2, const int8_t *x3, ptrdiff_t row_stride, int rows,
    int run_length, const int8_t *packed, int packed_channels, int channels, int32_t *acc) {
    const ptrdiff_t group_stride = (ptrdiff_t)packed_channels * 4;
    switch (channels) {
    case 64: conv_tile(4, x0, x1, x2, x3, row_stride, rows, run_length, packed, group_stride, acc); break;
    case 48: conv_tile(3, x0, x1, x2, x3, row_stride, rows, run_length, packed, group_stride, acc); break;
    case 32: conv_tile(2, x0, x1, x2, x3, row_stride, rows, run_length, packed, group_stride, acc); break;
    default: conv_tile(1, x0, x1, x2, x3, row_stride, rows, run_length, packed, group_stride, acc); break;
    }
}

#else

int perch_dot_available(void) { return 0; }

void perch_dot_conv_tile_u8s8(
    const int8_t *x0, const int8_t *x1, const int8_t *x2, const int8_t *x3, ptrdiff_t row_stride, int rows,
    int run_length, const int8_t *packed, int packed_channels, int channels, int32_t *acc) {
    // Unreachable: perch_dot_available() is 0 on this architecture, and callers check it.
    (void)x0, (void)x1, (void)x2, (void)x3, (void)row_stride, (void)rows, (void)run_length, (void)packed;
    (void)packed_channels, (void)channels, (void)acc;
    __builtin_trap();
}

#endif
