#!/usr/bin/env python3
"""Regenerates the raw fixtures of Tests/ImagingTests from the four reference PNGs.

Needs Pillow 13 and numpy (e.g. `python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pillow numpy`).
Run from this folder. Outputs raw interleaved RGB bytes, rows top to bottom, no header:
  pixels/<name>.rgb   the decoded PNGs (sizes in Tests/ImagingTests/Fixtures.swift)
  resize/*.rgb        Image.resize(..., Image.BILINEAR) results the Swift resize must match exactly
"""
from PIL import Image
import numpy as np


def save(image, path):
    open(path, "wb").write(np.asarray(image.convert("RGB")).tobytes())


for name in ["cover_224", "noise_224", "rings_224", "portrait_300x450"]:
    save(Image.open(f"images/{name}.png"), f"pixels/{name}.rgb")

portrait = Image.open("images/portrait_300x450.png").convert("RGB")
rings = Image.open("images/rings_224.png").convert("RGB").crop((10, 20, 47, 49))  # 37x29
for source, label, size in [
    (portrait, "portrait_to", (173, 97)),
    (portrait, "portrait_to", (120, 400)),
    (rings, "rings_37x29_at_10_20_to", (100, 71)),
    (rings, "rings_37x29_at_10_20_to", (45, 11)),
]:
    save(source.resize(size, Image.BILINEAR), f"resize/{label}_{size[0]}x{size[1]}.rgb")
save(portrait.resize((224, 224), Image.BILINEAR), "resize/portrait_stretch_224.rgb")
