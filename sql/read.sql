--
-- The first read path: a hand-written companies table, read page by page.
--
\set VERBOSITY default
\getenv planhat_url PLANHAT_URL
\getenv planhat_token PLANHAT_TOKEN
\getenv phctl PHCTL
\! $PHCTL reset

-- the server, the user mapping and the schema every later test uses
CREATE SERVER planhat FOREIGN DATA WRAPPER planhat_fdw
  OPTIONS (url :'planhat_url', analytics_url :'planhat_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER planhat OPTIONS (api_token :'planhat_token');

-- helpers for the tests: the emulator's stored objects, one jsonb per row
CREATE FUNCTION emulator_data(resource text) RETURNS SETOF jsonb
LANGUAGE plpgsql AS $$
BEGIN
  IF to_regclass('pg_temp.emulator_rows') IS NULL THEN
    CREATE TEMP TABLE emulator_rows (doc jsonb);
  END IF;
  TRUNCATE emulator_rows;
  EXECUTE format('COPY emulator_rows FROM PROGRAM %L WITH (FORMAT csv, QUOTE E''\x01'', DELIMITER E''\x02'')',
                 current_setting('regress.phctl') || ' --url ' || current_setting('regress.url') ||
                 ' data ' || resource);
  RETURN QUERY SELECT doc FROM emulator_rows;
END $$;
ALTER DATABASE :"DBNAME" SET regress.phctl TO :'phctl';
ALTER DATABASE :"DBNAME" SET regress.url TO :'planhat_url';
\c

-- check_columns: compare every column of a foreign table with the Planhat
-- object it came from, by the column's type; one row per column
CREATE FUNCTION check_columns(tbl regclass, resource text)
RETURNS TABLE (col name, type text, field text, nonnull bigint, mismatched bigint)
LANGUAGE plpgsql AS $$
DECLARE
  a record;
  j text;
  expected text;
BEGIN
  IF to_regclass('pg_temp.check_src') IS NULL THEN
    CREATE TEMP TABLE check_src (doc jsonb);
  END IF;
  TRUNCATE check_src;
  INSERT INTO check_src SELECT d FROM emulator_data(resource) d;
  FOR a IN
    SELECT att.attname, format_type(att.atttypid, att.atttypmod) AS typ,
           coalesce((SELECT substr(o, 7) FROM unnest(att.attfdwoptions) o WHERE o LIKE 'field=%'),
                    att.attname) AS fld
    FROM pg_attribute att
    WHERE att.attrelid = tbl AND att.attnum > 0 AND NOT att.attisdropped
      AND att.attname <> 'attrs'
    ORDER BY att.attnum
  LOOP
    j := CASE WHEN a.fld LIKE 'custom.%'
              THEN format('(s.doc->''custom''->%L)', substr(a.fld, 8))
              ELSE format('(s.doc->%L)', a.fld) END;
    j := format('(CASE WHEN %s = ''null''::jsonb THEN NULL ELSE %s END)', j, j);
    expected := CASE
      WHEN a.typ = 'text' THEN format('(CASE jsonb_typeof(%s) WHEN ''string'' THEN %s #>> ''{}'' ELSE %s::text END)', j, j, j)
      WHEN a.typ IN ('numeric', 'integer', 'bigint', 'smallint') THEN format('(%s #>> ''{}'')::numeric', j)
      WHEN a.typ = 'boolean' THEN format('(%s #>> ''{}'')::boolean', j)
      WHEN a.typ = 'timestamp with time zone' THEN format('(%s #>> ''{}'')::timestamptz', j)
      WHEN a.typ = 'date' THEN format('(CASE jsonb_typeof(%s) WHEN ''number'' THEN ''1970-01-01''::date + (%s #>> ''{}'')::int ELSE ((%s #>> ''{}'')::timestamptz AT TIME ZONE ''UTC'')::date END)', j, j, j)
      WHEN a.typ = 'text[]' THEN format('(CASE WHEN %s IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(%s)) END)', j, j)
      WHEN a.typ = 'jsonb' THEN j
      ELSE NULL END;
    IF expected IS NULL THEN
      RAISE EXCEPTION 'check_columns: no rule for type %', a.typ;
    END IF;
    RETURN QUERY EXECUTE format(
      'SELECT %L::name, %L, %L, count(t.%I), count(*) FILTER (WHERE t.%I IS DISTINCT FROM %s)
       FROM %s t JOIN check_src s ON s.doc->>''_id'' = t.id',
      a.attname, a.typ, a.fld, a.attname, a.attname, expected, tbl);
  END LOOP;
END $$;

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
