// libjpeg-turbo behind setjmp: every error comes back as a status, and a cut file as how much of it is there.
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
    int data_ended;          // the data ran out: libjpeg's source inserted an end marker (JWRN_JPEG_EOF)
    int cut_in_scan;         // ... and a scan then needed bits past the end (a warning after the EOF one)
    int cut_scan_refines;    // ... and that scan only refined coefficients its band already had (Ah > 0)
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
        // After the data ran out, libjpeg reads its inserted end marker as the rest of a marker
        // segment and fails on that: the cause is the cut, not damage.
        err->status = err->data_ended ? CL_TRUNCATED : CL_CORRUPT;
    }
    longjmp(err->jump, 1);
}

/// Warnings (level -1) are kept, except the ones that only follow from the data running out:
/// those are recorded in `data_ended` / `cut_in_scan`, and `cl_jpeg_truncation` judges them once
/// the decode is done. libjpeg itself carries on after the end (an inserted end marker, then zero
/// coefficients: mid-grey), which is what a cut file decodes to when it is used at all.
static void cl_jpeg_emit_message(j_common_ptr cinfo, int level) {
    cl_jpeg_error *err = (cl_jpeg_error *)cinfo->err;
    if (level >= 0) return;   // trace messages
    if (cinfo->err->msg_code == JWRN_JPEG_EOF) {
        err->data_ended = 1;
        return;
    }
    if (err->data_ended) {
        // The entropy decoder hit the inserted marker inside a scan (JWRN_HIT_MARKER, or
        // JWRN_MUST_RESYNC where a restart marker was due): that scan's remaining blocks are
        // missing. Other warnings now (extraneous bytes before a marker) come from the marker
        // reader meeting the inserted end marker and say nothing about the image.
        int code = cinfo->err->msg_code;
        if ((code == JWRN_HIT_MARKER || code == JWRN_MUST_RESYNC) && !err->cut_in_scan && cinfo->is_decompressor) {
            j_decompress_ptr dinfo = (j_decompress_ptr)cinfo;
            err->cut_in_scan = 1;
            err->cut_scan_refines = dinfo->progressive_mode && dinfo->Ah > 0;
        }
        return;
    }
    char buffer[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, buffer);
    if (err->out->warning_count == 0)
        snprintf(err->out->warning, sizeof err->out->warning, "%s", buffer);
    err->out->warning_count += 1;
}

/// What the scans read so far gave every component, read before jpeg_finish_decompress (which
/// frees comp_info and coef_bits with the image's memory pool): 0 everything, 1 only refinement
/// bits are missing, 2 a component or a coefficient band never had a scan.
static int cl_jpeg_scan_coverage(j_decompress_ptr cinfo) {
    // A component that never appeared in a scan (a non-interleaved file cut between its scans):
    // libjpeg latches a component's quantisation table at its first scan.
    for (int c = 0; c < cinfo->num_components; c++)
        if (cinfo->comp_info[c].quant_table == NULL) return 2;
    if (!cinfo->progressive_mode || cinfo->coef_bits == NULL) return 0;
    // Progressive: every coefficient must have had its first scan (coef_bits >= 0); a positive
    // value is the number of low bits its refinement scans have not delivered yet.
    int refinement_missing = 0;
    for (int c = 0; c < cinfo->num_components; c++) {
        for (int k = 0; k < DCTSIZE2; k++) {
            int bits = cinfo->coef_bits[c][k];
            if (bits < 0) return 2;
            if (bits > 0) refinement_missing = 1;
        }
    }
    return refinement_missing;
}

/// How complete the decoded image is when the data ran out (see `cl_decoded.truncation`).
static int cl_jpeg_truncation(int arith_code, int coverage, const cl_jpeg_error *err) {
    if (!err->data_ended) return CL_JPEG_COMPLETE;
    // The arithmetic decoder runs out of data without a warning: nothing tells a cut from a whole scan.
    if (arith_code) return CL_JPEG_CUT;
    if (err->cut_in_scan && !err->cut_scan_refines) return CL_JPEG_CUT;
    if (coverage == 2) return CL_JPEG_CUT;
    return coverage == 1 || err->cut_in_scan ? CL_JPEG_REFINEMENT_MISSING : CL_JPEG_END_MARKER_MISSING;
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

/// PIL's `JpegImageFile.draft(mode, (side, side))`: the largest of the reductions 8, 4, 2 that
/// divides both stored sides at least `side` times (integer division, as PIL does), else 1.
static unsigned int cl_jpeg_draft_reduction(unsigned int width, unsigned int height, unsigned int side) {
    if (side == 0) return 1;
    unsigned int fits = width / side < height / side ? width / side : height / side;
    return fits >= 8 ? 8 : fits >= 4 ? 4 : fits >= 2 ? 2 : 1;
}

cl_status cl_jpeg_decode(const uint8_t *data, size_t size, uint64_t max_pixels, unsigned int draft_side,
                         cl_decoded *out) {
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
    err.data_ended = 0;
    err.cut_in_scan = 0;
    err.cut_scan_refines = 0;

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

    unsigned int reduction = cl_jpeg_draft_reduction(cinfo.image_width, cinfo.image_height, draft_side);
    if (reduction > 1) {
        // What Pillow's decoder does with draft's scale: libjpeg's own reduced IDCT, nothing else
        // changed (draft leaves Pillow's "draft" flag, which would switch to the fast DCT, off).
        cinfo.scale_num = 1;
        cinfo.scale_denom = reduction;
    }
    jpeg_start_decompress(&cinfo);
    // The decoded size: ceil(stored / reduction) (the stored size was checked against the limit above).
    out->width = cinfo.output_width;
    out->height = cinfo.output_height;
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
    int coverage = cl_jpeg_scan_coverage(&cinfo), arith_code = cinfo.arith_code;
    jpeg_finish_decompress(&cinfo);
    out->truncation = cl_jpeg_truncation(arith_code, coverage, &err);
    jpeg_destroy_decompress(&cinfo);
    return CL_OK;
}
