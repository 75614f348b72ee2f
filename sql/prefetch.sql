--
-- Prefetch: list pages requested ahead of the one being read (option
-- prefetch).  Rows keep Planhat's order whatever order the answers arrive
-- in; an early stop sends at most 'prefetch' requests beyond the pages it
-- read; an error on a page the query never reads is not raised, one on a
-- page it reads is, exactly as without prefetch; a cancel with requests in
-- flight leaves the connection usable.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\! $PHCTL reset
SET search_path = planhat, public;

-- 25 companies in pages of 3: eight full pages and one of a single row
CREATE FOREIGN TABLE companies_p (id text, name text)
  SERVER planhat OPTIONS (resource 'companies', fetch_size '3', prefetch '3');

-- =====================================================================
-- order: the second page answers last, the third next to last
-- =====================================================================
\! $PHCTL fault '[{"path": "/companies", "query_contains": "offset=3", "action": "delay_headers", "ms": 600}, {"path": "/companies", "query_contains": "offset=6", "action": "delay_headers", "ms": 300}]'
\! $PHCTL clear
SELECT count(*) AS rows,
       array_agg(id) = (SELECT array_agg(d->>'_id') FROM emulator_data('companies') d) AS planhat_order
FROM (SELECT id FROM companies_p) s;
-- nine pages, each asked for once (sorted: the requests overlap)
\! $PHCTL log | sort
\! $PHCTL faults-clear

-- =====================================================================
-- early stop: the pages in flight are cancelled
-- =====================================================================
-- a local filter keeps the LIMIT here; its 4 rows are on pages 1 and 2
\! $PHCTL clear
SELECT id FROM companies_p WHERE name <> '' LIMIT 4;
-- the emulator logs a request when it answers it; requests that were
-- cancelled before they were sent are not there at all
SELECT pg_sleep(0.3);
\set requests `$PHCTL count`
SELECT :requests BETWEEN 2 AND 2 + 3 AS at_most_read_plus_prefetch;
-- without prefetch: exactly the two pages
ALTER FOREIGN TABLE companies_p OPTIONS (SET prefetch '0');
\! $PHCTL clear
SELECT id FROM companies_p WHERE name <> '' LIMIT 4;
\! $PHCTL log
ALTER FOREIGN TABLE companies_p OPTIONS (SET prefetch '3');

-- =====================================================================
-- errors: raised only when the query reads the page
-- =====================================================================
-- the fourth page (offset 9) always fails
\! $PHCTL fault '{"path": "/companies", "query_contains": "offset=9", "action": "status", "status": 400, "body": {"error": "page four is broken"}, "times": -1}'
-- LIMIT 4 reads pages 1 and 2; page 4 was asked for ahead of time: no error
SELECT id FROM companies_p WHERE name <> '' LIMIT 4;
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
\! $PHCTL fault '{"path": "/companies", "query_contains": "offset=9", "action": "malformed_json", "times": -1}'
SELECT count(*) FROM companies_p;       -- ERROR
ALTER FOREIGN TABLE companies_p OPTIONS (SET prefetch '0');
SELECT count(*) FROM companies_p;       -- ERROR
ALTER FOREIGN TABLE companies_p OPTIONS (SET prefetch '3');
-- the first row of page 4 is whole, and LIMIT 10 needs no more of it
SELECT count(*) FROM (SELECT id FROM companies_p WHERE name <> '' LIMIT 10) s;
\! $PHCTL faults-clear

-- =====================================================================
-- cancel: a statement timeout with three requests in flight
-- =====================================================================
\! $PHCTL latency 300
SET statement_timeout = '500ms';
SELECT count(*) FROM companies_p;       -- ERROR
RESET statement_timeout;
\! $PHCTL latency 0
-- the next statement on the same connection
SELECT count(*) FROM companies_p;
SELECT server_name, valid FROM planhat_fdw_get_connections();

DROP FOREIGN TABLE companies_p;
\! $PHCTL reset
