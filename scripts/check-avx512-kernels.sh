#!/usr/bin/env bash
# Checks CoverLens's AVX-512 kernels on any x86-64 Linux machine: builds the C check programs in
# Tests/EmulatedKernels with the kernels they check, statically, and runs each on the CPU when it
# has AVX-512, else on an emulated one (scripts/avx512-emulator/run.sh: Bochs, about two minutes).
# The Swift suite runs this on CPUs without AVX-512 (EmulatedAVX512Tests); on CPUs with it the
# Swift tests compare the two kernel paths directly.
#
#   scripts/check-avx512-kernels.sh          exit 0: every check passed; 1: a check failed;
#                                            2: no check could run (the emulator or the build failed)
set -uo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d "${TMPDIR:-/tmp}/coverlens-avx512-check.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
CC=${CC:-cc}

# check program → the C target whose kernels it checks
declare -A TARGETS=([depthwise16_check]=CDepthwise)
status=0
for name in "${!TARGETS[@]}"; do
    target=Sources/${TARGETS[$name]}
    if ! $CC -O2 -static -I "$target/include" -I "$target" "Tests/EmulatedKernels/$name.c" "$target"/*.c -o "$WORK/$name"; then
        echo "check-avx512-kernels: cannot build $name statically with $CC (libc6-dev?)" >&2
        exit 2
    fi
    if grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && grep -qw avx512vl /proc/cpuinfo && grep -qw avx512dq /proc/cpuinfo; then
        echo "check-avx512-kernels: $name on this CPU (it has AVX-512)" >&2
        "$WORK/$name"
    else
        echo "check-avx512-kernels: $name on an emulated AVX-512 CPU (this one lacks it)" >&2
        scripts/avx512-emulator/run.sh "$WORK/$name"
    fi
    result=$?
    case $result in
        0) ;;
        124|125) echo "check-avx512-kernels: the emulator did not run $name to the end (status $result): nothing was checked" >&2
                 [ $status = 0 ] && status=2 ;;
        *) echo "check-avx512-kernels: $name failed (status $result)" >&2   # a mismatch, or a crash such as SIGILL
           status=1 ;;
    esac
done
exit $status
