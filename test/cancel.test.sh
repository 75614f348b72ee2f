#!/usr/bin/env bash
# test/cancel.test.sh: cancel and terminate from outside, as users do it.
#
# sql/cancel.sql covers statement_timeout.  This script covers what only
# another process can do, against the cluster and emulator of test/check.sh
# (or of a kept run: source $PH_TMP/env.sh first):
#   1. pg_cancel_backend() from another session while a request hangs;
#   2. Ctrl-C: SIGINT to psql, which sends a cancel request, during a
#      Retry-After wait;
#   3. pg_terminate_backend() during a retry wait: the backend exits cleanly
#      (no crash, no restart of the cluster).
# In 1 and 2 the statement must end with PostgreSQL's own cancel error
# within a second of the cancel, and the next statement of the same session
# must work.  Exit 0 = pass (check.sh counts it), 77 = skipped.
set -euo pipefail

if [ -z "${PGHOST:-}" ] || [ -z "${PLANHAT_URL:-}" ] || [ -z "${PHCTL:-}" ]; then
	echo "cancel.test.sh: run it from test/check.sh, or source \$PH_TMP/env.sh of a kept run" >&2
	exit 77
fi

DB=planhat_cancel_test
WORK=$(mktemp -d /tmp/planhat_cancel.XXXXXX)
chmod 777 "$WORK"   # the psql sessions write their notes here
LIMIT_S=1.0         # a cancel must take effect within this many seconds
failures=0

cleanup() {
	$PHCTL faults-clear >/dev/null 2>&1 || true
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf -- "$WORK"
}
trap cleanup EXIT

say() { printf 'cancel.test: %s\n' "$*"; }
fail() {
	printf 'cancel.test: FAIL: %s\n' "$*" >&2
	failures=$((failures + 1))
}
now() { date +%s.%N; }

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" <<-'EOF'
	\getenv url PLANHAT_URL
	\getenv token PLANHAT_TOKEN
	CREATE EXTENSION planhat_fdw;
	CREATE SERVER planhat FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url :'url', max_retries '3');
	CREATE USER MAPPING FOR CURRENT_USER SERVER planhat OPTIONS (api_token :'token');
	CREATE FOREIGN TABLE companies (id text, name text) SERVER planhat OPTIONS (resource 'companies');
EOF
$PHCTL faults-clear
$PHCTL clear

# slow_session NAME FAULT OUT: arm FAULT (the only one), run the session
# script below in the background (output in OUT), wait until its slow
# request reached the emulator, then another 0.3 s.  The session writes its
# backend pid to $WORK/pid and, once the slow statement ended, the epoch of
# that moment to $WORK/end.  Fails when the request never arrived.
slow_session() {
	local name=$1 fault=$2 out=$3 i
	$PHCTL faults-clear
	$PHCTL clear
	$PHCTL fault "$fault"
	rm -f "$WORK/pid" "$WORK/end"
	psql -X -d "$DB" -v work="$WORK" -f "$WORK/session.sql" >"$out" 2>&1 &
	SESSION_PID=$!
	for ((i = 0; i < 100; i++)); do
		if [ -s "$WORK/pid" ] && [ "$($PHCTL count)" -ge 1 ]; then
			sleep 0.3
			return 0
		fi
		sleep 0.1
	done
	fail "$name: the request never reached the emulator"
	return 1
}

# seconds since $1 (an epoch with fractions), printed with 3 decimals
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

