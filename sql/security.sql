--
-- Security: keys and filter values can never change the request (the
-- exact requests Planhat received are shown), tokens are never printed,
-- planhat_fdw.log_requests, TLS verification, redirects, and the
-- connection functions (as postgres_fdw's).
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\getenv planhat_url PLANHAT_URL
\getenv planhat_token PLANHAT_TOKEN
\getenv planhat_tenant PLANHAT_TENANT
\getenv server_log PH_SERVER_LOG
\! $PHCTL reset
SET search_path = planhat, public;
-- show_error(): for errors worded differently by libcurl 8 and PostgreSQL 17
-- (sql/include/errors.sql)
\set ECHO none
\i sql/include/errors.sql
\set ECHO all

-- =====================================================================
-- keys in paths: every byte outside A-Z a-z 0-9 - . _ ~ is percent-encoded
-- =====================================================================
\! $PHCTL clear
SELECT id FROM companies WHERE id = 'a/b?c=d#e&f%g h''i"jé';
SELECT id FROM companies WHERE id = '../users';
-- dot-segments would be removed by URL normalisation: their dots are encoded
SELECT id FROM companies WHERE id IN ('..', '.');
SELECT id FROM companies WHERE external_id = '../x?y=1&z=2#w';
SELECT id FROM companies WHERE source_id = '%2F%3F';
\! $PHCTL log
-- writes by key: the same encoding
\! $PHCTL clear
UPDATE companies SET phase = 'x' WHERE id = 'a/b?c=d#e&f%g h''i"jé';
DELETE FROM companies WHERE id = '..';
DELETE FROM companies WHERE external_id = '../x?y=1';
\! $PHCTL log --body

-- an _id is never empty and never starts with Planhat's keyable prefixes:
-- such a key would address the list, or another object (PUT
-- /companies/extid-CUST-00001 updates the company whose externalId is
-- CUST-00001).  It matches no object, and no request is sent.
EXPLAIN (VERBOSE, COSTS OFF) UPDATE companies SET phase = 'Hijacked' WHERE id = 'extid-CUST-00001';
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM companies WHERE id IN ('', 'srcid-x', 'EXTID-y', '5685c180bc989db911000000');
\! $PHCTL clear
UPDATE companies SET phase = 'Hijacked' WHERE id = 'extid-CUST-00001' RETURNING id, name;
DELETE FROM companies WHERE id = 'srcid-CUST-00003';
UPDATE companies SET phase = 'Hijacked' WHERE id = '';
DELETE FROM companies WHERE id = '';
SELECT id FROM companies WHERE id = '';
SELECT id FROM companies WHERE id IN ('', 'srcid-x', 'EXTID-y', '5685c180bc989db911000000');
\! $PHCTL log
SELECT external_id, phase <> 'Hijacked' AS untouched FROM companies
WHERE external_id IN ('CUST-00001', 'CUST-00003') ORDER BY 1;

-- =====================================================================
-- filter values: encoded, and values Planhat cannot take exactly are
-- checked here
-- =====================================================================
\! $PHCTL clear
SELECT count(*) FROM endusers WHERE company_id = 'a&archived=false&limit=1';
SELECT count(*) FROM endusers WHERE company_id IN ('a,b', 'c&d=e', '%2F', ' x ', 'é', 'x#y', 'q?r', '"''');
SELECT count(*) FROM endusers WHERE email = 'a+b@c.d&limit=1#x';
\! $PHCTL log
-- an empty value: Planhat ignores "companyId=" and answers every row, which
-- must not all come back
\! $PHCTL clear
SELECT count(*) FROM endusers WHERE company_id = '';
SELECT count(*) FROM endusers WHERE company_id IN ('', '000000000000000000000001');
SELECT count(*) FROM endusers WHERE email = '';
\! $PHCTL log

-- =====================================================================
-- tokens are never printed
-- =====================================================================
-- Planhat echoing the token back: masked in the error
\! $PHCTL fault "{\"path\": \"/companies\", \"action\": \"status\", \"status\": 400, \"body\": {\"error\": \"token $PLANHAT_TOKEN is not valid here\"}}"
SELECT id FROM companies LIMIT 1;  -- ERROR
-- the tenant token (a path segment of the analytics pushes): shown as ***
-- in EXPLAIN, errors and Planhat's messages
ALTER USER MAPPING FOR CURRENT_USER SERVER planhat OPTIONS (ADD tenant_token :'planhat_tenant');
EXPLAIN (VERBOSE, COSTS OFF) INSERT INTO metrics (dimension_id, value, external_id) VALUES ('logins', 3, 'CUST-00001');
\! $PHCTL fault "{\"method\": \"POST\", \"path_prefix\": \"/dimensiondata/\", \"action\": \"status\", \"status\": 500, \"body\": {\"error\": \"tenant $PLANHAT_TENANT: try again\"}}"
INSERT INTO metrics (dimension_id, value, external_id) VALUES ('logins', 3, 'CUST-00001');  -- ERROR
\! $PHCTL fault "{\"method\": \"POST\", \"path_prefix\": \"/dimensiondata/\", \"action\": \"drop_connection\"}"
INSERT INTO metrics (dimension_id, value, external_id) VALUES ('logins', 3, 'CUST-00001');  -- ERROR
\! $PHCTL faults-clear
-- the user mapping's options are not readable by other roles
CREATE ROLE regress_planhat_sec;
SET ROLE regress_planhat_sec;
SELECT srvname, usename, umoptions FROM pg_user_mappings WHERE srvname = 'planhat';
SELECT count(*) FROM planhat_fdw_get_connections();
-- and a role without a mapping cannot use the server
SELECT id FROM planhat.companies LIMIT 1;  -- ERROR
RESET ROLE;
GRANT USAGE ON SCHEMA planhat TO regress_planhat_sec;
GRANT SELECT ON companies TO regress_planhat_sec;
SET ROLE regress_planhat_sec;
SELECT * FROM show_error('SELECT id FROM companies LIMIT 1');
RESET ROLE;

-- =====================================================================
-- planhat_fdw.log_requests: one LOG line per attempt, without host or token
-- =====================================================================
-- only superusers may turn it on
SET ROLE regress_planhat_sec;
SET planhat_fdw.log_requests = on;  -- ERROR
RESET ROLE;
-- (where the server log ends now: the lines below are read from there)
SELECT (pg_stat_file(:'server_log')).size AS log_offset \gset
SET planhat_fdw.log_requests = on;
\! $PHCTL fault '{"path": "/companies/extid-log-marker-1", "action": "status", "status": 503}'
SELECT id FROM companies WHERE external_id = 'log-marker-1';
\! $PHCTL fault '{"method": "POST", "path_prefix": "/dimensiondata/", "action": "status", "status": 400, "body": {"error": "rejected"}}'
INSERT INTO metrics (dimension_id, value, external_id) VALUES ('log-marker-2', 3, 'CUST-00001');  -- ERROR
RESET planhat_fdw.log_requests;
SELECT id FROM companies WHERE external_id = 'log-marker-3';
-- the lines it logged (sizes and durations masked), in order
SELECT regexp_replace(regexp_replace(substring(line FROM 'LOG:  (.*)$'),
                                     '\([0-9]+ bytes, [0-9.]+ ms\)', '(N bytes, N ms)'),
                      'retry in [0-9]+ ms', 'retry in N ms') AS logged
FROM regexp_split_to_table(pg_read_file(:'server_log', :log_offset, 100000000), E'\n') AS line
WHERE line LIKE '%LOG:  planhat_fdw: %';
-- the token is nowhere in the server log (check.sh greps the whole log of
-- the suite again at the end)
SELECT count(*) AS token_in_log
FROM regexp_split_to_table(pg_read_file(:'server_log'), E'\n') AS line
WHERE strpos(line, :'planhat_token') > 0 OR strpos(line, :'planhat_tenant') > 0;
ALTER USER MAPPING FOR CURRENT_USER SERVER planhat OPTIONS (DROP tenant_token);

-- =====================================================================
-- redirects are not followed (the token must not travel to another host)
-- =====================================================================
\! $PHCTL clear
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 302, "headers": {"Location": "http://elsewhere.example/companies"}, "body": ""}'
SELECT id FROM companies LIMIT 1;  -- ERROR
\! $PHCTL log --status

