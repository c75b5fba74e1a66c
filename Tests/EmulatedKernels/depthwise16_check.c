// Checks the AVX-512 depthwise kernels against the AVX2 ones, bit for bit: sixteen channels through
// `cl_depthwise_forward16` must give what two calls of `cl_depthwise_forward8` give, and the same for
// the filter gradient. A plain C program, not a Swift test, so that it can run where the Swift suite
// cannot: inside an emulated AVX-512 CPU (`scripts/check-avx512-kernels.sh`, Bochs), on a machine
// whose CPU lacks AVX-512. On an AVX-512 CPU the Swift suite checks the same through `Tensors`.
//
// Prints one line per geometry and `PASS` or `FAIL` at the end; exits 0 only when every case passed.

#include "cdepthwise.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/// A fixed pseudo-random sequence (xorshift), values in [-2, 2) with a few exact zeros and ties.
static uint32_t state = 2463534242u;
static float next_value(void) {
    state ^= state << 13; state ^= state >> 17; state ^= state << 5;
    if (state % 17 == 0) return 0;
    return (float)(state % 4096) / 1024.0f - 2.0f;
}

static float *values(long count) {
    float *p = malloc(sizeof(float) * count);
    for (long i = 0; i < count; i++) p[i] = next_value();
    return p;
}

static float *zeros(long count) { return calloc(count, sizeof(float)); }

struct geometry { long h, w, k, s, pad_top, pad_left, pad_bottom, pad_right; };

static int check(struct geometry g, float lo, float hi) {
    const long ho = (g.h + g.pad_top + g.pad_bottom - g.k) / g.s + 1;
    const long wo = (g.w + g.pad_left + g.pad_right - g.k) / g.s + 1;
    const long hp0 = g.pad_top + g.h, hp1 = (ho - 1) * g.s + g.k;
    const long hp = hp0 > hp1 ? hp0 : hp1;
    const long wp0 = g.pad_left + g.w, wp1 = ((wo + 7) / 8 * 8 - 1) * g.s + g.k;
    const long wp = wp0 > wp1 ? wp0 : wp1;
    const long plane_in = g.h * g.w, plane_out = ho * wo, taps = g.k * g.k;

    float *x = values(16 * plane_in), *weights = values(16 * taps), *bias = values(16), *dy = values(16 * plane_out);
    float *y8 = zeros(16 * plane_out), *y16 = zeros(16 * plane_out);
    float *dw8 = values(16 * taps), *dw16 = malloc(sizeof(float) * 16 * taps);
    memcpy(dw16, dw8, sizeof(float) * 16 * taps);   // both add onto the same start
    float *scratch8a = zeros(hp * wp * 8), *scratch8b = zeros(hp * wp * 8), *scratch16 = zeros(hp * wp * 16);
    float *dys8 = zeros(plane_out * 8), *dys16 = zeros(plane_out * 16);

    for (int repeat = 0; repeat < 2; repeat++) {   // the scratches are reused, as in Tensors
        for (int half = 0; half < 2; half++) {
            float *scratch = half == 0 ? scratch8a : scratch8b;
            cl_depthwise_forward8(x + half * 8 * plane_in, plane_in, g.h, g.w, weights + half * 8 * taps, bias + half * 8,
                                  g.k, g.s, g.pad_top, g.pad_left, y8 + half * 8 * plane_out, ho, wo, lo, hi, scratch, wp);
            cl_depthwise_filter_gradient8(x + half * 8 * plane_in, plane_in, g.h, g.w, dy + half * 8 * plane_out, ho, wo,
                                          g.k, g.s, g.pad_top, g.pad_left, dw8 + half * 8 * taps, scratch, wp, dys8);
        }
        cl_depthwise_forward16(x, plane_in, g.h, g.w, weights, bias, g.k, g.s, g.pad_top, g.pad_left,
                               y16, ho, wo, lo, hi, scratch16, wp);
        cl_depthwise_filter_gradient16(x, plane_in, g.h, g.w, dy, ho, wo, g.k, g.s, g.pad_top, g.pad_left,
                                       dw16, scratch16, wp, dys16);
    }
    int forward_same = memcmp(y8, y16, sizeof(float) * 16 * plane_out) == 0;
    int gradient_same = memcmp(dw8, dw16, sizeof(float) * 16 * taps) == 0;
    printf("%2ldx%-2ld k%ld s%ld pad %ld,%ld,%ld,%ld -> %2ldx%-2ld clamp [%g, %g]: forward %s, filter gradient %s\n",
           g.h, g.w, g.k, g.s, g.pad_top, g.pad_left, g.pad_bottom, g.pad_right, ho, wo, lo, hi,
           forward_same ? "same bits" : "DIFFERENT", gradient_same ? "same bits" : "DIFFERENT");
    free(x); free(weights); free(bias); free(dy); free(y8); free(y16); free(dw8); free(dw16);
    free(scratch8a); free(scratch8b); free(scratch16); free(dys8); free(dys16);
    return forward_same && gradient_same;
}

int main(void) {
    // EfficientNet-Lite0's depthwise layers (TF SAME padding: more at the bottom and right for
    // stride 2), odd sizes whose rows end in a partial group of eight, and the largest kernel.
    const struct geometry cases[] = {
        {112, 112, 3, 1, 1, 1, 1, 1}, {112, 112, 3, 2, 0, 0, 1, 1}, {56, 56, 3, 1, 1, 1, 1, 1},
        {56, 56, 5, 2, 1, 1, 2, 2},   {28, 28, 5, 1, 2, 2, 2, 2},   {28, 28, 3, 2, 0, 0, 1, 1},
        {14, 14, 3, 1, 1, 1, 1, 1},   {14, 14, 5, 1, 2, 2, 2, 2},   {14, 14, 5, 2, 1, 1, 2, 2},
        {7, 7, 5, 1, 2, 2, 2, 2},     {7, 7, 3, 1, 1, 1, 1, 1},     {9, 13, 3, 1, 1, 1, 1, 1},
        {11, 5, 7, 1, 3, 3, 3, 3},    {15, 17, 7, 2, 3, 3, 3, 3},   {10, 12, 1, 1, 0, 0, 0, 0},
        {6, 9, 4, 3, 1, 2, 2, 1},
    };
    const float clamps[][2] = {{0, 6}, {-3.4e38f, 3.4e38f}};
    int passed = 0, total = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        passed += check(cases[i], clamps[i % 2][0], clamps[i % 2][1]);
        total++;
    }
    printf("%d of %d geometries the same bits: %s\n", passed, total, passed == total ? "PASS" : "FAIL");
    return passed == total ? 0 : 1;
}
