--
-- The first read path: a hand-written companies table, read page by page.
--
-- the extension, the settings and the helpers of the shared set-up: this
-- file creates the server itself (sql/include/setup_base.sql)
\set ECHO none
\i sql/include/setup_base.sql
\set ECHO all
\set VERBOSITY default
\getenv planhat_url PLANHAT_URL
\getenv planhat_token PLANHAT_TOKEN
\! $PHCTL reset

-- the server and the user mapping (sql/include/setup_server.sql makes the
-- same for the other files)
CREATE SERVER planhat FOREIGN DATA WRAPPER planhat_fdw
  OPTIONS (url :'planhat_url', analytics_url :'planhat_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER planhat OPTIONS (api_token :'planhat_token');

CREATE FOREIGN TABLE companies (
  id text, name text, external_id text, phase text, mrr numeric,
  custom jsonb, attrs jsonb)
  SERVER planhat OPTIONS (resource 'companies', fetch_size '10', prefetch '0');

-- all 25 rows of the data set, over three pages of 10 (each after the
-- first begins with the last row of the one before; prefetch 0: the logs
-- show no page asked for ahead)
\! $PHCTL clear
SELECT count(*), count(DISTINCT id) FROM companies;
\! $PHCTL log --auth

-- every column equals the emulator's object; missing fields are NULL
\! $PHCTL clear
CREATE TEMP TABLE fetched AS SELECT * FROM companies;
\! $PHCTL log --auth
SELECT count(*) AS rows,
       count(*) FILTER (WHERE f.name = d->>'name') AS name_ok,
       count(*) FILTER (WHERE f.external_id IS NOT DISTINCT FROM d->>'externalId') AS external_id_ok,
       count(*) FILTER (WHERE f.phase IS NOT DISTINCT FROM d->>'phase') AS phase_ok,
       count(*) FILTER (WHERE f.mrr IS NOT DISTINCT FROM (d->>'mrr')::numeric) AS mrr_ok,
       count(*) FILTER (WHERE f.custom IS NOT DISTINCT FROM d->'custom') AS custom_ok,
       count(*) FILTER (WHERE f.attrs = d) AS attrs_ok
FROM fetched f JOIN emulator_data('companies') d ON d->>'_id' = f.id;
-- rows where a field is missing read as NULL
SELECT count(*) FILTER (WHERE NOT d ? 'mrr') AS mrr_missing,
       count(*) FILTER (WHERE NOT d ? 'mrr' AND f.mrr IS NULL) AS mrr_missing_null,
       count(*) FILTER (WHERE d->'mrr' = 'null') AS mrr_json_null,
       count(*) FILTER (WHERE d->'mrr' = 'null' AND f.mrr IS NULL) AS mrr_json_null_null
FROM fetched f JOIN emulator_data('companies') d ON d->>'_id' = f.id;

-- a page size that divides the data set: the last page holds only the
-- row it begins with, the last of the page before
ALTER FOREIGN TABLE companies OPTIONS (SET fetch_size '5');
\! $PHCTL clear
SELECT count(*) FROM companies;
\! $PHCTL log
ALTER FOREIGN TABLE companies OPTIONS (DROP fetch_size);

-- the default page size is the documented maximum: one request
\! $PHCTL clear
SELECT count(*) FROM companies;
\! $PHCTL log

-- a few rows, in the order Planhat returns them
SELECT id, name, external_id, phase, mrr FROM companies LIMIT 5;

-- a column whose field the catalog does not know is read from the object
CREATE FOREIGN TABLE companies_loose (id text, "lastTouchType" text, country text, no_such_field text)
  SERVER planhat OPTIONS (resource 'companies');
SELECT count(*) AS rows,
       count(l."lastTouchType") AS exact_name_set,
       count(*) FILTER (WHERE l."lastTouchType" IS NOT DISTINCT FROM d->>'lastTouchType') AS exact_name_ok,
       count(l.country) AS country_set,
       count(*) FILTER (WHERE l.country IS NOT DISTINCT FROM d->>'country') AS country_ok,
       count(no_such_field) AS no_such_field
FROM companies_loose l JOIN emulator_data('companies') d ON d->>'_id' = l.id;
DROP FOREIGN TABLE companies_loose;
