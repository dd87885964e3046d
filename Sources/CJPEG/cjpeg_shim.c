// CJPEG shim implementation. Every libjpeg call happens below a setjmp in this file.
#include "cjpeg_shim.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>  // after stdio.h: needs size_t and FILE
#include <jerror.h>

struct cjpeg_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    int truncated;
    char message[JMSG_LENGTH_MAX];
};

struct cjpeg_decoder {
    struct jpeg_decompress_struct cinfo;
    struct cjpeg_error error;
};

static void cjpeg_error_exit(j_common_ptr cinfo) {
    struct cjpeg_error *error = (struct cjpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, error->message);
    longjmp(error->jump, 1);
}

// Warnings (corrupt data libjpeg can recover from) are counted, not printed; a premature end of
// data is remembered because libjpeg would otherwise hand back a gray-padded image as success.
static void cjpeg_emit_message(j_common_ptr cinfo, int level) {
    struct cjpeg_error *error = (struct cjpeg_error *)cinfo->err;
    if (level < 0) {
        cinfo->err->num_warnings++;
        if (cinfo->err->msg_code == JWRN_JPEG_EOF) { error->truncated = 1; }
        (*cinfo->err->format_message)(cinfo, error->message);
    }
}

cjpeg_decoder *cjpeg_decoder_create(void) {
    cjpeg_decoder *volatile decoder = calloc(1, sizeof *decoder);
    if (!decoder) { return NULL; }
    decoder->cinfo.err = jpeg_std_error(&decoder->error.base);
    decoder->error.base.error_exit = cjpeg_error_exit;
    decoder->error.base.emit_message = cjpeg_emit_message;
    if (setjmp(decoder->error.jump)) {
        free(decoder);
        return NULL;
    }
    jpeg_create_decompress(&decoder->cinfo);
    return decoder;
}

void cjpeg_decoder_destroy(cjpeg_decoder *decoder) {
    if (!decoder) { return; }
    jpeg_destroy_decompress(&decoder->cinfo);
    free(decoder);
}

const char *cjpeg_decoder_message(const cjpeg_decoder *decoder) { return decoder->error.message; }

static void cjpeg_reset(cjpeg_decoder *decoder) {
    decoder->error.truncated = 0;
    decoder->error.base.num_warnings = 0;
    decoder->error.message[0] = 0;
}

int cjpeg_read_header(cjpeg_decoder *decoder, const unsigned char *data, size_t length, cjpeg_header *header) {
    if (!decoder || !data || length < 4 || !header) { return CJPEG_ERR_ARGUMENT; }
    cjpeg_reset(decoder);
    struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    if (setjmp(decoder->error.jump)) {
        jpeg_abort_decompress(cinfo);
        return CJPEG_ERR_CORRUPT;
    }
    jpeg_mem_src(cinfo, data, (unsigned long)length);
    jpeg_read_header(cinfo, TRUE);
    header->width = (int)cinfo->image_width;
    header->height = (int)cinfo->image_height;
    header->components = cinfo->num_components;
    jpeg_abort_decompress(cinfo);
    return decoder->error.truncated ? CJPEG_ERR_TRUNCATED : CJPEG_OK;
}

static void cjpeg_fill_result(const struct jpeg_decompress_struct *cinfo, JDIMENSION x, JDIMENSION y,
                              JDIMENSION width, JDIMENSION height, cjpeg_result *result) {
    result->x = (int)x;
    result->y = (int)y;
    result->width = (int)width;
    result->height = (int)height;
    result->components = cinfo->output_components;
    result->full_width = (int)cinfo->output_width;
    result->full_height = (int)cinfo->output_height;
}

