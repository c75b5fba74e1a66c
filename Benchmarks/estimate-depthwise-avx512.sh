#!/bin/sh
# A static estimate, not a measurement: LLVM's machine-code analyser (llvm-mca) on the depthwise
# forward kernels' inner block, the eight-channel AVX2 kernel against the sixteen-channel AVX-512
# one, with LLVM's Zen 4 model (AVX-512 at half width: a 512-bit FMA counts as two 256-bit ones).
# For deciding `DepthwiseChannelBlocks.width(for:channels:)` until an AVX-512 CPU can time both
# (README, "AVX-512 kernels"); it models the core only (no caches, no memory), so only a machine
# settles it.
#
#   apt-get install llvm-19        # llvm-mca-19 (Debian 12); LLVM=llvm-mca-22 picks another
#   Benchmarks/estimate-depthwise-avx512.sh
#
# For each kernel size k and stride s the script copies Sources/CDepthwise, keeps only that
# specialisation of the kernel, marks the body of one group (eight output pixels of every channel
# in the vector: k·k·8 fused multiply-adds, the clamp and the turn back to rows; not the stores,
# whose count per channel is the same in both kernels), compiles it with Swift's clang at -O2 and
# asks llvm-mca for the cycles of 200 iterations. For k = 5 clang keeps the loop over kernel rows,
# so the marked block holds one kernel row (40 multiply-adds) and the group's end, not the group.
# LLVM 19 and 22 model Zen 5 (znver5) with Zen 4's tables, so there is no Zen 5 estimate here.
# KEEP=DIR leaves the marked sources and assembly in DIR, for llvm-mca's other views
# (`-bottleneck-analysis`, `-timeline`).
set -eu
MCA=${LLVM:-llvm-mca-19}
CLANG=${CLANG:-$(dirname "$(command -v swift)")/clang}
command -v "$MCA" > /dev/null || { echo "estimate-depthwise-avx512: $MCA not found (apt-get install llvm-19)" >&2; exit 1; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${KEEP:-}" ]; then
    WORK=$KEEP
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/estimate-depthwise.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT INT TERM
fi
cp "$ROOT"/Sources/CDepthwise/*.c "$ROOT"/Sources/CDepthwise/*.h "$ROOT"/Sources/CDepthwise/include/*.h "$WORK"/

# One file per kernel and (k, s): the dispatch replaced by the one call, the group's body marked.
python3 - "$WORK" <<'EOF'
import re, sys
work = sys.argv[1]
for name in ("depthwise_forward8", "depthwise_forward16"):
    source = open(f"{work}/{name}.c").read()
    begin = "for (long ox = 0; ox < wo; ox += 8) {\n"
    assert source.count(begin) == 1, "the group loop moved: update this script"
    source = source.replace(begin, begin + '            __asm volatile("# LLVM-MCA-BEGIN group");\n')
    end = "float *out = y + oy * wo + ox;\n"
    assert source.count(end) == 1, "the group's store moved: update this script"
    source = source.replace(end, '__asm volatile("# LLVM-MCA-END");\n            ' + end)
    start = source.index("    if (k == 3 && s == 1)")
    stop = source.index("\n}", start)
    call = re.search(r"(convolve(?:16)?)\((.*)\);", source[start:stop].split("\n")[0])
    for k, s in ((3, 1), (3, 2), (5, 1), (5, 2)):
        arguments = call[2].replace(", 3, 1,", f", {k}, {s},")
        open(f"{work}/{name}_k{k}s{s}.c", "w").write(source[:start] + f"    {call[1]}({arguments});" + source[stop:])
EOF

cycles() {   # file, cpu → cycles per iteration of the marked block
    "$MCA" -mtriple=x86_64 -mcpu="$2" -iterations=200 "$1" 2> /dev/null | awk '/^Total Cycles/ { printf "%.1f", $3 / 200 }'
}
echo "llvm-mca ($("$MCA" --version | grep -m1 -o 'LLVM version [0-9.]*')), cycles per group of eight output pixels, static estimate"
printf '%-10s %-28s %-28s %-30s %s\n' "k, stride" "8 channels, Zen 3 model" "8 channels, Zen 4 model" "16 channels, Zen 4 model" "Zen 4, cycles per channel: 16 ÷ 8"
for ks in k3s1 k3s2 k5s1 k5s2; do
    for name in depthwise_forward8 depthwise_forward16; do
        "$CLANG" -O2 -S -I"$WORK" "$WORK/${name}_$ks.c" -o "$WORK/${name}_$ks.s"
    done
    zen3=$(cycles "$WORK/depthwise_forward8_$ks.s" znver3)
    eight=$(cycles "$WORK/depthwise_forward8_$ks.s" znver4)
    sixteen=$(cycles "$WORK/depthwise_forward16_$ks.s" znver4)
    fmas=$(awk '/LLVM-MCA-BEGIN/ { on = 1 } /LLVM-MCA-END/ { on = 0 } on && /vfmadd/' "$WORK/depthwise_forward8_$ks.s" | wc -l)
    label=$(echo "$ks" | sed 's/k\([0-9]\)s\([0-9]\)/\1, \2/')
    awk -v l="$label" -v f="$fmas" -v z3="$zen3" -v a="$eight" -v b="$sixteen" 'BEGIN {
        printf "%-10s %-28s %-28s %-30s %.2f×\n", l, z3 " (" f " FMAs)", a, b, (b / 2) / a }'
done
