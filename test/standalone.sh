#!/usr/bin/env bash
# test/standalone.sh: every pg_regress file passes when it runs alone.
#
# Each file of the Makefile's REGRESS line (or each NAME given) runs by
# itself, "make installcheck REGRESS=<name>", in a database created afresh
# for it (planhat_alone), against the same expected/<name>.out as in the
# suite: what a file relies on comes from the shared set-up it includes
# (sql/include/setup.sql), not from the files before it.  The results go to
# a temp dir: results/ and regression.diffs of a suite run stay as they are.
#
# It takes about as long as the suite again, so test/check.sh runs it only
# with --standalone (after the suite).  Against a kept run (bash
# test/check.sh --keep, then source $PH_TMP/env.sh):
#   bash test/standalone.sh              every file
#   bash test/standalone.sh join writes  these files
# Exit 0 = every file passed alone, 1 = one failed (its diff is shown),
# 77 = skipped (no cluster or emulator).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${PGHOST:-}" ] || [ -z "${PLANHAT_URL:-}" ] || [ -z "${PHCTL:-}" ]; then
	echo "standalone.sh: run it from test/check.sh --standalone, or source \$PH_TMP/env.sh of a kept run"
	exit 77
fi

DB=planhat_alone
WORK=$(mktemp -d /tmp/planhat_alone.XXXXXX)
cleanup() {
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf -- "$WORK"
}
trap cleanup EXIT

if [ $# -gt 0 ]; then
	names=("$@")
else
	read -r -a names < <(sed -n -E 's/^REGRESS[[:space:]]*=[[:space:]]*//p' Makefile)
fi
[ "${#names[@]}" -gt 0 ] || { echo "standalone.sh: no REGRESS line in the Makefile" >&2; exit 1; }

passed=0
failed=()
for name in "${names[@]}"; do
	mkdir -p "$WORK/$name"
	start=$(date +%s)
	if make -s PG_CONFIG="${PH_PG_CONFIG:-pg_config}" installcheck REGRESS="$name" \
		CONTRIB_TESTDB="$DB" EXTRA_REGRESS_OPTS="--outputdir=$WORK/$name" \
		>"$WORK/$name.log" 2>&1; then
		passed=$((passed + 1))
		echo "standalone: $name alone ... ok ($(($(date +%s) - start)) s)"
	else
		failed+=("$name")
		echo "standalone: $name alone ... FAILED ($(($(date +%s) - start)) s)"
		if [ -s "$WORK/$name/regression.diffs" ]; then
			head -n 80 "$WORK/$name/regression.diffs"
		else
			tail -n 20 "$WORK/$name.log"
		fi
	fi
done

if [ "${#failed[@]}" -gt 0 ]; then
	echo "standalone: ${#failed[@]} of ${#names[@]} files fail alone: ${failed[*]}"
	exit 1
fi
echo "standalone: all $passed files pass alone, each in a fresh database"