int cjpeg_decode(cjpeg_decoder *decoder, const unsigned char *data, size_t length, int scale_num, int gray,
                 const cjpeg_region *region, unsigned char *output, size_t capacity, cjpeg_result *result) {
    if (!decoder || !data || length < 4 || !output || !result || scale_num < 1 || scale_num > 8) {
        return CJPEG_ERR_ARGUMENT;
    }
    if (region && (region->x < 0 || region->y < 0 || region->width <= 0 || region->height <= 0)) {
        return CJPEG_ERR_ARGUMENT;
    }
    cjpeg_reset(decoder);
    memset(result, 0, sizeof *result);
    struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    if (setjmp(decoder->error.jump)) {
        jpeg_abort_decompress(cinfo);
        return CJPEG_ERR_CORRUPT;
    }
    jpeg_mem_src(cinfo, data, (unsigned long)length);
    jpeg_read_header(cinfo, TRUE);
    cinfo->scale_num = (unsigned int)scale_num;
    cinfo->scale_denom = 8;
    cinfo->out_color_space = gray ? JCS_GRAYSCALE : JCS_RGB;
    cinfo->dct_method = JDCT_ISLOW;
    jpeg_calc_output_dimensions(cinfo);
    JDIMENSION x = 0, y = 0, width = cinfo->output_width, height = cinfo->output_height;
    if (region) {
        if ((JDIMENSION)region->x + (JDIMENSION)region->width > cinfo->output_width
            || (JDIMENSION)region->y + (JDIMENSION)region->height > cinfo->output_height) {
            jpeg_abort_decompress(cinfo);
            return CJPEG_ERR_ARGUMENT;
        }
        // One iMCU column of margin on each side (libjpeg-turbo's own crop alignment unit).
        JDIMENSION imcu = (JDIMENSION)(cinfo->max_h_samp_factor * cinfo->min_DCT_scaled_size);
        if (cinfo->num_components == 1) { imcu = (JDIMENSION)cinfo->min_DCT_scaled_size; }
        JDIMENSION left = (JDIMENSION)region->x > imcu ? (JDIMENSION)region->x - imcu : 0;
        JDIMENSION right = (JDIMENSION)(region->x + region->width) + imcu;
        if (right > cinfo->output_width) { right = cinfo->output_width; }
        x = left;
        width = right - left;
        y = (JDIMENSION)region->y;
        height = (JDIMENSION)region->height;
    }
    // A bound before start_decompress: libjpeg's alignment widens the crop by less than one iMCU.
    JDIMENSION widest = width < cinfo->output_width
        ? width + (JDIMENSION)(cinfo->max_h_samp_factor * cinfo->min_DCT_scaled_size) : width;
    if (widest > cinfo->output_width) { widest = cinfo->output_width; }
    if ((size_t)widest * (size_t)cinfo->output_components * (size_t)height > capacity) {
        cjpeg_fill_result(cinfo, x, y, widest, height, result);
        jpeg_abort_decompress(cinfo);
        return CJPEG_ERR_CAPACITY;
    }
    jpeg_start_decompress(cinfo);
    if (width < cinfo->output_width) { jpeg_crop_scanline(cinfo, &x, &width); }
    size_t stride = (size_t)width * (size_t)cinfo->output_components;
    if (y > 0) { jpeg_skip_scanlines(cinfo, y); }
    JDIMENSION end = y + height;
    while (cinfo->output_scanline < end) {
        JSAMPROW row = output + (size_t)(cinfo->output_scanline - y) * stride;
        if (jpeg_read_scanlines(cinfo, &row, 1) != 1) { break; }
        if (decoder->error.truncated) { break; }
    }
    cjpeg_fill_result(cinfo, x, y, width, height, result);
    result->warnings = (int)decoder->error.base.num_warnings;
    int truncated = decoder->error.truncated || cinfo->output_scanline < end;
    // finish_decompress would read on to EOI; abort is enough and never raises.
    jpeg_abort_decompress(cinfo);
    return truncated ? CJPEG_ERR_TRUNCATED : CJPEG_OK;
}

int cjpeg_decode_entropy(cjpeg_decoder *decoder, const unsigned char *data, size_t length) {
    if (!decoder || !data || length < 4) { return CJPEG_ERR_ARGUMENT; }
    cjpeg_reset(decoder);
    struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    if (setjmp(decoder->error.jump)) {
        jpeg_abort_decompress(cinfo);
        return CJPEG_ERR_CORRUPT;
    }
    jpeg_mem_src(cinfo, data, (unsigned long)length);
    jpeg_read_header(cinfo, TRUE);
    // 1/8 gray: one DC-only IDCT per luma block of the last row is all that is left besides entropy decoding.
    cinfo->scale_num = 1;
    cinfo->scale_denom = 8;
    cinfo->out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(cinfo);
    // Skipping whole iMCU rows Huffman-decodes their MCUs into no buffer (decode_mcu(cinfo, NULL)). Skipping
    // every row would only mark the image done, so the last row is read.
    if (cinfo->output_height > 1) { jpeg_skip_scanlines(cinfo, cinfo->output_height - 1); }
    unsigned char row[1024];
    JSAMPROW rows[1] = {row};
    int truncated = decoder->error.truncated;
    if (cinfo->output_width <= sizeof row) {
        jpeg_read_scanlines(cinfo, rows, 1);
        truncated = truncated || decoder->error.truncated || cinfo->output_scanline < cinfo->output_height;
    } else {
        truncated = 1;  // wider than any bench frame; not worth a heap row
    }
    jpeg_abort_decompress(cinfo);
    return truncated ? CJPEG_ERR_TRUNCATED : CJPEG_OK;
}

int cjpeg_encode(const unsigned char *pixels, int width, int height, int components, int quality,
                 unsigned char **output, unsigned long *length) {
    if (!pixels || width <= 0 || height <= 0 || (components != 1 && components != 3) || !output || !length) {
        return CJPEG_ERR_ARGUMENT;
    }
    struct jpeg_compress_struct cinfo;
    struct cjpeg_error error;
    memset(&error, 0, sizeof error);
    cinfo.err = jpeg_std_error(&error.base);
    error.base.error_exit = cjpeg_error_exit;
    error.base.emit_message = cjpeg_emit_message;
    *output = NULL;
    *length = 0;
    if (setjmp(error.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(*output);
        *output = NULL;
        return CJPEG_ERR_CORRUPT;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, output, length);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = components;
    cinfo.in_color_space = components == 3 ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    size_t stride = (size_t)width * (size_t)components;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * stride);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    return CJPEG_OK;
}

void cjpeg_free(void *pointer) { free(pointer); }
