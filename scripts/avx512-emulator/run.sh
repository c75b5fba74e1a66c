#!/usr/bin/env bash
# Runs a statically linked Linux program on an emulated CPU with AVX-512, for checking AVX-512
# kernels on a machine whose CPU lacks it (QEMU's emulator has no AVX-512; Bochs has).
#
#   scripts/avx512-emulator/run.sh STATIC_BINARY [ARGS...]
#
# Boots Debian's kernel in Bochs (CPU model corei7_skylake_x: AVX-512 F, BW, VL, DQ, CD) from a
# small ISOLINUX CD whose initramfs holds only `init.c` (built here) and the program; the
# program's output comes back over the emulated serial port. About 90 s on a 2020s core,
# most of it the kernel's boot. Prints the program's output; exits with its status, or with 124
# when the emulator ran out of time and 125 when the program never ran (the harness failed:
# nothing was checked).
#
# Environment: COVERLENS_EMULATOR_DIR (what fetch.sh fetched; fetched there when missing),
# COVERLENS_EMULATOR_CPU (another Bochs model), COVERLENS_EMULATOR_TIMEOUT (seconds, default 900),
# COVERLENS_EMULATOR_VERBOSE=1 (the kernel's messages and Bochs's output, and the work folder kept).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${COVERLENS_EMULATOR_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/coverlens/avx512-emulator}
CPU=${COVERLENS_EMULATOR_CPU:-corei7_skylake_x}
TIMEOUT=${COVERLENS_EMULATOR_TIMEOUT:-900}
VERBOSE=${COVERLENS_EMULATOR_VERBOSE:-0}

