// A safe entry point into libjpeg-turbo's compressor for CoverLens's Imaging target
// (the decoders are in cimagedecode.h).
//
// libjpeg reports errors through a handler that must not return (the default one calls exit()).
// Swift cannot setjmp/longjmp, so this function owns the setjmp and turns any library error into
// a status code and a message. Everything else about encoding is decided in Swift.
#ifndef CJPEGENCODE_H
#define CJPEGENCODE_H

#include "cencoded.h"

/// Compresses `height` rows of `width` interleaved RGB pixels (no row padding) at `quality`
/// (1...100, baseline, 4:2:0 chroma subsampling, optimised Huffman tables, integer DCT so the
/// bytes are the same on every CPU) into `out` (free it with cl_encoded_free). Returns 0 on
/// success, non-zero with `out->message` filled on failure.
int cl_jpeg_encode(const uint8_t *rgb, uint32_t width, uint32_t height, int quality, cl_encoded *out);

#endif
