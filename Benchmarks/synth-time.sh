#!/bin/sh
# Wall time of `coverlens synth` with one worker and with every core (README, Performance), and a
# check that both write the same files (each cover is a function of its seed).
#
#   swift build -c release --product coverlens && Benchmarks/synth-time.sh [COUNT]
#
# COUNT covers per class (default 150, plus 10 candidates). Prints the CPU and the load average
# first: wall times on a shared machine mean little. Needs GNU time (/usr/bin/time).
set -eu
COUNT=${1:-150}
BIN=${COVERLENS:-.build/release/coverlens}
CORES=$(nproc)
WORK=$(mktemp -d /tmp/coverlens-synth-time.XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $CORES cores, $(uptime | sed 's/.*load average/load average/')"
for threads in 1 "$CORES"; do
    COVERLENS_THREADS=$threads /usr/bin/time -o "$WORK/time" -f "COVERLENS_THREADS=$threads: %e s wall, %U s user" \
        "$BIN" synth --out "$WORK/$threads" --per-class "$COUNT" --candidates 10 --seed 7 > /dev/null 2>&1
    cat "$WORK/time"
done
if diff -r "$WORK/1" "$WORK/$CORES" > /dev/null; then echo "the same files"; else echo "the files differ"; exit 1; fi
