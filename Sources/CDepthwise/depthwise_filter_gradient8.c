// The filter gradient of a depthwise convolution with eight channels side by side in an AVX2 vector.
//
// The plane-at-a-time gradient (Swift's `PaddedPlane.filterGradient`) sums eight output columns per
// vector and the rest one by one, so a 7×7 plane ran entirely on scalars. Here both the input and
// the output gradient are turned pixel-major (eight channels of a pixel in a vector), and each tap
// of a kernel row is one vector accumulator over every output pixel: one multiply-add of whole
// vectors per tap and pixel, for any width and stride.

#include "cdepthwise.h"

#include "pixel_major.h"

/// One kernel row's taps summed over every output pixel, even and odd output columns in separate
/// accumulators so that 2·k chains of multiply-adds are in flight; `k` and `s` are constants where inlined.
AVX2 static INLINE void kernel_row(const float *scratch, long wp, const float *dys, long ho, long wo,
                                   long k, long s, long ky, float *dw) {
    __m256 even[7], odd[7];
    for (long kx = 0; kx < k; kx++) even[kx] = odd[kx] = _mm256_setzero_ps();
    for (long oy = 0; oy < ho; oy++) {
        const float *xrow = scratch + (oy * s + ky) * wp * 8;
        const float *drow = dys + oy * wo * 8;
        long ox = 0;
        for (; ox + 2 <= wo; ox += 2) {
            __m256 d0 = _mm256_loadu_ps(drow + ox * 8), d1 = _mm256_loadu_ps(drow + (ox + 1) * 8);
            const float *x0 = xrow + ox * s * 8, *x1 = xrow + (ox + 1) * s * 8;
            for (long kx = 0; kx < k; kx++) {
                even[kx] = _mm256_fmadd_ps(d0, _mm256_loadu_ps(x0 + kx * 8), even[kx]);
                odd[kx] = _mm256_fmadd_ps(d1, _mm256_loadu_ps(x1 + kx * 8), odd[kx]);
            }
        }
        if (ox < wo) {
            __m256 d0 = _mm256_loadu_ps(drow + ox * 8);
            const float *x0 = xrow + ox * s * 8;
            for (long kx = 0; kx < k; kx++) even[kx] = _mm256_fmadd_ps(d0, _mm256_loadu_ps(x0 + kx * 8), even[kx]);
        }
    }
    for (long kx = 0; kx < k; kx++) {
        float sums[8];
        _mm256_storeu_ps(sums, _mm256_add_ps(even[kx], odd[kx]));
        for (int c = 0; c < 8; c++) dw[c * k * k + ky * k + kx] += sums[c];
    }
}

AVX2 void cl_depthwise_filter_gradient8(const float *x, long plane_in, long h, long w,
                                        const float *dy, long ho, long wo,
                                        long k, long s, long pad_top, long pad_left,
                                        float *dw, float *scratch, long wp, float *dy_scratch) {
    fill(x, plane_in, h, w, pad_top, pad_left, scratch, wp);
    fill(dy, ho * wo, ho, wo, 0, 0, dy_scratch, wo);
    for (long ky = 0; ky < k; ky++) {
        if (k == 3 && s == 1) kernel_row(scratch, wp, dy_scratch, ho, wo, 3, 1, ky, dw);
        else if (k == 3 && s == 2) kernel_row(scratch, wp, dy_scratch, ho, wo, 3, 2, ky, dw);
        else if (k == 5 && s == 1) kernel_row(scratch, wp, dy_scratch, ho, wo, 5, 1, ky, dw);
        else if (k == 5 && s == 2) kernel_row(scratch, wp, dy_scratch, ho, wo, 5, 2, ky, dw);
        else kernel_row(scratch, wp, dy_scratch, ho, wo, k, s, ky, dw);
    }
}
