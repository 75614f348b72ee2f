--
-- The fault matrix: every fault the emulator can inject, met through real
-- foreign scans and writes.  Each case shows the rows or the exact error
-- (with its SQLSTATE) and the requests Planhat received, so the number of
-- attempts is visible.  Server "faulty" allows max_retries 2: at most three
-- attempts per request.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\getenv planhat_url PLANHAT_URL
\getenv planhat_token PLANHAT_TOKEN
\! $PHCTL reset
CREATE SERVER faulty FOREIGN DATA WRAPPER planhat_fdw
  OPTIONS (url :'planhat_url', max_retries '2', timeout_ms '2000');
CREATE USER MAPPING FOR CURRENT_USER SERVER faulty OPTIONS (api_token :'planhat_token');
CREATE FOREIGN TABLE f_companies (id text, name text, external_id text, phase text)
  SERVER faulty OPTIONS (resource 'companies');
-- show_error(): for errors whose libcurl text carries a duration or is
-- worded differently by libcurl 8 (sql/include/errors.sql)
\set ECHO none
\i sql/include/errors.sql
\i sql/include/explain.sql
\set ECHO all
-- counters of this backend, reset before the cases that show them
CREATE VIEW counters AS
  SELECT requests, requests_get AS get, requests_post AS post, requests_put AS put,
         requests_delete AS delete, retries, rate_limited, errors
  FROM planhat_fdw_stats();

-- =====================================================================
-- reads: one request per statement (LIMIT is pushed), faults on it
-- =====================================================================
-- the plain answer
\! $PHCTL clear
SELECT id, name FROM f_companies LIMIT 2;
\! $PHCTL log --status --clear

-- 401: not retried; the hint names the user mapping and the region URL
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 401, "body": {"error": "Invalid API token"}}'
SELECT id, name FROM f_companies LIMIT 2;  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL log --status --clear

-- 403: not retried
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 403}'
SELECT id, name FROM f_companies LIMIT 2;  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL log --status --clear

-- 404 on a list: an error naming the path, never an empty result
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 404}'
SELECT id, name FROM f_companies LIMIT 2;  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL log --status --clear

-- 404 on a lookup by id: no such record, zero rows
\! $PHCTL fault '{"path": "/companies/5685c180bc989db911000000", "action": "status", "status": 404}'
SELECT id, name FROM f_companies WHERE id = '5685c180bc989db911000000';
\! $PHCTL log --status --clear

-- 429 with Retry-After: 1: one wait of a second, then the answer
SELECT planhat_fdw_stats_reset();
\! $PHCTL fault '{"path": "/companies", "action": "rate_limit", "retry_after": 1}'
SELECT clock_timestamp() AS t0 \gset
SELECT id, name FROM f_companies LIMIT 2;
SELECT clock_timestamp() - :'t0' >= interval '1 s' AS waited_a_second;
\! $PHCTL log --status --clear
SELECT * FROM counters;
-- the same in EXPLAIN ANALYZE: the 429, the retry and the wait, as
-- planhat_fdw_stats() counts them
SELECT planhat_fdw_stats_reset();
\! $PHCTL fault '{"path": "/companies", "action": "rate_limit", "retry_after": 1}'
SELECT * FROM explain_analyze_waits('SELECT id, name FROM f_companies LIMIT 2');
\! $PHCTL log --status --clear
SELECT c.*, floor(s.wait_ms / 1000) AS wait_s FROM counters c, planhat_fdw_stats() s;

-- 429 asking for a wait longer than planhat_fdw holds a statement (120 s):
-- reported at once
\! $PHCTL fault '{"path": "/companies", "action": "rate_limit", "retry_after": 600}'
SELECT id, name FROM f_companies LIMIT 2;  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL log --status --clear

