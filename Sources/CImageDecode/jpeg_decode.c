// libjpeg-turbo behind setjmp: every error and the truncation warning come back as a status.
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>
#include "cimagedecode.h"

/// A progressive JPEG may hold thousands of tiny scans that each cost a full pass over the
/// coefficients (a known denial-of-service shape); real files use about ten.
#define CL_JPEG_MAX_SCANS 1000

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    cl_decoded *out;
    cl_status status;        // set before jumping
    int rows_complete;       // every scanline was read: a missing EOI only warrants a warning
} cl_jpeg_error;

static void cl_jpeg_error_exit(j_common_ptr cinfo) {
    cl_jpeg_error *err = (cl_jpeg_error *)cinfo->err;
    char buffer[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, buffer);
    // Valid JPEGs that libjpeg-turbo's 8-bit build cannot decode (12-bit, lossless SOF3, ...).
    int code = cinfo->err->msg_code;
    if (code == JERR_BAD_PRECISION || code == JERR_SOF_UNSUPPORTED) {
        snprintf(err->out->message, sizeof err->out->message, "a JPEG variant libjpeg cannot decode (%s)", buffer);
        err->status = CL_UNSUPPORTED;
    } else {
        snprintf(err->out->message, sizeof err->out->message, "%s", buffer);
        err->status = CL_CORRUPT;
    }
    longjmp(err->jump, 1);
}

/// Warnings (level -1) are kept; "premature end of file" aborts as truncation, because libjpeg
/// would otherwise hand back an image whose missing part is filled with grey.
static void cl_jpeg_emit_message(j_common_ptr cinfo, int level) {
    cl_jpeg_error *err = (cl_jpeg_error *)cinfo->err;
    if (level >= 0) return;   // trace messages
    char buffer[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, buffer);
    if (cinfo->err->msg_code == JWRN_JPEG_EOF && !err->rows_complete) {
        snprintf(err->out->message, sizeof err->out->message, "%s", buffer);
        err->status = CL_TRUNCATED;
        longjmp(err->jump, 1);
    }
    if (err->out->warning_count == 0)
        snprintf(err->out->warning, sizeof err->out->warning, "%s", buffer);
    err->out->warning_count += 1;
}

static void cl_jpeg_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    j_decompress_ptr dinfo = (j_decompress_ptr)cinfo;
    if (dinfo->input_scan_number > CL_JPEG_MAX_SCANS) {
        cl_jpeg_error *err = (cl_jpeg_error *)cinfo->err;
        snprintf(err->out->message, sizeof err->out->message,
                 "more than %d progressive scans (a malformed or hostile file)", CL_JPEG_MAX_SCANS);
        err->status = CL_CORRUPT;
        longjmp(err->jump, 1);
    }
}

/// Copies the TIFF part of the first "Exif\0\0" APP1 segment.
static void cl_jpeg_copy_exif(j_decompress_ptr cinfo, cl_decoded *out) {
    for (jpeg_saved_marker_ptr m = cinfo->marker_list; m != NULL; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length < 14) continue;
        if (memcmp(m->data, "Exif\0\0", 6) != 0) continue;
        size_t size = m->data_length - 6;
        out->exif = malloc(size);
        if (out->exif == NULL) return;
        memcpy(out->exif, m->data + 6, size);
        out->exif_size = size;
        return;
    }
}

cl_status cl_jpeg_decode(const uint8_t *data, size_t size, uint64_t max_pixels, cl_decoded *out) {
    memset(out, 0, sizeof *out);
    struct jpeg_decompress_struct cinfo;
    cl_jpeg_error err;
    struct jpeg_progress_mgr progress;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = cl_jpeg_error_exit;
    err.pub.emit_message = cl_jpeg_emit_message;
    err.out = out;
    err.status = CL_CORRUPT;
    err.rows_complete = 0;

    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(out->pixels);
        out->pixels = NULL;
        return err.status;
    }

    jpeg_create_decompress(&cinfo);
    progress.progress_monitor = cl_jpeg_progress;
    cinfo.progress = &progress;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_save_markers(&cinfo, JPEG_APP0 + 2, 0xFFFF);   // ICC profile, possibly in several chunks
    jpeg_read_header(&cinfo, TRUE);
    JOCTET *icc = NULL;
    unsigned int icc_size = 0;
    if (jpeg_read_icc_profile(&cinfo, &icc, &icc_size) && icc != NULL) {
        out->icc = icc;
        out->icc_size = icc_size;
    }

    out->width = cinfo.image_width;
    out->height = cinfo.image_height;
    out->color_space = (int)cinfo.jpeg_color_space;
    out->bit_depth = cinfo.data_precision;
    out->progressive = cinfo.progressive_mode ? 1 : 0;
    out->adobe_marker = cinfo.saw_Adobe_marker ? 1 : 0;
    cl_jpeg_copy_exif(&cinfo, out);

    if ((uint64_t)cinfo.image_width * (uint64_t)cinfo.image_height > max_pixels) {
        jpeg_destroy_decompress(&cinfo);
        return CL_TOO_LARGE;
    }
    switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE: cinfo.out_color_space = JCS_GRAYSCALE; break;
    case JCS_YCbCr:
    case JCS_RGB: cinfo.out_color_space = JCS_RGB; break;
    case JCS_CMYK:
    case JCS_YCCK: cinfo.out_color_space = JCS_CMYK; break;
    default:
        snprintf(out->message, sizeof out->message,
                 "a JPEG with %d colour components in an unknown colour space", cinfo.num_components);
        jpeg_destroy_decompress(&cinfo);
        return CL_UNSUPPORTED;
    }

    jpeg_start_decompress(&cinfo);
    int components = cinfo.output_components;
    size_t row_bytes = (size_t)cinfo.output_width * (size_t)components;
    out->pixels = malloc(row_bytes * cinfo.output_height + 1);
    if (out->pixels == NULL) {
        jpeg_destroy_decompress(&cinfo);
        snprintf(out->message, sizeof out->message, "out of memory for %u×%u pixels",
                 cinfo.output_width, cinfo.output_height);
        return CL_OUT_OF_MEMORY;
    }
    out->components = components;
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = out->pixels + row_bytes * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    err.rows_complete = 1;
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return CL_OK;
}