-- =====================================================================
-- TLS: the certificate is always verified; ssl_ca_file trusts a private CA
-- =====================================================================
\getenv tls_url PLANHAT_TLS_URL
\getenv ca_file PLANHAT_CA_FILE
CREATE SERVER tls FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url :'tls_url', max_retries '2');
CREATE USER MAPPING FOR CURRENT_USER SERVER tls OPTIONS (api_token :'planhat_token');
CREATE FOREIGN TABLE tls_companies (id text, name text) SERVER tls OPTIONS (resource 'companies');
-- the emulator's self-signed certificate: refused, not retried
\! $PHCTL clear
SELECT * FROM show_error('SELECT id, name FROM tls_companies LIMIT 2');
-- with its CA
ALTER SERVER tls OPTIONS (ADD ssl_ca_file :'ca_file');
SELECT id, name FROM tls_companies LIMIT 2;
-- (the encodings libcurl accepts depend on its build; gzip is always one)
\! $PHCTL log --headers=User-Agent,Accept-Encoding --auth | sed 's/^\( *Accept-Encoding:\) .*gzip.*/\1 ..., gzip, .../'
-- on the wrapper (which only superusers alter), for every server
ALTER SERVER tls OPTIONS (DROP ssl_ca_file);
ALTER FOREIGN DATA WRAPPER planhat_fdw OPTIONS (ADD ssl_ca_file :'ca_file');
SELECT id, name FROM tls_companies LIMIT 2;
ALTER FOREIGN DATA WRAPPER planhat_fdw OPTIONS (DROP ssl_ca_file);
-- a CA file that cannot be read
ALTER SERVER tls OPTIONS (ADD ssl_ca_file '/nonexistent/ca.pem');
SELECT * FROM show_error('SELECT id, name FROM tls_companies LIMIT 2');
DROP SERVER tls CASCADE;

