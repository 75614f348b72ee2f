--
-- Cancel: statement_timeout stops a request in flight and every kind of
-- wait within about a second, with PostgreSQL's own error, and the next
-- statement on the same session works.  (test/cancel.test.sh sends a real
-- cancel request from another session, as Ctrl-C in psql does.)
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\getenv planhat_url PLANHAT_URL
\getenv planhat_token PLANHAT_TOKEN
\! $PHCTL reset
CREATE SERVER slow FOREIGN DATA WRAPPER planhat_fdw
  OPTIONS (url :'planhat_url', max_retries '3');
CREATE USER MAPPING FOR CURRENT_USER SERVER slow OPTIONS (api_token :'planhat_token');
CREATE FOREIGN TABLE s_companies (id text, name text) SERVER slow OPTIONS (resource 'companies');

-- =====================================================================
-- statement_timeout while Planhat takes 30 s to answer
-- =====================================================================
\! $PHCTL fault '{"path": "/companies", "action": "delay_headers", "ms": 30000}'
SET statement_timeout = '500ms';
SELECT clock_timestamp() AS t0 \gset
SELECT id, name FROM s_companies LIMIT 2;  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET statement_timeout;
SELECT clock_timestamp() - :'t0' < interval '1.5 s' AS within_a_second_of_the_timeout;
-- the same session goes on
SELECT id, name FROM s_companies LIMIT 2;
\! $PHCTL log --status --clear

-- =====================================================================
-- ... while the answer stalls half-way through its body
-- =====================================================================
\! $PHCTL fault '{"path": "/companies", "action": "delay_body", "ms": 30000}'
SET statement_timeout = '500ms';
SELECT clock_timestamp() AS t0 \gset
SELECT id, name FROM s_companies LIMIT 2;  -- ERROR
RESET statement_timeout;
SELECT clock_timestamp() - :'t0' < interval '1.5 s' AS within_a_second_of_the_timeout;
SELECT id, name FROM s_companies LIMIT 2;
\! $PHCTL log --status --clear

-- =====================================================================
-- ... while waiting out a 429's Retry-After: 30
-- =====================================================================
\! $PHCTL fault '{"path": "/companies", "action": "rate_limit", "retry_after": 30}'
SET statement_timeout = '500ms';
SELECT clock_timestamp() AS t0 \gset
SELECT id, name FROM s_companies LIMIT 2;  -- ERROR
RESET statement_timeout;
SELECT clock_timestamp() - :'t0' < interval '1.5 s' AS within_a_second_of_the_timeout;
-- the wait belonged to that statement: this one asks Planhat again at once
SELECT id, name FROM s_companies LIMIT 2;
\! $PHCTL log --status --clear

-- =====================================================================
-- ... while waiting out a quota window: a 429 without Retry-After but with
-- X-Rate-Limit-Remaining: 0 waits 60 s
-- =====================================================================
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 429, "headers": {"X-Rate-Limit-Limit": "200", "X-Rate-Limit-Remaining": "0"}}'
SET statement_timeout = '1s';
SELECT clock_timestamp() AS t0 \gset
SELECT id, name FROM s_companies LIMIT 2;  -- ERROR
RESET statement_timeout;
SELECT clock_timestamp() - :'t0' < interval '2 s' AS within_a_second_of_the_timeout;
SELECT id, name FROM s_companies LIMIT 2;
\! $PHCTL log --status --clear

-- =====================================================================
-- ... while waiting out a 503's Retry-After
-- =====================================================================
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 503, "headers": {"Retry-After": "60"}}'
SET statement_timeout = '500ms';
SELECT clock_timestamp() AS t0 \gset
SELECT id, name FROM s_companies LIMIT 2;  -- ERROR
RESET statement_timeout;
SELECT clock_timestamp() - :'t0' < interval '1.5 s' AS within_a_second_of_the_timeout;
SELECT id, name FROM s_companies LIMIT 2;
\! $PHCTL log --status --clear

-- =====================================================================
-- ... in the middle of a scan with prefetched pages in flight; the
-- statement in a transaction, rolled back to a savepoint
-- =====================================================================
ALTER FOREIGN TABLE s_companies OPTIONS (ADD fetch_size '5', ADD prefetch '3');
\! $PHCTL fault '{"path": "/companies", "query_contains": "offset=9", "action": "delay_headers", "ms": 30000}'
BEGIN;
SAVEPOINT s;
SET LOCAL statement_timeout = '500ms';
SELECT count(*) FROM s_companies;  -- ERROR
ROLLBACK TO SAVEPOINT s;
SELECT id, name FROM s_companies LIMIT 2;
COMMIT;
\! $PHCTL faults-clear
SELECT count(*) > 10 AS all_pages FROM s_companies;
ALTER FOREIGN TABLE s_companies OPTIONS (DROP fetch_size, DROP prefetch);

-- =====================================================================
-- a timeout caught by PL/pgSQL: the connection stays usable in the same
-- transaction
-- =====================================================================
\! $PHCTL fault '{"path": "/companies", "action": "delay_headers", "ms": 30000}'
SET statement_timeout = '500ms';
DO $$
DECLARE
  n bigint;
BEGIN
  BEGIN
    PERFORM count(*) FROM s_companies;
  EXCEPTION WHEN query_canceled THEN
    RAISE NOTICE 'caught: %', SQLERRM;
  END;
  SELECT count(*) INTO n FROM (SELECT id FROM s_companies LIMIT 2) s;
  RAISE NOTICE 'then read % rows', n;
END $$;
RESET statement_timeout;
SELECT id, name FROM s_companies LIMIT 2;
SELECT server_name, valid FROM planhat_fdw_get_connections() WHERE server_name = 'slow';

-- =====================================================================
-- statement_timeout while the client-side rate limiter spaces requests: at 0.5
-- requests per second, the request after this lookup may start only 2 s later
-- =====================================================================
ALTER SERVER slow OPTIONS (ADD max_requests_per_second '0.5');
\! $PHCTL clear
SELECT id FROM s_companies WHERE id = '000000000000000000000000';
SET statement_timeout = '700ms';
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FROM s_companies;  -- ERROR
RESET statement_timeout;
SELECT clock_timestamp() - :'t0' < interval '1.7 s' AS within_a_second_of_the_timeout;
\! $PHCTL log --status --clear
ALTER SERVER slow OPTIONS (DROP max_requests_per_second);

DROP SERVER slow CASCADE;
\! $PHCTL reset
