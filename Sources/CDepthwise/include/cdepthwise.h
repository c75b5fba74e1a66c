#ifndef COVERLENS_DEPTHWISE_H
#define COVERLENS_DEPTHWISE_H

/// Depthwise convolution of eight channels of one image at once, the eight channels in the lanes of
/// an AVX2 vector (needs AVX2 and FMA).
///
/// `x` points at the first of eight `[h, w]` input planes, `plane_in` floats apart; `weights` at the
/// first channel's `k·k` taps (the next channel's follow); `bias` at its bias; `y` at the first of
/// eight `[ho, wo]` output planes, `ho·wo` floats apart. Output `y[c][oy][ox]` is
/// `clamp(bias[c] + Σ_{ky, kx} weights[c][ky·k + kx] · x[c][oy·s + ky − pad_top][ox·s + kx − pad_left])`
/// with zeros outside the plane, the taps added one at a time with a fused multiply-add in the order
/// ky, then kx, starting from the bias; the clamp is `min(max(v, lo), hi)` with Swift's `max`/`min`
/// (`lo >= v ? lo : v`, then `hi < t ? hi : t`, so NaN passes through). Those are the operations of
/// the plane-at-a-time kernel in Swift (`DepthwisePlane`), so both give the same bits.
///
/// `scratch` is the eight channels' zero-padded input, pixel-major (`[hp][wp][8]`, rows `wp` pixels
/// long): it must hold `hp·wp·8` floats with `hp ≥ max(pad_top + h, (ho − 1)·s + k)` and
/// `wp ≥ max(pad_left + w, (⌈wo / 8⌉·8 − 1)·s + k)`, be zero when first used, and keep one
/// geometry while it is reused: each call overwrites only the interior, so the border stays zero.
/// `k` is at most 7.
void cl_depthwise_forward8(const float *x, long plane_in, long h, long w,
                           const float *weights, const float *bias, long k, long s,
                           long pad_top, long pad_left,
                           float *y, long ho, long wo, float lo, float hi,
                           float *scratch, long wp);

/// The filter gradient of the same convolution for eight channels of one image, added to `dw`:
/// `dw[c·k·k + ky·k + kx] += Σ_{oy, ox} dy[c][oy][ox] · x[c][oy·s + ky − pad_top][ox·s + kx − pad_left]`
/// (zeros outside the plane). `dy` points at the first of eight `[ho, wo]` gradient planes, `ho·wo`
/// floats apart. Each tap's sum is taken in two interleaved chains (even and odd output columns,
/// row by row) added at the end: a fixed order, so the result does not depend on threads.
///
/// `scratch` and `wp` are as for `cl_depthwise_forward8` (the same geometry, the same sizes);
/// `dy_scratch` holds `ho·wo·8` floats (dy turned pixel-major).
void cl_depthwise_filter_gradient8(const float *x, long plane_in, long h, long w,
                                   const float *dy, long ho, long wo,
                                   long k, long s, long pad_top, long pad_left,
                                   float *dw, float *scratch, long wp, float *dy_scratch);

/// `cl_depthwise_forward8` and `cl_depthwise_filter_gradient8` for sixteen channels at once, in the
/// lanes of an AVX-512 vector (needs AVX-512 F, VL, BW and DQ: call them only on such a CPU).
/// The arguments mean the same, for sixteen planes; the scratches hold sixteen floats per pixel
/// (`hp·wp·16` and `ho·wo·16` floats) and `bias` sixteen values. Every channel's operations are the
/// eight-channel kernel's, in its order, so the results have the same bits.
void cl_depthwise_forward16(const float *x, long plane_in, long h, long w,
                            const float *weights, const float *bias, long k, long s,
                            long pad_top, long pad_left,
                            float *y, long ho, long wo, float lo, float hi,
                            float *scratch, long wp);

void cl_depthwise_filter_gradient16(const float *x, long plane_in, long h, long w,
                                    const float *dy, long ho, long wo,
                                    long k, long s, long pad_top, long pad_left,
                                    float *dw, float *scratch, long wp, float *dy_scratch);

#endif
