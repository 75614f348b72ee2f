--
-- Hostile hosts and untrusted roles: the allowlist of hosts (with a
-- non-superuser role), tokens a host echoes back (test/hostile/hostile.py
-- echoes both in every kind of answer), the memory budget against an answer
-- that never ends, paging that repeats pages, the rate limiter per server,
-- proxies, id columns whose text is not the id, long custom field names.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\getenv planhat_url PLANHAT_URL
\getenv planhat_token PLANHAT_TOKEN
\getenv planhat_tenant PLANHAT_TENANT
\! $PHCTL reset
SET search_path = public, planhat;
LOAD 'planhat_fdw';
-- the hostile server (its URL holds a port that changes: never printed)
\set hostile `python3 test/hostile/hostile.py start`
CREATE ROLE regress_hostile_owner;
GRANT USAGE ON FOREIGN DATA WRAPPER planhat_fdw TO regress_hostile_owner;

-- =====================================================================
-- planhat_fdw.allowed_hosts: a non-superuser may point a server only at
-- Planhat's hosts (by default *.planhat.com and *.planhatdemo.com, https)
-- =====================================================================
SHOW planhat_fdw.allowed_hosts;
SET ROLE regress_hostile_owner;
CREATE SERVER user_eu FOREIGN DATA WRAPPER planhat_fdw
  OPTIONS (url 'https://api-eu.planhat.com', analytics_url 'https://analytics.planhat.com:443/');
ALTER SERVER user_eu OPTIONS (SET url 'https://API.planhatdemo.com/v1');
-- loopback, private and link-local addresses, other ports and look-alikes
CREATE SERVER bad FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url 'https://169.254.169.254/latest/meta-data');  -- ERROR
CREATE SERVER bad FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url 'https://localhost:5432');  -- ERROR
CREATE SERVER bad FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url 'https://[::1]/');  -- ERROR
CREATE SERVER bad FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url 'https://2130706433');  -- ERROR
CREATE SERVER bad FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url 'https://api.planhat.com.evil.example');  -- ERROR
CREATE SERVER bad FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url 'https://planhat.com');  -- ERROR
CREATE SERVER bad FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url 'https://api%2eplanhat.com');  -- ERROR
-- https only
CREATE SERVER bad FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url 'http://api.planhat.com');  -- ERROR
ALTER SERVER user_eu OPTIONS (SET analytics_url 'http://10.0.0.1:8080');  -- ERROR
-- proxies and CA files are a superuser's (see also the wrapper below)
ALTER SERVER user_eu OPTIONS (ADD proxy 'http://10.0.0.1:3128');  -- ERROR
ALTER SERVER user_eu OPTIONS (ADD proxy 'none');
-- the setting itself is a superuser's
SET planhat_fdw.allowed_hosts = '*';  -- ERROR
DROP SERVER user_eu;
RESET ROLE;
-- malformed values of the setting
SET planhat_fdw.allowed_hosts = 'ftp://example.com';  -- ERROR
SET planhat_fdw.allowed_hosts = '*.planhat.com, a*b';  -- ERROR
SET planhat_fdw.allowed_hosts = 'api.planhat.com:99999';  -- ERROR

-- a server whose owner is not a superuser is checked again when it
-- connects: here a superuser made it (any host is allowed to superusers)
-- and handed it over
CREATE SERVER handed FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url :'planhat_url', max_retries '0');
ALTER SERVER handed OWNER TO regress_hostile_owner;
CREATE USER MAPPING FOR regress_hostile_owner SERVER handed OPTIONS (api_token :'planhat_token');
CREATE FOREIGN TABLE handed_companies (id text, name text) SERVER handed OPTIONS (resource 'companies');
GRANT SELECT ON handed_companies TO regress_hostile_owner;
\! $PHCTL clear
SET ROLE regress_hostile_owner;
SELECT id FROM handed_companies LIMIT 1;  -- ERROR
-- its owner cannot change its options while it points there
ALTER SERVER handed OPTIONS (ADD timeout_ms '30000');  -- ERROR
RESET ROLE;
-- nothing reached the host
\! $PHCTL log
-- a superuser allows the emulator's host (any port), for this session
SET planhat_fdw.allowed_hosts = 'http://127.0.0.1, *.planhat.com, *.planhatdemo.com';
SET ROLE regress_hostile_owner;
SELECT count(*) FROM (SELECT id FROM handed_companies LIMIT 2) s;
ALTER SERVER handed OPTIONS (ADD timeout_ms '30000');
RESET ROLE;
\! $PHCTL log
-- the analytics host too: it is checked even when only the API is used
ALTER SERVER handed OPTIONS (ADD analytics_url 'https://127.0.0.1:1');
SET ROLE regress_hostile_owner;
SELECT id FROM handed_companies LIMIT 1;  -- ERROR
RESET ROLE;
RESET planhat_fdw.allowed_hosts;
DROP SERVER handed CASCADE;