# check_session NAME OUT SENT EXPECTED_ERROR: the session's verdict
check_session() {
	local name=$1 out=$2 sent=$3 error=$4 end took
	if ! wait "$SESSION_PID"; then
		fail "$name: psql exited with an error"
	fi
	if ! grep -qF "ERROR:  $error" "$out"; then
		fail "$name: no \"$error\" error"
		sed 's/^/    /' "$out" >&2
		return
	fi
	end=$(cat "$WORK/end" 2>/dev/null || echo 0)
	took=$(awk -v a="$sent" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
	if awk -v t="$took" -v l="$LIMIT_S" 'BEGIN { exit !(t >= 0 && t < l) }'; then
		say "$name: the statement ended ${took} s after the cancel"
	else
		fail "$name: the statement ended ${took} s after the cancel (limit ${LIMIT_S} s)"
	fi
	if grep -qx 'next: 2' "$out"; then
		say "$name: the next statement of the session worked"
	else
		fail "$name: the next statement of the session did not work"
		sed 's/^/    /' "$out" >&2
	fi
}

# the slow statement, then when it ended, then the next statement
cat >"$WORK/session.sql" <<-'EOF'
	SELECT pg_backend_pid() AS pid \gset
	\o :work/pid
	\qecho :pid
	\o
	SELECT count(*) FROM companies;
	\o :work/end
	SELECT extract(epoch FROM clock_timestamp()) AS ended \gset
	\qecho :ended
	\o
	SELECT count(*) AS n FROM (SELECT id FROM companies LIMIT 2) s \gset
	\echo next: :n
EOF

# ---------------------------------------------------------------- 1. pg_cancel_backend
name="pg_cancel_backend during a request"
if slow_session "$name" '{"path": "/companies", "action": "delay_headers", "ms": 30000}' "$WORK/out1"; then
	sent=$(now)
	psql -X -q -At -d postgres -c "SELECT pg_cancel_backend($(cat "$WORK/pid"))" >/dev/null
	check_session "$name" "$WORK/out1" "$sent" "canceling statement due to user request"
fi

# ---------------------------------------------------------------- 2. Ctrl-C in psql
# psql sends a cancel request through the postmaster (the backend gets the
# same SIGINT as from pg_cancel_backend); a psql that runs a script then
# stops, so this case times psql itself.
name="Ctrl-C (SIGINT to psql) during a Retry-After wait"
if slow_session "$name" '{"path": "/companies", "action": "rate_limit", "retry_after": 30}' "$WORK/out2"; then
	sent=$(now)
	kill -INT "$SESSION_PID"
	wait "$SESSION_PID" || true
	took=$(since "$sent")
	if ! grep -qF "ERROR:  canceling statement due to user request" "$WORK/out2"; then
		fail "$name: no \"canceling statement due to user request\" error"
		sed 's/^/    /' "$WORK/out2" >&2
	elif awk -v t="$took" -v l="$LIMIT_S" 'BEGIN { exit !(t < l) }'; then
		say "$name: canceled, psql done ${took} s later"
	else
		fail "$name: psql was done only ${took} s after the cancel (limit ${LIMIT_S} s)"
	fi
fi

# ---------------------------------------------------------------- 3. pg_terminate_backend
name="pg_terminate_backend during a Retry-After wait"
started=$(psql -X -q -At -d postgres -c "SELECT pg_postmaster_start_time()")
if slow_session "$name" '{"path": "/companies", "action": "rate_limit", "retry_after": 30}' "$WORK/out3"; then
	sent=$(now)
	psql -X -q -At -d postgres -c "SELECT pg_terminate_backend($(cat "$WORK/pid"))" >/dev/null
	wait "$SESSION_PID" || true
	took=$(since "$sent")
	if grep -qF "FATAL:  terminating connection due to administrator command" "$WORK/out3"; then
		say "$name: the session ended after ${took} s"
	else
		fail "$name: the session did not end as expected"
		sed 's/^/    /' "$WORK/out3" >&2
	fi
	if [ "$(psql -X -q -At -d postgres -c "SELECT pg_postmaster_start_time()")" = "$started" ]; then
		say "$name: the cluster did not restart"
	else
		fail "$name: the cluster restarted (a backend crashed)"
	fi
fi
$PHCTL faults-clear

if [ "$failures" -gt 0 ]; then
	echo "cancel.test: $failures failure(s)"
	exit 1
fi
echo "cancel.test: pg_cancel_backend, Ctrl-C and pg_terminate_backend all work"
