#!/usr/bin/env bash
# test/limiter.test.sh: the client-side rate limiter across sessions.
#
# Planhat limits a tenant, not a session.  With planhat_fdw in
# shared_preload_libraries the limiter state of a (database, server, user
# mapping) is shared by every session; without it each backend paces itself.
# Sessions are released together (each waits for a file), read resources
# page by page, and the emulator's arrival times (phctl log --time) show the
# spacing:
#   1. preload, max_requests_per_second 5, 4 sessions: together their
#      requests keep 200 ms apart, and they wait (wait_ms, EXPLAIN ANALYZE);
#   2. no preload (check.sh's own cluster), the same: each session keeps its
#      own 200 ms, together they go faster;
#   3. max_requests_per_minute 60 (a burst of 15, then one every 1.33 s), 4
#      sessions: with preload the bucket is the tenant's, without each
#      session has its own;
#   4. a 429 with Retry-After 4 (6) met by one session: with preload the
#      other session waits it out too; without, it does not;
#   5. preload, more tenants than the shared table holds: a WARNING, and the
#      sessions pace themselves.
# A second cluster, started with test/lib.sh's functions and the library of
# this checkout, has shared_preload_libraries = 'planhat_fdw'.  Timing checks
# are lower bounds with generous margins, except where a session must NOT
# wait (2, 4), whose margins are a second or more.
# Exit 0 = pass (check.sh counts it), 77 = skipped.
set -euo pipefail

if [ -z "${PGHOST:-}" ] || [ -z "${PLANHAT_URL:-}" ] || [ -z "${PHCTL:-}" ]; then
	echo "limiter.test.sh: run it from test/check.sh, or source \$PH_TMP/env.sh of a kept run" >&2
	exit 77
fi

DB=planhat_limiter_test
OUTER_HOST=$PGHOST
OUTER_PORT=$PGPORT
WORK=$(mktemp -d /tmp/planhat_limiter.XXXXXX)
chmod 777 "$WORK"   # the psql sessions' shell commands touch files here
failures=0

say() { printf 'limiter.test: %s\n' "$*"; }
fail() {
	printf 'limiter.test: FAIL: %s\n' "$*" >&2
	failures=$((failures + 1))
}
now() { date +%s.%N; }

# ---------------------------------------------------------------- the preload cluster

# lib.sh's functions, with a temp dir and clean-up of their own.  When the
# calling run installed this checkout's library into a private installation
# tree (PH_DESTDIR), its PostgreSQL runs this cluster too; otherwise
# ph_start_cluster copies the library of this checkout itself.
OUTER_DESTDIR=${PH_DESTDIR:-}
PH_TAG=limiter
# shellcheck source=test/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ph_init
ph_adopt_tree "$OUTER_DESTDIR"
cleanup() {
	$PHCTL faults-clear >/dev/null 2>&1 || true
	psql -X -q -h "$OUTER_HOST" -p "$OUTER_PORT" -d postgres \
		-c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf -- "$WORK"
	ph_cleanup
}
trap 'rc=$?; cleanup; exit $rc' EXIT

if ! ph_start_cluster >"$WORK/cluster.log" 2>&1; then
	cat "$WORK/cluster.log" >&2
	echo "limiter.test.sh: could not start the preload cluster" >&2
	exit 1
fi
PRE_HOST=$PGHOST
PRE_PORT=$PGPORT
psql -X -q -d postgres -c "ALTER SYSTEM SET shared_preload_libraries = 'planhat_fdw'"
if ! ph_as_pg "${PH_SERVER_BIN:-$PH_PGBIN}/pg_ctl" -D "$PH_PGDATA" -l "$PH_SERVER_LOG" -w -t 60 restart \
	>>"$WORK/cluster.log" 2>&1; then
	ph_show_log "$PH_SERVER_LOG"
	echo "limiter.test.sh: the cluster did not restart with shared_preload_libraries" >&2
	exit 1
