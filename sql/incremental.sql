--
-- Incremental pulls: a lower bound on updated_at is sent as
-- sort=-updatedAt, and each list ends at the page where its rows fall below
-- the bound, so that k changed rows cost ceil((k + 1) / fetch_size)
-- requests.  The bound stays a local condition (the rows are rechecked),
-- and a list whose order does not hold is read to its end.  The same early
-- stop serves a pushed ORDER BY x with a bound on x.  Every case shows the
-- rows, the requests the emulator received, that EXPLAIN announced them and
-- that planhat_fdw.pushdown = off gives the same rows.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\! $PHCTL reset
SET search_path = planhat, public;
SET TimeZone = 'UTC';
-- EXPLAIN ANALYZE alike on every PostgreSQL version (sql/include/explain.sql)
\set ECHO none
\i sql/include/explain.sql
\set ECHO all

-- 25 companies in pages of 3; their updatedAt, newest first:
-- 2025-05-06 15:26, 2025-04-11 07:25, 2025-04-11 06:25 | 2025-02-24,
-- 2025-01-10, 2024-12-29 | 2024-10-29, 2024-10-03, 2023-12-02 | ...
-- (prefetch 0: a list read to its end shows no request made ahead of it)
CREATE FOREIGN TABLE public.pull (id text, name text, phase text, mrr numeric,
  updated_at timestamptz)
  SERVER planhat OPTIONS (resource 'companies', fetch_size '3', prefetch '0');
SET search_path = public, planhat;

-- =====================================================================
-- k changed rows: 0, 1, a page, several pages
-- =====================================================================
EXPLAIN (VERBOSE, COSTS OFF) SELECT id, name FROM pull WHERE updated_at > '2025-06-01';
-- k = 0: one request, whose first row is below the bound
\! $PHCTL clear
SELECT id, name FROM pull WHERE updated_at > '2025-06-01';
\! $PHCTL log
-- k = 1
\! $PHCTL clear
SELECT name, updated_at FROM pull WHERE updated_at > '2025-05-01';
\! $PHCTL log
-- k = 2: the page's last row is below the bound (">": a row equal to it fails)
\! $PHCTL clear
SELECT name FROM pull WHERE updated_at > '2025-04-11 06:25:41.699+00';
\! $PHCTL log
-- k = 3, a page: its last row passes (">="), so the next page is asked for;
-- it begins with that row again and ends the list
\! $PHCTL clear
SELECT name FROM pull WHERE updated_at >= '2025-04-11 06:25:41.699+00';
\! $PHCTL log
-- k = 8, several pages: 3 requests
\! $PHCTL clear
SELECT name, updated_at FROM pull WHERE updated_at > '2024-01-01' ORDER BY updated_at DESC;
\! $PHCTL log
SELECT * FROM explain_analyze($$SELECT name FROM pull WHERE updated_at > '2024-01-01'$$, with_verbose => true);
SELECT same_rows($$SELECT id, name FROM pull WHERE updated_at > '2025-06-01'$$),
       explain_agrees($$SELECT id, name FROM pull WHERE updated_at > '2025-06-01'$$);
SELECT same_rows($$SELECT name FROM pull WHERE updated_at > '2025-04-11 06:25:41.699+00'$$),
       explain_agrees($$SELECT name FROM pull WHERE updated_at > '2025-04-11 06:25:41.699+00'$$);
SELECT same_rows($$SELECT name FROM pull WHERE updated_at >= '2025-04-11 06:25:41.699+00'$$),
       explain_agrees($$SELECT name FROM pull WHERE updated_at >= '2025-04-11 06:25:41.699+00'$$);
SELECT same_rows($$SELECT name FROM pull WHERE updated_at > '2024-01-01'$$),
       explain_agrees($$SELECT name FROM pull WHERE updated_at > '2024-01-01'$$);

-- with the default prefetch: the same requests, none ahead (each page is
-- asked for only when the one before ends above the bound)
ALTER FOREIGN TABLE pull OPTIONS (DROP prefetch);
\! $PHCTL clear
SELECT count(*) FROM pull WHERE updated_at > '2024-01-01';
\! $PHCTL log
ALTER FOREIGN TABLE pull OPTIONS (ADD prefetch '0');

