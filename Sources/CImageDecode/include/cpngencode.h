// A safe entry point into libpng's writer for CoverLens's Imaging target.
//
// libpng reports errors by longjmp; Swift cannot setjmp, so this function owns the setjmp and
// turns any library error into a status code and a message.
#ifndef CPNGENCODE_H
#define CPNGENCODE_H

#include "cencoded.h"

/// Compresses `height` rows of `width` interleaved 8-bit RGB pixels (no row padding, no alpha) at
/// zlib `level` (0...9) with libpng's adaptive row filters into `out` (free it with
/// cl_encoded_free). Returns 0 on success, non-zero with `out->message` filled on failure.
int cl_png_encode(const uint8_t *rgb, uint32_t width, uint32_t height, int level, cl_encoded *out);

#endif
