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

/// The horizontal pass of `resampleArea` (exact-coverage box averaging) over interleaved RGB rows,
/// eight rows at a time. Needs AVX2.
///
/// `src` holds `rows` rows of `in_pixels` RGB pixels. Output pixel `x` (0 ..< `out_pixels`) of a row
/// is, per channel, `Σ_k weights[offset[x] + k] · src[first[x] + k]` over `k` in 0 ..< `count[x]`,
/// in floats, each product rounded before it is added, added in order of `k` from 0 — the same
/// floats as Swift's loop, whatever the grouping of rows. Written to `dst` (`rows` rows of
/// `out_pixels · 3` floats).
///
/// `scratch` must hold `8 · 3 · in_pixels` bytes, `results` `8 · 3 · out_pixels` floats.
void cl_area_horizontal_rgb(const uint8_t *src, long rows, long in_pixels, float *dst, long out_pixels,
                            const long *first, const long *count, const long *offset, const float *weights,
                            uint8_t *scratch, float *results);

#endif
