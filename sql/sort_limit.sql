--
-- ORDER BY and LIMIT/OFFSET: pushed only where Planhat's answer is exactly
-- PostgreSQL's, else sorted and limited locally with lazy paging.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\! $PHCTL reset
SET search_path = planhat, public;

-- =====================================================================
-- ORDER BY ... LIMIT: one request with sort and limit
-- =====================================================================
\! $PHCTL clear
SELECT name, mrr FROM companies ORDER BY mrr DESC NULLS LAST LIMIT 10;
\! $PHCTL log
EXPLAIN (VERBOSE, COSTS OFF) SELECT name, mrr FROM companies ORDER BY mrr DESC NULLS LAST LIMIT 10;
SELECT same_rows($$SELECT name, mrr FROM companies ORDER BY mrr DESC NULLS LAST LIMIT 10$$, true);
SELECT explain_agrees($$SELECT name, mrr FROM companies ORDER BY mrr DESC NULLS LAST LIMIT 10$$);

-- ASC NULLS FIRST is MongoDB's ascending order
\! $PHCTL clear
SELECT name, mrr FROM companies ORDER BY mrr NULLS FIRST LIMIT 5;
\! $PHCTL log
-- (the NULLs tie: compare as sets)
SELECT same_rows($$SELECT name, mrr FROM companies ORDER BY mrr NULLS FIRST LIMIT 5$$);
SELECT explain_agrees($$SELECT name, mrr FROM companies ORDER BY mrr NULLS FIRST LIMIT 5$$);

-- PostgreSQL's default NULLS LAST on ASC (and NULLS FIRST on DESC) differ
-- from MongoDB: sorted locally
EXPLAIN (VERBOSE, COSTS OFF) SELECT name, mrr FROM companies ORDER BY mrr LIMIT 5;
EXPLAIN (VERBOSE, COSTS OFF) SELECT name, mrr FROM companies ORDER BY mrr DESC LIMIT 5;
SELECT same_rows($$SELECT name, mrr FROM companies ORDER BY mrr LIMIT 5$$, true);
SELECT same_rows($$SELECT name, mrr FROM companies ORDER BY mrr DESC LIMIT 5$$, true);
SELECT explain_agrees($$SELECT name, mrr FROM companies ORDER BY mrr DESC LIMIT 5$$);

-- timestamps and booleans sort like PostgreSQL's
EXPLAIN (VERBOSE, COSTS OFF) SELECT name FROM companies ORDER BY create_date DESC NULLS LAST LIMIT 3;
SELECT same_rows($$SELECT name, create_date FROM companies ORDER BY create_date DESC NULLS LAST, id LIMIT 3$$, true);
SELECT explain_agrees($$SELECT name FROM companies ORDER BY create_date DESC NULLS LAST LIMIT 3$$);
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM licenses ORDER BY auto_renews NULLS FIRST LIMIT 3;
SELECT same_rows($$SELECT auto_renews FROM licenses ORDER BY auto_renews NULLS FIRST LIMIT 3$$, true);
SELECT explain_agrees($$SELECT id FROM licenses ORDER BY auto_renews NULLS FIRST LIMIT 3$$);

-- text: Planhat compares code points, which is only the "C" collation;
-- mixed case and accents sort differently under en_US
SELECT name FROM companies ORDER BY name LIMIT 8;
SELECT name FROM companies ORDER BY name COLLATE "C" NULLS FIRST LIMIT 8;
EXPLAIN (VERBOSE, COSTS OFF) SELECT name FROM companies ORDER BY name LIMIT 8;
EXPLAIN (VERBOSE, COSTS OFF) SELECT name FROM companies ORDER BY name COLLATE "C" NULLS FIRST LIMIT 8;
SELECT same_rows($$SELECT name FROM companies ORDER BY name LIMIT 8$$, true);
SELECT same_rows($$SELECT name FROM companies ORDER BY name COLLATE "C" NULLS FIRST LIMIT 8$$, true);
SELECT explain_agrees($$SELECT name FROM companies ORDER BY name COLLATE "C" NULLS FIRST LIMIT 8$$);

