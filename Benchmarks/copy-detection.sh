#!/bin/sh
# The edited-copy benchmark of the near-duplicate detector (issue 14): recall@1 and share flagged
# per edit, and false alarms among 5,000 distinct generated covers.
#
#   swift build -c release --product coverlens --product coverlens-bench && Benchmarks/copy-detection.sh [DIR]
#   SEED=202 Benchmarks/copy-detection.sh /tmp/coverlens-copies-202     # another set of covers
#
# Generates 2 × 2,500 covers with `coverlens synth --seed $SEED` (default 101) into DIR/set (default
# /tmp/coverlens-copies; kept, so a second run reuses them). Each fold of covers is in turn the popular set the detector
# calibrates on; the other fold's covers are the distinct candidates; EDITED (default 400) covers of
# each fold are edited eight ways (`CoverEdit`), searched against their own fold (copies) and
# against the other fold (edited and photographed distinct covers: false alarms). Every image is decoded, edited and described afresh (a few
# minutes on two cores); no network runs.
set -eu
DIR=${1:-/tmp/coverlens-copies}
SEED=${SEED:-101}
BIN=${COVERLENS:-.build/release/coverlens}
BENCH=${COVERLENS_BENCH:-.build/release/coverlens-bench}
if [ ! -f "$DIR/set/manifest.csv" ]; then
  "$BIN" synth --out "$DIR/set" --per-class 2500 --seed "$SEED" --candidates 0 --replace > /dev/null
fi
grep -m1 'model name' /proc/cpuinfo
"$BENCH" --copies "$DIR/set" --copies-edited "${EDITED:-400}"
