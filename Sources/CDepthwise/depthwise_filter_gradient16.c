// The filter gradient of a depthwise convolution with sixteen channels side by side in an AVX-512
// vector: `depthwise_filter_gradient8.c` with twice the lanes (both scratches sixteen floats per
// pixel). Each lane sums in the eight-channel kernel's order, so both give the same bits.

#include "cdepthwise.h"

#include "pixel_major.h"

/// One kernel row's taps over every output pixel, even and odd output columns apart, as
/// `kernel_row` in `depthwise_filter_gradient8.c`.
AVX512 static INLINE void kernel_row16(const float *scratch, long wp, const float *dys, long ho, long wo,
                                       long k, long s, long ky, float *dw) {
    __m512 even[7], odd[7];
    for (long kx = 0; kx < k; kx++) even[kx] = odd[kx] = _mm512_setzero_ps();
    for (long oy = 0; oy < ho; oy++) {
        const float *xrow = scratch + (oy * s + ky) * wp * 16;
        const float *drow = dys + oy * wo * 16;
        long ox = 0;
        for (; ox + 2 <= wo; ox += 2) {
            __m512 d0 = _mm512_loadu_ps(drow + ox * 16), d1 = _mm512_loadu_ps(drow + (ox + 1) * 16);
            const float *x0 = xrow + ox * s * 16, *x1 = xrow + (ox + 1) * s * 16;
            for (long kx = 0; kx < k; kx++) {
                even[kx] = _mm512_fmadd_ps(d0, _mm512_loadu_ps(x0 + kx * 16), even[kx]);
                odd[kx] = _mm512_fmadd_ps(d1, _mm512_loadu_ps(x1 + kx * 16), odd[kx]);
            }
        }
        if (ox < wo) {
            __m512 d0 = _mm512_loadu_ps(drow + ox * 16);
            const float *x0 = xrow + ox * s * 16;
            for (long kx = 0; kx < k; kx++) even[kx] = _mm512_fmadd_ps(d0, _mm512_loadu_ps(x0 + kx * 16), even[kx]);
        }
    }
    for (long kx = 0; kx < k; kx++) {
        float sums[16];
        _mm512_storeu_ps(sums, _mm512_add_ps(even[kx], odd[kx]));
        for (int c = 0; c < 16; c++) dw[c * k * k + ky * k + kx] += sums[c];
    }
}

AVX512 void cl_depthwise_filter_gradient16(const float *x, long plane_in, long h, long w,
                                           const float *dy, long ho, long wo,
                                           long k, long s, long pad_top, long pad_left,
                                           float *dw, float *scratch, long wp, float *dy_scratch) {
    fill16(x, plane_in, h, w, pad_top, pad_left, scratch, wp);
    fill16(dy, ho * wo, ho, wo, 0, 0, dy_scratch, wo);
    for (long ky = 0; ky < k; ky++) {
        if (k == 3 && s == 1) kernel_row16(scratch, wp, dy_scratch, ho, wo, 3, 1, ky, dw);
        else if (k == 3 && s == 2) kernel_row16(scratch, wp, dy_scratch, ho, wo, 3, 2, ky, dw);
        else if (k == 5 && s == 1) kernel_row16(scratch, wp, dy_scratch, ho, wo, 5, 1, ky, dw);
        else if (k == 5 && s == 2) kernel_row16(scratch, wp, dy_scratch, ho, wo, 5, 2, ky, dw);
        else kernel_row16(scratch, wp, dy_scratch, ho, wo, k, s, ky, dw);
    }
}
