#!/usr/bin/env python3
"""Writes small PyTorch-format checkpoints for CoverLens's .pth reader tests, without PyTorch.

torch.save pickles a state dict whose tensors reduce to torch._utils._rebuild_tensor_v2 and whose
storages are persistent ids ('storage', torch.FloatStorage, key, 'cpu', numel); it then stores the
pickle and the raw storages in a zip (data.pkl, data/<key>) or, in the legacy format, as five
pickles followed by the storages. This script reproduces both layouts with stand-in classes named
like PyTorch's, so the files are byte-for-byte what the reader must handle, plus hostile variants.

Usage: python3 scripts/make-pth-fixtures.py [OUTPUT_DIR]   (default Tests/Fixtures/pth)
Writes expected.json with every tensor's logical shape and row-major values.
"""
import collections
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
    """A CustomCNN-style dict (backbone under base_model., one-logit head fc) with a tiny backbone."""
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


def main():
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
