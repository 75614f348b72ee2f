#!/usr/bin/env bash
# test/pg_cron.test.sh: the refresh recipe of docs/warehouse.md, scheduled
# with pg_cron.
#
# A second cluster, started with test/lib.sh's functions and the library of
# this checkout, has shared_preload_libraries = 'pg_cron' and
# cron.database_name set to the test database (jobs run in background
# workers: no connection settings to get right).  The recipe
# (sql/include/warehouse.sql, which sql/warehouse.sql runs by hand) is
# scheduled as docs/warehouse.md shows, and cron.job_run_details shows:
#   1. a scheduled refresh that succeeds: the copy equals Planhat;
#   2. after a change in Planhat, a scheduled refresh that fails (the
#      emulator answers 500): the run is "failed" with planhat_fdw's error
#      and no token, and the copy keeps the data of the run before.
# pg_cron 1.5 and later take schedules in seconds; 1.4 (Debian 12's) runs
# jobs at the start of a minute, so there the test takes up to two minutes.
# Exit 0 = pass (check.sh counts it), 77 = skipped (pg_cron not installed).
set -euo pipefail

if [ -z "${PGHOST:-}" ] || [ -z "${PLANHAT_URL:-}" ] || [ -z "${PHCTL:-}" ]; then
	echo "pg_cron.test.sh: run it from test/check.sh, or source \$PH_TMP/env.sh of a kept run" >&2
	exit 77
fi

DB=planhat_cron_test
failures=0

say() { printf 'pg_cron.test: %s\n' "$*"; }
fail() {
	printf 'pg_cron.test: FAIL: %s\n' "$*" >&2
	failures=$((failures + 1))
}

# ---------------------------------------------------------------- the cluster

# lib.sh's functions, with a temp dir and clean-up of their own; the calling
# run's private installation tree when it has one (as limiter.test.sh)
OUTER_DESTDIR=${PH_DESTDIR:-}
PH_TAG=pg_cron
# shellcheck source=test/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ph_init
ph_adopt_tree "$OUTER_DESTDIR"

# the library directory of the server that runs (the private tree links the
# system's files)
pkglibdir=${PH_DESTDIR:-}$("$PH_PG_CONFIG" --pkglibdir)
if [ ! -f "$pkglibdir/pg_cron.so" ]; then
	echo "pg_cron.test.sh: skipped: pg_cron is not installed for PostgreSQL $PH_PG (no $pkglibdir/pg_cron.so; Debian: postgresql-$PH_PG-cron, which test/check.sh installs where the release packages it)"
	exit 77
fi

WORK=$(mktemp -d /tmp/planhat_cron.XXXXXX)
cleanup() {
	$PHCTL faults-clear >/dev/null 2>&1 || true
	$PHCTL reset >/dev/null 2>&1 || true
	rm -rf -- "$WORK"
	ph_cleanup
}
trap 'rc=$?; cleanup; exit $rc' EXIT

if ! ph_start_cluster >"$WORK/cluster.log" 2>&1; then
	cat "$WORK/cluster.log" >&2
	echo "pg_cron.test.sh: could not start the cluster" >&2
	exit 1
fi
psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB"
# in postgresql.conf: ALTER SYSTEM refuses cron.* before pg_cron is loaded
printf '%s\n' "shared_preload_libraries = 'pg_cron'" "cron.database_name = '$DB'" \
	"cron.use_background_workers = on" "max_worker_processes = 20" |
	ph_as_pg tee -a "$PH_PGDATA/postgresql.conf" >/dev/null
if ! ph_as_pg "${PH_SERVER_BIN:-$PH_PGBIN}/pg_ctl" -D "$PH_PGDATA" -l "$PH_SERVER_LOG" -w -t 60 restart \
	>>"$WORK/cluster.log" 2>&1; then
	ph_show_log "$PH_SERVER_LOG"
	echo "pg_cron.test.sh: the cluster did not restart with shared_preload_libraries = 'pg_cron'" >&2
	exit 1
fi

# q [psql args]: psql on the test database
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

$PHCTL reset >/dev/null
q <<-'EOF'
	\getenv url PLANHAT_URL
	\getenv token PLANHAT_TOKEN
	CREATE EXTENSION pg_cron;
	CREATE EXTENSION planhat_fdw;
	CREATE SERVER planhat FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url :'url');
	CREATE USER MAPPING FOR CURRENT_USER SERVER planhat OPTIONS (api_token :'token');
	CREATE SCHEMA planhat;
	IMPORT FOREIGN SCHEMA planhat LIMIT TO (companies) FROM SERVER planhat INTO planhat;
