#!/bin/sh
# CoverLens against PyTorch eager and ONNX Runtime, side by side in one sitting (issue 17's targets):
# inference at batch 1 and 8 for both backbones, full fine-tuning at batch 32, ROUNDS rounds, each
# round CoverLens's inference, the baselines' inference, CoverLens's training, then PyTorch's.
# Every line the tools print goes to the log; the medians are computed from those lines at the end.
#
#   swift build -c release --product coverlens-bench
#   python3 -m venv /tmp/venv-bench && /tmp/venv-bench/bin/pip install torch torchvision onnxruntime onnx
#   Benchmarks/versus-baselines.sh [ROUNDS] [SECONDS] [LOG]
#
# COVERLENS_BENCH=path picks another coverlens-bench, VENV another virtualenv. PyTorch and ONNX
# Runtime are not dependencies of CoverLens; they run only here.
#
# On a CPU with AVX-512 (avx512f, bw, vl and dq, as `KernelPath` asks) each round also runs CoverLens
# held to its AVX2 path (COVERLENS_KERNELS=avx2: the eight-channel depthwise kernel, oneDNN capped
# at AVX2), right after the default run, so one sitting shows what the AVX-512 path gives
# (AVX2_PATH=1 runs it on any CPU, AVX2_PATH=0 never).
set -eu
ROUNDS=${1:-3}
SECONDS_PER_CELL=${2:-3}
LOG=${3:-$(mktemp "${TMPDIR:-/tmp}/versus-baselines.XXXXXX")}
BENCH=${COVERLENS_BENCH:-.build/release/coverlens-bench}
PY=${VENV:-/tmp/venv-bench}/bin/python
HERE=$(dirname "$0")
: > "$LOG"
grep -m1 "model name" /proc/cpuinfo | tee -a "$LOG"
AVX512=
case "${AVX2_PATH:-auto}" in
    1) AVX512=1 ;;
    auto) if sh "$HERE/../scripts/cpu-has-avx512.sh"; then AVX512=1; fi ;;
esac
round=1
while [ "$round" -le "$ROUNDS" ]; do
    echo "=== round $round: $(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$LOG"
    "$BENCH" --batches 1,8 --seconds "$SECONDS_PER_CELL" 2>&1 | sed 's/^/coverlens | /' | tee -a "$LOG"
    if [ -n "$AVX512" ]; then
        COVERLENS_KERNELS=avx2 "$BENCH" --batches 1,8 --seconds "$SECONDS_PER_CELL" 2>&1 | sed 's/^/coverlens-avx2 | /' | tee -a "$LOG"
    fi
    "$PY" "$HERE/baselines/pytorch_onnx.py" --threads 2 --batches 1,8 --seconds "$SECONDS_PER_CELL" --skip-training 2>&1 \
        | sed 's/^/baseline | /' | tee -a "$LOG"
    for model in efficientnet-lite0 resnet18; do
        "$BENCH" --model "$model" --train full --batches 32 --seconds $((SECONDS_PER_CELL * 3)) 2>&1 \
            | sed 's/^/coverlens | /' | tee -a "$LOG"
        if [ -n "$AVX512" ]; then
            COVERLENS_KERNELS=avx2 "$BENCH" --model "$model" --train full --batches 32 --seconds $((SECONDS_PER_CELL * 3)) 2>&1 \
                | sed 's/^/coverlens-avx2 | /' | tee -a "$LOG"
        fi
    done
    "$PY" "$HERE/baselines/pytorch_onnx.py" --threads 2 --batches 32 --seconds $((SECONDS_PER_CELL * 3)) --skip-inference --skip-onnx 2>&1 \
        | sed 's/^/baseline | /' | tee -a "$LOG"
    round=$((round + 1))
done
echo "log: $LOG"
python3 - "$LOG" <<'PYEOF'
# Every line's figure, once; then the medians, then CoverLens against the best other tool (issue 17's ratios).
import re, statistics, sys
rows = {}
training = False
for line in open(sys.argv[1]):
    source, _, text = line.partition(" | ")
    text = text.rstrip("\n")
    if source in ("coverlens", "coverlens-avx2"):
        tool = "CoverLens" if source == "coverlens" else "CoverLens, AVX2 path"
        m = re.match(r"(\S+) (train full )?batch +(\d+): +([\d.]+) img/s wall", text)
        if m:
            rows.setdefault((m[1], tool, "training" if m[2] else "inference"), {}).setdefault(int(m[3]), []).append(float(m[4]))
    elif source == "baseline":
        training = text.startswith("training") or (training and not text.startswith("torch "))
        # Fixed columns: model (20 characters), runtime (28), then one cell per batch.
        model, runtime, cells = text[:20].strip(), text[20:48].strip(), re.findall(r"([\d.]+) \(", text[48:])
        if model in ("efficientnet-lite0", "resnet18") and cells:
            for b, v in zip([32] if training else [1, 8], cells):
                rows.setdefault((model, runtime, "training" if training else "inference"), {}).setdefault(b, []).append(float(v))
print("\nmedians, images/s wall clock (the rounds in brackets)")
for (model, tool, kind), cells in sorted(rows.items(), key=lambda r: (r[0][2], r[0][0], not r[0][1].startswith("CoverLens"), r[0][1])):
    text = "  ".join(f"batch {b}: {statistics.median(v):.1f} ({', '.join(f'{x:.1f}' for x in v)})" for b, v in sorted(cells.items()))
    print(f"{kind:<10} {model:<19} {tool:<28} {text}")

med = {(model, tool, kind == "training"): {b: statistics.median(v) for b, v in cells.items()}
       for (model, tool, kind), cells in rows.items()}
# The path coverlens-bench ran by default, as it prints it ("kernels avx512 (…)").
path = next((m[1] for line in open(sys.argv[1]) if line.startswith("coverlens | ") for m in [re.search(r"kernels (\w+)", line)] if m), "?")
def best(model, training, prefix):
    return max((max(c.values()) for (m, tool, t), c in med.items() if m == model and t == training and tool.startswith(prefix)), default=None)
print("\nratios of the medians")
for model in ("efficientnet-lite0", "resnet18"):
    ours = med.get((model, "CoverLens", False))
    if ours:
        ort, torch = best(model, False, "onnxruntime"), best(model, False, "pytorch")
        ort1 = med.get((model, "onnxruntime", False), {}).get(1)
        print(f"{model} inference, best batch: {max(ours.values()) / ort:.2f}× ONNX Runtime's best, {max(ours.values()) / torch:.2f}× PyTorch eager's best; batch 1: {ours[1] / ort1:.2f}× ONNX Runtime's batch 1")
    trained = med.get((model, "CoverLens", True))
    if trained:
        print(f"{model} full fine-tuning, batch 32: {trained[32] / best(model, True, 'pytorch'):.2f}× PyTorch eager's best")
    held = med.get((model, "CoverLens, AVX2 path", False))
    if ours and held:
        print(f"{model} the CPU's own kernel path ({path}) against the AVX2 path: " + ", ".join(f"batch {b} {ours[b] / held[b]:.2f}×" for b in sorted(ours) if b in held)
              + (f", full fine-tuning {trained[32] / med[(model, 'CoverLens, AVX2 path', True)][32]:.2f}×" if trained and (model, "CoverLens, AVX2 path", True) in med else ""))
PYEOF
