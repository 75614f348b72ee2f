#!/usr/bin/env bash
# test/bench/run.sh: the planhat_fdw benchmark, one command (see README.md here).
#
# Builds and installs the extension, builds floor.c, starts a throwaway
# PostgreSQL and the Planhat emulator on 127.0.0.1 (test/lib.sh), runs
# test/bench/bench.py, prints its tables and leaves CSV files in the output
# directory.  Nothing is left running afterwards.
#
# Usage: bash test/bench/run.sh [--full] [--out DIR] [bench.py options...]
#   --full        also scan 1,000,000 companies (long: see README.md)
#   --out DIR     where the CSV files and summary.txt go
#                 (default test/bench/out/<date-time>)
#   anything else is passed to bench.py (--sections, --sizes, --repeat, ...)
set -euo pipefail

PH_TAG=bench
# shellcheck source=test/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$PH_REPO"

out="$PH_REPO/test/bench/out/$(date +%Y%m%d-%H%M%S)"
sizes=10000,100000
args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--full) sizes=10000,100000,1000000 ;;
	--out) out=$2; shift ;;
	--out=*) out=${1#--out=} ;;
	-h | --help) sed -n '2,13p' "$0"; python3 test/bench/bench.py --help; exit 0 ;;
	*) args+=("$1") ;;
	esac
	shift
done

ph_init
ph_install_deps required || exit 1
ph_build || exit 1

floor="$PH_TMP/floor"
# shellcheck disable=SC2046 # pkg-config prints several words on purpose
if ! gcc -O2 -Wall -Werror -o "$floor" test/bench/floor.c \
	$(pkg-config --cflags --libs json-c libcurl) >"$PH_TMP/logs/floor.log" 2>&1; then
	ph_err "could not build test/bench/floor.c"
	ph_show_log "$PH_TMP/logs/floor.log"
	exit 1
fi

ph_start_cluster || exit 1
# the emulator generates each dataset on demand (phctl reset); start small
ph_start_emulator --dataset generated --rows companies=10 --quiet || exit 1

mkdir -p "$out"
ph_say "results go to $out"
BENCH_FLOOR="$floor" python3 test/bench/bench.py --sizes "$sizes" --out "$out" "${args[@]}" |
	tee "$out/summary.out"
rc=${PIPESTATUS[0]}
{
	echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $(uname -r)"
	echo "commit:  $(git -C "$PH_REPO" describe --always --dirty 2>/dev/null || echo '?')"
	echo "libcurl: $(curl-config --version 2>/dev/null || echo '?'), json-c $(pkg-config --modversion json-c)"
} | tee -a "$out/summary.out"
exit "$rc"
