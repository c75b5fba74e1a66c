// A safe entry point into libpng's writer for CoverLens's Imaging target.
//
// libpng reports errors by longjmp; Swift cannot setjmp, so this function owns the setjmp and
// turns any library error into a status code and a message.
#ifndef CPNGENCODE_H
#define CPNGENCODE_H

#include <stddef.h>
#include <stdint.h>

/// Compresses `height` rows of `width` interleaved 8-bit RGB pixels (no row padding, no alpha) at
/// zlib `level` (0...9) with libpng's adaptive row filters. On success returns 0 and sets `*out`
/// (free it with cl_png_free) and `*out_size`; on failure returns non-zero and fills `message`.
int cl_png_encode(const uint8_t *rgb, uint32_t width, uint32_t height, int level,
                  uint8_t **out, size_t *out_size, char message[200]);

/// Releases a buffer returned by cl_png_encode; safe on NULL.
void cl_png_free(uint8_t *buffer);

#endif
