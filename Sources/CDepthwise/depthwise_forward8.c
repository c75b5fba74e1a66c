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

#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define INLINE inline __attribute__((always_inline))

/// r[i] = row i of an 8×8 block → r[j] = column j.
AVX2 static INLINE void transpose8(__m256 r[8]) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    // Rows 0–3 of columns 0, 1, 2, 3 in each half (columns 4–7 in the upper halves), then rows 4–7.
    __m256 s0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0)), s1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
    __m256 s2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0)), s3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
    __m256 s4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0)), s5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
    __m256 s6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0)), s7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
    r[0] = _mm256_permute2f128_ps(s0, s4, 0x20); r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
    r[1] = _mm256_permute2f128_ps(s1, s5, 0x20); r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    r[2] = _mm256_permute2f128_ps(s2, s6, 0x20); r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
    r[3] = _mm256_permute2f128_ps(s3, s7, 0x20); r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

/// Lanes 0 ..< n set (n in 0...8), for masked loads and stores.
AVX2 static INLINE __m256i first_lanes(long n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/// The eight planes' rows into the scratch's interior, pixel-major: scratch[(py·wp + px)·8 + c].
AVX2 static void fill(const float *x, long plane_in, long h, long w, long pad_top, long pad_left,
                      float *scratch, long wp) {
    for (long iy = 0; iy < h; iy++) {
        const float *row = x + iy * w;
        float *out = scratch + ((iy + pad_top) * wp + pad_left) * 8;
        for (long ix = 0; ix < w; ix += 8) {
            long n = w - ix < 8 ? w - ix : 8;
            __m256 r[8];
            if (n == 8) {
                for (int c = 0; c < 8; c++) r[c] = _mm256_loadu_ps(row + c * plane_in + ix);
            } else {
                __m256i mask = first_lanes(n);   // never reads past a plane's last row
                for (int c = 0; c < 8; c++) r[c] = _mm256_maskload_ps(row + c * plane_in + ix, mask);
            }
            transpose8(r);
            for (long j = 0; j < n; j++) _mm256_storeu_ps(out + (ix + j) * 8, r[j]);
        }
    }
}

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
                                float *scratch, long hp, long wp) {
    (void)hp;
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
