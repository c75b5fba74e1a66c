#!/usr/bin/env bash
# Coverage-guided fuzzing of CoverLens's untrusted-input readers with libFuzzer + AddressSanitizer.
#
# Usage: scripts/fuzz.sh TARGET [SECONDS] [extra libFuzzer flags...]
#   TARGET: image (JPEG/PNG/WebP/TIFF/HEIF through ImageDecoder), pdf (what pdfinfo and pdftoppm print,
#           through ImageDecoder.decodePDF(pdfinfo:pdftoppm:)), pth (zip and legacy pickle .pth through
#           loadStateDict) or safetensors (SafeTensors(bytes:path:)); SECONDS defaults to 600.
#   e.g. scripts/fuzz.sh pth 600
#
# Builds the target from Fuzz/ (a separate package, so the main `swift build` never needs the
# sanitizer), seeds a working corpus (Fuzz/.corpus/TARGET, kept between runs) from the test fixtures
# and from Tests/Fixtures/fuzz/TARGET (earlier crash inputs), then runs one nice'd libFuzzer process.
# Crash, leak and timeout inputs land in Fuzz/.artifacts/TARGET/; copy each into
# Tests/Fixtures/fuzz/TARGET/ once fixed, where FuzzRegressionTests replays it in `swift test`.
# The full libFuzzer output goes to Fuzz/.logs/TARGET-<UTC time>.log; its summary is printed at the end.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
TARGET=${1:?usage: scripts/fuzz.sh image|pdf|pth|safetensors [SECONDS] [libFuzzer flags...]}
SECONDS_TO_RUN=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))

DICT=""   # a libFuzzer dictionary (-dict=), for targets whose input is text
case "$TARGET" in
  image)       PRODUCT=FuzzImageDecoder; SEEDS=("$ROOT/Tests/Fixtures/images") ;;
  pdf)         PRODUCT=FuzzPDFOutput;    SEEDS=("$ROOT/Fuzz/Seeds/pdf"); DICT="$ROOT/Fuzz/Seeds/pdf.dict" ;;
  pth)         PRODUCT=FuzzPth;          SEEDS=("$ROOT/Tests/Fixtures/pth" "$ROOT/Fuzz/Seeds/safetensors") ;;
  safetensors) PRODUCT=FuzzSafeTensors;  SEEDS=("$ROOT/Fuzz/Seeds/safetensors" "$ROOT/Tests/Fixtures/reference") ;;
  *) echo "scripts/fuzz.sh: unknown target '$TARGET' (image, pdf, pth or safetensors)" >&2; exit 2 ;;
esac

echo "==> building $PRODUCT (release, -sanitize=fuzzer,address)"
BUILD_LOG=$(mktemp)
if ! (cd Fuzz && nice swift build -c release -Xswiftc -sanitize=fuzzer,address \
      -Xcc -fsanitize=fuzzer-no-link,address --product "$PRODUCT") >"$BUILD_LOG" 2>&1; then
  cat "$BUILD_LOG" >&2; rm -f "$BUILD_LOG"
  echo "scripts/fuzz.sh: building $PRODUCT failed (output above)" >&2; exit 1
fi
grep -E 'error|complete' "$BUILD_LOG" || true
rm -f "$BUILD_LOG"
BINARY="$ROOT/Fuzz/.build/release/$PRODUCT"
[ -x "$BINARY" ] || { echo "scripts/fuzz.sh: the build did not produce $BINARY" >&2; exit 1; }

CORPUS="$ROOT/Fuzz/.corpus/$TARGET"
ARTIFACTS="$ROOT/Fuzz/.artifacts/$TARGET"
LOG="$ROOT/Fuzz/.logs/$TARGET-$(date -u +%Y%m%dT%H%M%SZ).log"
mkdir -p "$CORPUS" "$ARTIFACTS" "$(dirname "$LOG")"
# Seeds: the fixtures (files under 64 KB; JSON and other non-matching files are harmless inputs too) and earlier crashes.
for dir in "${SEEDS[@]}" "$ROOT/Tests/Fixtures/fuzz/$TARGET"; do
  [ -d "$dir" ] && find "$dir" -maxdepth 1 -type f -size -64k -exec cp -n {} "$CORPUS/" \;
done

echo "==> fuzzing $PRODUCT for $SECONDS_TO_RUN s (corpus $CORPUS, log $LOG)"
# Swift's own backtracer would wait on a crashed child; libFuzzer and ASan report crashes themselves.
status=0
SWIFT_BACKTRACE=enable=no nice "$BINARY" "$CORPUS" ${DICT:+-dict="$DICT"} \
  -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$ARTIFACTS/" "$@" >"$LOG" 2>&1 || status=$?

echo "==> summary (exit status $status)"
grep -E '^#[0-9]+.*(cov|DONE)' "$LOG" | tail -1 || true
grep -E '^(stat::|Done |==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written|.*(deadly signal|Timeout|out-of-memory|leak))' "$LOG" | head -30 || true
exit "$status"
