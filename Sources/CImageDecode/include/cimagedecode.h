// Safe entry points into libjpeg and libpng for CoverLens's Imaging target.
//
// Both libraries report errors by calling a handler that must not return (libjpeg's default
// handler calls exit(), libpng's longjmps). Swift cannot use setjmp/longjmp, so these two
// functions own the setjmp, turn every library error into a status code plus a message, and
// never abort the process. Everything else (colour conversion, EXIF, orientation) is Swift.
#ifndef CIMAGEDECODE_H
#define CIMAGEDECODE_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    CL_OK = 0,
    CL_TRUNCATED = 1,     // the data ends before the image does
    CL_TOO_LARGE = 2,     // width*height over max_pixels: nothing was allocated
    CL_CORRUPT = 3,       // the library rejected the data; message says why
    CL_UNSUPPORTED = 4,   // valid file, but a variant we do not decode; message says which
    CL_OUT_OF_MEMORY = 5
} cl_status;

/// What a decode produced. Free with cl_decoded_free whatever the status.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// Samples per pixel in `pixels`: 1 grey, 3 RGB, 4 CMYK (JPEG, raw values as stored) or RGBA (PNG).
    int components;
    /// JPEG: the file's J_COLOR_SPACE (1 grey, 2 RGB, 3 YCbCr, 4 CMYK, 5 YCCK).
    /// PNG: the IHDR colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA).
    int color_space;
    /// Bits per sample as stored in the file (PNG: 1, 2, 4, 8 or 16; JPEG: 8).
    int bit_depth;
    /// JPEG: progressive scans; PNG: Adam7 interlacing.
    int progressive;
    /// PNG: 1 if a tRNS chunk gives palette or colour-key transparency.
    int has_trns;
    /// JPEG: 1 if an Adobe APP14 marker was present.
    int adobe_marker;
    /// `height * width * components` bytes, rows top to bottom (malloc'd; NULL unless CL_OK).
    uint8_t *pixels;
    /// The EXIF TIFF structure (starting at "II*\0" or "MM\0*"), if the file carries one (malloc'd or NULL).
    uint8_t *exif;
    size_t exif_size;
    /// The library's message for a failure.
    char message[200];
    /// The first warning the library gave on a successful decode ("" if none), and how many it gave.
    char warning[200];
    int warning_count;
} cl_decoded;

/// Decodes a JPEG held in memory. Grey stays 1 component, YCbCr/RGB become RGB, CMYK and YCCK
/// become the stored CMYK values (4 components; the caller applies the Adobe inversion).
/// "Premature end of JPEG file" (which libjpeg only warns about) is reported as CL_TRUNCATED.
cl_status cl_jpeg_decode(const uint8_t *data, size_t size, uint64_t max_pixels, cl_decoded *out);

/// Decodes a PNG held in memory to 8-bit RGB (components 3) or RGBA (components 4, when the
/// file has an alpha channel or tRNS). 16-bit samples keep their high byte; no gamma correction.
/// A CRC error in a critical chunk is CL_CORRUPT.
cl_status cl_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels, cl_decoded *out);

/// Releases `pixels` and `exif`; safe on a zeroed or already freed struct.
void cl_decoded_free(cl_decoded *decoded);

#endif