-- one sort key only; jsonb and arrays never
EXPLAIN (VERBOSE, COSTS OFF) SELECT name FROM companies ORDER BY mrr DESC NULLS LAST, name LIMIT 3;
EXPLAIN (VERBOSE, COSTS OFF) SELECT name FROM companies ORDER BY custom DESC NULLS LAST LIMIT 3;

-- =====================================================================
-- LIMIT and OFFSET
-- =====================================================================
-- without ORDER BY, with exact filters: pushed
\! $PHCTL clear
SELECT count(*) FROM (SELECT id FROM endusers WHERE company_id = '5685c180bc989db911000000' LIMIT 3) s;
SELECT count(*) FROM (SELECT id FROM companies LIMIT 4 OFFSET 2) s;
\! $PHCTL log
SELECT same_rows($$SELECT id FROM companies LIMIT 4 OFFSET 2$$, true);
SELECT explain_agrees($$SELECT id FROM endusers WHERE company_id = '5685c180bc989db911000000' LIMIT 3$$);
SELECT explain_agrees($$SELECT id FROM companies LIMIT 4 OFFSET 2$$);
-- OFFSET past the end
\! $PHCTL clear
SELECT name FROM companies ORDER BY mrr DESC NULLS LAST LIMIT 5 OFFSET 100;
\! $PHCTL log
SELECT explain_agrees($$SELECT name FROM companies ORDER BY mrr DESC NULLS LAST LIMIT 5 OFFSET 100$$);
-- LIMIT 0
\! $PHCTL clear
SELECT name FROM companies LIMIT 0;
\! $PHCTL log
SELECT explain_agrees($$SELECT name FROM companies LIMIT 0$$);
-- LIMIT as a parameter of a prepared statement
PREPARE top_mrr(int) AS SELECT name FROM companies ORDER BY mrr DESC NULLS LAST LIMIT $1;
\! $PHCTL clear
EXECUTE top_mrr(2);
\! $PHCTL log
SET plan_cache_mode = force_generic_plan;
SELECT explain_agrees($$EXECUTE top_mrr(3)$$);
RESET plan_cache_mode;
DEALLOCATE top_mrr;

-- a local filter keeps LIMIT local; pages are fetched only until the
-- executor has its rows
ALTER FOREIGN TABLE companies OPTIONS (ADD fetch_size '5', prefetch '0');
\! $PHCTL clear
SELECT name FROM companies WHERE name LIKE 'A%' LIMIT 1;
\! $PHCTL log
EXPLAIN (VERBOSE, COSTS OFF) SELECT name FROM companies WHERE name LIKE 'A%' LIMIT 1;
SELECT same_rows($$SELECT name FROM companies WHERE name LIKE 'A%' LIMIT 1$$, true);
SELECT explain_agrees($$SELECT name FROM companies WHERE name LIKE 'A%' LIMIT 1$$);
-- a larger LIMIT than a page: pages of fetch_size, the last one cut to fit
\! $PHCTL clear
SELECT count(*) FROM (SELECT id FROM companies LIMIT 12) s;
\! $PHCTL log
SELECT explain_agrees($$SELECT id FROM companies LIMIT 12$$);
ALTER FOREIGN TABLE companies OPTIONS (DROP fetch_size, DROP prefetch);

-- partitioned lists (tasks) are several streams: LIMIT stays local
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM tasks LIMIT 2;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM tasks WHERE is_archived = false LIMIT 2;
SELECT explain_agrees($$SELECT id FROM tasks LIMIT 2$$);
SELECT explain_agrees($$SELECT id FROM tasks WHERE is_archived = false LIMIT 2$$);
SELECT same_rows($$SELECT id FROM tasks WHERE is_archived = false LIMIT 2$$, true);
SELECT explain_agrees($$SELECT id FROM tasks WHERE is_archived LIMIT 2$$);

-- count(*) of the whole resource: one page per 5,000 companies, select=_id
-- (each page after the first begins with the last row of the one before;
-- prefetch 0: no page asked for ahead)
\! $PHCTL reset --rows companies=12000
ALTER FOREIGN TABLE companies OPTIONS (ADD prefetch '0');
\! $PHCTL clear
SELECT count(*) FROM companies;
\! $PHCTL log
SELECT explain_agrees($$SELECT count(*) FROM companies$$);
ALTER FOREIGN TABLE companies OPTIONS (DROP prefetch);
\! $PHCTL reset
