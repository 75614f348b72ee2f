#!/usr/bin/env bash
# test/docs.test.sh: the SQL shown in README.md and docs/*.md, run and compared.
#
# A fenced code block whose line before is a marker
#
#   <!-- docs.test.sh: DATASET [tuples-only] [no-output] [from=FILE] -->
#
# is a psql session: statements (each starts at the left margin and ends
# with ";" at the end of a line), each followed by what psql prints for it
# (psql -X -q -e, aligned output; "tuples-only" adds -t, and
# "without-output-lines" leaves out the Output lines of EXPLAIN VERBOSE).  DATASET says
# where it runs:
#   regress  a fresh database with IMPORT FOREIGN SCHEMA planhat ... INTO
#            planhat, against the suite's emulator (the regress data set);
#   demo     the demo's database (test/demo/setup.sql: the import and the
#            local table my_accounts), against an emulator of its own with
#            the demo data set, as bash test/demo.sh runs it.
# search_path is planhat, public.  Each block runs in one transaction that
# is rolled back, so blocks do not see each other's tables.  The test fails
# when a statement fails or when what psql prints differs from the block
# (trailing white space and blank lines at the end aside).  "no-output":
# the block holds statements only; they must succeed, what they print is
# not compared.  "from=FILE": every statement must also appear, as it is,
# in FILE (the README's demo block shows statements of
# test/demo/reports.sql, so that it shows what the demo runs).
#
# bash test/docs.test.sh --regenerate writes what psql printed into the
# blocks (run it with the cluster and emulator of a kept run: source
# $PH_TMP/env.sh of bash test/check.sh --keep), then read the diff.
#
# Run by test/check.sh with the test cluster and the emulator up (PGHOST,
# PLANHAT_URL, PLANHAT_TOKEN, PHCTL exported); exits 77 (skipped) without them.
set -euo pipefail

regenerate=0
if [ "${1:-}" = "--regenerate" ]; then
	regenerate=1