-- =====================================================================
-- tokens: a host that echoes the api token, the tenant token and the
-- bearer token it received in every kind of answer.  They show as ***.
-- =====================================================================
-- point server echo at one of the hostile server's answers
SELECT set_config('regress.hostile', :'hostile', false) IS NOT NULL AS set;
CREATE PROCEDURE echo_answers(path text) LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER SERVER echo OPTIONS (SET url %L)',
                 current_setting('regress.hostile') || path);
END $$;
\set u_echo_400 :hostile '/echo/400'
\set u_push :hostile '/push'
CREATE SERVER echo FOREIGN DATA WRAPPER planhat_fdw
  OPTIONS (url :'u_echo_400', analytics_url :'u_push', max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER echo
  OPTIONS (api_token :'planhat_token', tenant_token :'planhat_tenant');
CREATE FOREIGN TABLE echo_companies (id text, name text, external_id text)
  SERVER echo OPTIONS (resource 'companies', batch_size '2');
CREATE FOREIGN TABLE echo_metrics (dimension_id text, value numeric, external_id text)
  SERVER echo OPTIONS (resource 'metrics', batch_size '2');
SELECT id FROM echo_companies;  -- ERROR
CALL echo_answers('/echo/401');
SELECT id FROM echo_companies;  -- ERROR
CALL echo_answers('/echo/403');
SELECT id FROM echo_companies;  -- ERROR
CALL echo_answers('/echo/404');
SELECT id FROM echo_companies;  -- ERROR
CALL echo_answers('/echo/429');
SELECT id FROM echo_companies;  -- ERROR
CALL echo_answers('/echo/500');
SELECT id FROM echo_companies;  -- ERROR
UPDATE echo_companies SET name = 'x' WHERE id = 'a1';  -- ERROR
CALL echo_answers('/echo/html');
SELECT id FROM echo_companies;  -- ERROR
CALL echo_answers('/echo/text');
SELECT id FROM echo_companies;  -- ERROR
CALL echo_answers('/echo/redirect');
SELECT id FROM echo_companies;  -- ERROR
CALL echo_answers('/echo/badjson');
SELECT id FROM echo_companies;  -- ERROR
-- a message cut at 200 bytes, in the middle of the token: its head is masked
CALL echo_answers('/echo/long');
SELECT id FROM echo_companies;  -- ERROR
-- bulk upsert: every item rejected, item and message echoing the tokens
CALL echo_answers('/bulk');
INSERT INTO echo_companies (name, external_id) VALUES ('A', 'e1'), ('B', 'e2');  -- ERROR
-- analytics push: the same in its per-item errors
INSERT INTO echo_metrics VALUES ('logins', 1, 'e1'), ('logins', 2, 'e2');  -- ERROR
-- what the host received (the tenant token is in the push's path)
\! python3 test/hostile/hostile.py log | sed "s/$PLANHAT_TENANT/<tenant token>/"

-- through views, the view owner's mapping is used: another role must not
-- see the owner's tokens either
CREATE ROLE regress_hostile_reader;
CREATE VIEW echo_view AS SELECT id, name FROM echo_companies;
CREATE VIEW echo_metrics_view AS SELECT * FROM echo_metrics;
GRANT USAGE ON SCHEMA planhat TO regress_hostile_reader;
GRANT SELECT ON echo_view TO regress_hostile_reader;
GRANT INSERT ON echo_metrics_view TO regress_hostile_reader;
CALL echo_answers('/echo/400');
-- a host outside the allowlist: a non-superuser does not see its text
SET ROLE regress_hostile_reader;
SELECT id FROM echo_view;  -- ERROR
INSERT INTO echo_metrics_view VALUES ('logins', 1, 'e1');  -- ERROR
RESET ROLE;
-- an allowed host: the text is shown, without the tokens
SET planhat_fdw.allowed_hosts = 'http://127.0.0.1';
SET ROLE regress_hostile_reader;
SELECT id FROM echo_view;  -- ERROR
INSERT INTO echo_metrics_view VALUES ('logins', 1, 'e1');  -- ERROR
RESET ROLE;
RESET planhat_fdw.allowed_hosts;
\! python3 test/hostile/hostile.py log >/dev/null
DROP VIEW echo_view, echo_metrics_view;
DROP SERVER echo CASCADE;
DROP PROCEDURE echo_answers(text);

-- =====================================================================
-- bounded memory: answers in flight (being received, or received and not
-- yet read) stay within planhat_fdw.memory_budget.  A host that streams
-- every page from row 8 on without end, with prefetch 8: once the first
-- pages were read, 8 more are asked for ahead, their answers fill the
-- budget, and the one the scan needs next fails the statement.
-- =====================================================================
SHOW planhat_fdw.memory_budget;
\set u_stream :hostile '/stream'
CREATE SERVER endless FOREIGN DATA WRAPPER planhat_fdw
  OPTIONS (url :'u_stream', max_retries '0', max_requests_per_second '1000');
CREATE USER MAPPING FOR CURRENT_USER SERVER endless OPTIONS (api_token :'planhat_token');
CREATE FOREIGN TABLE endless_companies (id text, name text)
  SERVER endless OPTIONS (resource 'companies', fetch_size '2', prefetch '8');
SET planhat_fdw.memory_budget = '4MB';
SELECT count(*) FROM endless_companies;  -- ERROR
-- the five pages before row 8, then the sixth (offset 9) and at most 8
-- in flight (how many of the 8 are sent before the failure depends on
-- timing; a prefetched answer that does not fit is asked for again later:
-- each request is counted once)
\! python3 test/hostile/hostile.py log | sort -u | awk -F'offset=' '{ o[$2] = 1; n++; if ($2 != 0 && ($2 % 2 == 0 || $2 > 25)) bad++ } END { print "pages before row 8:", (0 in o && 1 in o && 3 in o && 5 in o && 7 in o) ? "asked" : "NOT asked", "| next page:", (9 in o) ? "asked" : "NOT asked", "| beyond 1 + prefetch 8 pages:", bad + 0, "| at most 14 requests:", (n <= 14) ? "yes" : "no, " n }'
-- nothing is left held
SELECT count(*) FROM (SELECT id FROM planhat.companies LIMIT 3) s;
RESET planhat_fdw.memory_budget;
-- only superusers set it
SET ROLE regress_hostile_owner;
SET planhat_fdw.memory_budget = '1GB';  -- ERROR
RESET ROLE;
DROP SERVER endless CASCADE;

-- =====================================================================
-- paging always ends: a page that repeats any earlier page of the list,
-- or full pages of rows without _id, are an error
-- =====================================================================
CREATE FOREIGN TABLE paged (id text, name text)
  SERVER planhat OPTIONS (resource 'companies', fetch_size '3', prefetch '0');
-- pages A, B, A, B, ...: caught at the first row of the third page (each
-- page after the first begins with the last row of the one before, at
-- offsets 0, 2, 5, 8, ...)
\! $PHCTL fault '{"path": "/companies", "query_contains": "offset=0", "action": "status", "status": 200, "times": -1, "body": [{"_id": "a1"}, {"_id": "a2"}, {"_id": "a3"}]}'
\! $PHCTL fault '{"path": "/companies", "query_contains": "offset=2", "action": "status", "status": 200, "times": -1, "body": [{"_id": "a3"}, {"_id": "b1"}, {"_id": "b2"}, {"_id": "b3"}]}'
\! $PHCTL fault '{"path": "/companies", "query_contains": "offset=5", "action": "status", "status": 200, "times": -1, "body": [{"_id": "a1"}, {"_id": "a2"}, {"_id": "a3"}]}'
\! $PHCTL clear
SELECT count(*) FROM paged;  -- ERROR
\! $PHCTL log
-- the same with prefetch: the pages in flight are dropped
ALTER FOREIGN TABLE paged OPTIONS (SET prefetch '4');
SELECT count(*) FROM paged;  -- ERROR
ALTER FOREIGN TABLE paged OPTIONS (SET prefetch '0');
\! $PHCTL faults-clear
-- A, B, C, then A's rows in another order: caught at the last row of the
-- fourth page
\! $PHCTL fault '{"path": "/companies", "query_contains": "offset=0", "action": "status", "status": 200, "times": -1, "body": [{"_id": "a1"}, {"_id": "a2"}, {"_id": "a3"}]}'
\! $PHCTL fault '{"path": "/companies", "query_contains": "offset=2", "action": "status", "status": 200, "times": -1, "body": [{"_id": "a3"}, {"_id": "b1"}, {"_id": "b2"}, {"_id": "b3"}]}'
\! $PHCTL fault '{"path": "/companies", "query_contains": "offset=5", "action": "status", "status": 200, "times": -1, "body": [{"_id": "b3"}, {"_id": "c1"}, {"_id": "c2"}, {"_id": "c3"}]}'
\! $PHCTL fault '{"path": "/companies", "query_contains": "offset=8", "action": "status", "status": 200, "times": -1, "body": [{"_id": "c3"}, {"_id": "a3"}, {"_id": "a1"}, {"_id": "a2"}]}'
\! $PHCTL clear
SELECT count(*) FROM paged;  -- ERROR
\! $PHCTL log
\! $PHCTL faults-clear
-- full pages of rows without _id (and offset ignored): a repeat could not
-- be seen, so the first row is an error
\! $PHCTL fault '{"path": "/companies", "query_contains": "limit=3", "action": "status", "status": 200, "times": -1, "body": [{"name": "A"}, {"name": "B"}, {"name": "C"}]}'
SELECT count(*) FROM paged;  -- ERROR
\! $PHCTL faults-clear
-- a last (short) page needs no _id: nothing follows it
\! $PHCTL fault '{"path": "/companies", "query_contains": "limit=3", "action": "status", "status": 200, "body": [{"name": "A"}, {"name": "B"}]}'
SELECT count(*), count(id) FROM paged;
\! $PHCTL faults-clear
-- a normal list, page after page, is unaffected
SELECT count(*) = (SELECT count(*) FROM emulator_data('companies')) AS all_rows,
       count(DISTINCT id) = count(*) AS distinct_ids
FROM paged;
DROP FOREIGN TABLE paged;

-- =====================================================================
-- the rate limiter is per server and user mapping: a slow server does not
-- hold back another one's requests; its own waits are interruptible; a
-- raised limit applies at once
-- =====================================================================
CREATE SERVER slow FOREIGN DATA WRAPPER planhat_fdw
  OPTIONS (url :'planhat_url', max_requests_per_second '0.001');
CREATE USER MAPPING FOR CURRENT_USER SERVER slow OPTIONS (api_token :'planhat_token');
CREATE FOREIGN TABLE slow_companies (id text) SERVER slow OPTIONS (resource 'companies');
-- the first request goes at once; the next one may start in 1000 s
SELECT count(*) FROM (SELECT id FROM slow_companies LIMIT 1) s;
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FROM (SELECT id FROM companies LIMIT 1) s;
SELECT count(*) FROM (SELECT id FROM companies WHERE id = 'none') s;
SELECT clock_timestamp() - :'t0' < interval '5 s' AS other_server_did_not_wait;
SET statement_timeout = '300ms';
SELECT id FROM slow_companies LIMIT 1;  -- ERROR
RESET statement_timeout;
ALTER SERVER slow OPTIONS (SET max_requests_per_second '100');
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FROM (SELECT id FROM slow_companies LIMIT 1) s;
SELECT clock_timestamp() - :'t0' < interval '5 s' AS raised_limit_applies;
DROP SERVER slow CASCADE;

-- =====================================================================
-- proxies: by default libcurl follows the server process's http_proxy,
-- https_proxy, all_proxy and no_proxy; the proxy option sets one, or none
-- =====================================================================
CREATE SERVER via_proxy FOREIGN DATA WRAPPER planhat_fdw
  OPTIONS (url 'http://planhat.invalid/ok', proxy :'hostile', max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER via_proxy OPTIONS (api_token :'planhat_token');
CREATE FOREIGN TABLE proxied (id text, name text) SERVER via_proxy OPTIONS (resource 'companies');
SELECT * FROM proxied;
\! python3 test/hostile/hostile.py log
ALTER SERVER via_proxy OPTIONS (SET proxy 'none');
SELECT * FROM proxied;  -- ERROR
\! python3 test/hostile/hostile.py log
-- on the wrapper, for every server
ALTER SERVER via_proxy OPTIONS (DROP proxy);
ALTER FOREIGN DATA WRAPPER planhat_fdw OPTIONS (ADD proxy :'hostile');
SELECT * FROM proxied;
\! python3 test/hostile/hostile.py log
ALTER FOREIGN DATA WRAPPER planhat_fdw OPTIONS (DROP proxy);
-- malformed values
ALTER SERVER via_proxy OPTIONS (ADD proxy 'off');  -- ERROR
ALTER SERVER via_proxy OPTIONS (ADD proxy 'http://user:pw@proxy.example');  -- ERROR
ALTER SERVER via_proxy OPTIONS (ADD proxy 'ftp://proxy.example');  -- ERROR
DROP SERVER via_proxy CASCADE;

-- =====================================================================
-- the column mapped to _id must give the id back as Planhat has it:
-- char(n) pads it, json and jsonb quote it.  Refused when planned, rather
-- than an UPDATE that finds nothing.
-- =====================================================================
CREATE FOREIGN TABLE id_padded (id char(30), name text) SERVER planhat OPTIONS (resource 'companies');
SELECT id FROM id_padded LIMIT 1;  -- ERROR
UPDATE id_padded SET name = 'x' WHERE name = 'Acme';  -- ERROR
CREATE FOREIGN TABLE id_jsonb (id jsonb, name text) SERVER planhat OPTIONS (resource 'companies');
DELETE FROM id_jsonb WHERE name = 'Acme';  -- ERROR
CREATE FOREIGN TABLE id_named (ref char(24) OPTIONS (field '_id'), name text) SERVER planhat OPTIONS (resource 'companies');
SELECT ref FROM id_named LIMIT 1;  -- ERROR
-- text, varchar and domains over them are fine
CREATE DOMAIN planhat_id AS varchar(24);
CREATE FOREIGN TABLE id_domain (id planhat_id, name text) SERVER planhat OPTIONS (resource 'companies');
SELECT count(*) FROM (SELECT id FROM id_domain LIMIT 2) s;
DROP FOREIGN TABLE id_padded, id_jsonb, id_named, id_domain;
DROP DOMAIN planhat_id;

-- =====================================================================
-- IMPORT FOREIGN SCHEMA: custom fields whose names agree in their first 63
-- bytes get distinct columns
-- =====================================================================
INSERT INTO customfields (name, type, parent) VALUES
  ('Quarterly business review outcome for the enterprise segment and region A', 'text', 'company'),
  ('Quarterly business review outcome for the enterprise segment and region B', 'text', 'company');
CREATE SCHEMA ph_long;
IMPORT FOREIGN SCHEMA planhat LIMIT TO (companies) FROM SERVER planhat INTO ph_long
  OPTIONS (import_custom_fields 'true');
SELECT attname, length(attname) AS len, attfdwoptions
FROM pg_attribute WHERE attrelid = 'ph_long.companies'::regclass AND attname LIKE 'quarterly%'
ORDER BY attnum;
DROP SCHEMA ph_long CASCADE;
DELETE FROM customfields WHERE name LIKE 'Quarterly business review%';

\! python3 test/hostile/hostile.py stop
DROP OWNED BY regress_hostile_owner, regress_hostile_reader;
DROP ROLE regress_hostile_owner, regress_hostile_reader;
\! $PHCTL reset