-- 429 on every attempt: the error after max_retries, with Planhat's message
\! $PHCTL fault '{"path": "/companies", "action": "rate_limit", "retry_after": 0, "times": -1, "body": {"error": "API rate limit exceeded"}}'
SELECT id, name FROM f_companies LIMIT 2;  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL faults-clear
\! $PHCTL log --status --clear

-- 500 twice, then the answer: three requests
SELECT planhat_fdw_stats_reset();
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 500, "times": 2}'
SELECT id, name FROM f_companies LIMIT 2;
\! $PHCTL log --status --clear
SELECT * FROM counters;

-- 500 beyond max_retries: three requests, then the error
SELECT planhat_fdw_stats_reset();
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 500, "times": 3, "body": {"error": "Something broke"}}'
SELECT id, name FROM f_companies LIMIT 2;  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL log --status --clear
SELECT * FROM counters;

-- 502, 503 and 504 once each: retried
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 502}'
SELECT id, name FROM f_companies LIMIT 2;
\! $PHCTL log --status --clear
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 503}'
SELECT id, name FROM f_companies LIMIT 2;
\! $PHCTL log --status --clear
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 504}'
SELECT id, name FROM f_companies LIMIT 2;
\! $PHCTL log --status --clear
-- a 503 whose Retry-After is beyond what planhat_fdw waits: reported at once
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 503, "headers": {"Retry-After": "3600"}, "body": {"error": "Down for maintenance"}}'
SELECT id, name FROM f_companies LIMIT 2;  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL log --status --clear

-- a proxy's HTML error page (502): retried, then reported with its text
\! $PHCTL fault '{"path": "/companies", "action": "html_error", "status": 502, "times": -1}'
SELECT id, name FROM f_companies LIMIT 2;  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL faults-clear
\! $PHCTL log --status --clear

-- the rest uses an empty list, whose answer is exactly "[]"
\! $PHCTL clear
SELECT id FROM f_companies WHERE id IN ('000000000000000000000001', '000000000000000000000002');
\! $PHCTL log --status --clear

-- an HTML page with status 200: not JSON, not retried
\! $PHCTL fault '{"path": "/companies", "action": "content_type", "content_type": "text/html; charset=utf-8"}'
SELECT id FROM f_companies WHERE id IN ('000000000000000000000001', '000000000000000000000002');  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL log --status --clear

-- malformed JSON with status 200: the error names table, request and offset
\! $PHCTL fault '{"path": "/companies", "action": "malformed_json", "body": "[{\"_id\": \"a\"} {\"_id\": \"b\"}]"}'
SELECT id FROM f_companies WHERE id IN ('000000000000000000000001', '000000000000000000000002');  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL fault '{"path": "/companies", "action": "malformed_json", "body": "[{\"_id\": \"000000000000000000000001\"}, {\"_id\": "}'
SELECT id FROM f_companies WHERE id IN ('000000000000000000000001', '000000000000000000000002');  -- ERROR
\! $PHCTL log --status --clear

-- a body cut short of its Content-Length: retried; once, then every time
\! $PHCTL fault '{"path": "/companies", "action": "truncated_body", "bytes": 1}'
SELECT id FROM f_companies WHERE id IN ('000000000000000000000001', '000000000000000000000002');
\! $PHCTL log --status --clear
\! $PHCTL fault '{"path": "/companies", "action": "truncated_body", "bytes": 1, "times": -1}'
SELECT * FROM show_error($$SELECT id FROM f_companies WHERE id IN ('000000000000000000000001', '000000000000000000000002')$$);
\! $PHCTL faults-clear
\! $PHCTL log --status --clear

-- a dropped connection (closed without an answer): retried.  Each case
-- starts on a fresh connection: when a reused keep-alive connection turns
-- out dead, libcurl itself resends the request once more.
SELECT planhat_fdw_disconnect('faulty');
\! $PHCTL fault '{"path": "/companies", "action": "drop_connection"}'
SELECT id, name FROM f_companies LIMIT 2;
\! $PHCTL log --status --clear
SELECT planhat_fdw_disconnect('faulty');
\! $PHCTL fault '{"path": "/companies", "action": "drop_connection", "times": -1}'
SELECT id, name FROM f_companies LIMIT 2;  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL faults-clear
\! $PHCTL log --status --clear

