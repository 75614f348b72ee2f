#!/usr/bin/env bash
#
# test/fuzz/run.sh [--json-c PREFIX] [SECONDS]
#
# Builds and runs, with clang and sanitizers, the PostgreSQL-independent
# JSON layer of planhat_fdw (src/jsonpage.c):
#   1. jsonpage_test  unit tests (ASan + UBSan)
#   2. fuzz_page      libFuzzer target (ASan + UBSan + LeakSanitizer),
#                     seeded from test/fuzz/corpus/, run for SECONDS
#                     (default 60; 0 runs only the seed corpus once)
# and prints one summary line per step.  Exit status is non-zero on any
# failure, 77 (skipped) when no clang with libFuzzer is installed.  Build products, the growing corpus and crash artifacts go to
# $FUZZ_BUILD_DIR (default test/fuzz/build/, ignored by git); the committed
# seed corpus is never written to.
#
# Needs clang (14 or later) with libFuzzer (Debian: clang, libclang-rt-dev)
# and the json-c development files.  CLANG=... chooses the compiler; else
# "clang", else the newest clang-NN installed.
#
# --json-c PREFIX (or JSONC_PREFIX=PREFIX) builds both against another
# json-c: PREFIX holds include/json-c/ and lib/ (a "make install" prefix),
# or usr/include/json-c/ and usr/lib/<multiarch>/ ("dpkg -x" of Debian's
# libjson-c-dev and libjson-c5 of the same version; their library must
# suit this machine's glibc, else build that json-c from source).  The
# binaries find that library through their rpath, and the build goes to
# $FUZZ_BUILD_DIR/json-c-<version>/.  The JSON layer must behave the same
# on every json-c: compare the summary lines.

set -euo pipefail

JSONC_PREFIX="${JSONC_PREFIX:-}"
if [ "${1:-}" = "--json-c" ]; then
	JSONC_PREFIX="${2:?--json-c needs a PREFIX}"
	shift 2
fi
SECONDS_TO_RUN="${1:-60}"
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$HERE/../../src"
BUILD="${FUZZ_BUILD_DIR:-$HERE/build}"
CC="${CLANG:-clang}"

if ! command -v "$CC" >/dev/null 2>&1; then
	CC=$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -n 1 || true)
fi
if [ -z "$CC" ] || ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz: skipped: clang is not installed (Debian: clang, libclang-rt-dev)"
	exit 77
fi
if [ ! -f "$("$CC" -print-file-name="libclang_rt.fuzzer-$(uname -m).a")" ]; then
	echo "fuzz: skipped: $CC has no libFuzzer (Debian: libclang-rt-dev)"
	exit 77
fi

if [ -n "$JSONC_PREFIX" ]; then
	prefix="$(cd "$JSONC_PREFIX" && pwd)"
	[ -d "$prefix/include/json-c" ] || prefix="$prefix/usr"
	[ -d "$prefix/include/json-c" ] || { echo "fuzz: no include/json-c under $JSONC_PREFIX" >&2; exit 2; }
	libdir=
	for d in "$prefix/lib/$("$CC" -print-multiarch 2>/dev/null)" "$prefix/lib" "$prefix/lib64"; do
		if [ -e "$d/libjson-c.so" ]; then libdir=$d; break; fi
	done
	[ -n "$libdir" ] || { echo "fuzz: no libjson-c.so under $JSONC_PREFIX" >&2; exit 2; }
	JSONC_CFLAGS="-I$prefix/include/json-c"
	JSONC_LIBS="-L$libdir -Wl,-rpath,$libdir -ljson-c"
	version=$(sed -n 's/^#define JSON_C_VERSION "\(.*\)"/\1/p' "$prefix/include/json-c/json_c_version.h")
	BUILD="$BUILD/json-c-${version:-other}"
else
	JSONC_CFLAGS="$(pkg-config --cflags json-c 2>/dev/null || echo -I/usr/include/json-c)"
	JSONC_LIBS="$(pkg-config --libs json-c 2>/dev/null || echo -ljson-c)"
fi
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS="-g -O1 -fno-omit-frame-pointer -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -I$SRC $JSONC_CFLAGS"

mkdir -p "$BUILD/corpus" "$BUILD/artifacts"

# 1. unit tests
# shellcheck disable=SC2086
"$CC" $CFLAGS $SAN "$SRC/jsonpage.c" "$HERE/jsonpage_test.c" $JSONC_LIBS -lm \
	-o "$BUILD/jsonpage_test"
if ! "$BUILD/jsonpage_test" > "$BUILD/jsonpage_test.log" 2>&1; then
	cat "$BUILD/jsonpage_test.log"
	echo "jsonpage_test: FAILED"
	exit 1
fi
tail -n 1 "$BUILD/jsonpage_test.log"

# 2. fuzzer
# shellcheck disable=SC2086
"$CC" $CFLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	"$SRC/jsonpage.c" "$HERE/fuzz_page.c" $JSONC_LIBS -lm -o "$BUILD/fuzz_page"

LOG="$BUILD/fuzz_page.log"
if [ "$SECONDS_TO_RUN" = "0" ]; then
	set +e
	"$BUILD/fuzz_page" -runs=0 -dict="$HERE/json.dict" \
		-artifact_prefix="$BUILD/artifacts/" "$HERE/corpus" > "$LOG" 2>&1
	rc=$?
	set -e
else
	set +e
	ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
	"$BUILD/fuzz_page" -max_total_time="$SECONDS_TO_RUN" -timeout=10 \
		-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-dict="$HERE/json.dict" -artifact_prefix="$BUILD/artifacts/" \
		"$BUILD/corpus" "$HERE/corpus" > "$LOG" 2>&1
	rc=$?
	set -e
fi

if [ $rc -ne 0 ]; then
	grep -E "ERROR|SUMMARY|property failed|artifact|Test unit written" "$LOG" | head -n 20
	echo "fuzz_page: FAILED (exit $rc), log: $LOG"
	exit 1
fi

runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$LOG" | grep -Eo '[0-9]+$' || true)
[ -n "$runs" ] || runs=$(grep -Eo 'Done [0-9]+ runs' "$LOG" | grep -Eo '[0-9]+' | tail -n 1 || true)
cov=$(grep -Eo 'cov: [0-9]+' "$LOG" | tail -n 1 | grep -Eo '[0-9]+' || true)
ft=$(grep -Eo 'ft: [0-9]+' "$LOG" | tail -n 1 | grep -Eo '[0-9]+' || true)
ncorpus=$(find "$BUILD/corpus" -type f | wc -l)
echo "fuzz_page: OK (json-c $(sed -n 's/^json-c \(.*\)$/\1/p' "$BUILD/jsonpage_test.log" | head -n 1)), ${runs:-?} runs in ${SECONDS_TO_RUN}s, cov ${cov:-?}, ft ${ft:-?}, $(find "$HERE/corpus" -type f | wc -l) seeds + ${ncorpus} found inputs, no crash, leak or UB"
