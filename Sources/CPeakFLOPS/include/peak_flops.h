#ifndef COVERLENS_PEAK_FLOPS_H
#define COVERLENS_PEAK_FLOPS_H

/// Runs `iterations` rounds of 12 independent fused multiply-add chains on 256-bit (8-float)
/// vectors: 12 · 8 · 2 = 192 floating-point operations a round. Returns a value from the chains
/// so the compiler keeps them. Needs AVX2 + FMA.
float peak_fma_chains_256(long iterations, float seed);

/// The same on 512-bit (16-float) vectors: 384 operations a round. Needs AVX-512F.
float peak_fma_chains_512(long iterations, float seed);

#endif
