// libpng's low-level reader behind setjmp. The simplified png_image API would avoid setjmp, but
// it composites and converts in linear light (gamma-aware); CoverLens wants the stored 8-bit
// values, like PIL, and composites alpha itself in sRGB space.
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include "cimagedecode.h"

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    int truncated;
    cl_decoded *out;
    png_bytep *rows;
} cl_png_reader;

static void cl_png_read(png_structp png, png_bytep target, size_t length) {
    cl_png_reader *reader = (cl_png_reader *)png_get_io_ptr(png);
    if (length > reader->size - reader->offset) {
        reader->truncated = 1;
        png_error(png, "unexpected end of file");
    }
    memcpy(target, reader->data + reader->offset, length);
    reader->offset += length;
}

static void cl_png_error(png_structp png, png_const_charp message) {
    cl_png_reader *reader = (cl_png_reader *)png_get_error_ptr(png);
    snprintf(reader->out->message, sizeof reader->out->message, "%s", message);
    png_longjmp(png, 1);
}

static void cl_png_warning(png_structp png, png_const_charp message) {
    cl_png_reader *reader = (cl_png_reader *)png_get_error_ptr(png);
    if (reader->out->warning_count == 0)
        snprintf(reader->out->warning, sizeof reader->out->warning, "%s", message);
    reader->out->warning_count += 1;
}

static void cl_png_copy_exif(png_structp png, png_infop info, cl_decoded *out) {
#ifdef PNG_eXIf_SUPPORTED
    png_bytep exif = NULL;
    png_uint_32 size = 0;
    if (out->exif != NULL || !png_get_eXIf_1(png, info, &size, &exif) || exif == NULL || size == 0) return;
    out->exif = malloc(size);
    if (out->exif == NULL) return;
    memcpy(out->exif, exif, size);
    out->exif_size = size;
#endif
}

/// Reads the chunks after the image data (eXIf may be there). Damage past the pixels is only a
/// warning: the image itself is complete.
static void cl_png_read_tail(png_structp png, png_infop info, cl_png_reader *reader) {
    if (setjmp(png_jmpbuf(png))) {
        char note[200];
        snprintf(note, sizeof note, "after the image data: %s", reader->out->message);
        if (reader->out->warning_count == 0)
            snprintf(reader->out->warning, sizeof reader->out->warning, "%s", note);
        reader->out->warning_count += 1;
        reader->out->message[0] = 0;
        return;
    }
    png_read_end(png, info);
    cl_png_copy_exif(png, info, reader->out);
}

cl_status cl_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels, cl_decoded *out) {
    memset(out, 0, sizeof *out);
    cl_png_reader reader = { data, size, 0, 0, out, NULL };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, cl_png_error, cl_png_warning);
    if (png == NULL) {
        snprintf(out->message, sizeof out->message, "libpng could not start (out of memory)");
        return CL_OUT_OF_MEMORY;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(out->message, sizeof out->message, "libpng could not start (out of memory)");
        return CL_OUT_OF_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        free(reader.rows);
        free(out->pixels);
        out->pixels = NULL;
        return reader.truncated ? CL_TRUNCATED : CL_CORRUPT;
    }

    png_set_read_fn(png, &reader, cl_png_read);
    // Our own limit applies; libpng's default 1,000,000-pixel side limit stays as a backstop.
    png_read_info(png, info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    out->width = width;
    out->height = height;
    out->bit_depth = bit_depth;
    out->color_space = color_type;
    out->progressive = interlace != PNG_INTERLACE_NONE;
    out->has_trns = png_get_valid(png, info, PNG_INFO_tRNS) ? 1 : 0;
    cl_png_copy_exif(png, info, out);
    png_charp icc_name = NULL;
    png_bytep icc = NULL;
    png_uint_32 icc_size = 0;
    int icc_compression = 0;
    if (png_get_iCCP(png, info, &icc_name, &icc_compression, &icc, &icc_size) && icc != NULL && icc_size > 0) {
        out->icc = malloc(icc_size);
        if (out->icc != NULL) {
            memcpy(out->icc, icc, icc_size);
            out->icc_size = icc_size;
        }
    }

    if ((uint64_t)width * (uint64_t)height > max_pixels) {
        png_destroy_read_struct(&png, &info, NULL);
        return CL_TOO_LARGE;
    }

    // 16-bit grey stays 16-bit grey (with alpha from tRNS): PIL reduces it differently from every
    // other kind (it clips at 255), so the Swift side needs the whole sample.
    int wide_grey = color_type == PNG_COLOR_TYPE_GRAY && bit_depth == 16;
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (out->has_trns) png_set_tRNS_to_alpha(png);
    if (wide_grey) {
        const uint16_t probe = 1;
        if (*(const uint8_t *)&probe == 1) png_set_swap(png);   // PNG is big-endian; hand on native order
    } else {
        if (bit_depth == 16) png_set_strip_16(png);   // keeps the high byte, as PIL does
        if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    int channels = png_get_channels(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    int sample_bytes = wide_grey ? 2 : 1;
    int expected_channels = wide_grey ? (out->has_trns ? 2 : 1) : channels == 4 ? 4 : 3;
    if (channels != expected_channels || row_bytes != (size_t)width * (size_t)channels * (size_t)sample_bytes) {
        snprintf(out->message, sizeof out->message,
                 "a PNG layout libpng could not convert (%d channels, %zu bytes per row)", channels, row_bytes);
        png_destroy_read_struct(&png, &info, NULL);
        return CL_UNSUPPORTED;
    }
    out->pixels = malloc(row_bytes * height + 1);
    reader.rows = malloc(sizeof(png_bytep) * height + 1);
    if (out->pixels == NULL || reader.rows == NULL) {
        free(reader.rows);
        free(out->pixels);
        out->pixels = NULL;
        png_destroy_read_struct(&png, &info, NULL);
        snprintf(out->message, sizeof out->message, "out of memory for %u×%u pixels", width, height);
        return CL_OUT_OF_MEMORY;
    }
    for (png_uint_32 y = 0; y < height; y++) reader.rows[y] = out->pixels + row_bytes * y;
    out->components = channels;
    out->sample_bytes = sample_bytes;
    png_read_image(png, reader.rows);

    cl_png_read_tail(png, info, &reader);
    free(reader.rows);
    png_destroy_read_struct(&png, &info, NULL);
    return CL_OK;
}
