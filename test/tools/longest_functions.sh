#!/bin/bash
# longest_functions.sh [N] [files...]: the N longest C functions (default 15)
# in src/*.c, as "lines  file:function", measured with ctags from a function's
# first line to the closing brace at the start of a line.  Used to report
# before/after figures of clean-ups (issue 14).
set -euo pipefail
n=${1:-15}
shift || true
cd "$(dirname "$0")/../.."
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(src/*.c)
for f in "${files[@]}"; do
	ctags -x --c-kinds=f "$f" | awk -v f="$f" '{ print $3, $1 }' |
	while read -r line name; do
		end=$(awk -v s="$line" 'NR > s && /^}/ { print NR; exit }' "$f")
		echo "$((end - line + 1)) $f:$name"
	done
done | sort -rn | head -n "$n"