-- headers slower than timeout_ms: each attempt gives up after 300 ms (the
-- log shows the status the emulator was going to send)
ALTER SERVER faulty OPTIONS (SET timeout_ms '300');
\! $PHCTL fault '{"path": "/companies", "action": "delay_headers", "ms": 1000}'
SELECT id, name FROM f_companies LIMIT 2;
\! $PHCTL log --status --clear
\! $PHCTL fault '{"path": "/companies", "action": "delay_headers", "ms": 1000, "times": -1}'
SELECT clock_timestamp() AS t0 \gset
SELECT * FROM show_error('SELECT id, name FROM f_companies LIMIT 2');
SELECT clock_timestamp() - :'t0' < interval '3 s' AS within_the_attempts;
\! $PHCTL faults-clear
\! $PHCTL log --status --clear
ALTER SERVER faulty OPTIONS (SET timeout_ms '2000');

-- connection refused: nothing listens on port 1 of this host
CREATE SERVER refused FOREIGN DATA WRAPPER planhat_fdw
  OPTIONS (url 'http://127.0.0.1:1', max_retries '2');
CREATE USER MAPPING FOR CURRENT_USER SERVER refused OPTIONS (api_token :'planhat_token');
CREATE FOREIGN TABLE r_companies (id text, name text) SERVER refused OPTIONS (resource 'companies');
SELECT * FROM show_error('SELECT id, name FROM r_companies LIMIT 2');

-- =====================================================================
-- writes: retried only when repeating them cannot do harm
-- =====================================================================
-- POST (create) with a 500: Planhat may have created the object, so it is
-- not sent again
SELECT planhat_fdw_stats_reset();
\! $PHCTL fault '{"method": "POST", "path": "/companies", "action": "status", "status": 500, "process": true}'
INSERT INTO f_companies (name) VALUES ('Fault Line AS');  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL log --status --clear
SELECT * FROM counters;
SELECT count(*) FROM f_companies WHERE name = 'Fault Line AS';
\! $PHCTL clear
-- POST whose connection drops after Planhat stored it: one request, one object
\! $PHCTL fault '{"method": "POST", "path": "/companies", "action": "drop_connection", "process": true}'
INSERT INTO f_companies (name) VALUES ('Dropped Line AS');  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL log --status --clear
SELECT count(*) FROM f_companies WHERE name = 'Dropped Line AS';
\! $PHCTL clear
-- POST answered slower than timeout_ms: it reached Planhat, not sent again
ALTER SERVER faulty OPTIONS (SET timeout_ms '300');
\! $PHCTL fault '{"method": "POST", "path": "/companies", "action": "delay_headers", "ms": 1000}'
SELECT * FROM show_error($$INSERT INTO f_companies (name) VALUES ('Slow Line AS')$$);
\! $PHCTL log --status --clear
ALTER SERVER faulty OPTIONS (SET timeout_ms '2000');
-- POST refused with 429: Planhat did not take it, so it is sent again
\! $PHCTL fault '{"method": "POST", "path": "/companies", "action": "rate_limit", "retry_after": 0}'
INSERT INTO f_companies (name) VALUES ('Limited Line AS') RETURNING name;
\! $PHCTL log --status --clear
SELECT count(*) FROM f_companies WHERE name = 'Limited Line AS';
\! $PHCTL clear
-- the same under EXPLAIN ANALYZE: the write's 429, its wait and the bytes
-- of its body, as planhat_fdw_stats() counts them
SELECT planhat_fdw_stats_reset();
\! $PHCTL fault '{"method": "POST", "path": "/companies", "action": "rate_limit", "retry_after": 1}'
SELECT * FROM explain_analyze_waits($$INSERT INTO f_companies (name) VALUES ('Explained Line AS')$$);
\! $PHCTL log --status --clear
SELECT c.*, s.bytes_sent, floor(s.wait_ms / 1000) AS wait_s
FROM counters c, planhat_fdw_stats() s;
\! $PHCTL clear
-- POST that cannot connect: certainly not sent, so retried
SELECT * FROM show_error($$INSERT INTO r_companies (name) VALUES ('Nowhere AS')$$);

