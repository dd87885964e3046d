// CJPEG shim: libjpeg(-turbo) decode/encode behind plain return codes.
//
// libjpeg reports fatal errors through `error_exit`, which must not return. This shim installs an
// `error_exit` that longjmps back into the C function that called libjpeg, so setjmp/longjmp never
// cross a Swift frame (STYLE.md §3).
#ifndef CJPEG_SHIM_H
#define CJPEG_SHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Result codes of the shim's calls.
enum {
    CJPEG_OK = 0,
    CJPEG_ERR_CORRUPT = 1,      // libjpeg raised a fatal error (message in the decoder)
    CJPEG_ERR_TRUNCATED = 2,    // premature end of data (libjpeg would pad with gray)
    CJPEG_ERR_CAPACITY = 3,     // output buffer too small for the scaled image
    CJPEG_ERR_ARGUMENT = 4,     // bad argument (empty input, bad scale)
    CJPEG_ERR_NOMEM = 5,
};

/// An opaque, reusable decompressor (one per thread).
typedef struct cjpeg_decoder cjpeg_decoder;

/// Header facts of one JPEG image.
typedef struct cjpeg_header {
    int width;
    int height;
    int components;
} cjpeg_header;

/// A rectangle of the scaled output image, in its pixels.
typedef struct cjpeg_region {
    int x;
    int y;
    int width;
    int height;
} cjpeg_region;

/// What a decode produced.
typedef struct cjpeg_result {
    int width;       // of the decoded rows (the region's, widened; see cjpeg_decode)
    int height;
    int components;
    int warnings;
    int x;           // where the decoded rows start in the scaled image
    int y;
    int full_width;  // of the whole scaled image
    int full_height;
} cjpeg_result;

cjpeg_decoder *cjpeg_decoder_create(void);
void cjpeg_decoder_destroy(cjpeg_decoder *decoder);
/// The last libjpeg message (NUL-terminated, valid until the next call on this decoder).
const char *cjpeg_decoder_message(const cjpeg_decoder *decoder);

/// Reads the header only.
int cjpeg_read_header(cjpeg_decoder *decoder, const unsigned char *data, size_t length, cjpeg_header *header);

/// Decodes at `scale_num`/8 (1...8) to RGB (`gray` == 0) or grayscale (`gray` != 0), rows packed.
///
/// With a `region` (in scaled pixels; NULL = the whole image) only the rows and columns that cover it are
/// produced: rows above it are skipped (`jpeg_skip_scanlines`), decoding stops after its last row, and columns
/// are cropped (`jpeg_crop_scanline`, no IDCT, upsampling or color conversion outside). The column range is
/// widened by one iMCU on each side (then aligned down by libjpeg), so chroma upsampling at the region's edges sees
/// the same neighbours as in a whole-image decode: the region's pixels are identical to the whole decode's.
/// `result` says which rectangle was decoded (`x`, `y`, `width`, `height`).
/// Entropy decoding still covers every row up to the region's bottom (baseline JPEG has no random access).
int cjpeg_decode(cjpeg_decoder *decoder, const unsigned char *data, size_t length, int scale_num, int gray,
                 const cjpeg_region *region, unsigned char *output, size_t capacity, cjpeg_result *result);

/// Entropy-decodes the whole image and nothing else: the floor under any decode of it, for benchmarks.
///
/// Huffman decoding of every MCU, coefficients discarded (`jpeg_skip_scanlines` over all rows but the last, which
/// is read at 1/8 scale in gray); no dequantization, IDCT, upsampling or color conversion except for that row.
/// Cheaper than `jpeg_read_coefficients`, which also stores every coefficient block. Images wider than 8192
/// pixels report CJPEG_ERR_TRUNCATED.
int cjpeg_decode_entropy(cjpeg_decoder *decoder, const unsigned char *data, size_t length);

/// Encodes packed RGB (components 3) or gray (components 1) pixels; `*output` must be freed with `cjpeg_free`.
int cjpeg_encode(const unsigned char *pixels, int width, int height, int components, int quality,
                 unsigned char **output, unsigned long *length);
void cjpeg_free(void *pointer);

#ifdef __cplusplus
}
#endif
#endif
