#!/usr/bin/env bash
# `coverlens train` with its defaults (--mode auto) end to end on a generated set made hard enough
# that methods differ, then the held-out comparison of head mode (weight decay chosen by inner
# validation, as auto mode does; and untuned, --weight-decay 0) with a tuned logistic regression
# on the same embeddings (Benchmarks/baselines/logistic_regression.py) — README, "How the defaults
# were chosen".
#
# Generates PER_CLASS covers per class (seed 7) to train on and TEST_PER_CLASS (seed 8) to test on,
# both with `coverlens synth --class-gap GAP`; trains with defaults and prints what auto mode chose;
# evaluates each model on the test set; exports the embeddings (`coverlens embed --out FILE.csv`,
# from the same cache) and fits the logistic regression. Needs python3 with numpy and scikit-learn.
#
# Usage: [COVERLENS=BINARY] Benchmarks/auto-train.sh [PER_CLASS=1000] [TEST_PER_CLASS=500] [GAP=0.3]
set -euo pipefail
cd "$(dirname "$0")/.."
PER_CLASS=${1:-1000}
TEST_PER_CLASS=${2:-500}
GAP=${3:-0.3}
DATA=Output/auto-data-$PER_CLASS-$GAP
TEST=Output/auto-test-$TEST_PER_CLASS-$GAP
OUT=Output/auto-train
CACHE=Output/auto-cache.sqlite
bin=${COVERLENS:-.build/release/coverlens}   # COVERLENS=path runs a copy while .build is rebuilt
[ -n "${COVERLENS:-}" ] || swift build -c release --product coverlens >/dev/null
grep -m1 'model name' /proc/cpuinfo
. Benchmarks/lib/generated-set.sh
generated_set "$bin" "$DATA" "$PER_CLASS" 7 "$GAP"
generated_set "$bin" "$TEST" "$TEST_PER_CLASS" 8 "$GAP"

echo "== coverlens train $DATA (defaults)"
/usr/bin/time -f "train wall %e s" $bin train "$DATA" --out "$OUT/auto" --cache "$CACHE" --threads 2 2>&1 | tr '\r' '\n' | grep -v '^ *$' | { grep -Ev '^(embed|check|train) .*[0-9]+/[0-9]+' || true; }
echo "== coverlens train $DATA --weight-decay 0"
$bin train "$DATA" --out "$OUT/wd0" --cache "$CACHE" --threads 2 --weight-decay 0 2>&1 | tr '\r' '\n' | { grep -E '^(chosen|kept epoch)' || true; }
for model in auto wd0; do
    echo "== coverlens evaluate $OUT/$model/model.safetensors $TEST"
    $bin evaluate "$OUT/$model/model.safetensors" "$TEST" --out "$OUT/$model-test.json" --cache "$CACHE" --threads 2 2>/dev/null
done
for set in "$DATA" "$TEST"; do
    for class in popular other; do
        $bin embed "$set/$class" --out "$set-$class.csv" --cache "$CACHE" --threads 2 --quiet
    done
done
python3 Benchmarks/baselines/logistic_regression.py "$DATA-popular.csv" "$DATA-other.csv" "$TEST-popular.csv" "$TEST-other.csv"
