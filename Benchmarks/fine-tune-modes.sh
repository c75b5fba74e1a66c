#!/usr/bin/env bash
# Issue 14 part 2's comparison of the training modes on one generated set and one split, with the
# set large enough that `coverlens train` with its defaults (--mode auto) chooses full fine-tuning —
# README, "How the defaults were chosen".
#
# Generates PER_CLASS covers per class (seed 7) to train on and TEST_PER_CLASS (seed 8) to test on,
# both with `coverlens synth --class-gap GAP` (the sets Benchmarks/auto-train.sh makes), then trains
# three models on the same covers and the same internal validation split (seed 0):
#   auto     `train DATA` with no options (plus --budget BUDGET when given): the choice it prints;
#   partial  `--mode partial` with the epochs the auto run did and its learning rates and patience;
#   head     `--mode head` (weight decay chosen by inner validation, as auto mode does below 3,000);
# evaluates each with `coverlens evaluate` on the test covers, and prints a table: the epochs run
# and kept, the kept epoch's validation AUC, test ROC AUC and accuracy, and the training wall time
# (covers read, decoded and, in head mode, embedded, included). Runs one after another, so each
# has the machine to itself as far as this script goes; the load before and after each is printed.
#
# Usage: [COVERLENS=BINARY] Benchmarks/fine-tune-modes.sh [PER_CLASS=1875] [TEST_PER_CLASS=200] [GAP=0.3] [BUDGET_MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
PER_CLASS=${1:-1875}
TEST_PER_CLASS=${2:-200}
GAP=${3:-0.3}
BUDGET=${4:-}
DATA=Output/auto-data-$PER_CLASS-$GAP
TEST=Output/auto-test-$TEST_PER_CLASS-$GAP
OUT=Output/fine-tune-modes-$PER_CLASS-$GAP
CACHE=Output/auto-cache.sqlite
bin=${COVERLENS:-.build/release/coverlens}   # COVERLENS=path runs a copy while .build is rebuilt
[ -n "${COVERLENS:-}" ] || swift build -c release --product coverlens >/dev/null
grep -m1 'model name' /proc/cpuinfo
grep -m1 'cpu family' /proc/cpuinfo
grep -m1 '^model[[:space:]]' /proc/cpuinfo
. Benchmarks/lib/generated-set.sh
generated_set "$bin" "$DATA" "$PER_CLASS" 7 "$GAP"
generated_set "$bin" "$TEST" "$TEST_PER_CLASS" 8 "$GAP"
mkdir -p "$OUT"

# train NAME FLAGS...: trains into $OUT/NAME (afresh), prints what train prints on standard output
# and the wall time, then evaluates the model on the test covers into $OUT/NAME-test.json.
train() {
    local name=$1; shift
    echo "== coverlens train $DATA $* ($(date -u +%H:%M) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
    rm -rf "${OUT:?}/$name"
    /usr/bin/time -f "%e" -o "$OUT/$name.seconds" \
        $bin train "$DATA" --out "$OUT/$name" --cache "$CACHE" --threads 2 "$@" 2>"$OUT/$name.stderr" | { grep -v '^ *$' || true; }
    echo "train wall $(cat "$OUT/$name.seconds") s, load after $(cut -d' ' -f1-3 /proc/loadavg)"
    $bin evaluate "$OUT/$name/model.safetensors" "$TEST" --out "$OUT/$name-test.json" --cache "$CACHE" --threads 2 2>/dev/null
}

# setting KEY: the auto run's setting as its training log recorded it (empty when it has none).
setting() {
    python3 -c 'import json, sys; v = json.load(open(sys.argv[1]))["config"].get(sys.argv[2]); print("" if v is None else v)' \
        "$OUT/auto/training-log.json" "$1"
}

train auto ${BUDGET:+--budget "$BUDGET"}
epochs=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["epochs"]))' "$OUT/auto/training-log.json")
partial=(--mode partial --epochs "$epochs" --lr "$(setting learningRate)")
[ -z "$(setting backboneLearningRate)" ] || partial+=(--backbone-lr "$(setting backboneLearningRate)")
[ -z "$(setting earlyStoppingPatience)" ] || partial+=(--patience "$(setting earlyStoppingPatience)")
train partial "${partial[@]}"
train head --mode head

python3 - "$OUT" "$TEST" <<'PY'
import json, sys
out, test = sys.argv[1], sys.argv[2]
print(f"| model (test set {test}) | mode | epochs run (kept) | validation AUC of the kept epoch | test ROC AUC | test accuracy | training wall time |")
print("|---|---|---|---|---|---|---|")
for name in ["auto", "partial", "head"]:
    log = json.load(open(f"{out}/{name}/training-log.json"))
    metrics = json.load(open(f"{out}/{name}-test.json"))["metrics"]
    seconds = float(open(f"{out}/{name}.seconds").read())
    kept = log["epochs"][log["bestEpoch"] - 1]
    print(f"| {name} | {log['config']['mode']} | {len(log['epochs'])} ({log['bestEpoch']}) | {kept['validationAUC']:.4f} "
          f"| {metrics['rocAUC']:.4f} | {metrics['accuracy']:.4f} | {seconds:.0f} s |")
for name in ["auto", "partial"]:
    log = json.load(open(f"{out}/{name}/training-log.json"))
    epochs = ", ".join(f"{e['epoch']}: AUC {e['validationAUC']:.4f} in {e['seconds']:.0f} s" for e in log["epochs"])
    print(f"{name} epochs: {epochs}")
PY
