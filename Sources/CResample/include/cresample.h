#ifndef COVERLENS_RESAMPLE_H
#define COVERLENS_RESAMPLE_H

#include <stddef.h>
#include <stdint.h>

/// The horizontal pass of PIL's 8-bit fixed-point resampling over interleaved RGB rows
/// (Pillow's `ImagingResampleHorizontal_8bpc`), eight rows at a time. Needs AVX2.
///
/// `src` holds `rows` rows of `in_pixels` RGB pixels, `src` column 0 being the image's column
/// `source_offset`. Output pixel `x` (0 ..< `out_pixels`) of a row is
/// `clip8((Σ_t src[first[x] − source_offset + t] · weights[x·stride + t] + 2^(bits−1)) >> bits)`
/// over `t` in 0 ..< `count[x]`, each channel on its own, written to `dst` (`rows` rows of
/// `out_pixels` RGB pixels). The sums are 32-bit and wrap like Pillow's; integer addition does not
/// depend on its order, so the bytes are Pillow's exactly.
///
/// `scratch` must hold `8 · 3 · (in_pixels + out_pixels)` bytes.
void cl_resample_horizontal_rgb(const uint8_t *src, long rows, long in_pixels, long source_offset,
                                uint8_t *dst, long out_pixels,
                                const long *first, const long *count, const int32_t *weights, long stride,
                                int precision_bits, uint8_t *scratch);

#endif