elif [ $# -gt 0 ]; then
	echo "usage: bash test/docs.test.sh [--regenerate]" >&2
	exit 2
fi

if [ -z "${PGHOST:-}" ] || [ -z "${PLANHAT_URL:-}" ] || [ -z "${PLANHAT_TOKEN:-}" ] ||
	[ -z "${PHCTL:-}" ]; then
	echo "no test cluster or emulator: skipped"
	exit 77
fi

# the suite's emulator (regress data set); lib.sh's ph_start_emulator below
# exports the demo emulator's address in the same variables
REGRESS_URL=$PLANHAT_URL
REGRESS_TOKEN=$PLANHAT_TOKEN
REGRESS_TENANT=${PLANHAT_TENANT:-x}
REGRESS_PHCTL=$PHCTL
PH_TAG=docs
# shellcheck source=test/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PH_REPO"
ph_init
work=$PH_TMP/docs
mkdir -p "$work"

db_regress="docs_regress_$$"
db_demo="docs_demo_$$"
cleanup() {
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db_regress" >/dev/null 2>&1 || true
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db_demo" >/dev/null 2>&1 || true
	ph_cleanup
}
trap cleanup EXIT

# ---------------------------------------------------------------- the blocks

# extract DIR FILE...: for each marked block N, DIR/N.md (its text),
# DIR/N.sql (its statements) and one line of DIR/blocks:
# "N FILE FIRST LAST DATASET OPTIONS" (FIRST..LAST: the lines inside the fence)
python3 - extract "$work" README.md docs/*.md <<'PY' >"$work/blocks"
import re, sys
_, cmd, work, *files = sys.argv
marker = re.compile(r'^<!-- docs\.test\.sh: (\w+)((?: [\w.=/-]+)*) -->$')
n = 0
for path in files:
    lines = open(path, encoding='utf-8').read().split('\n')
    i = 0
    while i < len(lines):
        m = marker.match(lines[i])
        if not m:
            i += 1
            continue
        if i + 1 >= len(lines) or not lines[i + 1].startswith('```'):
            sys.exit('%s:%d: a docs.test.sh marker must be followed by a fenced block' % (path, i + 1))
        j = i + 2
        while j < len(lines) and not lines[j].startswith('```'):
            j += 1
        if j >= len(lines):
            sys.exit('%s:%d: the block does not end' % (path, i + 2))
        body = lines[i + 2:j]
        # statements: from a line at the left margin to a line ending with ";"
        stmts, cur = [], None
        for line in body:
            if cur is None and re.match(r'[A-Za-z]', line):
                cur = []
            if cur is not None:
                cur.append(line)
                if line.rstrip().endswith(';'):
                    stmts.append('\n'.join(cur))
                    cur = None
        if cur is not None:
            sys.exit('%s:%d: a statement without ";" at the end of its line' % (path, i + 3))
        if not stmts:
            sys.exit('%s:%d: a marked block without statements' % (path, i + 3))
        n += 1
        open('%s/%d.md' % (work, n), 'w', encoding='utf-8').write('\n'.join(body) + '\n')
        open('%s/%d.sql' % (work, n), 'w', encoding='utf-8').write('\n'.join(stmts) + '\n')
        print(n, path, i + 3, j, m.group(1), m.group(2).strip().replace(' ', ','))
        i = j + 1
PY

# ---------------------------------------------------------------- the databases

run() {
	local db=$1
	shift
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"
}

setup_regress() {
	$REGRESS_PHCTL reset >/dev/null
	PLANHAT_URL=$REGRESS_URL PLANHAT_TOKEN=$REGRESS_TOKEN PLANHAT_TENANT=$REGRESS_TENANT \
		ph_import_db "$db_regress"
}

# the demo's own set-up, against an emulator with the demo data set
setup_demo() {
	ph_start_emulator --dataset demo >"$work/demo-emulator.log" 2>&1 || {
		cat "$work/demo-emulator.log" >&2
		return 1
	}
	psql -X -q -d postgres -c "CREATE DATABASE $db_demo"
	run "$db_demo" -f test/demo/setup.sql >/dev/null
}

datasets=$(awk '{ print $5 }' "$work/blocks" | sort -u)
for d in $datasets; do
	case "$d" in
	regress) setup_regress ;;
	demo) setup_demo ;;
	*)
		echo "unknown data set \"$d\" in a docs.test.sh marker (regress or demo)" >&2
		exit 1
		;;
	esac
done

# ---------------------------------------------------------------- run and compare

# trailing white space and trailing blank lines do not count
normalize() {
	sed -e 's/[[:space:]]*$//' "$1" | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}'
}

failures=0
nblocks=0
while read -r n file first last dataset options; do
	nblocks=$((nblocks + 1))
	flags=()
	compare=1
	drop_output=0
	IFS=, read -r -a opts <<<"$options"
	for o in ${opts[@]+"${opts[@]}"}; do
		case "$o" in
		tuples-only) flags+=(-t) ;;
		no-output) compare=0 ;;
		without-output-lines) drop_output=1 ;;
		from=*)
			if ! python3 - "$work/$n.sql" "${o#from=}" >"$work/$n.missing" <<-'PY'; then
				import sys
				text = open(sys.argv[2], encoding='utf-8').read()
				stmts = [s.strip() + ';' for s in open(sys.argv[1], encoding='utf-8').read().split(';\n')
				         if s.strip()]
				missing = [s for s in stmts if s not in text]
				print('\n'.join(missing))
				sys.exit(1 if missing else 0)
			PY
				echo "$file:$first: statements that are not in ${o#from=}:" >&2
				cat "$work/$n.missing" >&2
				failures=$((failures + 1))
			fi
			;;
		*)
			echo "$file:$first: unknown docs.test.sh option \"$o\"" >&2
			exit 1
			;;
		esac
	done
	case "$dataset" in
	regress) db=$db_regress ;;
	demo) db=$db_demo ;;
	esac
	# one transaction, rolled back; psql echoes the statements (not its own commands)
	{
		printf '\\set ECHO none\nBEGIN;\n\\set ECHO queries\n'
		cat "$work/$n.sql"
		printf '\\set ECHO none\nROLLBACK;\n'
	} >"$work/$n.run"
	if ! PGOPTIONS="-c search_path=planhat,public" \
		psql -X -q -v ON_ERROR_STOP=1 -P pager=off ${flags[@]+"${flags[@]}"} \
		-d "$db" -f "$work/$n.run" >"$work/$n.out" 2>&1; then
		echo "$file:$first: a statement failed:" >&2
		cat "$work/$n.out" >&2
		failures=$((failures + 1))
		continue
	fi
	[ "$compare" = 1 ] || continue
	if [ "$drop_output" = 1 ]; then
		sed -i '/^ *Output: /d' "$work/$n.out"
	fi
	normalize "$work/$n.out" >"$work/$n.got"
	normalize "$work/$n.md" >"$work/$n.want"
	if [ "$regenerate" = 1 ]; then
		echo "$file $first $last $work/$n.got" >>"$work/regenerate"
		continue
	fi
	if ! diff -u "$work/$n.want" "$work/$n.got" >"$work/$n.diff"; then
		echo "$file:$first: the block differs from what psql prints (- doc, + psql);" \
			"bash test/docs.test.sh --regenerate rewrites it:" >&2
		cat "$work/$n.diff" >&2
		failures=$((failures + 1))
	fi
done <"$work/blocks"

# the blocks of a file from its last to its first, so that line numbers hold
if [ "$regenerate" = 1 ] && [ -f "$work/regenerate" ]; then
	sort -k1,1 -k2,2nr "$work/regenerate" | while read -r file first last got; do
		python3 - "$file" "$first" "$last" "$got" <<-'PY'
			import sys
			path, first, last, got = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
			lines = open(path, encoding='utf-8').read().split('\n')
			lines[first - 1:last] = open(got, encoding='utf-8').read().rstrip('\n').split('\n')
			open(path, 'w', encoding='utf-8').write('\n'.join(lines))
		PY
		echo "regenerated $file:$first"
	done
fi

if [ "$failures" -gt 0 ]; then
	echo "docs: $failures of $nblocks checked blocks fail" >&2
	exit 1
fi
echo "docs: $nblocks blocks of README.md and docs/*.md run and match ($(paste -sd, <<<"$datasets"))"
