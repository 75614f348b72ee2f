#!/usr/bin/env bash
# test/pg_dump.test.sh: pg_dump --include-foreign-data of a whole import.
#
# A user backs up a schema imported with the README's command, data of the
# foreign tables included.  In a fresh database, IMPORT FOREIGN SCHEMA
# imports every resource; pg_dump --include-foreign-data=<server> then
#   1. succeeds;
#   2. holds a COPY block with rows for every table whose resource has a
#      list (the regress data set has rows in each);
#   3. holds an empty COPY block for the insert-only tables (metrics,
#      user_activities), whose scans read no row and send nothing;
#   4. sent only list requests (GET /<resource>?...) to the emulator: no
#      lookup by key, no write, nothing to the analytics paths.
# pg_dump comes from the run's private installation tree (PH_DESTDIR), the
# same PostgreSQL as the cluster, also in the chroots of --pg NN.
#
# Run by test/check.sh with the test cluster and the emulator up (PGHOST,
# PLANHAT_URL, PLANHAT_TOKEN, PHCTL exported); exits 77 (skipped) without them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${PGHOST:-}" ] || [ -z "${PLANHAT_URL:-}" ] || [ -z "${PLANHAT_TOKEN:-}" ] ||
	[ -z "${PHCTL:-}" ]; then
	echo "no test cluster or emulator: skipped"
	exit 77
fi

# the cluster's pg_dump: the private installation tree's, else the one beside psql
pg_dump=
if [ -n "${PH_DESTDIR:-}" ]; then
	pg_dump=$(find "$PH_DESTDIR" -path '*/bin/pg_dump' -print -quit)
fi
if [ -z "$pg_dump" ] && command -v psql >/dev/null 2>&1; then
	pg_dump=$(dirname "$(command -v psql)")/pg_dump
fi
if [ -z "$pg_dump" ] || [ ! -x "$pg_dump" ]; then
	echo "no pg_dump in the private installation tree (PH_DESTDIR=${PH_DESTDIR:-}) or beside psql" >&2
	exit 1
fi
# shellcheck source=test/lib.sh
. test/lib.sh

db="pg_dump_test_$$"
tmp=$(mktemp -d)
cleanup() {
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
$PHCTL reset >/dev/null
ph_import_db "$db"

run() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"
}

# the tables, and which of them are insert-only (no list: verbs without L)
run -A -t -c "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'planhat'::regnamespace
              AND c.relkind = 'f' ORDER BY 1" >"$tmp/tables"
insert_only="metrics user_activities"
ntables=$(wc -l <"$tmp/tables")
if [ "$ntables" -lt 20 ]; then
	echo "IMPORT FOREIGN SCHEMA created only $ntables tables" >&2
	exit 1
fi

# 1. the dump
$PHCTL clear >/dev/null
if ! "$pg_dump" --no-password --include-foreign-data=planhat -d "$db" -f "$tmp/dump.sql" \
	2>"$tmp/pg_dump.err"; then
	echo "pg_dump --include-foreign-data=planhat failed:" >&2
	cat "$tmp/pg_dump.err" >&2
	exit 1
fi
$PHCTL log >"$tmp/requests"

# 2. and 3. the COPY blocks: "COPY planhat.<table> (...) FROM stdin;" up to "\."
awk '
	/^COPY planhat\./ { t = $2; sub(/^planhat\./, "", t); n = 0; inside = 1; next }
	inside && /^\\\.$/ { print t, n; inside = 0; next }
	inside { n++ }
' "$tmp/dump.sql" >"$tmp/copies"
failures=0
rows=0
while IFS= read -r t; do
	n=$(awk -v t="$t" '$1 == t { print $2 }' "$tmp/copies")
	if [ -z "$n" ]; then
		echo "no COPY block for planhat.$t in the dump" >&2
		failures=$((failures + 1))
	elif [[ " $insert_only " == *" $t "* ]]; then
		if [ "$n" -ne 0 ]; then
			echo "insert-only table planhat.$t dumped $n rows" >&2
			failures=$((failures + 1))
		fi
	elif [ "$n" -eq 0 ]; then
		echo "planhat.$t dumped no rows (the regress data set has some)" >&2
		failures=$((failures + 1))
	fi
	rows=$((rows + ${n:-0}))
done <"$tmp/tables"

# 4. only list requests, at least one per readable table
if grep -vE '^GET /[a-z]+(\?.*)?$' "$tmp/requests" >"$tmp/other"; then
	echo "pg_dump sent requests other than lists:" >&2
	head -n 20 "$tmp/other" >&2
	failures=$((failures + 1))
fi
for t in $insert_only; do
	path=$(run -A -t -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM planhat.$t" |
		sed -n 's/^ *Planhat Request: //p')
	case "$path" in
	"none (insert-only resource:"*) ;;
	*)
		echo "EXPLAIN of planhat.$t: Planhat Request: $path" >&2
		failures=$((failures + 1))
		;;
	esac
done
nreq=$(wc -l <"$tmp/requests")
if [ "$nreq" -lt $((ntables - 2)) ]; then
	echo "pg_dump sent $nreq requests for $((ntables - 2)) readable tables" >&2
	failures=$((failures + 1))
fi

if [ "$failures" -gt 0 ]; then
	echo "pg_dump of a whole import: $failures failure(s)" >&2
	exit 1
fi
echo "pg_dump --include-foreign-data: $ntables tables, $rows rows, $nreq list requests, insert-only tables empty"
