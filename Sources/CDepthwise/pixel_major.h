// What the depthwise kernels share: channel planes turned pixel-major (eight channels of one pixel
// side by side, the lanes of an AVX2 vector; sixteen for AVX-512, as two halves of eight) and back.
// Included by each kernel's file; everything here is static.

#ifndef COVERLENS_PIXEL_MAJOR_H
#define COVERLENS_PIXEL_MAJOR_H

#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
/// AVX-512 as oneDNN's `avx512_core` (and `KernelPath.avx512`) has it; AVX2 and FMA come with it.
#define AVX512 __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")))
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

/// The eight planes' rows (`plane_in` floats apart) into the scratch's interior, pixel-major:
/// scratch[((iy + pad_top)·wp + ix + pad_left)·pixel + c] = x[c][iy][ix]. `pixel` is the floats per
/// scratch pixel: 8 for the AVX2 kernels; the AVX-512 kernels fill channels 0–7 and 8–15 of a
/// 16-float pixel with two calls, the second with `scratch + 8`.
AVX2 static INLINE void fill_pixels(const float *x, long plane_in, long h, long w, long pad_top, long pad_left,
                                    float *scratch, long wp, long pixel) {
    for (long iy = 0; iy < h; iy++) {
        const float *row = x + iy * w;
        float *out = scratch + ((iy + pad_top) * wp + pad_left) * pixel;
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
            // A fixed count with a test, not `j < n`: clang turns a variable-length loop of stores
            // into a call to memcpy from `r` on the stack, which took 1.5 % of EfficientNet-Lite0's
            // inference (7×7 and 14×14 planes end every row with a partial group).
            for (int j = 0; j < 8; j++) {
                if (j < n) _mm256_storeu_ps(out + (ix + j) * pixel, r[j]);
            }
        }
    }
}

/// `fill_pixels` for the AVX2 kernels (eight floats per pixel).
AVX2 static void fill(const float *x, long plane_in, long h, long w, long pad_top, long pad_left,
                      float *scratch, long wp) {
    fill_pixels(x, plane_in, h, w, pad_top, pad_left, scratch, wp, 8);
}

/// `fill_pixels` for the AVX-512 kernels: sixteen planes into sixteen floats per pixel.
AVX512 static void fill16(const float *x, long plane_in, long h, long w, long pad_top, long pad_left,
                          float *scratch, long wp) {
    fill_pixels(x, plane_in, h, w, pad_top, pad_left, scratch, wp, 16);
    fill_pixels(x + 8 * plane_in, plane_in, h, w, pad_top, pad_left, scratch + 8, wp, 16);
}

#endif