-- BETWEEN, =, and two lower bounds: each one ends the list
\! $PHCTL clear
SELECT name FROM pull WHERE updated_at BETWEEN '2024-01-01' AND '2025-03-01';
SELECT name FROM pull WHERE updated_at = '2025-02-24 15:37:37.114+00';
SELECT name FROM pull WHERE updated_at > '2024-01-01' AND updated_at >= '2025-04-01';
\! $PHCTL log
EXPLAIN (VERBOSE, COSTS OFF)
SELECT name FROM pull WHERE updated_at > '2024-01-01' AND updated_at >= '2025-04-01';
SELECT same_rows($$SELECT name FROM pull WHERE updated_at BETWEEN '2024-01-01' AND '2025-03-01'$$),
       explain_agrees($$SELECT name FROM pull WHERE updated_at BETWEEN '2024-01-01' AND '2025-03-01'$$);
SELECT same_rows($$SELECT name FROM pull WHERE updated_at = '2025-02-24 15:37:37.114+00'$$),
       explain_agrees($$SELECT name FROM pull WHERE updated_at = '2025-02-24 15:37:37.114+00'$$);
SELECT same_rows($$SELECT name FROM pull WHERE updated_at > '2024-01-01' AND updated_at >= '2025-04-01'$$),
       explain_agrees($$SELECT name FROM pull WHERE updated_at > '2024-01-01' AND updated_at >= '2025-04-01'$$);
-- a bound of another type: the column's btree ordering compares across them
\! $PHCTL clear
SELECT name FROM pull WHERE updated_at >= date '2025-04-12';
\! $PHCTL log
SELECT same_rows($$SELECT name FROM pull WHERE updated_at >= date '2025-04-12'$$),
       explain_agrees($$SELECT name FROM pull WHERE updated_at >= date '2025-04-12'$$);

-- =====================================================================
-- bounds known at execution: parameters, now() - interval
-- =====================================================================
PREPARE pull_since(timestamptz) AS SELECT name FROM pull WHERE updated_at > $1;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE pull_since('2025-04-01');
\! $PHCTL clear
EXECUTE pull_since('2025-04-01');
EXECUTE pull_since('2024-01-01');
\! $PHCTL log
SELECT explain_agrees($$EXECUTE pull_since('2025-04-01')$$),
       explain_agrees($$EXECUTE pull_since('2024-01-01')$$);
-- a NULL bound passes no row: nothing is sent
\! $PHCTL clear
EXECUTE pull_since(NULL);
\! $PHCTL log
-- '-infinity' (a first full load) passes every row: no sort, the list is
-- read in Planhat's order, and EXPLAIN ANALYZE says why
PREPARE pull_count(timestamptz) AS SELECT count(*) FROM pull WHERE updated_at > $1;
\! $PHCTL clear
EXECUTE pull_count('-infinity');
\! $PHCTL log
SELECT * FROM explain_analyze($$EXECUTE pull_count('-infinity')$$, with_verbose => true);
SELECT explain_agrees($$EXECUTE pull_count('-infinity')$$);
RESET plan_cache_mode;
DEALLOCATE pull_since;
DEALLOCATE pull_count;
-- the last hour (the data set was last changed in 2025): one request
EXPLAIN (VERBOSE, COSTS OFF)
SELECT name FROM pull WHERE updated_at > now() - interval '1 hour';
\! $PHCTL clear
SELECT name FROM pull WHERE updated_at > now() - interval '1 hour';
\! $PHCTL log
SELECT same_rows($$SELECT name FROM pull WHERE updated_at > now() - interval '1 hour'$$),
       explain_agrees($$SELECT name FROM pull WHERE updated_at > now() - interval '1 hour'$$);

-- =====================================================================
-- with other pushed conditions and column lists
-- =====================================================================
-- end users of two companies changed since 2024: one filtered list, sorted
EXPLAIN (VERBOSE, COSTS OFF)
SELECT email, updated_at FROM endusers
WHERE company_id IN ('5685c180bc989db911000000', '57398700bc989db911000001')
  AND updated_at > '2024-01-01';
SELECT same_rows($$SELECT email, updated_at FROM endusers WHERE company_id IN ('5685c180bc989db911000000', '57398700bc989db911000001') AND updated_at > '2024-01-01'$$),
       explain_agrees($$SELECT email, updated_at FROM endusers WHERE company_id IN ('5685c180bc989db911000000', '57398700bc989db911000001') AND updated_at > '2024-01-01'$$);