fi
if [ "$(psql -X -At -d postgres -c 'SHOW shared_preload_libraries')" != planhat_fdw ]; then
	echo "limiter.test.sh: shared_preload_libraries is not set" >&2
	exit 1
fi

# ---------------------------------------------------------------- helpers

# q HOST PORT [psql args]: psql on the test database
q() {
	local host=$1 port=$2
	shift 2
	psql -X -q -At -v ON_ERROR_STOP=1 -h "$host" -p "$port" -d "$DB" "$@"
}

# setup HOST PORT: the test database, its servers and tables
setup() {
	local host=$1 port=$2
	psql -X -q -h "$host" -p "$port" -d postgres -v ON_ERROR_STOP=1 \
		-c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
	q "$host" "$port" <<-'EOF'
		\getenv url PLANHAT_URL
		\getenv token PLANHAT_TOKEN
		CREATE EXTENSION planhat_fdw;
		-- the expected row counts, read without limits
		CREATE SERVER fast FOREIGN DATA WRAPPER planhat_fdw
		  OPTIONS (url :'url', max_requests_per_second '1000', max_requests_per_minute '0');
		CREATE USER MAPPING FOR CURRENT_USER SERVER fast OPTIONS (api_token :'token');
		-- 1, 2: five requests a second, small pages
		CREATE SERVER paced FOREIGN DATA WRAPPER planhat_fdw
		  OPTIONS (url :'url', max_requests_per_second '5', max_requests_per_minute '0');
		CREATE USER MAPPING FOR CURRENT_USER SERVER paced OPTIONS (api_token :'token');
		-- 1: EXPLAIN ANALYZE, one request every 4 s
		CREATE SERVER slow FOREIGN DATA WRAPPER planhat_fdw
		  OPTIONS (url :'url', max_requests_per_second '0.25', max_requests_per_minute '0');
		CREATE USER MAPPING FOR CURRENT_USER SERVER slow OPTIONS (api_token :'token');
		CREATE FOREIGN TABLE s_companies (id text) SERVER slow OPTIONS (resource 'companies');
		-- 3: sixty a minute (the per-second spacing is 10 ms)
		CREATE SERVER quota FOREIGN DATA WRAPPER planhat_fdw
		  OPTIONS (url :'url', max_requests_per_second '100', max_requests_per_minute '60');
		CREATE USER MAPPING FOR CURRENT_USER SERVER quota OPTIONS (api_token :'token');
		-- 4: a 429 pause
		CREATE SERVER held FOREIGN DATA WRAPPER planhat_fdw
		  OPTIONS (url :'url', max_requests_per_second '100', max_requests_per_minute '0');
		CREATE USER MAPPING FOR CURRENT_USER SERVER held OPTIONS (api_token :'token');
		-- one table per resource and server: the path tells the sessions apart
		DO $$
		DECLARE
		  r record;
		BEGIN
		  -- page sizes: about 6 pages for p_, 5 for q_ (25, 60, 30, 30 rows)
		  FOR r IN SELECT * FROM (VALUES ('companies', 5, 6), ('endusers', 10, 13),
		                                 ('licenses', 5, 7), ('tasks', 5, 7)) v(res, n, m) LOOP
		    EXECUTE format('CREATE FOREIGN TABLE %I (id text) SERVER fast OPTIONS (resource %L)',
		                   'f_' || r.res, r.res);
		    EXECUTE format('CREATE FOREIGN TABLE %I (id text) SERVER paced OPTIONS (resource %L, fetch_size %L)',
		                   'p_' || r.res, r.res, r.n);
		    EXECUTE format('CREATE FOREIGN TABLE %I (id text) SERVER quota OPTIONS (resource %L, fetch_size %L)',
		                   'q_' || r.res, r.res, r.m);
		    EXECUTE format('CREATE FOREIGN TABLE %I (id text) SERVER held OPTIONS (resource %L, fetch_size %L)',
		                   'h_' || r.res, r.res, 100);
		  END LOOP;
		END $$;
	EOF
}

