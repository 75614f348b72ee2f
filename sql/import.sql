--
-- IMPORT FOREIGN SCHEMA: one typed foreign table per Planhat resource.
--
\set VERBOSITY default
\! $PHCTL reset

CREATE SCHEMA planhat;
IMPORT FOREIGN SCHEMA planhat FROM SERVER planhat INTO planhat;

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
             AND c.relname NOT IN ('metrics', 'user_activities') ORDER BY 1
  LOOP
    EXECUTE format('SELECT count(*) FROM (SELECT * FROM planhat.%I LIMIT 5) s', t) INTO n;
    RAISE NOTICE '%: % rows', t, n;
  END LOOP;
END $$;
-- the analytics pushes are insert-only
SELECT * FROM planhat.metrics LIMIT 5;  -- ERROR

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
