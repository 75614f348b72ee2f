#!/usr/bin/env bash
# test/resources_doc.test.sh: docs/resources.md against the running extension.
#
#   1. docs/resources.md is what test/tools/gen_resources_md.sh makes of the catalog
#      functions (planhat_fdw_resources(), _fields(), _filters()) of the installed build;
#   2. IMPORT FOREIGN SCHEMA creates exactly the tables, columns and types it lists;
#   3. its example statements work: the reads run against the emulator, the
#      writes are planned (EXPLAIN: columns, types and verbs are checked, nothing is sent).
#
# Run by test/check.sh with the test cluster and the emulator up (PGHOST, PLANHAT_URL,
# PLANHAT_TOKEN, PLANHAT_TENANT exported); exits 77 (skipped) without them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

gen="bash test/tools/gen_resources_md.sh"

if [ -z "${PGHOST:-}" ] || [ -z "${PLANHAT_URL:-}" ] || [ -z "${PLANHAT_TOKEN:-}" ]; then
	echo "no test cluster or emulator: skipped"
	exit 77
fi
if ! command -v psql >/dev/null 2>&1; then
	echo "psql is not on PATH (test/check.sh puts the tested PostgreSQL's bin directory first)" >&2
	exit 1
fi

# 1. the page is what the generator makes of the catalog
if ! $gen --check >"${TMPDIR:-/tmp}/resources_doc.$$.diff"; then
	echo "docs/resources.md is stale: run $gen (- page, + generated)" >&2
	cat "${TMPDIR:-/tmp}/resources_doc.$$.diff" >&2
	rm -f "${TMPDIR:-/tmp}/resources_doc.$$.diff"
	exit 1
fi
rm -f "${TMPDIR:-/tmp}/resources_doc.$$.diff"

# shellcheck source=test/lib.sh
. test/lib.sh
db="resources_doc_$$"
tmp=$(mktemp -d)
cleanup() {
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
ph_import_db "$db"

run() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"
}

# 2. the columns, in order
$gen --columns >"$tmp/doc.tsv"
run -A -t -F $'\t' >"$tmp/db.tsv" <<'SQL'
SELECT c.relname, a.attname,
       replace(format_type(a.atttypid, a.atttypmod), 'timestamp with time zone', 'timestamptz')
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
WHERE c.relnamespace = 'planhat'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum;
SQL
if ! diff -u "$tmp/doc.tsv" "$tmp/db.tsv" >"$tmp/columns.diff"; then
	echo "docs/resources.md and IMPORT FOREIGN SCHEMA disagree (- doc, + database):" >&2
	cat "$tmp/columns.diff" >&2
	exit 1
fi

# 3. the example statements
$gen --examples >"$tmp/examples.sql"
n=0
while IFS= read -r stmt; do
	case "$stmt" in
	SELECT*) sql="$stmt" ;;
	*) sql="EXPLAIN (COSTS OFF) $stmt" ;;
	esac
	if ! out=$(run -c "$sql" 2>&1 >/dev/null); then
		echo "example statement failed: $stmt" >&2
		echo "$out" >&2
		exit 1
	fi
	n=$((n + 1))
done <"$tmp/examples.sql"

echo "docs/resources.md: $(wc -l <"$tmp/doc.tsv") columns match IMPORT FOREIGN SCHEMA, $n example statements work"
