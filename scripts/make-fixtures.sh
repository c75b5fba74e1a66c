#!/usr/bin/env bash
# Regenerates Tests/Fixtures/images/ (small decoder test files and their expected pixels).
# The files are committed, so tests do not need these tools; run this only to change them.
# Needs: Debian python3-pil (same libjpeg-turbo and libwebp as CoverLens links), gcc, libjpeg-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=Tests/Fixtures/images
mkdir -p "$OUT"
rm -f "$OUT"/*.jpg "$OUT"/*.png "$OUT"/*.webp "$OUT"/*.gif "$OUT"/expected.json
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
gcc -O2 -o "$TMP/ycck_jpeg" scripts/fixtures/ycck_jpeg.c -ljpeg
"$TMP/ycck_jpeg" "$OUT/jpeg-cmyk.jpg" cmyk
"$TMP/ycck_jpeg" "$OUT/jpeg-ycck.jpg" ycck
/usr/bin/python3 scripts/fixtures/make_images.py "$OUT"
du -sh "$OUT"