if [ $# -lt 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 STATIC_BINARY [ARGS...]  (${1:-no binary given}: no such file)" >&2
    exit 125
fi
PROGRAM=$1; shift
"$HERE/fetch.sh" "$DIR" || exit 125
R=$DIR/root
KERNEL=$(ls "$R"/boot/vmlinuz-* 2>/dev/null | head -1)
for f in "$KERNEL" "$R/usr/bin/bochs-bin" "$R/usr/bin/xorriso" "$R/bin/cpio" "$R/usr/lib/ISOLINUX/isolinux.bin" \
         "$R/usr/lib/syslinux/modules/bios/ldlinux.c32" "$R/usr/share/bochs/BIOS-bochs-latest" \
         "$R/usr/share/vgabios/vgabios.bin"; do
    [ -e "$f" ] || { echo "run.sh: $DIR lacks ${f#$R/}; delete $DIR to fetch it again" >&2; exit 125; }
done
export LD_LIBRARY_PATH=$R/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LTDL_LIBRARY_PATH=$R/usr/lib/x86_64-linux-gnu/bochs/plugins
export BXSHARE=$R/usr/share/bochs

WORK=$(mktemp -d "${TMPDIR:-/tmp}/coverlens-avx512.XXXXXX") || exit 125
[ "$VERBOSE" = 1 ] && echo "run.sh: work folder $WORK" >&2 || trap 'rm -rf "$WORK"' EXIT

# The initramfs: /init, /prog, /args.
mkdir -p "$WORK/initrd" "$WORK/iso/isolinux"
${CC:-cc} -O2 -static -o "$WORK/initrd/init" "$HERE/init.c" || { echo "run.sh: cannot build init.c statically (libc6-dev?)" >&2; exit 125; }
cp "$PROGRAM" "$WORK/initrd/prog" && chmod 755 "$WORK/initrd/prog"
: > "$WORK/initrd/args"
for a in "$@"; do printf '%s\0' "$a" >> "$WORK/initrd/args"; done
(cd "$WORK/initrd" && find . | LC_ALL=C sort | "$R/bin/cpio" --quiet -o -H newc -R 0:0) | gzip -1 > "$WORK/iso/initrd.gz" || exit 125

# The boot CD. The kernel's options leave out what Bochs emulates slowly or not at all (PCID,
# XSAVES/XSAVEC, timer checks), skip the crypto self-tests (half of the emulated boot time, by
# initcall_debug: 15 of 31 s) and boot straight into /init.
cp "$R/usr/lib/ISOLINUX/isolinux.bin" "$R/usr/lib/syslinux/modules/bios/ldlinux.c32" "$WORK/iso/isolinux/"
cp "$KERNEL" "$WORK/iso/vmlinuz"
[ "$VERBOSE" = 1 ] && log=loglevel=7 || log="quiet loglevel=0"
cat > "$WORK/iso/isolinux/isolinux.cfg" <<CFG
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  APPEND initrd=/initrd.gz console=ttyS0,115200 $log clearcpuid=pku,xsaves,xsavec,pcid,invpcid,rdpid noxsaves nopcid panic=-1 nokaslr mitigations=off no_timer_check tsc=unstable nowatchdog nmi_watchdog=0 cryptomgr.notests i8042.nokbd i8042.noaux rdinit=/init
CFG
"$R/usr/bin/xorriso" -as mkisofs -quiet -o "$WORK/boot.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table -R -J "$WORK/iso" > "$WORK/xorriso.log" 2>&1 \
    || { cat "$WORK/xorriso.log" >&2; exit 125; }

cat > "$WORK/bochsrc" <<CFG
config_interface: textconfig
display_library: term
plugin_ctrl: unmapped=1, biosdev=1, speaker=0, extfpuirq=1, parallel=0, serial=1, iodebug=1
memory: guest=512, host=512
cpu: model=$CPU, count=1, ips=50000000, reset_on_triple_fault=0, ignore_bad_msrs=1
romimage: file=$R/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=$R/usr/share/vgabios/vgabios.bin
vga: extension=vbe
pci: enabled=1, chipset=i440fx
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path=$WORK/boot.iso, status=inserted
boot: cdrom
floppy_bootsig_check: disabled=1
clock: sync=none, time0=local
com1: enabled=1, mode=file, dev=$WORK/serial.log
mouse: enabled=0
log: $WORK/bochs.log
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
CFG

# Debian builds Bochs with its debugger, which waits at a prompt: "c" (continue) comes from a
# file. Its terminal display draws into a new pseudo-terminal, which is read and dropped so that
# it never fills up and blocks the emulator.
echo c > "$WORK/debugger.rc"
started=$(date +%s)
TERM=vt100 timeout -k 10 "$TIMEOUT" "$R/usr/bin/bochs-bin" -q -f "$WORK/bochsrc" -rc "$WORK/debugger.rc" \
    < /dev/null > "$WORK/bochs.out" 2>&1 &
bochs=$!
drain=
for _ in $(seq 50); do
    screen=$(grep -aoE 'connected to screen "[^"]+"' "$WORK/bochs.out" 2>/dev/null | head -1 | cut -d'"' -f2)
    if [ -n "$screen" ]; then cat "$screen" > /dev/null 2>&1 & drain=$!; break; fi
    kill -0 $bochs 2>/dev/null || break
    sleep 0.1
done
wait $bochs
bochs_status=$?
[ -n "$drain" ] && kill $drain 2>/dev/null
seconds=$(( $(date +%s) - started ))

serial=$(tr -d '\r' < "$WORK/serial.log" 2>/dev/null)
[ "$VERBOSE" = 1 ] && { echo "===== serial =====" >&2; echo "$serial" >&2; echo "===== bochs =====" >&2; tail -30 "$WORK/bochs.out" >&2; }
echo "$serial" | awk '/^@@PROGRAM-BEGIN@@$/ {on = 1; next} /^@@PROGRAM-END .*@@$/ {exit} on {print}'
end=$(echo "$serial" | grep -aoE '@@PROGRAM-END [a-z-]+(=[0-9]+)?@@' | tail -1)
case "$end" in
    *exit=*)   status=${end#*exit=}; status=${status%@@}; what="exit status $status" ;;
    *signal=*) signal=${end#*signal=}; signal=${signal%@@}; status=$((128 + signal)); what="killed by signal $signal" ;;
    *)         if [ $bochs_status = 124 ] || [ $bochs_status = 137 ]; then status=124; what="out of time after ${TIMEOUT} s"
               else status=125; what="the program never finished (Bochs exit status $bochs_status)"; fi
               [ "$VERBOSE" = 1 ] || { echo "----- last serial lines -----" >&2; echo "$serial" | tail -15 >&2; } ;;
esac
echo "run.sh: Bochs $CPU: $what, ${seconds} s" >&2
exit $status
