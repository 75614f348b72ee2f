#!/usr/bin/env bash
# test/demo.sh: planhat_fdw in two minutes (the README's demo command).
#
# Installs what is missing (as root), builds and installs the extension, starts a
# throwaway PostgreSQL and the Planhat emulator with its demo data, creates the
# server, user mapping and foreign tables (test/demo/setup.sql) and runs a few
# reports (test/demo/reports.sql).  With --interactive you land in psql afterwards;
# everything is stopped and removed when you leave it (or press Ctrl-C here).
#
# Usage: bash test/demo.sh [-i|--interactive] [--no-install] [--keep]
set -euo pipefail

PH_TAG=demo
# shellcheck source=test/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PH_REPO"

usage() {
	cat <<-EOF
		Usage: bash test/demo.sh [options]
		  -i, --interactive  after the reports, open psql on the demo database;
		                     everything is cleaned up when psql exits
		  --no-install       do not apt-get install missing packages
		  --keep             leave PostgreSQL and the emulator running; print how to connect
	EOF
}

opt_interactive=0
opt_install=1
for arg in "$@"; do
	case "$arg" in
	-i | --interactive) opt_interactive=1 ;;
	--no-install) opt_install=0 ;;
	--keep) PH_KEEP=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done

# psql on the demo database; -X: no ~/.psqlrc, so the output is the same everywhere
demo_psql() {
	"$PH_PGBIN/psql" -X -v ON_ERROR_STOP=1 -P pager=off "$@"
}

ph_init
if [ "$opt_install" = 1 ]; then
	ph_install_deps required
else
	ph_ensure_locale
fi
ph_build
ph_start_cluster
ph_start_emulator --dataset demo

ph_say "setting up: CREATE EXTENSION, SERVER, USER MAPPING, IMPORT FOREIGN SCHEMA (test/demo/setup.sql)"
if ! demo_psql -q -f test/demo/setup.sql; then
	ph_err "the demo set-up failed (see the psql error above)"
	[ "$opt_interactive" = 1 ] || exit 1
	ph_warn "opening psql anyway, so you can look around"
else
	ph_say "reports (test/demo/reports.sql)"
	if ! demo_psql -f test/demo/reports.sql; then
		ph_err "a demo report failed (see the psql error above)"
		[ "$opt_interactive" = 1 ] || exit 1
	fi
fi

if [ "$PH_KEEP" = 1 ]; then
	ph_keep_notice
fi

if [ "$opt_interactive" = 1 ]; then
	echo
	ph_say "psql on the demo database: foreign tables are in schema planhat (\\dE planhat.*),"
	if [ "$PH_KEEP" = 1 ]; then
		ph_say "the local table is my_accounts.  Leave with \\q (PostgreSQL and the emulator keep running)."
	else
		ph_say "the local table is my_accounts.  Leave with \\q: PostgreSQL and the emulator are then removed."
	fi
	# Ctrl-C belongs to psql (it cancels the running query); a no-op trap
	# keeps this script alive meanwhile (children get the default action).
	trap ':' INT
	PGOPTIONS="-c search_path=public,planhat" "$PH_PGBIN/psql" || true
	trap 'ph_on_signal INT 130' INT
fi
if [ "$PH_KEEP" != 1 ]; then
	ph_cleanup
	ph_say "done: PostgreSQL and the emulator stopped, temp dir removed"
fi