# sessions HOST PORT TABLE...: one psql session per table, released together
# once all are connected; each writes rows= and wait_ms= into $WORK/out.N.
# The emulator's log is cleared right before the release and copied to
# $WORK/log (phctl log --time) after the last session's end; START and END
# are the epochs of the release and of that end.
sessions() {
	local host=$1 port=$2 i=0 n t pids=() rc=0
	shift 2
	rm -f "$WORK"/ready.* "$WORK"/go "$WORK"/out.* "$WORK"/began.* "$WORK"/ended.*
	for t in "$@"; do
		i=$((i + 1))
		q "$host" "$port" >"$WORK/out.$i" 2>&1 <<-EOF &
			\\! touch "$WORK/ready.$i"; while [ ! -e "$WORK/go" ]; do sleep 0.005; done; date +%s.%N >"$WORK/began.$i"
			SELECT 'rows=' || count(*) FROM $t;
			\\! date +%s.%N >"$WORK/ended.$i"
			SELECT 'wait_ms=' || round(wait_ms) FROM planhat_fdw_stats();
		EOF
		pids+=($!)
	done
	n=$i
	for ((i = 0; i < 600; i++)); do
		[ "$(find "$WORK" -maxdepth 1 -name 'ready.*' | wc -l)" -ge "$n" ] && break
		sleep 0.05
	done
	$PHCTL clear
	START=$(now)
	touch "$WORK/go"
	for t in "${pids[@]}"; do
		wait "$t" || rc=1
	done
	END=$(now)
	$PHCTL log --time >"$WORK/log"
	if [ "$rc" != 0 ]; then
		fail "a session failed:"
		cat "$WORK"/out.* >&2
	fi
}

# expect_rows HOST PORT LABEL RESOURCE...: session N read as many rows of the
# Nth resource as a read without limits (f_<resource>)
expect_rows() {
	local host=$1 port=$2 label=$3 i=0 r want got
	shift 3
	for r in "$@"; do
		i=$((i + 1))
		want=$(q "$host" "$port" -c "SELECT count(*) FROM f_$r")
		got=$(sed -n 's/^rows=//p' "$WORK/out.$i")
		[ "$got" = "$want" ] || fail "$label: session $i read ${got:-no} rows of $r, expected $want"
	done
}

# total_wait: the sessions' wait_ms added up
total_wait() {
	cat "$WORK"/out.* | sed -n 's/^wait_ms=//p' | awk '{ s += $1 } END { print s + 0 }'
}

# spacing MODE INTERVAL: check the arrival times in $WORK/log and print the
# figures.  shared: all sessions together keep INTERVAL apart; local: each
# session (one resource each) keeps it, all together do not.
spacing() {
	python3 - "$1" "$2" "$WORK/log" "$START" "$END" "$WORK" <<-'EOF'
		import glob, statistics, sys
		mode, interval, path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
		start, end = float(sys.argv[4]), float(sys.argv[5])
		began = [float(open(f).read()) for f in glob.glob(sys.argv[6] + "/began.*")]
		ended = [float(open(f).read()) for f in glob.glob(sys.argv[6] + "/ended.*")]
		reqs = []
		for line in open(path):
		    t, _, rest = line.partition(" ")
		    reqs.append((float(t), rest.split(" ", 1)[1].split("?", 1)[0].strip("/")))
		reqs.sort()

		def gaps(ts):
		    return [b - a for a, b in zip(ts, ts[1:])]

		def fig(name, ts):
		    g = gaps(ts)
		    return "%s: %d requests in %.3f s, gaps median %.3f s, min %.3f s" % (
		        name, len(ts), ts[-1] - ts[0], statistics.median(g), min(g))

		times = [t for t, _ in reqs]
		by = {}
		for t, r in reqs:
		    by.setdefault(r, []).append(t)
		if len(by) < 4 or min(len(v) for v in by.values()) < 3:
		    print("FAIL: too few requests: %s" % {k: len(v) for k, v in by.items()})
		    sys.exit(1)
		print("   " + fig("all", times) + "; wall %.3f s" % (end - start))
		for r in sorted(by):
		    print("     " + fig(r, by[r]))
		n = len(times)
		bad = []
		# the sessions ran at the same time: each began its scan before any
		# ended it (as seen by the sessions: with a shared limit, one may get
		# no turn for a while)
		if len(began) < 4 or len(ended) < 4 or max(began) >= min(ended):
		    bad.append("the sessions did not run at the same time")
		if mode == "shared":
		    need = (n - 1) * interval
		    if end - start < need:
		        bad.append("wall time %.3f s < the %.3f s that %d requests need" % (end - start, need, n))
		    if times[-1] - times[0] < need - 0.3:
		        bad.append("span %.3f s < %.3f s - 0.3 s" % (times[-1] - times[0], need))
		    if statistics.median(gaps(times)) < 0.75 * interval:
		        bad.append("median gap below 3/4 of %.3f s" % interval)
		else:
		    for r, ts in by.items():
		        if ts[-1] - ts[0] < (len(ts) - 1) * interval - 0.3:
		            bad.append("%s: span %.3f s below its own limit" % (r, ts[-1] - ts[0]))
		        if statistics.median(gaps(ts)) < 0.75 * interval:
		            bad.append("%s: median gap below 3/4 of %.3f s" % (r, interval))
		    if statistics.median(gaps(times)) >= 0.5 * interval:
		        bad.append("together the sessions kept %.3f s apart: they shared a limit" % interval)
		for b in bad:
		    print("FAIL: " + b)
		sys.exit(1 if bad else 0)
	EOF
}

