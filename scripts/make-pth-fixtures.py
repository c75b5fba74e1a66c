#!/usr/bin/env python3
"""Writes small PyTorch-format checkpoints for CoverLens's .pth reader tests, without PyTorch.

torch.save pickles a state dict whose tensors reduce to torch._utils._rebuild_tensor_v2 and whose
storages are persistent ids ('storage', torch.FloatStorage, key, 'cpu', numel); it then stores the
pickle and the raw storages in a zip (data.pkl, data/<key>) or, in the legacy format, as five
pickles followed by the storages. This script reproduces both layouts with stand-in classes named
like PyTorch's, so the files are byte-for-byte what the reader must handle, plus hostile variants.

Usage: python3 scripts/make-pth-fixtures.py [OUTPUT_DIR]   (default Tests/Fixtures/pth)
Writes expected.json with every tensor's logical shape and row-major values.

       python3 scripts/make-pth-fixtures.py --recipe FILE
Writes what `torch.save(model.state_dict(), FILE)` writes for the PyTorch recipe's model (CustomCNN:
torchvision's resnet18 as `base_model`, its `fc` replaced by nn.Linear(512, 1)), filled with the
formula weights of ../shared/reference/README.md ("ResNet18 with formula weights"), so its
logit is the reference's `<image>.logits[0]`. 45 MB: the tests write it on demand (into
.build/fixtures/) instead of keeping it in git.
"""
import array
import collections
import math
import io
import json
import os
import pickle
import struct
import sys
import types
import zipfile

# --- stand-ins named like PyTorch's, so pickle writes GLOBAL 'torch FloatStorage' etc. ---
torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
torch._utils = torch_utils
sys.modules["torch"] = torch
sys.modules["torch._utils"] = torch_utils

STORAGE_FORMATS = {}
for cls_name, fmt in [("FloatStorage", "f"), ("DoubleStorage", "d"), ("LongStorage", "q"), ("HalfStorage", "e")]:
    cls = type(cls_name, (), {})
    cls.__module__ = "torch"
    setattr(torch, cls_name, cls)
    STORAGE_FORMATS[cls_name] = fmt


def _rebuild_tensor_v2(*args):
    raise RuntimeError("stand-in, never called")


def _rebuild_parameter(*args):
    raise RuntimeError("stand-in, never called")


for fn in (_rebuild_tensor_v2, _rebuild_parameter):
    fn.__module__ = "torch._utils"
    fn.__qualname__ = fn.__name__
    setattr(torch_utils, fn.__name__, fn)


class Storage:
    def __init__(self, key, kind, values):
        self.key, self.kind, self.values = key, kind, values

    def raw(self):
        if isinstance(self.values, array.array):   # large float32 storages: already packed
            assert sys.byteorder == "little" and self.values.typecode == "f"
            return self.values.tobytes()
        return struct.pack("<%d%s" % (len(self.values), STORAGE_FORMATS[self.kind]), *self.values)


class Tensor:
    """A strided view: reduces exactly like torch.Tensor.__reduce_ex__ for CPU tensors."""

    def __init__(self, storage, offset, shape, strides, parameter=False):
        self.storage, self.offset, self.shape, self.strides, self.parameter = storage, offset, shape, strides, parameter

    def __reduce_ex__(self, protocol):
        args = (self.storage, self.offset, tuple(self.shape), tuple(self.strides), False, collections.OrderedDict())
        if self.parameter:
            inner = Tensor(self.storage, self.offset, self.shape, self.strides)
            return (_rebuild_parameter, (inner, True, collections.OrderedDict()))
        return (_rebuild_tensor_v2, args)

    def logical(self):
        """Row-major values of the view, computed from the strides (the reader's expectation)."""
        out = []

        def walk(dim, base):
            if dim == len(self.shape):
                out.append(self.storage.values[base])
                return
            for i in range(self.shape[dim]):
                walk(dim + 1, base + i * self.strides[dim])

        if all(s > 0 for s in self.shape):
            walk(0, self.offset)
        return out


class Evil:
    """What a malicious checkpoint looks like: unpickling would call os.system."""

    def __reduce__(self):
        return (os.system, ("echo this must never run",))


class TorchPickler(pickle.Pickler):
    def __init__(self, file, protocol, legacy):
        super().__init__(file, protocol=protocol)
        self.legacy = legacy
        self.storages = collections.OrderedDict()

    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            self.storages[obj.key] = obj
            pid = ("storage", getattr(torch, obj.kind), obj.key, "cpu", len(obj.values))
            return pid + (None,) if self.legacy else pid
        return None


