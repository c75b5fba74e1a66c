// PIL's horizontal resampling pass with the eight lanes of an AVX2 vector holding eight rows.
//
// Each output pixel of a row is a short dot product of that row's pixels with weights that are
// the same for every row, so eight rows go through it together: the eight rows' bytes are first
// turned so that one column's eight values lie side by side (`transpose_rows`), every tap is then
// one widening load, one multiply and one add per channel for all eight rows, and the results are
// turned back into rows (`untranspose_rows`). Pillow sums channel by channel, one row at a time;
// the sums here are the same integers.

#include "cresample.h"

#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

// `cl_area_horizontal_rgb` must round each product before its addition, as Swift does and as the
// plain definition in its tests does: no fused multiply-adds in this file.
#pragma clang fp contract(off)

/// rows[0..7] (each `n` bytes) → columns: out[j·8 + r] = rows[r][j].
AVX2 static void transpose_rows(const uint8_t *const rows[8], long n, uint8_t *out) {
    long j = 0;
    for (; j + 16 <= n; j += 16) {
        __m128i a0 = _mm_loadu_si128((const __m128i *)(rows[0] + j));
        __m128i a1 = _mm_loadu_si128((const __m128i *)(rows[1] + j));
        __m128i a2 = _mm_loadu_si128((const __m128i *)(rows[2] + j));
        __m128i a3 = _mm_loadu_si128((const __m128i *)(rows[3] + j));
        __m128i a4 = _mm_loadu_si128((const __m128i *)(rows[4] + j));
        __m128i a5 = _mm_loadu_si128((const __m128i *)(rows[5] + j));
        __m128i a6 = _mm_loadu_si128((const __m128i *)(rows[6] + j));
        __m128i a7 = _mm_loadu_si128((const __m128i *)(rows[7] + j));
        // Pairs of rows, byte by byte: b0 = r0 r1 of columns 0–7, b1 = of columns 8–15, …
        __m128i b0 = _mm_unpacklo_epi8(a0, a1), b1 = _mm_unpackhi_epi8(a0, a1);
        __m128i b2 = _mm_unpacklo_epi8(a2, a3), b3 = _mm_unpackhi_epi8(a2, a3);
        __m128i b4 = _mm_unpacklo_epi8(a4, a5), b5 = _mm_unpackhi_epi8(a4, a5);
        __m128i b6 = _mm_unpacklo_epi8(a6, a7), b7 = _mm_unpackhi_epi8(a6, a7);
        // Quads of rows: c0 = r0–r3 of columns 0–3, c1 = of 4–7, c2 = of 8–11, c3 = of 12–15.
        __m128i c0 = _mm_unpacklo_epi16(b0, b2), c1 = _mm_unpackhi_epi16(b0, b2);
        __m128i c2 = _mm_unpacklo_epi16(b1, b3), c3 = _mm_unpackhi_epi16(b1, b3);
        __m128i c4 = _mm_unpacklo_epi16(b4, b6), c5 = _mm_unpackhi_epi16(b4, b6);
        __m128i c6 = _mm_unpacklo_epi16(b5, b7), c7 = _mm_unpackhi_epi16(b5, b7);
        // All eight rows of two columns each: d0 = columns 0 and 1, d1 = 2 and 3, …
        __m128i *o = (__m128i *)(out + j * 8);
        _mm_storeu_si128(o + 0, _mm_unpacklo_epi32(c0, c4));
        _mm_storeu_si128(o + 1, _mm_unpackhi_epi32(c0, c4));
        _mm_storeu_si128(o + 2, _mm_unpacklo_epi32(c1, c5));
        _mm_storeu_si128(o + 3, _mm_unpackhi_epi32(c1, c5));
        _mm_storeu_si128(o + 4, _mm_unpacklo_epi32(c2, c6));
        _mm_storeu_si128(o + 5, _mm_unpackhi_epi32(c2, c6));
        _mm_storeu_si128(o + 6, _mm_unpacklo_epi32(c3, c7));
        _mm_storeu_si128(o + 7, _mm_unpackhi_epi32(c3, c7));
    }
    for (; j < n; j++)
        for (int r = 0; r < 8; r++) out[j * 8 + r] = rows[r][j];
}

/// The inverse: columns (in[j·8 + r]) → the first `valid` of rows[0..7], `n` bytes each.
AVX2 static void untranspose_rows(const uint8_t *in, long n, uint8_t *const rows[8], int valid) {
    long j = 0;
    for (; j + 8 <= n; j += 8) {
        const uint8_t *p = in + j * 8;
        // f0 = columns j, j+1 interleaved for rows 0–7; f1 = j+2, j+3; …
        __m128i f0 = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(p + 0)), _mm_loadl_epi64((const __m128i *)(p + 8)));
        __m128i f1 = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(p + 16)), _mm_loadl_epi64((const __m128i *)(p + 24)));
        __m128i f2 = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(p + 32)), _mm_loadl_epi64((const __m128i *)(p + 40)));
        __m128i f3 = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(p + 48)), _mm_loadl_epi64((const __m128i *)(p + 56)));
        // g0 = columns j…j+3 of rows 0–3, g1 = of rows 4–7; g2, g3 = columns j+4…j+7.
        __m128i g0 = _mm_unpacklo_epi16(f0, f1), g1 = _mm_unpackhi_epi16(f0, f1);
        __m128i g2 = _mm_unpacklo_epi16(f2, f3), g3 = _mm_unpackhi_epi16(f2, f3);
        // Eight columns of two rows each: h0 = rows 0 and 1, h1 = 2 and 3, …
        __m128i h[4] = {_mm_unpacklo_epi32(g0, g2), _mm_unpackhi_epi32(g0, g2),
                        _mm_unpacklo_epi32(g1, g3), _mm_unpackhi_epi32(g1, g3)};
        for (int r = 0; r < valid; r++) {
            __m128i two = h[r / 2];
            _mm_storel_epi64((__m128i *)(rows[r] + j), r % 2 == 0 ? two : _mm_unpackhi_epi64(two, two));
        }
    }
    for (; j < n; j++)
        for (int r = 0; r < valid; r++) rows[r][j] = in[j * 8 + r];
}

