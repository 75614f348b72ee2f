#!/usr/bin/env bash
# test/release.test.sh: what a release needs, checked on every run.
#
#   1. the version is written once: META.json's version (and that of the
#      extension it provides) is default_version of planhat_fdw.control, and
#      the C code gets it from the Makefile (no version literal in src/);
#   2. sql/planhat_fdw--<default_version>.sql exists, and every older version
#      with an install script reaches default_version through upgrade scripts;
#   3. the control file is the standard one: module_pathname '$libdir/planhat_fdw';
#   4. LICENSE is the PostgreSQL licence, and each C source and header carries
#      a copyright line in its banner.
# sql/upgrade.sql checks that an upgrade ends with the same objects as a fresh
# install.  Exit 0 = pass; run by test/check.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

failures=0
fail() {
	printf 'release.test: FAIL: %s\n' "$*" >&2
	failures=$((failures + 1))
}

version=$(sed -n -E "s/^default_version[[:space:]]*=[[:space:]]*'([^']+)'.*/\\1/p" planhat_fdw.control)
[ -n "$version" ] || { echo "release.test: no default_version in planhat_fdw.control" >&2; exit 1; }

# 1. one version
read -r meta provided < <(python3 -c '
import json, sys
m = json.load(open("META.json"))
print(m["version"], m["provides"]["planhat_fdw"]["version"])') || fail "META.json does not parse"
[ "${meta:-}" = "$version" ] || fail "META.json version ${meta:-?} is not default_version $version"
[ "${provided:-}" = "$version" ] || fail "META.json provides planhat_fdw ${provided:-?}, not $version"
if grep -nE '^[[:space:]]*#[[:space:]]*define[[:space:]]+PLANHAT_FDW_VERSION' src/*.c src/*.h >&2 ||
	grep -nF "\"$version\"" src/*.c src/*.h >&2; then
	fail "the version is written in src/ (the Makefile passes PLANHAT_FDW_VERSION)"
fi

# 2. install and upgrade scripts
[ -f "sql/planhat_fdw--$version.sql" ] || fail "sql/planhat_fdw--$version.sql is missing"
for f in sql/planhat_fdw--*.sql; do
	v=${f#sql/planhat_fdw--}
	v=${v%.sql}
	case "$v" in *--*) continue ;; esac
	[ "$v" = "$version" ] && continue
	# follow upgrade scripts from v until default_version
	seen=" $v "
	while [ "$v" != "$version" ]; do
		next=$(find sql -maxdepth 1 -name "planhat_fdw--$v--*.sql" | sed -E 's/.*--([^-]+)\.sql$/\1/' | head -n 1)
		if [ -z "$next" ] || [[ "$seen" == *" $next "* ]]; then
			fail "no upgrade scripts lead from $v to $version"
			break
		fi
		seen+="$next "
		v=$next
	done
done

# 3. the control file
grep -qxF "module_pathname = '\$libdir/planhat_fdw'" planhat_fdw.control ||
	fail "planhat_fdw.control: module_pathname is not '\$libdir/planhat_fdw'"

# 4. licence and copyright lines
grep -qx 'PostgreSQL License' LICENSE 2>/dev/null || fail "LICENSE is not the PostgreSQL licence"
n=0
while IFS= read -r f; do
	n=$((n + 1))
	# grep reads to the end (no -q): an early exit would kill sed with
	# SIGPIPE and, under pipefail, fail a banner that has the line
	sed -n '1,/^ \*-----/p' "$f" | grep -E '^ \* Copyright \(c\) [0-9]{4}(-[0-9]{4})?, planhat_fdw contributors$' >/dev/null ||
		fail "$f: no copyright line in its banner"
done < <(git ls-files --cached --others --exclude-standard -- '*.c' '*.h' 2>/dev/null || find src test -name '*.[ch]')

if [ "$failures" -gt 0 ]; then
	echo "release.test: $failures failure(s)"
	exit 1
fi
echo "release.test: version $version in planhat_fdw.control and META.json, upgrade scripts complete, $n sources with a copyright line"
