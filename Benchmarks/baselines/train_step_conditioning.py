#!/usr/bin/env python3
"""How well-conditioned is the `resnet18_fc1_train` training-step reference? PyTorch against itself.

The reference (shared/reference/train_step.safetensors) was made by PyTorch float32 on CPU, which
convolves through oneDNN. This script replays the same recipe (ResNet18 seed-0 weights, fc replaced
by the stored Linear(512, 1), BatchNorm in training mode, BCEWithLogitsLoss, Adam lr 1e-3, four
forward/backward/step rounds) in several PyTorch variants that are all correct float32 (or float64)
arithmetic and differ only in summation order, and applies the reference README's checks to each:

    float32 oneDNN          the reference's own configuration
    float32 without oneDNN  torch.backends.mkldnn.enabled = False (im2col + GEMM, like CoverLens)
    float32 channels-last   memory_format=torch.channels_last
    float64                 the same weights and inputs in double precision

It also lists the pre-ReLU values of the first forward that lie closest to 0 (float64), and where
each variant puts them on the other side of the ReLU than float64 does. Every number printed is
computed by this run. Needs PyTorch and torchvision (not CoverLens dependencies):

    python3 -m venv /tmp/venv-bench && /tmp/venv-bench/bin/pip install torch torchvision
    /tmp/venv-bench/bin/python Benchmarks/baselines/train_step_conditioning.py [--reference ../shared/reference]
"""
import argparse
import json
import struct

import numpy as np
import torch
import torchvision

IMAGES = ["cover_224", "noise_224", "rings_224", "portrait_300x450"]
PREFIX = "resnet18_fc1_train"


def read_safetensors(path):
    """name -> torch tensor, from the format described in the reference README."""
    data = open(path, "rb").read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    dtypes = {"F32": np.float32, "F64": np.float64, "U8": np.uint8}
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(body[begin:end], dtype=dtypes[entry["dtype"]]).reshape(entry["shape"])
        out[name] = torch.from_numpy(array.copy())
    return out


def model(weights, reference, dtype, channels_last):
    net = torchvision.models.resnet18(weights=None)
    net.load_state_dict(weights, strict=False)
    net.fc = torch.nn.Linear(512, 1)
    net.fc.weight.data = reference[f"{PREFIX}.init.fc.weight"].clone()
    net.fc.bias.data = reference[f"{PREFIX}.init.fc.bias"].clone()
    net = net.to(dtype).train()
    return net.to(memory_format=torch.channels_last) if channels_last else net


def pre_relu_recorder(net):
    """Records the input of every ReLU call of the next forward (BasicBlock reuses its ReLU)."""
    record = []
    for name, module in net.named_modules():
        if isinstance(module, torch.nn.ReLU):
            module.register_forward_pre_hook(lambda m, i, name=name: record.append((name, i[0].detach().clone())))
    return record


def replay(weights, reference, x, y, dtype, channels_last=False):
    net = model(weights, reference, dtype, channels_last)
    record = pre_relu_recorder(net)
    x = x.to(dtype)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    result = {"losses": []}
    for step in range(4):
        optimiser.zero_grad()
        loss = loss_fn(net(x), y.to(dtype))
        loss.backward()
        if step == 0:
            result["first_forward"] = list(record)
            result["loss_before"] = loss.item()
            result["grad_norms"] = [p.grad.double().norm().item() for _, p in net.named_parameters()]
            result["grad"] = {n: p.grad.double().clone() for n, p in net.named_parameters()}
        optimiser.step()
        if step == 0:
            result["after_step1"] = {n: p.detach().double().clone() for n, p in net.named_parameters()}
        if step > 0:
            result["losses"].append(loss.item())
        record.clear()
    return result


def checks(run, reference):
    """The README's suggested checks for this reference: (name, measured, tolerance) rows."""
    ref = lambda key: reference[f"{PREFIX}.{key}"].double()
    rows = [("loss_before", abs(run["loss_before"] - ref("loss_before").item()), 1e-4)]
    for i, (got, want) in enumerate(zip(run["losses"], ref("losses_after_steps_1_2_3").tolist())):
        rows.append((f"loss after step {i + 1}", abs(got - want), 1e-4 if i == 0 else 5e-3))
    norms = ref("grad_norms").tolist()
    worst = max(abs(g - w) / w for g, w in zip(run["grad_norms"], norms) if w > 0)
    rows.append(("grad_norms, worst relative", worst, 2e-3))
    for name in ["conv1.weight", "fc.weight"]:
        want = ref(f"after_step1.{name}")
        got = run["after_step1"][name]
        mask = run["grad"][name].abs() > 1e-6
        diff = (got - want).abs()[mask]
        rows.append((f"after_step1.{name}: max |diff| (entries over 1e-5: {int((diff > 1e-5).sum())})",
                     diff.max().item(), 1e-5))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", default="../shared/reference", help="folder of train_step.safetensors")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    folder = args.reference.rstrip("/")
    weights = read_safetensors(f"{folder}/resnet18_seed0.safetensors")
    reference = read_safetensors(f"{folder}/train_step.safetensors")
    inputs = read_safetensors(f"{folder}/inputs.safetensors")
    x = torch.cat([inputs[f"{name}.input"] for name in IMAGES])
    y = reference["batch_labels"].float()

    variants = [("float32 oneDNN", torch.float32, True, False),
                ("float32 without oneDNN", torch.float32, False, False),
                ("float32 channels-last", torch.float32, True, True),
                ("float64", torch.float64, True, False)]
    runs = {}
    for label, dtype, onednn, channels_last in variants:
        torch.backends.mkldnn.enabled = onednn
        runs[label] = replay(weights, reference, x, y, dtype, channels_last)
    torch.backends.mkldnn.enabled = True

    print(f"PyTorch {torch.__version__}, torchvision {torchvision.__version__}, {args.threads} threads\n")
    for label, run in runs.items():
        rows = checks(run, reference)
        failed = sum(measured > tolerance for _, measured, tolerance in rows)
        print(f"{label}: {'all checks pass' if failed == 0 else f'{failed} check(s) fail'}")
        for name, measured, tolerance in rows:
            print(f"  {'FAIL' if measured > tolerance else 'ok  '} {name}: {measured:.3g} (tolerance {tolerance:g})")

    exact = runs["float64"]["first_forward"]
    values = torch.cat([v.flatten() for _, v in exact])
    print(f"\nfirst forward: {values.numel():,} pre-ReLU values (float64); "
          + ", ".join(f"{int((values.abs() < t).sum())} within {t:g} of 0" for t in [1e-7, 1e-6, 1e-5]))
    for label, run in runs.items():
        if label == "float64":
            continue
        flips = []
        for call, ((name, v64), (_, v32)) in enumerate(zip(exact, run["first_forward"])):
            v32 = v32.contiguous().double()
            for index in ((v64 > 0) != (v32 > 0)).nonzero().tolist():
                flips.append(f"{name} (call {call}) at {tuple(index)}: float64 {v64[tuple(index)].item():.3g}, "
                             f"{label} {v32[tuple(index)].item():.3g}")
        print(f"{label}: {len(flips)} ReLU decision(s) differ from float64" + "".join(f"\n  {f}" for f in flips))


if __name__ == "__main__":
    main()