-- in pages of 2: the filtered list ends at the bound as well
CREATE FOREIGN TABLE public.eu_pull (id text, email text, company_id text, updated_at timestamptz)
  SERVER planhat OPTIONS (resource 'endusers', fetch_size '2', prefetch '0');
\! $PHCTL clear
SELECT email FROM eu_pull WHERE company_id = '5685c180bc989db911000000' AND updated_at > '2024-01-01';
\! $PHCTL log
SELECT same_rows($$SELECT email FROM eu_pull WHERE company_id = '5685c180bc989db911000000' AND updated_at > '2024-01-01'$$),
       explain_agrees($$SELECT email FROM eu_pull WHERE company_id = '5685c180bc989db911000000' AND updated_at > '2024-01-01'$$);
DROP FOREIGN TABLE eu_pull;
-- assets take one company per request: each list sorted and stopped
EXPLAIN (VERBOSE, COSTS OFF)
SELECT id FROM assets WHERE company_id IN ('5685c180bc989db911000000', '57ed4c80bc989db911000002')
  AND updated_at > '2024-01-01';
SELECT same_rows($$SELECT id FROM assets WHERE company_id IN ('5685c180bc989db911000000', '57ed4c80bc989db911000002') AND updated_at > '2024-01-01'$$),
       explain_agrees($$SELECT id FROM assets WHERE company_id IN ('5685c180bc989db911000000', '57ed4c80bc989db911000002') AND updated_at > '2024-01-01'$$);
-- tasks: both partitions, each sorted and stopped
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM tasks WHERE updated_at > '2025-01-01';
SELECT same_rows($$SELECT id, action FROM tasks WHERE updated_at > '2025-01-01'$$),
       explain_agrees($$SELECT id, action FROM tasks WHERE updated_at > '2025-01-01'$$);
-- a local condition as well: still stopped at the bound
\! $PHCTL clear
SELECT name FROM pull WHERE updated_at > '2024-01-01' AND name LIKE '%a%';
\! $PHCTL log
SELECT same_rows($$SELECT name FROM pull WHERE updated_at > '2024-01-01' AND name LIKE '%a%'$$);
-- in a join, per outer row
CREATE TEMP TABLE since (t timestamptz);
INSERT INTO since VALUES ('2025-05-01'), ('2025-06-01');
\! $PHCTL clear
SELECT s.t, p.name FROM since s, LATERAL (SELECT name FROM pull WHERE updated_at > s.t OFFSET 0) p;
\! $PHCTL log
SELECT same_rows($$SELECT s.t, p.name FROM since s, LATERAL (SELECT name FROM pull WHERE updated_at > s.t OFFSET 0) p$$),
       explain_agrees($$SELECT s.t, p.name FROM since s, LATERAL (SELECT name FROM pull WHERE updated_at > s.t OFFSET 0) p$$);

-- =====================================================================
-- ORDER BY: the query's sort wins; its own bounds end the list too
-- =====================================================================
-- ORDER BY another column: Planhat takes one sort key, the bound on
-- updated_at is only rechecked (every page is read)
EXPLAIN (VERBOSE, COSTS OFF)
SELECT name, mrr FROM pull WHERE updated_at > '2025-01-01' ORDER BY mrr DESC NULLS LAST;
SELECT same_rows($$SELECT name, mrr FROM pull WHERE updated_at > '2025-01-01' ORDER BY mrr DESC NULLS LAST$$, true),
       explain_agrees($$SELECT name, mrr FROM pull WHERE updated_at > '2025-01-01' ORDER BY mrr DESC NULLS LAST$$);
-- ORDER BY updated_at DESC: the same sort, relied on and stopped
EXPLAIN (VERBOSE, COSTS OFF)
SELECT name FROM pull WHERE updated_at > '2024-01-01' ORDER BY updated_at DESC NULLS LAST;
SELECT same_rows($$SELECT name FROM pull WHERE updated_at > '2024-01-01' ORDER BY updated_at DESC NULLS LAST$$, true),
       explain_agrees($$SELECT name FROM pull WHERE updated_at > '2024-01-01' ORDER BY updated_at DESC NULLS LAST$$);
