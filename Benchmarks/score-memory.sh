#!/bin/sh
# Peak resident set of `coverlens score --format json` over a large popular set (README, Performance).
#
#   swift build -c release --product coverlens && Benchmarks/score-memory.sh [COUNT] [MODEL]
#
# The popular folder holds COUNT hard links (default 4,080) to Examples/popular's covers, so the
# cache holds each embedding once and the run measures scoring (similarity, palettes, statistics,
# clustering), not embedding; the other and candidate covers are Examples'. A first run fills the
# cache and is not measured; the second, with the cache warm, is. COVERLENS=path/to/coverlens
# measures another build the same way; the checksum of results.json tells whether two builds agree.
# Needs GNU time (/usr/bin/time).
set -eu
COUNT=${1:-4080}
MODEL=${2:-Models/efficientnet-lite0.safetensors}
BIN=${COVERLENS:-.build/release/coverlens}
WORK=$(mktemp -d /tmp/coverlens-score-memory.XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM
mkdir "$WORK/popular"
i=0
while [ "$i" -lt "$COUNT" ]; do
    for cover in Examples/popular/*.jpg; do
        [ "$i" -lt "$COUNT" ] || break
        ln "$cover" "$WORK/popular/$i-$(basename "$cover")" 2>/dev/null || cp "$cover" "$WORK/popular/$i-$(basename "$cover")"
        i=$((i + 1))
    done
done
echo "$(ls "$WORK/popular" | wc -l) popular covers (links to $(ls Examples/popular/*.jpg | wc -l) files)"
set -- score --popular "$WORK/popular" --other Examples/other --candidates Examples/candidates \
    --format json --model "$MODEL" --cache "$WORK/cache.sqlite"
"$BIN" "$@" --out "$WORK/warm-up" > /dev/null 2>&1
status=0
/usr/bin/time -v "$BIN" "$@" --out "$WORK/out" > "$WORK/score.log" 2> "$WORK/time.log" || status=$?
grep -E 'Elapsed \(wall clock\)|Maximum resident set size' "$WORK/time.log"
echo "results.json sha256 $(sha256sum "$WORK/out/results.json" | cut -d' ' -f1)"
exit "$status"
