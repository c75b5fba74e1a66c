#!/usr/bin/env bash
# The measurement behind `coverlens train`'s default mode and epochs (README, Training):
# "whatever gives the best validation AUC on a few thousand covers within about ten minutes on 2 cores".
#
# Generates 2 × COVERS synthetic covers with `coverlens synth` (seeded, so the set is the same on every
# run), then runs head, partial and full training on them with `coverlens-bench --sweep`, one long run
# per configuration, printing the validation AUC (and the best so far, the model train keeps) and the
# wall time after every epoch, then the best AUC each configuration reaches within BUDGET seconds.
#
# Usage: Benchmarks/training-sweep.sh [COVERS=1000] [BUDGET=600] [EPOCHS=head,partial,augmented,full]
# Wall times on a shared machine are noisy; run it when the machine is otherwise idle if you can.
set -euo pipefail
cd "$(dirname "$0")/.."
COVERS=${1:-1000}
BUDGET=${2:-600}
EPOCHS=${3:-30,8,3,1}
DATA=Output/sweep-data
swift build -c release --product coverlens >/dev/null
swift build -c release --product coverlens-bench >/dev/null
if [ ! -f "$DATA/.covers-$COVERS" ]; then
    .build/release/coverlens synth --out "$DATA" --per-class "$COVERS" --candidates 0 --seed 7 --replace
    touch "$DATA/.covers-$COVERS"
fi
rm -rf "$DATA/candidates"
.build/release/coverlens-bench --threads 2 --sweep "$DATA" --sweep-model Models/efficientnet-lite0.safetensors \
    --sweep-out Output/sweep --budget "$BUDGET" --epochs "$EPOCHS"
