#!/bin/sh
# `coverlens embed` with decoding against the network alone (issue 17's third target), both
# backbones, on generated covers at 600×900: one sitting, the two alternating, ROUNDS rounds each.
#
#   swift build -c release -Xswiftc -enable-testing --build-tests && Benchmarks/embed-overlap.sh [ROUNDS] [PER_CLASS]
#
# 1. coverlens synth draws 2 × PER_CLASS covers (400×600) and PIL scales them to 600×900 JPEGs
#    (quality 90): generated covers only, never real ones. Needs Pillow: Debian's /usr/bin/python3 with
#    python3-pil, which scripts/setup.sh installs (a python3 earlier on PATH, such as pyenv's, may
#    lack it; PYTHON=… picks another). COVERS=DIR
#    uses a folder made that way before instead.
# 2. The ResNet18 model is the reference set's seeded weights (../shared/reference or
#    COVERLENS_REFERENCE), imported with `coverlens import-weights`; EfficientNet-Lite0 is Models/.
# 3. coverlens-bench --embed prints the CPU cost per cover of each step before the network (one
#    thread), with and without the JPEG draft, then per round the network alone on the decoded
#    covers and the whole scan (embeddings only, with the measures, and with --jpeg-draft on).
# 4. Then, alternating: coverlens-bench's network-only pass at batch 16 and `coverlens embed`
#    without a cache, without a cache and with --jpeg-draft on, and into an empty cache, each under
#    /usr/bin/time -v (CPU seconds beside wall time, the cores kept busy, and the rate against the
#    network alone just before), with the load average. SKIP_STEPS=1 runs only this part.
set -eu
ROUNDS=${1:-3}
PER_CLASS=${2:-400}
BIN=${COVERLENS:-.build/release/coverlens}
BENCH=${COVERLENS_BENCH:-.build/release/coverlens-bench}
REFERENCE=${COVERLENS_REFERENCE:-../shared/reference}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/embed-overlap.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

COVERS=${COVERS:-$WORK/covers}
if [ ! -d "$COVERS" ]; then
"$BIN" synth --out "$WORK/synth" --per-class "$PER_CLASS" --candidates 0 --seed 17 > /dev/null
"${PYTHON:-/usr/bin/python3}" - "$WORK/synth" "$COVERS" <<'EOF'
import glob, os, sys
from PIL import Image
source, target = sys.argv[1], sys.argv[2]
os.makedirs(target)
for path in sorted(glob.glob(os.path.join(source, "*", "*.jpg"))):
    name = os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path)
    Image.open(path).convert("RGB").resize((600, 900), Image.LANCZOS).save(os.path.join(target, name), quality=90)
EOF
fi
"$BIN" import-weights "$REFERENCE/resnet18_seed0.safetensors" --arch resnet18 --out "$WORK/resnet18.safetensors" > /dev/null
EFFNET=Models/efficientnet-lite0.safetensors
echo "$(ls "$COVERS" | wc -l) covers of 600×900, $(du -sh "$COVERS" | cut -f1); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' '), model $(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')), $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')"

[ -n "${SKIP_STEPS:-}" ] || "$BENCH" --embed "$COVERS" --embed-models "$EFFNET,$WORK/resnet18.safetensors" --rounds "$ROUNDS" --batches 16 \
    --jpeg-draft on

count=$(ls "$COVERS" | wc -l)
# One `coverlens embed` under /usr/bin/time -v: LABEL, then the model and embed's options.
timed_embed() {
    label=$1; model=$2; shift 2
    rm -f "$WORK/cache.sqlite"*
    /usr/bin/time -v "$BIN" embed "$COVERS" --model "$model" --out "$WORK/embeddings.safetensors" --quiet "$@" 2> "$WORK/time.log"
    awk -v n="$count" -v label="$label" -v network="$network" -F': ' '
        /Elapsed \(wall clock\)/ { split($2, t, ":"); wall = (length(t) == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
        /User time/ { user = $2 } /System time/ { sys = $2 }
        END { printf "coverlens embed %s: %.1f img/s wall, %.1f img per CPU-second (%.1f s wall, %.1f s CPU, %.2f cores busy; %.0f%% of the network alone just before)\n",
                     label, n / wall, n / (user + sys), wall, user + sys, (user + sys) / wall, 100 * n / wall / network }
    ' "$WORK/time.log"
}

# Per round and model: the network alone, then `embed` without a cache (embeddings only), the same
# with --jpeg-draft on, and `embed` into an empty cache (the measures `score` reads too).
for round in $(seq "$ROUNDS"); do
    for model in "$EFFNET" "$WORK/resnet18.safetensors"; do
        name=$(basename "$model" .safetensors)
        echo "round $round, $name, load $(cut -d' ' -f1-3 /proc/loadavg)"
        "$BENCH" --model "$name" --batches 16 --seconds 5 | grep 'batch  16' | tee "$WORK/network.log"
        network=$(awk '{ print $4; exit }' "$WORK/network.log")
        timed_embed "--no-cache" "$model" --no-cache
        timed_embed "--no-cache --jpeg-draft on" "$model" --no-cache --jpeg-draft on
        timed_embed "--cache (empty)" "$model" --cache "$WORK/cache.sqlite"
    done
done
