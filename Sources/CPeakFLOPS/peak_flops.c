// The machine's fused multiply-add ceiling, for coverlens-bench to print beside achieved GFLOP/s.
// Twelve independent chains hide the FMA latency (4 cycles) on two FMA pipes; each chain starts
// from a different value so the compiler cannot merge them. Compiled per vector width with target
// attributes, so the rest of the binary stays baseline and the caller checks the CPU first.
#include "peak_flops.h"
#include <immintrin.h>

#define CHAINS(T, SET, FMA, ADD)                                                              \
    T c0 = SET(seed), c1 = SET(seed + 1), c2 = SET(seed + 2), c3 = SET(seed + 3);              \
    T c4 = SET(seed + 4), c5 = SET(seed + 5), c6 = SET(seed + 6), c7 = SET(seed + 7);          \
    T c8 = SET(seed + 8), c9 = SET(seed + 9), c10 = SET(seed + 10), c11 = SET(seed + 11);      \
    const T m = SET(0.9999999f), a = SET(1e-7f);                                               \
    for (long i = 0; i < iterations; i++) {                                                    \
        c0 = FMA(c0, m, a); c1 = FMA(c1, m, a); c2 = FMA(c2, m, a); c3 = FMA(c3, m, a);        \
        c4 = FMA(c4, m, a); c5 = FMA(c5, m, a); c6 = FMA(c6, m, a); c7 = FMA(c7, m, a);        \
        c8 = FMA(c8, m, a); c9 = FMA(c9, m, a); c10 = FMA(c10, m, a); c11 = FMA(c11, m, a);    \
    }                                                                                          \
    T s = ADD(ADD(ADD(c0, c1), ADD(c2, c3)), ADD(ADD(c4, c5), ADD(c6, c7)));                   \
    s = ADD(s, ADD(ADD(c8, c9), ADD(c10, c11)));

__attribute__((target("avx2,fma")))
float peak_fma_chains_256(long iterations, float seed) {
    CHAINS(__m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps)
    return _mm256_cvtss_f32(s);
}

__attribute__((target("avx512f")))
float peak_fma_chains_512(long iterations, float seed) {
    CHAINS(__m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps)
    return _mm512_cvtss_f32(s);
}