# hold HOST PORT SECONDS: session A meets a 429 asking for SECONDS; session
# B starts a request once the 429 is in the log.  Writes the arrivals of A's
# retry and of B's request, in seconds after the 429, to $WORK/hold, and B's
# output (rows=, wait_ms=) to $WORK/out.b.
hold() {
	local host=$1 port=$2 seconds=$3 i pa pb
	$PHCTL faults-clear
	$PHCTL clear
	$PHCTL fault "{\"path\": \"/licenses\", \"action\": \"rate_limit\", \"retry_after\": $seconds, \"times\": 1}" >/dev/null
	rm -f "$WORK/go" "$WORK/out.a" "$WORK/out.b" "$WORK/hold"
	q "$host" "$port" -c "SELECT 'rows=' || count(*) FROM h_licenses" >"$WORK/out.a" 2>&1 &
	pa=$!
	q "$host" "$port" >"$WORK/out.b" 2>&1 <<-EOF &
		\\! while [ ! -e "$WORK/go" ]; do sleep 0.005; done
		SELECT 'rows=' || count(*) FROM h_companies;
		SELECT 'wait_ms=' || round(wait_ms) FROM planhat_fdw_stats();
	EOF
	pb=$!
	for ((i = 0; i < 200; i++)); do
		$PHCTL log --status | grep -q -- '-> 429' && break
		sleep 0.02
	done
	touch "$WORK/go"
	wait "$pa" || fail "4: session A failed: $(cat "$WORK/out.a")"
	wait "$pb" || fail "4: session B failed: $(cat "$WORK/out.b")"
	$PHCTL faults-clear
	$PHCTL log --time --status >"$WORK/log"
	python3 - "$WORK/log" >"$WORK/hold" <<-'EOF' || fail "4: the log lacks the 429, A's retry or B's request"
		import sys
		rows = [line.split() for line in open(sys.argv[1])]
		t429 = [float(r[0]) for r in rows if r[-1] == "429"][0]
		a = [float(r[0]) for r in rows if r[2].startswith("/licenses") and r[-1] == "200"][0]
		b = [float(r[0]) for r in rows if r[2].startswith("/companies")][0]
		print("%.3f %.3f" % (a - t429, b - t429))
	EOF
}

TABLES=(companies endusers licenses tasks)

say "setting up both clusters"
setup "$PRE_HOST" "$PRE_PORT"
setup "$OUTER_HOST" "$OUTER_PORT"
$PHCTL faults-clear

