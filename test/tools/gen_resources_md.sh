#!/usr/bin/env bash
# test/tools/gen_resources_md.sh: docs/resources.md from the resource catalog
#
#   bash test/tools/gen_resources_md.sh             rewrite docs/resources.md
#   bash test/tools/gen_resources_md.sh --check     exit 1 with a diff when it is stale
#   bash test/tools/gen_resources_md.sh --stdout    print the page
#   bash test/tools/gen_resources_md.sh --columns   table, column, type of every imported column
#   bash test/tools/gen_resources_md.sh --examples  the page's example statements, one a line
#
# The page is made by test/tools/gen_resources_md.sql from the catalog functions
# planhat_fdw_resources(), planhat_fdw_fields() and planhat_fdw_filters(), so the
# planhat_fdw being documented must be installed in the PostgreSQL that psql reaches
# (the usual PG* variables; database $PGDATABASE, else postgres).  The script runs
# in a transaction that is rolled back: it leaves nothing behind.  After a change
# to src/resource.c: make install, then run this.  The catalog's rules are checked
# by the regression test sql/catalog.sql, not here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

mode=write
case "${1:-}" in
"") ;;
--check) mode=check ;;
--stdout) mode=stdout ;;
--columns) mode=columns ;;
--examples) mode=examples ;;
*)
	sed -n '3,8s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac

part=doc
case $mode in
columns | examples) part=$mode ;;
esac

gen() {
	{
		echo 'BEGIN;'
		cat test/tools/gen_resources_md.sql
		echo 'ROLLBACK;'
	} | psql -X -q -A -t -v ON_ERROR_STOP=1 -v part="$part" -d "${PGDATABASE:-postgres}"
}

case $mode in
stdout | columns | examples) gen ;;
write)
	tmp=$(mktemp)
	trap 'rm -f "$tmp"' EXIT
	gen >"$tmp"
	mv "$tmp" docs/resources.md
	trap - EXIT
	echo "wrote docs/resources.md: $(grep -c '^## ' docs/resources.md) sections"
	;;
check)
	tmp=$(mktemp)
	trap 'rm -f "$tmp"' EXIT
	gen >"$tmp"
	diff -u --label docs/resources.md --label generated docs/resources.md "$tmp"
	;;
esac