-- =====================================================================
-- planhat_fdw_get_connections / _disconnect / _disconnect_all, as in
-- postgres_fdw: one connection per server and user mapping, kept alive
-- across statements
-- =====================================================================
SELECT planhat_fdw_disconnect_all();
SELECT * FROM planhat_fdw_get_connections();
SELECT id FROM companies LIMIT 1;
SELECT * FROM planhat_fdw_get_connections();
-- in use in a transaction: not closed, with a warning
BEGIN;
SELECT id FROM companies LIMIT 1;
SELECT planhat_fdw_disconnect('planhat');
SELECT planhat_fdw_disconnect_all();
-- changing the server makes it invalid; it is closed when the transaction ends
ALTER SERVER planhat OPTIONS (ADD timeout_ms '30000');
SELECT * FROM planhat_fdw_get_connections();
COMMIT;
SELECT * FROM planhat_fdw_get_connections();
-- changed outside a transaction that uses it: closed at once
SELECT id FROM companies LIMIT 1;
ALTER SERVER planhat OPTIONS (DROP timeout_ms);
SELECT * FROM planhat_fdw_get_connections();
-- a dropped user mapping: closed at the end of the transaction
SELECT id FROM companies LIMIT 1;
BEGIN;
SELECT id FROM companies LIMIT 1;
DROP USER MAPPING FOR CURRENT_USER SERVER planhat;
SELECT * FROM planhat_fdw_get_connections();
ROLLBACK;
SELECT * FROM planhat_fdw_get_connections();
-- disconnect
SELECT id FROM companies LIMIT 1;
SELECT planhat_fdw_disconnect('planhat');
SELECT planhat_fdw_disconnect('planhat');
SELECT * FROM planhat_fdw_get_connections();
SELECT planhat_fdw_disconnect('no_such_server');  -- ERROR

-- =====================================================================
-- a database in another encoding: keys and values go out as UTF-8, which
-- is what Planhat decodes
-- =====================================================================
\set regress_db :DBNAME
-- (left behind by a run that was stopped half-way)
SET client_min_messages = warning;
DROP DATABASE IF EXISTS regress_planhat_latin1 WITH (FORCE);
RESET client_min_messages;
CREATE DATABASE regress_planhat_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'
  TEMPLATE template0;
\c regress_planhat_latin1
SET client_encoding = 'UTF8';
CREATE EXTENSION planhat_fdw;
CREATE SERVER planhat FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url :'planhat_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER planhat OPTIONS (api_token :'planhat_token');
CREATE FOREIGN TABLE companies (id text, name text, external_id text)
  SERVER planhat OPTIONS (resource 'companies');
CREATE FOREIGN TABLE endusers (id text, email text) SERVER planhat OPTIONS (resource 'endusers');
\! $PHCTL clear
SELECT id, name, external_id FROM companies WHERE external_id = 'ÅNG/001';
SELECT id, name FROM companies WHERE id = 'Ångström';
SELECT count(*) FROM endusers WHERE email = 'zoë@example.com';
\! $PHCTL log
-- text Planhat sends that LATIN1 cannot hold is refused, naming the value
-- and the character; a jsonb key too
CREATE FOREIGN TABLE latin_assets (id text, name text, note text, attrs jsonb)
  SERVER planhat OPTIONS (resource 'assets');
\! $PHCTL fault '{"path": "/assets", "action": "status", "status": 200, "times": -1, "body": "[{\"_id\": \"l-1\", \"name\": \"Zoë\"}, {\"_id\": \"l-2\", \"name\": \"Zoë\", \"❤\": 1}, {\"_id\": \"l-3\", \"name\": \"Zoë\", \"note\": \"✓\"}]"}'
SELECT id, name FROM latin_assets;
SELECT id, note FROM latin_assets;  -- ERROR
SELECT id, attrs FROM latin_assets;  -- ERROR
-- a custom field name becomes a column name: one that LATIN1 cannot hold
-- is skipped with a warning, the others are imported
\! $PHCTL fault '{"path": "/customfields", "action": "status", "status": 200, "times": -1, "body": "[{\"_id\": \"cf-1\", \"name\": \"Café\", \"type\": \"number\", \"parent\": \"company\"}, {\"_id\": \"cf-2\", \"name\": \"Done ✓\", \"type\": \"text\", \"parent\": \"company\"}]"}'
CREATE SCHEMA latin_import;
IMPORT FOREIGN SCHEMA planhat LIMIT TO (companies) FROM SERVER planhat INTO latin_import
  OPTIONS (import_custom_fields 'true');
SELECT attname, attfdwoptions FROM pg_attribute
WHERE attrelid = 'latin_import.companies'::regclass AND array_to_string(attfdwoptions, ',') LIKE '%custom.%';
\! $PHCTL faults-clear
\c :regress_db
DROP DATABASE regress_planhat_latin1 WITH (FORCE);

DROP OWNED BY regress_planhat_sec;
DROP ROLE regress_planhat_sec;
DROP FUNCTION show_error(text), older_wording(text);
\! $PHCTL reset