/// Eight bytes (one column's eight rows) as eight floats.
AVX2 static inline __m256 bytes_to_floats(const uint8_t *p) {
    return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p)));
}

/// `clip8(sum >> bits)` of eight sums → eight bytes in the low half (Pillow's clip8: a signed
/// shift, then 0 below 0 and 255 above 255; the two saturating packs clamp the same way).
AVX2 static inline __m128i clip8(__m256i sum, int bits) {
    __m256i shifted = _mm256_srai_epi32(sum, bits);
    __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(shifted), _mm256_extracti128_si256(shifted, 1));
    return _mm_packus_epi16(words, words);
}

AVX2 void cl_resample_horizontal_rgb(const uint8_t *src, long rows, long in_pixels, long source_offset,
                                     uint8_t *dst, long out_pixels,
                                     const long *first, const long *count, const int32_t *weights, long stride,
                                     int precision_bits, uint8_t *scratch) {
    const long in_bytes = in_pixels * 3, out_bytes = out_pixels * 3;
    uint8_t *columns = scratch;                    // [in_bytes][8]: the eight rows, turned
    uint8_t *results = scratch + in_bytes * 8;     // [out_bytes][8]
    const __m256i half = _mm256_set1_epi32(1 << (precision_bits - 1));
    for (long r0 = 0; r0 < rows; r0 += 8) {
        const int valid = rows - r0 < 8 ? (int)(rows - r0) : 8;
        const uint8_t *in_rows[8];
        uint8_t *out_rows[8];
        for (int r = 0; r < 8; r++) {
            long row = r0 + (r < valid ? r : valid - 1);   // a short last group repeats its last row
            in_rows[r] = src + row * in_bytes;
            out_rows[r] = dst + row * out_bytes;
        }
        transpose_rows(in_rows, in_bytes, columns);
        for (long x = 0; x < out_pixels; x++) {
            const int32_t *k = weights + x * stride;
            const uint8_t *p = columns + (first[x] - source_offset) * 3 * 8;
            __m256i red = half, green = half, blue = half;
            for (long t = 0; t < count[x]; t++, p += 24) {
                __m256i w = _mm256_set1_epi32(k[t]);
                red = _mm256_add_epi32(red, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p)), w));
                green = _mm256_add_epi32(green, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(p + 8))), w));
                blue = _mm256_add_epi32(blue, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(p + 16))), w));
            }
            uint8_t *o = results + x * 24;
            _mm_storel_epi64((__m128i *)o, clip8(red, precision_bits));
            _mm_storel_epi64((__m128i *)(o + 8), clip8(green, precision_bits));
            _mm_storel_epi64((__m128i *)(o + 16), clip8(blue, precision_bits));
        }
        untranspose_rows(results, out_bytes, out_rows, valid);
    }
}

AVX2 void cl_area_horizontal_rgb(const uint8_t *src, long rows, long in_pixels, float *dst, long out_pixels,
                                 const long *first, const long *count, const long *offset, const float *weights,
                                 uint8_t *scratch, float *results) {
    const long in_bytes = in_pixels * 3, out_values = out_pixels * 3;
    for (long r0 = 0; r0 < rows; r0 += 8) {
        const int valid = rows - r0 < 8 ? (int)(rows - r0) : 8;
        const uint8_t *in_rows[8];
        for (int r = 0; r < 8; r++) in_rows[r] = src + (r0 + (r < valid ? r : valid - 1)) * in_bytes;
        transpose_rows(in_rows, in_bytes, scratch);
        for (long x = 0; x < out_pixels; x++) {
            const float *w = weights + offset[x];
            const uint8_t *p = scratch + first[x] * 3 * 8;
            __m256 red = _mm256_setzero_ps(), green = _mm256_setzero_ps(), blue = _mm256_setzero_ps();
            for (long k = 0; k < count[x]; k++, p += 24) {
                __m256 wk = _mm256_set1_ps(w[k]);
                red = _mm256_add_ps(red, _mm256_mul_ps(wk, bytes_to_floats(p)));
                green = _mm256_add_ps(green, _mm256_mul_ps(wk, bytes_to_floats(p + 8)));
                blue = _mm256_add_ps(blue, _mm256_mul_ps(wk, bytes_to_floats(p + 16)));
            }
            _mm256_storeu_ps(results + x * 24, red);
            _mm256_storeu_ps(results + x * 24 + 8, green);
            _mm256_storeu_ps(results + x * 24 + 16, blue);
        }
        for (int r = 0; r < valid; r++) {
            float *row = dst + (r0 + r) * out_values;
            for (long i = 0; i < out_values; i++) row[i] = results[i * 8 + r];
        }
    }
}
