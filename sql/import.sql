--
-- IMPORT FOREIGN SCHEMA: one typed foreign table per Planhat resource.
--
-- the extension, the server "planhat" and the helpers of the shared set-up:
-- this file imports the schema itself (sql/include/setup_server.sql)
\set ECHO none
\i sql/include/setup_server.sql
\set ECHO all
\set VERBOSITY default
\! $PHCTL reset

-- IMPORT checks the server first with one cheap request
CREATE SCHEMA planhat;
\! $PHCTL clear
IMPORT FOREIGN SCHEMA planhat FROM SERVER planhat INTO planhat;
\! $PHCTL log

-- one table per resource, named as its path
SELECT c.relname, ft.ftoptions
FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
WHERE c.relnamespace = 'planhat'::regnamespace ORDER BY 1;

-- columns: snake_case names with their field, typed; custom and attrs last
\d planhat.companies
\d planhat.invoices
\d planhat.licenses
\d planhat.metrics
\d planhat.user_activities

-- every table reads (rows of the regress data set)
DO $$
DECLARE
  t text;
  n bigint;
BEGIN
  FOR t IN SELECT c.relname FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
           WHERE c.relnamespace = 'planhat'::regnamespace
             ORDER BY 1
  LOOP
    EXECUTE format('SELECT count(*) FROM (SELECT * FROM planhat.%I LIMIT 5) s', t) INTO n;
    RAISE NOTICE '%: % rows', t, n;
  END LOOP;
END $$;
-- the analytics pushes are insert-only: a scan reads no row and sends nothing
-- (so that pg_dump --include-foreign-data of a whole import works)
\! $PHCTL clear
SELECT * FROM planhat.metrics LIMIT 5;
SELECT count(*) FROM planhat.user_activities WHERE action = 'login';
EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM planhat.metrics WHERE model = 'Company' ORDER BY value;
SELECT m.* FROM planhat.companies c JOIN planhat.metrics m ON m.model = c.name;
ANALYZE planhat.metrics;
\! $PHCTL log
-- only INSERT writes to them
UPDATE planhat.metrics SET value = 1;  -- ERROR
DELETE FROM planhat.user_activities;  -- ERROR

-- LIMIT TO and EXCEPT
CREATE SCHEMA ph_some;
IMPORT FOREIGN SCHEMA planhat LIMIT TO (companies, endusers) FROM SERVER planhat INTO ph_some;
SELECT relname FROM pg_class WHERE relnamespace = 'ph_some'::regnamespace ORDER BY 1;
CREATE SCHEMA ph_rest;
IMPORT FOREIGN SCHEMA planhat EXCEPT (companies, endusers, metrics) FROM SERVER planhat INTO ph_rest;
SELECT count(*) FROM pg_class WHERE relnamespace = 'ph_rest'::regnamespace;
IMPORT FOREIGN SCHEMA planhat LIMIT TO (companies, companys) FROM SERVER planhat INTO ph_some;  -- ERROR
IMPORT FOREIGN SCHEMA planhat EXCEPT (tickts) FROM SERVER planhat INTO ph_some;  -- ERROR
IMPORT FOREIGN SCHEMA crm FROM SERVER planhat INTO ph_some;  -- ERROR
IMPORT FOREIGN SCHEMA planhat FROM SERVER planhat INTO ph_some OPTIONS (custom_fields 'true');  -- ERROR
DROP SCHEMA ph_some CASCADE;
DROP SCHEMA ph_rest CASCADE;

-- a wrong token, url or region fails IMPORT, not the first query
\getenv planhat_url PLANHAT_URL
\getenv planhat_token PLANHAT_TOKEN
\set v1_url :planhat_url '/v1'
CREATE SERVER ph_wrong FOREIGN DATA WRAPPER planhat_fdw
  OPTIONS (url :'planhat_url', max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER ph_wrong OPTIONS (api_token 'not-a-valid-token');
CREATE SCHEMA ph_check;
\! $PHCTL clear
IMPORT FOREIGN SCHEMA planhat FROM SERVER ph_wrong INTO ph_check;  -- ERROR
\! $PHCTL log
SELECT count(*) AS tables FROM pg_class WHERE relnamespace = 'ph_check'::regnamespace;
-- a url that is not the API's base URL
ALTER USER MAPPING FOR CURRENT_USER SERVER ph_wrong OPTIONS (SET api_token :'planhat_token');
ALTER SERVER ph_wrong OPTIONS (SET url :'v1_url');
IMPORT FOREIGN SCHEMA planhat FROM SERVER ph_wrong INTO ph_check;  -- ERROR
-- check_connection 'false' skips the request
ALTER USER MAPPING FOR CURRENT_USER SERVER ph_wrong OPTIONS (SET api_token 'not-a-valid-token');
\! $PHCTL clear
IMPORT FOREIGN SCHEMA planhat LIMIT TO (companies) FROM SERVER ph_wrong INTO ph_check
  OPTIONS (check_connection 'false');
\! $PHCTL log
-- the analytics pushes need no api_token: nothing to check
IMPORT FOREIGN SCHEMA planhat LIMIT TO (metrics, user_activities) FROM SERVER ph_wrong INTO ph_check;
\! $PHCTL log
SELECT relname FROM pg_class WHERE relnamespace = 'ph_check'::regnamespace ORDER BY 1;
IMPORT FOREIGN SCHEMA planhat FROM SERVER ph_wrong INTO ph_check OPTIONS (check_connection 'maybe');  -- ERROR
DROP SCHEMA ph_check CASCADE;
DROP SERVER ph_wrong CASCADE;

-- typed custom field columns from GET /customfields
CREATE SCHEMA ph_custom;
\! $PHCTL clear
IMPORT FOREIGN SCHEMA planhat LIMIT TO (companies, endusers, tickets) FROM SERVER planhat INTO ph_custom
  OPTIONS (import_custom_fields 'true');
\! $PHCTL log
\d ph_custom.companies
-- the emulator's custom field definitions, for comparison
SELECT d->>'parent' AS parent, d->>'type' AS type, d->>'name' AS name
FROM emulator_data('customfields') d ORDER BY 1, 3;
-- every typed custom column reads the value in custom, by its type
SELECT col, type, field, nonnull, mismatched
FROM check_columns('ph_custom.companies', 'companies') WHERE field LIKE 'custom.%';
SELECT col, type, field, nonnull, mismatched
FROM check_columns('ph_custom.endusers', 'endusers') WHERE field LIKE 'custom.%';
DROP SCHEMA ph_custom CASCADE;
