// Depthwise convolution with eight channels side by side in an AVX2 vector.
//
// The plane-at-a-time kernel (Swift's `DepthwisePlane`) puts eight outputs of one row in a vector;
// on EfficientNet's small planes (7×7, 14×14) most of its time goes to per-plane set-up and to lanes
// past the row's end, and its stride-2 phase split copies every plane twice. Here the eight lanes are
// eight channels of one pixel instead: the input planes are turned pixel-major once (an 8×8
// transpose per eight pixels), every output pixel is then `k·k` fused multiply-adds of whole
// vectors for any width and stride, and eight output pixels are turned back into the eight
// channels' rows before the store.

#include "cdepthwise.h"

#include "pixel_major.h"

/// Swift's `min(max(v, lo), hi)`: `lo >= v ? lo : v`, then `hi < t ? hi : t`.
AVX2 static INLINE __m256 clamp(__m256 v, __m256 lo, __m256 hi) {
    __m256 t = _mm256_blendv_ps(v, lo, _mm256_cmp_ps(lo, v, _CMP_GE_OQ));
    return _mm256_min_ps(hi, t);
}

/// Every output row, eight pixels at a time (the last group of a row may compute pixels past `wo`
/// from the scratch's zero border; they are not stored). `k` and `s` are constants where inlined.
AVX2 static INLINE void convolve(const float *scratch, long wp, const __m256 *wt, __m256 bias, long k, long s,
                                 float *y, long ho, long wo, __m256 lo, __m256 hi) {
    const long plane_out = ho * wo;
    for (long oy = 0; oy < ho; oy++) {
        for (long ox = 0; ox < wo; ox += 8) {
            __m256 acc[8];
            for (int j = 0; j < 8; j++) acc[j] = bias;
            for (long ky = 0; ky < k; ky++) {
                const float *row = scratch + ((oy * s + ky) * wp + ox * s) * 8;
                for (long kx = 0; kx < k; kx++) {
                    __m256 wv = wt[ky * k + kx];
                    const float *p = row + kx * 8;
                    for (int j = 0; j < 8; j++) acc[j] = _mm256_fmadd_ps(_mm256_loadu_ps(p + j * s * 8), wv, acc[j]);
                }
            }
            for (int j = 0; j < 8; j++) acc[j] = clamp(acc[j], lo, hi);
            transpose8(acc);   // acc[c] = channel c's eight pixels
            float *out = y + oy * wo + ox;
            long n = wo - ox < 8 ? wo - ox : 8;
            if (n == 8) {
                for (int c = 0; c < 8; c++) _mm256_storeu_ps(out + c * plane_out, acc[c]);
            } else {
                __m256i mask = first_lanes(n);
                for (int c = 0; c < 8; c++) _mm256_maskstore_ps(out + c * plane_out, mask, acc[c]);
            }
        }
    }
}

AVX2 void cl_depthwise_forward8(const float *x, long plane_in, long h, long w,
                                const float *weights, const float *bias, long k, long s,
                                long pad_top, long pad_left,
                                float *y, long ho, long wo, float lo, float hi,
                                float *scratch, long wp) {
    fill(x, plane_in, h, w, pad_top, pad_left, scratch, wp);
    __m256 wt[49];   // tap t's weights of the eight channels
    for (long t = 0; t < k * k; t++) {
        wt[t] = _mm256_setr_ps(weights[t], weights[k * k + t], weights[2 * k * k + t], weights[3 * k * k + t],
                               weights[4 * k * k + t], weights[5 * k * k + t], weights[6 * k * k + t],
                               weights[7 * k * k + t]);
    }
    __m256 b = _mm256_loadu_ps(bias), vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi);
    if (k == 3 && s == 1) convolve(scratch, wp, wt, b, 3, 1, y, ho, wo, vlo, vhi);
    else if (k == 3 && s == 2) convolve(scratch, wp, wt, b, 3, 2, y, ho, wo, vlo, vhi);
    else if (k == 5 && s == 1) convolve(scratch, wp, wt, b, 5, 1, y, ho, wo, vlo, vhi);
    else if (k == 5 && s == 2) convolve(scratch, wp, wt, b, 5, 2, y, ho, wo, vlo, vhi);
    else convolve(scratch, wp, wt, b, k, s, y, ho, wo, vlo, vhi);
}
