// Nearest Lab centre, four colours to an AVX2 vector of doubles. Each lane runs the scalar loop of
// `KMeans.nearest` (centres in order, strictly nearer wins), so the assignments are the same.

#include "ccolour.h"

#include <immintrin.h>
#include <math.h>

// Each product rounded before the addition, as Swift computes it: no fused multiply-adds here.
#pragma clang fp contract(off)

#define AVX2 __attribute__((target("avx2")))

/// One colour, one centre at a time: the tail of fewer than four colours.
static long nearest_one(const double *colour, const double *centres, long k) {
    long best = 0;
    double best_distance = INFINITY;
    for (long c = 0; c < k; c++) {
        double dl = colour[0] - centres[3 * c], da = colour[1] - centres[3 * c + 1], db = colour[2] - centres[3 * c + 2];
        double d = dl * dl + da * da + db * db;
        if (d < best_distance) { best = c; best_distance = d; }
    }
    return best;
}

AVX2 long cl_nearest_lab(const double *colours, long n, const double *centres, long k, long *assignments) {
    long changed = 0, i = 0;
    for (; i + 4 <= n; i += 4) {
        const double *p = colours + 3 * i;   // l0 a0 b0 l1 a1 b1 l2 a2 b2 l3 a3 b3
        __m256d l = _mm256_setr_pd(p[0], p[3], p[6], p[9]);
        __m256d a = _mm256_setr_pd(p[1], p[4], p[7], p[10]);
        __m256d b = _mm256_setr_pd(p[2], p[5], p[8], p[11]);
        __m256d best_distance = _mm256_set1_pd(INFINITY);
        __m256i best = _mm256_setzero_si256();
        for (long c = 0; c < k; c++) {
            __m256d dl = _mm256_sub_pd(l, _mm256_set1_pd(centres[3 * c]));
            __m256d da = _mm256_sub_pd(a, _mm256_set1_pd(centres[3 * c + 1]));
            __m256d db = _mm256_sub_pd(b, _mm256_set1_pd(centres[3 * c + 2]));
            __m256d d = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(dl, dl), _mm256_mul_pd(da, da)), _mm256_mul_pd(db, db));
            __m256d nearer = _mm256_cmp_pd(d, best_distance, _CMP_LT_OQ);   // false for NaN, as `<`
            best_distance = _mm256_blendv_pd(best_distance, d, nearer);
            best = _mm256_castpd_si256(_mm256_blendv_pd(_mm256_castsi256_pd(best),
                                                        _mm256_castsi256_pd(_mm256_set1_epi64x(c)), nearer));
        }
        long found[4];
        _mm256_storeu_si256((__m256i *)found, best);
        for (int j = 0; j < 4; j++) {
            changed |= found[j] != assignments[i + j];
            assignments[i + j] = found[j];
        }
    }
    for (; i < n; i++) {
        long c = nearest_one(colours + 3 * i, centres, k);
        changed |= c != assignments[i];
        assignments[i] = c;
    }
    return changed;
}