-- ORDER BY mrr DESC with a lower bound on mrr: the list ends at it
\! $PHCTL clear
SELECT name, mrr FROM pull WHERE mrr > 40000 ORDER BY mrr DESC NULLS LAST;
\! $PHCTL log
EXPLAIN (VERBOSE, COSTS OFF) SELECT name, mrr FROM pull WHERE mrr > 40000 ORDER BY mrr DESC NULLS LAST;
SELECT same_rows($$SELECT name, mrr FROM pull WHERE mrr > 40000 ORDER BY mrr DESC NULLS LAST$$, true),
       explain_agrees($$SELECT name, mrr FROM pull WHERE mrr > 40000 ORDER BY mrr DESC NULLS LAST$$);
-- a bound computed for each outer row (rescans; numeric values by reference)
\! $PHCTL clear
SELECT v.m, p.name FROM (VALUES (40000), (60000)) v(m),
  LATERAL (SELECT name, mrr FROM pull WHERE mrr > v.m * 1.0 ORDER BY mrr DESC NULLS LAST OFFSET 0) p
ORDER BY 1, p.mrr DESC;
\! $PHCTL log
SELECT same_rows($$SELECT v.m, p.name FROM (VALUES (40000), (60000)) v(m), LATERAL (SELECT name, mrr FROM pull WHERE mrr > v.m * 1.0 ORDER BY mrr DESC NULLS LAST OFFSET 0) p$$),
       explain_agrees($$SELECT v.m, p.name FROM (VALUES (40000), (60000)) v(m), LATERAL (SELECT name, mrr FROM pull WHERE mrr > v.m * 1.0 ORDER BY mrr DESC NULLS LAST OFFSET 0) p$$);
-- ascending with an upper bound: the nulls come first and do not end it
\! $PHCTL clear
SELECT name, mrr FROM pull WHERE mrr < 5000 ORDER BY mrr NULLS FIRST;
\! $PHCTL log
SELECT same_rows($$SELECT name, mrr FROM pull WHERE mrr < 5000 ORDER BY mrr NULLS FIRST$$, true),
       explain_agrees($$SELECT name, mrr FROM pull WHERE mrr < 5000 ORDER BY mrr NULLS FIRST$$);
-- the wrong side (an upper bound of a descending sort) cannot end it
EXPLAIN (VERBOSE, COSTS OFF) SELECT name FROM pull WHERE mrr < 5000 ORDER BY mrr DESC NULLS LAST;

-- =====================================================================
-- the order is trusted only as far as it is checked
-- =====================================================================
-- a server that ignores sort: the rows come in storage order, the list is
-- read to its end, and the answer is still exact
\! $PHCTL fault '{"path": "/companies", "action": "ignore_sort", "times": -1}'
\! $PHCTL clear
SELECT name FROM pull WHERE updated_at > '2024-01-01' ORDER BY 1;
\! $PHCTL log
SELECT * FROM explain_analyze($$SELECT name FROM pull WHERE updated_at > '2024-01-01'$$, with_verbose => true);
\! $PHCTL faults-clear
-- a row without updatedAt: the order cannot be judged, the list is read on
\! $PHCTL fault '{"path": "/companies", "query_contains": "sort=-updatedAt&limit=3&offset=0", "action": "status", "status": 200, "body": [{"_id": "65f8ba80bc989db911000016", "name": "Émile Zola Éditions", "updatedAt": "2025-05-06T15:26:26.286Z"}, {"_id": "6329a480bc989db911000012", "name": "Comma, Inc."}, {"_id": "67604580bc989db911000018", "name": "Rocket 🚀 Labs", "updatedAt": "2025-04-11T06:25:41.699Z"}]}'
SELECT * FROM explain_analyze($$SELECT name FROM pull WHERE updated_at > '2025-06-01'$$, with_verbose => true);
\! $PHCTL faults-clear
-- where PostgreSQL relies on the order (ORDER BY pushed), rows out of order
-- are an error, as without a bound
\! $PHCTL fault '{"path": "/companies", "action": "ignore_sort", "times": -1}'
SELECT name FROM pull WHERE updated_at > '2024-01-01' ORDER BY updated_at DESC NULLS LAST;  -- ERROR
\! $PHCTL faults-clear

-- =====================================================================
-- pushdown off: no sort, every page, the same rows (above, same_rows)
-- =====================================================================
SET planhat_fdw.pushdown = off;
EXPLAIN (VERBOSE, COSTS OFF) SELECT name FROM pull WHERE updated_at > '2024-01-01';
RESET planhat_fdw.pushdown;

DROP FOREIGN TABLE pull;
DROP FUNCTION explain_analyze(text, boolean), explain_verbose(text);
\! $PHCTL reset
