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

/// JPEG: what a file whose data ran out still holds (`cl_decoded.truncation`).
enum {
    CL_JPEG_COMPLETE = 0,             // the data did not run out
    CL_JPEG_END_MARKER_MISSING = 1,   // all image data is there; only the end marker (EOI) is not
    CL_JPEG_REFINEMENT_MISSING = 2,   // progressive: every coefficient had its first scan, only refinement scans are missing
    CL_JPEG_CUT = 3                   // the data ends inside the image: libjpeg filled the rest with mid-grey
};

/// What a decode produced. Free with cl_decoded_free whatever the status.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// Samples per pixel in `pixels`: 1 grey, 3 RGB, 4 CMYK (JPEG, raw values as stored) or RGBA (PNG);
    /// PNG 16-bit grey: 1 grey or 2 grey and alpha.
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
    /// The embedded ICC colour profile (JPEG APP2, PNG iCCP, TIFF tag 34675), malloc'd or NULL.
    uint8_t *icc;
    size_t icc_size;
    /// Bytes per sample in `pixels` (1, or 2 for 16-bit samples in native byte order): TIFF, and
    /// PNG for 16-bit grey.
    int sample_bytes;
    /// TIFF: 0 no alpha, 1 the last component is straight alpha, 2 premultiplied alpha.
    int alpha;
    /// TIFF: the compression tag of the first page (1 none, 5 LZW, 7 JPEG, 8/32946 Deflate, 32773 PackBits).
    int compression;
    /// TIFF: 1 when the pixels came through libtiff's RGBA reader (palette below 8 bits, YCbCr, ...).
    int via_rgba;
    /// TIFF: pages (image directories) in the file; only the first is decoded.
    int page_count;
    /// JPEG: one of CL_JPEG_COMPLETE ... CL_JPEG_CUT; the caller decides what a cut file is worth.
    int truncation;
} cl_decoded;

/// Decodes a JPEG held in memory (and its ICC profile, if any). Grey stays 1 component, YCbCr/RGB become RGB, CMYK and YCCK
/// become the stored CMYK values (4 components; the caller applies the Adobe inversion).
/// Data that runs out (which libjpeg only warns about) still decodes, with `truncation` saying how
/// much of the image the data held; an error after the data ran out is CL_TRUNCATED.
/// `draft_side` > 0 reduces the decode in libjpeg's IDCT as PIL's `Image.draft("RGB", (draft_side,
/// draft_side))` does: by 8, 4 or 2 when both stored sides hold `draft_side` that many times; `width`
/// and `height` are then the reduced size, ceil(stored / reduction). 0 decodes every pixel.
cl_status cl_jpeg_decode(const uint8_t *data, size_t size, uint64_t max_pixels, unsigned int draft_side,
                         cl_decoded *out);

/// Decodes a PNG held in memory to 8-bit RGB (components 3) or RGBA (components 4, when the
/// file has an alpha channel or tRNS). 16-bit samples keep their high byte, except 16-bit grey
/// (colour type 0), which comes as stored: 16-bit grey (components 1) or grey and alpha from tRNS
/// (components 2), `sample_bytes` 2. No gamma correction.
/// A CRC error in a critical chunk is CL_CORRUPT.
cl_status cl_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels, cl_decoded *out);

/// Decodes the first page of a TIFF held in memory. The colour components are left as stored
/// (`color_space` is the Photometric tag: 0 white-is-zero grey, 1 black-is-zero grey, 2 RGB,
/// 3 palette already looked up to RGB, 5 CMYK ink amounts), 8- or 16-bit (`sample_bytes`), with an
/// alpha component last when `alpha` says so. Layouts outside that (1-, 2- and 4-bit samples,
/// YCbCr without JPEG, ...) come through libtiff's RGBA reader as premultiplied 8-bit RGBA.
/// Strips or tiles that lie past the end of the data are CL_TRUNCATED.
cl_status cl_tiff_decode(const uint8_t *data, size_t size, uint64_t max_pixels, cl_decoded *out);

/// Releases `pixels`, `exif` and `icc`; safe on a zeroed or already freed struct.
void cl_decoded_free(cl_decoded *decoded);

#endif