# ---------------------------------------------------------------- 1. shared spacing
say "1. preload, 5 requests/s, 4 sessions"
sessions "$PRE_HOST" "$PRE_PORT" "${TABLES[@]/#/p_}"
spacing shared 0.2 || fail "1: the sessions did not share the limit"
n=$(wc -l <"$WORK/log")
w=$(total_wait)
say "   wait_ms of the 4 sessions together: $w"
awk -v w="$w" -v n="$n" 'BEGIN { exit !(w >= (n - 1) * 200 * 0.5) }' ||
	fail "1: the sessions counted $w ms of waits for $n requests at 200 ms"
expect_rows "$PRE_HOST" "$PRE_PORT" "1" "${TABLES[@]}"

# EXPLAIN ANALYZE counts the wait of a scan held back by another session:
# at 0.25 requests/s, a request right after another session's waits up to
# 4 s, less the start of the second psql
q "$PRE_HOST" "$PRE_PORT" -c "SELECT count(*) FROM (SELECT id FROM s_companies LIMIT 1) s" >/dev/null
wait_ms=$(q "$PRE_HOST" "$PRE_PORT" -c "EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM s_companies LIMIT 1" |
	python3 -c '
import json, sys

def find(node):
    if isinstance(node, dict):
        if "Planhat Wait Time" in node:
            return node["Planhat Wait Time"]
        node = list(node.values())
    if isinstance(node, list):
        for v in node:
            r = find(v)
            if r is not None:
                return r
    return None

print(find(json.load(sys.stdin)))')
say "   EXPLAIN ANALYZE in another session right after a request: Planhat Wait Time $wait_ms ms"
awk -v w="$wait_ms" 'BEGIN { exit !(w + 0 >= 2000) }' ||
	fail "1: EXPLAIN ANALYZE shows a wait of $wait_ms ms, expected up to 4000"

# ---------------------------------------------------------------- 2. per backend
say "2. no preload, 5 requests/s, 4 sessions"
sessions "$OUTER_HOST" "$OUTER_PORT" "${TABLES[@]/#/p_}"
spacing local 0.2 || fail "2: without preload each session should be limited alone"
expect_rows "$OUTER_HOST" "$OUTER_PORT" "2" "${TABLES[@]}"

# ---------------------------------------------------------------- 3. shared bucket
say "3. preload, 60 requests/min (a burst of 15, then one every 1.33 s), 4 sessions"
sessions "$PRE_HOST" "$PRE_PORT" "${TABLES[@]/#/q_}"
python3 - "$WORK/log" <<-'EOF' || fail "3: the sessions did not share the per-minute bucket"
	import sys
	times = sorted(float(line.split(" ", 1)[0]) for line in open(sys.argv[1]))
	n, burst, every = len(times), 15, 60.0 / 45
	print("   %d requests in %.3f s; the first 15 in %.3f s" % (
	    n, times[-1] - times[0], times[min(n, burst) - 1] - times[0]))
	bad = []
	if n < burst + 3:
	    bad.append("only %d requests: the bucket never ran dry" % n)
	# in any window at most the burst plus its refill (one request of slack
	# for the arrival jitter)
	for i, t in enumerate(times):
	    for j in range(i, n):
	        w = times[j] - t
	        if j - i + 1 > burst + w / every + 1:
	            bad.append("%d requests within %.3f s" % (j - i + 1, w))
	            break
	need = (n - burst) * every
	if times[-1] - times[0] < need - 0.5:
	    bad.append("span %.3f s < the %.3f s the refill needs - 0.5 s" % (times[-1] - times[0], need))
	for b in bad[:3]:
	    print("FAIL: " + b)
	sys.exit(1 if bad else 0)
EOF
expect_rows "$PRE_HOST" "$PRE_PORT" "3" "${TABLES[@]}"
say "3. no preload, the same"
sessions "$OUTER_HOST" "$OUTER_PORT" "${TABLES[@]/#/q_}"
python3 - "$WORK/log" <<-'EOF' || fail "3: without preload each session should have a bucket of its own"
	import sys
	times = sorted(float(line.split(" ", 1)[0]) for line in open(sys.argv[1]))
	within = sum(1 for t in times if t - times[0] <= 3.0)
	print("   %d requests in %.3f s, %d within 3 s" % (len(times), times[-1] - times[0], within))
	# one bucket allows 15 + 3 s of refill (2.25) in 3 s
	if within < 18:
	    print("FAIL: only %d requests within 3 s: the sessions shared a bucket" % within)
	    sys.exit(1)
EOF
expect_rows "$OUTER_HOST" "$OUTER_PORT" "3" "${TABLES[@]}"

# ---------------------------------------------------------------- 4. 429 pause
say "4. a 429 asking for 4 s, with preload"
hold "$PRE_HOST" "$PRE_PORT" 4
read -r a b <"$WORK/hold"
w=$(sed -n 's/^wait_ms=//p' "$WORK/out.b")
say "   after the 429: A's retry at +$a s, B's request at +$b s (B waited $w ms)"
awk -v a="$a" -v b="$b" 'BEGIN { exit !(a >= 3.7 && b >= 3.7) }' ||
	fail "4: with preload, both sessions must wait out the 429's 4 s"
awk -v w="$w" 'BEGIN { exit !(w >= 1000) }' ||
	fail "4: session B counted $w ms of waits"
# (B is released by a loop of phctl calls, slow on a loaded machine: a
# longer pause keeps B's request well before its end)
say "4. a 429 asking for 6 s, without preload"
hold "$OUTER_HOST" "$OUTER_PORT" 6
read -r a b <"$WORK/hold"
say "   after the 429: A's retry at +$a s, B's request at +$b s"
awk -v a="$a" -v b="$b" 'BEGIN { exit !(a >= 5.7 && b < 3) }' ||
	fail "4: without preload, only the session that met the 429 waits"

# ---------------------------------------------------------------- 5. table full
say "5. preload, more tenants than the shared table holds"
q "$PRE_HOST" "$PRE_PORT" >"$WORK/full.out" 2>&1 <<-'EOF' || fail "5: $(tail -n 5 "$WORK/full.out")"
	\getenv url PLANHAT_URL
	\getenv token PLANHAT_TOKEN
	-- 260 servers whose next request may start only 1000 s after the last:
	-- each keeps its entry that long
	SELECT format($$CREATE SERVER many_%s FOREIGN DATA WRAPPER planhat_fdw
	                  OPTIONS (url %L, max_requests_per_second '0.001');
	                CREATE USER MAPPING FOR CURRENT_USER SERVER many_%s OPTIONS (api_token %L);
	                CREATE FOREIGN TABLE many_%s (id text) SERVER many_%s
	                  OPTIONS (resource 'companies', fetch_size '1')$$,
	              i, :'url', i, :'token', i, i)
	FROM generate_series(1, 260) i \gexec
	SELECT format('SELECT count(*) FROM (SELECT id FROM many_%s LIMIT 1) s', i)
	FROM generate_series(1, 260) i \gexec
EOF
warning="WARNING:  planhat_fdw's shared rate limiter is full"
warnings=$(grep -c -- "$warning" "$WORK/full.out" || true)
ones=$(grep -c '^1$' "$WORK/full.out" || true)
say "   260 tenants: $warnings warnings, $ones of 260 scans returned their row"
[ "$ones" = 260 ] || fail "5: $ones of 260 scans returned their row"
# one per tenant beyond the 256 entries, fewer the entries of 1-4 that ran out
if [ "$warnings" -lt 4 ] || [ "$warnings" -gt 10 ]; then
	fail "5: expected a warning for each tenant beyond the 256th, got $warnings"
fi
grep -m 1 -A 2 -- "$warning" "$WORK/full.out" | sed 's/^/   /'

if [ "$failures" -gt 0 ]; then
	echo "limiter.test: $failures failure(s)" >&2
	exit 1
fi
echo "limiter.test: with preload the sessions of a tenant share max_requests_per_second, max_requests_per_minute and 429 pauses; without, each session is limited alone"