-- PUT by id: retried
SELECT planhat_fdw_stats_reset();
\! $PHCTL fault '{"method": "PUT", "path": "/companies/5685c180bc989db911000000", "action": "status", "status": 503, "times": 2}'
UPDATE f_companies SET phase = 'Renewal' WHERE id = '5685c180bc989db911000000' RETURNING name, phase;
\! $PHCTL log --status --clear
SELECT * FROM counters;

-- bulk upsert where every row carries a key (externalId): retried
CREATE FOREIGN TABLE f_company_bulk (id text, name text, external_id text)
  SERVER faulty OPTIONS (resource 'companies', batch_size '100');
SELECT planhat_fdw_stats_reset();
\! $PHCTL fault '{"method": "PUT", "path": "/companies", "action": "status", "status": 500, "process": true}'
INSERT INTO f_company_bulk (name, external_id) VALUES ('Keyed One', 'keyed-1'), ('Keyed Two', 'keyed-2');
\! $PHCTL log --status --clear
SELECT * FROM counters;
SELECT count(*) FROM f_companies WHERE external_id IN ('keyed-1', 'keyed-2');
\! $PHCTL clear
-- a bulk upsert with a row without a key would create it twice: not retried
\! $PHCTL fault '{"method": "PUT", "path": "/companies", "action": "status", "status": 500}'
INSERT INTO f_company_bulk (name, external_id) VALUES ('Keyed Three', 'keyed-3'), ('Unkeyed', NULL);  -- ERROR
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\! $PHCTL log --status --clear
-- DELETE by key: retried
\! $PHCTL fault '{"method": "DELETE", "path_prefix": "/companies/", "action": "status", "status": 502}'
DELETE FROM f_companies WHERE external_id = 'keyed-1';
\! $PHCTL log --status --clear

-- =====================================================================
-- a stand-in that ignores limit or offset cannot make rows appear twice
-- =====================================================================
CREATE FOREIGN TABLE f_paged (id text, name text)
  SERVER faulty OPTIONS (resource 'companies', fetch_size '3', prefetch '0');
-- offset ignored: every page is the first one again (the scan would never end)
\! $PHCTL fault '{"path": "/companies", "query_contains": "select=_id&limit=", "action": "status", "status": 200, "times": -1, "body": [{"_id": "a1", "name": "A"}, {"_id": "a2", "name": "B"}, {"_id": "a3", "name": "C"}]}'
SELECT count(*) FROM f_paged;  -- ERROR
\! $PHCTL log --clear
\! $PHCTL faults-clear
-- limit ignored: more rows than asked for
\! $PHCTL fault '{"path": "/companies", "query_contains": "limit=3", "action": "status", "status": 200, "body": [{"_id": "b1"}, {"_id": "b2"}, {"_id": "b3"}, {"_id": "b4"}]}'
SELECT count(*) FROM f_paged;  -- ERROR
\! $PHCTL log --clear
DROP FOREIGN TABLE f_paged;

-- =====================================================================
-- after all this, the same session and connection work
-- =====================================================================
SELECT id, name FROM f_companies LIMIT 2;
SELECT server_name, valid FROM planhat_fdw_get_connections() ORDER BY 1;

DROP SERVER faulty, refused CASCADE;
DROP VIEW counters;
DROP FUNCTION show_error(text), older_wording(text);
DROP FUNCTION explain_analyze(text, boolean), explain_verbose(text), explain_analyze_waits(text);
\! $PHCTL reset
