#!/bin/sh
# Peak resident set and wall time of `coverlens embed` over 2 × COUNT synthetic covers
# (issue 3's memory target: embedding 10,000 covers stays under 1 GB).
#
#   swift build -c release --product coverlens && Benchmarks/embed-memory.sh [COUNT] [MODEL]
#
# COUNT covers per class (default 5000, i.e. 10,000 files); MODEL defaults to embed's own default.
# The covers go to a temporary folder that is deleted afterwards. Needs GNU time (/usr/bin/time).
set -eu
COUNT=${1:-5000}
MODEL=${2:-}
BIN=${COVERLENS:-.build/release/coverlens}
WORK=$(mktemp -d /tmp/coverlens-embed-memory.XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM
"$BIN" synth --out "$WORK/covers" --per-class "$COUNT" --candidates 0 --seed 3 > /dev/null
echo "$(find "$WORK/covers" -type f ! -name '*.csv' | wc -l) covers, $(du -sh "$WORK/covers" | cut -f1)"
set -- embed "$WORK/covers" --out "$WORK/embeddings.safetensors" --no-cache
if [ -n "$MODEL" ]; then set -- "$@" --model "$MODEL"; fi
status=0
/usr/bin/time -v "$BIN" "$@" > "$WORK/embed.log" 2> "$WORK/time.log" || status=$?
tail -n 3 "$WORK/embed.log"
grep -E 'Elapsed \(wall clock\)|User time|System time|Maximum resident set size' "$WORK/time.log"
exit "$status"
