#include "cjpegencode.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf escape;
} encode_error_mgr;

// Called by libjpeg on a fatal error: keep the message and jump back instead of exit().
static void encode_error_exit(j_common_ptr cinfo) {
    encode_error_mgr *err = (encode_error_mgr *)cinfo->err;
    longjmp(err->escape, 1);
}

// Warnings during compression carry no information the caller could act on.
static void encode_silent(j_common_ptr cinfo) { (void)cinfo; }

int cl_jpeg_encode(const uint8_t *rgb, uint32_t width, uint32_t height, int quality, cl_encoded *out) {
    struct jpeg_compress_struct cinfo;
    encode_error_mgr err;
    // volatile: these change between setjmp and a possible longjmp.
    unsigned char *volatile buffer = NULL;
    unsigned long volatile size = 0;

    memset(out, 0, sizeof *out);

    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = encode_error_exit;
    err.base.output_message = encode_silent;
    if (setjmp(err.escape)) {
        (*cinfo.err->format_message)((j_common_ptr)&cinfo, out->message);
        jpeg_destroy_compress(&cinfo);
        free(buffer);
        return 1;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, (unsigned char **)&buffer, (unsigned long *)&size);

    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    cinfo.dct_method = JDCT_ISLOW;
    cinfo.optimize_coding = TRUE;

    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(rgb + (size_t)cinfo.next_scanline * width * 3);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);

    out->bytes = buffer;
    out->size = size;
    return 0;
}
