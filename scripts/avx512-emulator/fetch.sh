#!/usr/bin/env bash
# Fetches what `run.sh` boots, from Debian's package mirror, into one folder, without installing
# anything: Bochs 2.7 (an x86 emulator whose CPU models include AVX-512 ones), its BIOS, Debian's
# Linux kernel, ISOLINUX and xorriso to make a boot CD, cpio for the initramfs. Each package is
# downloaded with `apt-get download` and unpacked with `dpkg -x`: 77 MB to download, about 30 MB kept.
#
#   scripts/avx512-emulator/fetch.sh [DIR]     (default: $COVERLENS_EMULATOR_DIR, else
#                                               ~/.cache/coverlens/avx512-emulator)
set -euo pipefail
DIR=${1:-${COVERLENS_EMULATOR_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/coverlens/avx512-emulator}}
if [ -f "$DIR/.complete" ]; then exit 0; fi
mkdir -p "$DIR/debs" "$DIR/root"
cd "$DIR/debs"

# The kernel package linux-image-amd64 points at (6.1 on Debian 12).
kernel=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$kernel" ]; then
    echo "fetch.sh: apt knows no linux-image-amd64 (run apt-get update first)" >&2
    exit 1
fi
packages=(bochs bochs-term bochsbios vgabios libltdl7 libsamplerate0
          isolinux syslinux-common xorriso libisoburn1 libburn4 libisofs6 libjte2 cpio "$kernel")
echo "fetch.sh: downloading ${packages[*]} into $DIR" >&2
# apt-get download writes into the current folder; as root it warns that its sandbox user cannot.
apt-get download -q "${packages[@]}" 2>&1 | grep -v "^W: Download is performed unsandboxed" >&2 || true
for package in "${packages[@]}"; do
    deb=$(ls "${package}"_*.deb 2>/dev/null | head -1)
    if [ -z "$deb" ]; then echo "fetch.sh: could not download $package" >&2; exit 1; fi
    dpkg -x "$deb" "$DIR/root"
done
# Only the kernel image is booted: its modules (400 MB unpacked) and the packages go.
rm -rf "$DIR/root/lib/modules" "$DIR/root/usr/lib/modules" "$DIR/debs"
touch "$DIR/.complete"
echo "fetch.sh: ready in $DIR" >&2