def state_dict(entries):
    sd = collections.OrderedDict(entries)
    sd._metadata = collections.OrderedDict([("", {"version": 1})])   # like nn.Module.state_dict()
    return sd


def pickled(obj, protocol=2, legacy=False):
    buffer = io.BytesIO()
    pickler = TorchPickler(buffer, protocol, legacy)
    pickler.dump(obj)
    return buffer.getvalue(), pickler.storages


def write_zip(path, obj, protocol=2, compress=False, archive="archive"):
    data, storages = pickled(obj, protocol)
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr(zipfile.ZipInfo(archive + "/data.pkl"), data)
        z.writestr(zipfile.ZipInfo(archive + "/byteorder"), b"little")
        for key, storage in storages.items():
            info = zipfile.ZipInfo(archive + "/data/" + key)
            info.compress_type = method
            info.extra = struct.pack("<HH", 0x4246, 12) + b"\0" * 12   # padding field, as PyTorch aligns data
            z.writestr(info, storage.raw())
        z.writestr(zipfile.ZipInfo(archive + "/version"), b"3\n")


def write_legacy(path, obj):
    data, storages = pickled(obj, 2, legacy=True)
    with open(path, "wb") as f:
        for header in (0x1950A86A20F9469CFC6C, 1001, {"protocol_version": 1001, "little_endian": True,
                                                     "type_sizes": {"short": 2, "int": 4, "long": 4}}):
            pickle.dump(header, f, protocol=2)
        f.write(data)
        keys = sorted(storages)
        pickle.dump(keys, f, protocol=2)
        for key in keys:
            f.write(struct.pack("<q", len(storages[key].values)))
            f.write(storages[key].raw())


def tiny():
    """Contiguous, transposed (strided), offset-into-shared-storage, scalar int64 and float64 tensors."""
    conv = Storage("0", "FloatStorage", [float(i) * 0.25 - 3 for i in range(24)])
    # fc.weight is [2, 3] stored column-major (strides (1, 2)): logical [[s0, s2, s4], [s1, s3, s5]].
    fc = Storage("1", "FloatStorage", [1.5, -2.0, 3.25, 4.0, -5.5, 6.0])
    shared = Storage("2", "FloatStorage", [10.0, 20.0, 30.0, 40.0, 50.0])
    count = Storage("3", "LongStorage", [7])
    stats = Storage("4", "DoubleStorage", [1e-300, -0.1, 2.0 ** 60])
    return state_dict([
        ("conv.weight", Tensor(conv, 0, [2, 3, 2, 2], [12, 4, 2, 1])),
        ("fc.weight", Tensor(fc, 0, [2, 3], [1, 2])),
        ("fc.bias", Tensor(shared, 3, [2], [1])),
        ("head.scale", Tensor(shared, 0, [3], [1], parameter=True)),
        ("bn.num_batches_tracked", Tensor(count, 0, [], [])),
        ("stats", Tensor(stats, 0, [3], [1])),
    ])


def custom_cnn():
    """A wrapper with the backbone under base_model. and its one-logit head *beside* it as fc, with a
    tiny backbone. Not the recipe's own layout (that keeps the head inside, base_model.fc: see
    --recipe); CoverLens still reads this one."""
    conv = Storage("0", "FloatStorage", [((i * 37) % 11 - 5) / 10 for i in range(4 * 3 * 3 * 3)])
    bn = Storage("1", "FloatStorage", [1.0, 0.9, 1.1, 1.2])
    fc_w = Storage("2", "FloatStorage", [((i * 13) % 7 - 3) / 100 for i in range(512)])
    fc_b = Storage("3", "FloatStorage", [0.125])
    return state_dict([
        ("base_model.conv1.weight", Tensor(conv, 0, [4, 3, 3, 3], [27, 9, 3, 1])),
        ("base_model.bn1.weight", Tensor(bn, 0, [4], [1])),
        ("fc.weight", Tensor(fc_w, 0, [1, 512], [512, 1])),
        ("fc.bias", Tensor(fc_b, 0, [1], [1])),
    ])


