--
-- Prefetch: list pages requested ahead of the one being read.  The depth
-- adapts to the scan: nothing ahead until two full pages were read, then
-- 1, 2, 4, ... pages up to the prefetch option (default 4).  So a scan that
-- ends within its first two pages sends no request it does not need, one
-- that stops early later wastes at most 'prefetch' requests, and a long
-- scan has several pages in flight.  Which requests are made depends only
-- on the rows read; the ones a scan did not need are cancelled, so whether
-- they reached Planhat depends on timing: those cases are checked as
-- ranges.  Rows keep Planhat's order whatever order the answers arrive in;
-- an error on a page the query never reads is not raised, one on a page it
-- reads is, exactly as without prefetch; a cancel with requests in flight
-- leaves the connection usable.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\! $PHCTL reset
SET search_path = planhat, public;

-- 25 companies in pages of 3 new rows: each page after the first begins
-- with the last row of the one before, at offsets 0, 2, 5, 8, ..., 23
CREATE FOREIGN TABLE companies_p (id text, name text)
  SERVER planhat OPTIONS (resource 'companies', fetch_size '3', prefetch '3');
-- the requests of the last statement, by offset: how many pages of the list
-- (offsets up to 23), each asked for once, and how many past its end
CREATE FUNCTION public.pages_asked(last_offset int) RETURNS TABLE (pages bigint, each_once boolean, past_end bigint)
LANGUAGE sql AS $$
  SELECT count(*) FILTER (WHERE o <= last_offset), count(DISTINCT o) = count(*),
         count(*) FILTER (WHERE o > last_offset)
  FROM (SELECT substring(l FROM 'offset=(\d+)')::int AS o FROM phctl('log') l) s
$$;

-- =====================================================================
-- order: the third page answers last, the fourth next to last
-- =====================================================================
\! $PHCTL fault '[{"path": "/companies", "query_contains": "offset=5", "action": "delay_headers", "ms": 600}, {"path": "/companies", "query_contains": "offset=8", "action": "delay_headers", "ms": 300}]'
\! $PHCTL clear
SELECT count(*) AS rows,
       array_agg(id) = (SELECT array_agg(d->>'_id') FROM emulator_data('companies') d) AS planhat_order
FROM (SELECT id FROM companies_p) s;
-- nine pages, each asked for once; at most 3 (prefetch) past the end
SELECT * FROM pages_asked(23);
\! $PHCTL faults-clear

-- =====================================================================
-- a scan that ends within its first two pages: no request ahead
-- =====================================================================
ALTER FOREIGN TABLE companies_p OPTIONS (DROP prefetch);
-- LIMIT 2 ends in the first page, LIMIT 4 in the second (a local filter
-- keeps the LIMIT here): one request, then two
\! $PHCTL clear
SELECT id FROM companies_p WHERE name <> '' LIMIT 2;
\! $PHCTL log
\! $PHCTL clear
SELECT id FROM companies_p WHERE name <> '' LIMIT 4;
\! $PHCTL log
-- a list of two pages read to its end: two requests
ALTER FOREIGN TABLE companies_p OPTIONS (SET fetch_size '13');
\! $PHCTL clear
SELECT count(*) FROM companies_p;
\! $PHCTL log
ALTER FOREIGN TABLE companies_p OPTIONS (SET fetch_size '3');

-- =====================================================================
-- an early stop later wastes at most 'prefetch' requests
-- =====================================================================
-- LIMIT 10 ends in page 4: pages 5 and 6 were asked for when page 3 was
-- read (depth 2); the emulator logs the requests that reached it
\! $PHCTL clear
SELECT id FROM companies_p WHERE name <> '' LIMIT 10;
SELECT pg_sleep(0.3);
SELECT pages BETWEEN 4 AND 6 AS at_most_two_ahead FROM pages_asked(23);
-- EXISTS above the scan: the row is on page 7; pages 8, 9 and one past the
-- end were asked for when page 6 was read (depth 4, prefetch 4)
\! $PHCTL clear
SELECT EXISTS (SELECT FROM companies_p WHERE name = 'Plus+Minus AB') AS found;
SELECT pg_sleep(0.3);
SELECT pages + past_end BETWEEN 7 AND 7 + 4 AS at_most_prefetch_ahead FROM pages_asked(23);
-- LIMIT above a join: the same bound
\! $PHCTL clear
SELECT c.name FROM companies_p c JOIN (VALUES ('Plus+Minus AB'), ('Slash/Path GmbH')) v(n) ON v.n = c.name LIMIT 1;
SELECT pg_sleep(0.3);
SELECT pages + past_end <= 9 + 4 AS at_most_prefetch_ahead FROM pages_asked(23);
-- without prefetch: exactly the pages read
ALTER FOREIGN TABLE companies_p OPTIONS (ADD prefetch '0');
\! $PHCTL clear
SELECT id FROM companies_p WHERE name <> '' LIMIT 10;
\! $PHCTL log
ALTER FOREIGN TABLE companies_p OPTIONS (SET prefetch '3');

-- =====================================================================
-- errors: raised only when the query reads the page
-- =====================================================================
-- the fourth page (offset 8) always fails
\! $PHCTL fault '{"path": "/companies", "query_contains": "offset=8", "action": "status", "status": 400, "body": {"error": "page four is broken"}, "times": -1}'
-- LIMIT 7 reads pages 1 to 3; page 4 was asked for ahead of time: no error
SELECT id FROM companies_p WHERE name <> '' LIMIT 7;
-- the whole table reads page 4: the error, the same as without prefetch
SELECT count(*) FROM companies_p;       -- ERROR
ALTER FOREIGN TABLE companies_p OPTIONS (SET prefetch '0');
SELECT count(*) FROM companies_p;       -- ERROR
ALTER FOREIGN TABLE companies_p OPTIONS (SET prefetch '3');
-- the connection is still usable
SELECT count(*) FROM (SELECT id FROM companies_p LIMIT 9) s;
\! $PHCTL faults-clear

-- a page that is not valid JSON: rows are parsed as they are read, so the
-- rows before the fault come first and the error when reading reaches it
\! $PHCTL fault '{"path": "/companies", "query_contains": "offset=8", "action": "malformed_json", "times": -1}'
SELECT count(*) FROM companies_p;       -- ERROR
ALTER FOREIGN TABLE companies_p OPTIONS (SET prefetch '0');
SELECT count(*) FROM companies_p;       -- ERROR
ALTER FOREIGN TABLE companies_p OPTIONS (SET prefetch '3');
-- the first two rows of page 4 are whole, and LIMIT 10 needs no more of it
SELECT count(*) FROM (SELECT id FROM companies_p WHERE name <> '' LIMIT 10) s;
\! $PHCTL faults-clear

-- =====================================================================
-- cancel: a statement timeout with requests in flight
-- =====================================================================
\! $PHCTL latency 300
SET statement_timeout = '1s';
SELECT count(*) FROM companies_p;       -- ERROR
RESET statement_timeout;
\! $PHCTL latency 0
-- the next statement on the same connection
SELECT count(*) FROM companies_p;
SELECT server_name, valid FROM planhat_fdw_get_connections();

DROP FOREIGN TABLE companies_p;
DROP FUNCTION public.pages_asked(int);
\! $PHCTL reset