EOF
q -f "$(dirname "${BASH_SOURCE[0]}")/../sql/include/warehouse.sql" >/dev/null
version=$(q -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'")

# pg_cron 1.5 and later: every 2 seconds; before: every minute
if [ "$(q -c "SELECT (regexp_match('$version', '^([0-9]+)\.([0-9]+)'))::int[] >= '{1,5}'")" = t ]; then
	schedule='2 seconds'
	patience=60
else
	schedule='* * * * *'
	patience=150
fi
say "pg_cron $version on PostgreSQL $PH_PG, schedule '$schedule'"

# wait_run STATUS: wait for a run of the job that ended with STATUS and began
# after the last one seen; print its return_message
last_run=0
wait_run() {
	local want=$1 i row
	for ((i = 0; i < patience * 2; i++)); do
		row=$(q -F '|' -c "SELECT runid, status, return_message FROM cron.job_run_details
		                   WHERE runid > $last_run AND status IN ('succeeded', 'failed')
		                   ORDER BY runid LIMIT 1")
		if [ -n "$row" ]; then
			last_run=${row%%|*}
			row=${row#*|}
			if [ "${row%%|*}" != "$want" ]; then
				fail "expected a run that $want, got: $row"
			fi
			printf '%s\n' "${row#*|}"
			return 0
		fi
		sleep 0.5
	done
	fail "no run ended within $patience s"
	return 1
}

# ---------------------------------------------------------------- 1. success
q -c "SELECT cron.schedule('planhat companies', '$schedule', 'CALL wh.refresh_companies()')" >/dev/null
say "1. a scheduled refresh: a full load"
msg=$(wait_run succeeded) || true
rows=$(q -c "SELECT count(*) FROM wh.companies")
diffs=$(q -c "SELECT wh.differences()")
say "   run: ${msg:-?}; copy: $rows rows, $diffs differences from Planhat"
[ "$rows" -gt 0 ] && [ "$diffs" = 0 ] || fail "1: the copy does not equal Planhat ($rows rows, $diffs differences)"

# ---------------------------------------------------------------- 2. failure
say "2. a change in Planhat, then a scheduled refresh that fails"
# no run in between: the job is off while Planhat changes
q -c "SELECT cron.alter_job(jobid, active => false) FROM cron.job" >/dev/null
before=$(q -c "SELECT id || ' ' || coalesce(phase, '') FROM wh.companies ORDER BY id LIMIT 1")
q -c "UPDATE planhat.companies SET phase = 'Changed by pg_cron.test' WHERE id = '${before%% *}'"
q -c "ALTER SERVER planhat OPTIONS (ADD max_retries '0')"
$PHCTL fault '{"path": "/companies", "action": "status", "status": 500, "times": -1}' >/dev/null
q -c "SELECT max(runid) FROM cron.job_run_details" >"$WORK/last"
last_run=$(cat "$WORK/last")
q -c "SELECT cron.alter_job(jobid, active => true) FROM cron.job" >/dev/null
msg=$(wait_run failed) || true
q -c "SELECT cron.unschedule('planhat companies')" >/dev/null
$PHCTL faults-clear >/dev/null
after=$(q -c "SELECT id || ' ' || coalesce(phase, '') FROM wh.companies ORDER BY id LIMIT 1")
diffs=$(q -c "SELECT wh.differences()")
say "   run: $(printf '%s\n' "$msg" | head -n 1)"
say "   copy: '$after' (before: '$before'), $diffs difference(s) from Planhat"
case "$msg" in
*"Planhat request failed with HTTP status 500"*) ;;
*) fail "2: the failed run does not show planhat_fdw's error" ;;
esac
case "$msg" in
*"$PLANHAT_TOKEN"*) fail "2: the failed run's message shows the token" ;;
esac
[ "$after" = "$before" ] || fail "2: the failed refresh changed the copy"
[ "$diffs" = 2 ] || fail "2: expected the changed company as 2 differences (old and new row), got $diffs"

if [ "$failures" -gt 0 ]; then
	echo "pg_cron.test: $failures failure(s)" >&2
	exit 1
fi
echo "pg_cron.test: a scheduled refresh loads the copy; a failing one is recorded as failed with planhat_fdw's error and leaves the copy as it was"