def resnet18_entries():
    """torchvision resnet18's state-dict entries in module order: (module, parameter, shape), with
    BatchNorm's num_batches_tracked (shape None) where state_dict() puts it."""
    def conv(module, out, inp, k):
        return [(module, "weight", [out, inp, k, k])]

    def bn(module, n):
        return [(module, p, [n]) for p in ("weight", "bias", "running_mean", "running_var")] + [(module, "num_batches_tracked", None)]

    entries = conv("conv1", 64, 3, 7) + bn("bn1", 64)
    inp = 64
    for stage, out in enumerate([64, 128, 256, 512], start=1):
        for block in range(2):
            prefix = "layer%d.%d" % (stage, block)
            stride = 2 if stage > 1 and block == 0 else 1
            entries += conv(prefix + ".conv1", out, inp, 3) + bn(prefix + ".bn1", out)
            entries += conv(prefix + ".conv2", out, out, 3) + bn(prefix + ".bn2", out)
            if stride != 1 or inp != out:
                entries += conv(prefix + ".downsample.0", out, inp, 1) + bn(prefix + ".downsample.1", out)
            inp = out
    return entries + [("fc", "weight", [1, 512]), ("fc", "bias", [1])]


def formula_values(k, name, shape):
    """Tensor k of the reference README's formula weights (k counts tensors without
    num_batches_tracked), rounded once to float32. A [1, 512] fc.weight and [1] fc.bias take the
    formula's k = 100 and 101, so they are row 0 of the reference's [1000, 512] classifier."""
    n = 1
    for d in shape:
        n *= d
    if len(shape) > 1:
        bound = math.sqrt(6.0 / (n // shape[0]))
        value = lambda s: bound * s
    elif name.endswith("running_var"):
        value = lambda s: 1 + 0.5 * s
    elif name.endswith("running_mean") or name.endswith("bias"):
        value = lambda s: 0.1 * s
    else:
        value = lambda s: 1 + 0.25 * s
    base = k * 40503
    return array.array("f", [value(2 * ((((i + 1) * 2654435761 + base) & 0xFFFFFFFF) / 4294967296.0) - 1) for i in range(n)])


def recipe_resnet18():
    """The recipe's CustomCNN state dict: every name under base_model., base_model.fc = [1, 512]."""
    entries, modules, k = [], collections.OrderedDict([("", {"version": 1}), ("base_model", {"version": 1})]), 0
    for index, (module, parameter, shape) in enumerate(resnet18_entries()):
        name = "%s.%s" % (module, parameter)
        modules["base_model." + module] = {"version": 2 if ".bn" in "." + module or module.endswith("downsample.1") else 1}
        if shape is None:   # an int64 scalar; a trained model's count of training batches
            tensor = Tensor(Storage(str(index), "LongStorage", [250]), 0, [], [])
        else:
            strides = [1] * len(shape)
            for d in range(len(shape) - 2, -1, -1):
                strides[d] = strides[d + 1] * shape[d + 1]
            tensor = Tensor(Storage(str(index), "FloatStorage", formula_values(k, name, shape)), 0, shape, strides)
            k += 1
        entries.append(("base_model." + name, tensor))
    sd = collections.OrderedDict(entries)
    sd._metadata = modules
    return sd


def write_recipe(path):
    """Written beside `path` and renamed into place, so a reader never sees half a file."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    temporary = "%s.%d.tmp" % (path, os.getpid())
    write_zip(temporary, recipe_resnet18(), archive="model")
    os.replace(temporary, path)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--recipe":
        write_recipe(sys.argv[2])
        return
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "pth")
    os.makedirs(out, exist_ok=True)
    expected = {}
    for name, sd in (("tiny", tiny()), ("customcnn", custom_cnn())):
        expected[name] = {k: {"shape": t.shape, "values": t.logical()} for k, t in sd.items()}
    write_zip(os.path.join(out, "tiny_zip.pth"), tiny())
    write_zip(os.path.join(out, "tiny_zip_protocol4.pth"), tiny(), protocol=4, archive="renamed_model")
    write_legacy(os.path.join(out, "tiny_legacy.pth"), tiny())
    write_zip(os.path.join(out, "customcnn.pth"), custom_cnn())

    # Hostile files: each must give a clear error, never run anything or crash.
    write_zip(os.path.join(out, "hostile_global.pth"), collections.OrderedDict([("x", Evil())]))
    beyond = Storage("0", "FloatStorage", [1.0, 2.0, 3.0])
    write_zip(os.path.join(out, "hostile_offset.pth"), state_dict([("w", Tensor(beyond, 2, [2, 2], [2, 1]))]))
    write_zip(os.path.join(out, "hostile_compressed.pth"), tiny(), compress=True)
    half = Storage("0", "HalfStorage", [1.0, 2.0])
    write_zip(os.path.join(out, "hostile_half.pth"), state_dict([("w", Tensor(half, 0, [2], [1]))]))
    with open(os.path.join(out, "tiny_zip.pth"), "rb") as f:
        whole = f.read()
    with open(os.path.join(out, "hostile_truncated.pth"), "wb") as f:
        f.write(whole[: len(whole) * 2 // 3])
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
