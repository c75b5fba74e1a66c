#include "cpngencode.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
    int failed;
} png_sink;

static void sink_write(png_structp png, png_bytep bytes, png_size_t length) {
    png_sink *sink = (png_sink *)png_get_io_ptr(png);
    if (sink->failed) return;
    if (sink->size + length > sink->capacity) {
        size_t capacity = sink->capacity ? sink->capacity : 65536;
        while (capacity < sink->size + length) capacity *= 2;
        uint8_t *grown = realloc(sink->data, capacity);
        if (!grown) { sink->failed = 1; png_error(png, "out of memory"); }
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->size, bytes, length);
    sink->size += length;
}

static void sink_flush(png_structp png) { (void)png; }

// The message goes to the caller's cl_encoded (libpng's error pointer), so encodes on several
// threads at once keep their own.
static void encode_error(png_structp png, png_const_charp text) {
    cl_encoded *out = (cl_encoded *)png_get_error_ptr(png);
    snprintf(out->message, sizeof out->message, "%s", text ? text : "unknown error");
    png_longjmp(png, 1);
}

static void encode_warning(png_structp png, png_const_charp text) { (void)png; (void)text; }

int cl_png_encode(const uint8_t *rgb, uint32_t width, uint32_t height, int level, cl_encoded *out) {
    memset(out, 0, sizeof *out);
    png_sink sink = {NULL, 0, 0, 0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, out, encode_error, encode_warning);
    if (!png) { snprintf(out->message, sizeof out->message, "libpng could not start"); return 1; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_write_struct(&png, NULL); snprintf(out->message, sizeof out->message, "libpng could not start"); return 1; }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(sink.data);
        return 1;
    }
    png_set_write_fn(png, &sink, sink_write, sink_flush);
    png_set_compression_level(png, level);
    png_set_filter(png, 0, PNG_ALL_FILTERS);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(rgb + (size_t)y * width * 3));
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    out->bytes = sink.data;
    out->size = sink.size;
    return 0;
}
