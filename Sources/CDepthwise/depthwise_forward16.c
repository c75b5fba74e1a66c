// Depthwise convolution with sixteen channels side by side in an AVX-512 vector.
//
// `depthwise_forward8.c` with twice the lanes: the scratch holds sixteen floats per pixel (two
// eight-channel fills), every tap is one 512-bit fused multiply-add per output pixel, and the
// eight output pixels of a group go back to rows as two 8×8 transposes (channels 0–7 and 8–15).
// Each lane does the eight-channel kernel's operations in its order, so both give the same bits.

#include "cdepthwise.h"

#include "pixel_major.h"

/// Swift's `min(max(v, lo), hi)`: `lo >= v ? lo : v`, then `hi < t ? hi : t` (vminps returns its
/// second operand unless the first is smaller, as `_mm256_min_ps` in the eight-channel kernel).
AVX512 static INLINE __m512 clamp16(__m512 v, __m512 lo, __m512 hi) {
    __m512 t = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(lo, v, _CMP_GE_OQ), v, lo);
    return _mm512_min_ps(hi, t);
}

/// The upper eight floats of a 512-bit vector.
AVX512 static INLINE __m256 upper_half(__m512 v) {
    return _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
}

/// Every output row, eight pixels at a time, as `convolve` in `depthwise_forward8.c`.
AVX512 static INLINE void convolve16(const float *scratch, long wp, const __m512 *wt, __m512 bias, long k, long s,
                                     float *y, long ho, long wo, __m512 lo, __m512 hi) {
    const long plane_out = ho * wo;
    for (long oy = 0; oy < ho; oy++) {
        for (long ox = 0; ox < wo; ox += 8) {
            __m512 acc[8];
            for (int j = 0; j < 8; j++) acc[j] = bias;
            for (long ky = 0; ky < k; ky++) {
                const float *row = scratch + ((oy * s + ky) * wp + ox * s) * 16;
                for (long kx = 0; kx < k; kx++) {
                    __m512 wv = wt[ky * k + kx];
                    const float *p = row + kx * 16;
                    for (int j = 0; j < 8; j++) acc[j] = _mm512_fmadd_ps(_mm512_loadu_ps(p + j * s * 16), wv, acc[j]);
                }
            }
            __m256 low[8], high[8];   // channels 0–7 and 8–15 of the eight pixels
            for (int j = 0; j < 8; j++) {
                __m512 v = clamp16(acc[j], lo, hi);
                low[j] = _mm512_castps512_ps256(v);
                high[j] = upper_half(v);
            }
            transpose8(low);    // low[c] = channel c's eight pixels
            transpose8(high);   // high[c] = channel 8 + c's
            float *out = y + oy * wo + ox;
            long n = wo - ox < 8 ? wo - ox : 8;
            if (n == 8) {
                for (int c = 0; c < 8; c++) {
                    _mm256_storeu_ps(out + c * plane_out, low[c]);
                    _mm256_storeu_ps(out + (8 + c) * plane_out, high[c]);
                }
            } else {
                __mmask8 mask = (__mmask8)((1u << n) - 1);
                for (int c = 0; c < 8; c++) {
                    _mm256_mask_storeu_ps(out + c * plane_out, mask, low[c]);
                    _mm256_mask_storeu_ps(out + (8 + c) * plane_out, mask, high[c]);
                }
            }
        }
    }
}

AVX512 void cl_depthwise_forward16(const float *x, long plane_in, long h, long w,
                                   const float *weights, const float *bias, long k, long s,
                                   long pad_top, long pad_left,
                                   float *y, long ho, long wo, float lo, float hi,
                                   float *scratch, long wp) {
    fill16(x, plane_in, h, w, pad_top, pad_left, scratch, wp);
    __m512 wt[49];   // tap t's weights of the sixteen channels
    for (long t = 0; t < k * k; t++) {
        float taps[16];
        for (int c = 0; c < 16; c++) taps[c] = weights[c * k * k + t];
        wt[t] = _mm512_loadu_ps(taps);
    }
    __m512 b = _mm512_loadu_ps(bias), vlo = _mm512_set1_ps(lo), vhi = _mm512_set1_ps(hi);
    if (k == 3 && s == 1) convolve16(scratch, wp, wt, b, 3, 1, y, ho, wo, vlo, vhi);
    else if (k == 3 && s == 2) convolve16(scratch, wp, wt, b, 3, 2, y, ho, wo, vlo, vhi);
    else if (k == 5 && s == 1) convolve16(scratch, wp, wt, b, 5, 1, y, ho, wo, vlo, vhi);
    else if (k == 5 && s == 2) convolve16(scratch, wp, wt, b, 5, 2, y, ho, wo, vlo, vhi);
    else convolve16(scratch, wp, wt, b, k, s, y, ho, wo, vlo, vhi);
}
