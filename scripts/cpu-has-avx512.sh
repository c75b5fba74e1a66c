#!/bin/sh
# Exit status 0 when this CPU has the AVX-512 that CoverLens's avx512 kernel path needs: avx512f,
# avx512bw, avx512vl and avx512dq, the four flags of Tensors' KernelPath.avx512Flags (which the
# Swift code checks itself; this is the same rule for scripts/setup.sh and the benchmarks).
# CPUINFO=file reads another cpuinfo.
[ "$(grep -m1 '^flags' "${CPUINFO:-/proc/cpuinfo}" | tr ' \t' '\n\n' | grep -cxE 'avx512(f|bw|vl|dq)')" -eq 4 ]
