--
-- Conformance: the emulator serves the example objects of Planhat's API
-- documentation (listed in the appendix of docs/planhat-api.md, kept verbatim
-- in test/emulator/examples.json), and every field of each lands in the right
-- column of the imported tables with the right value.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\! $PHCTL reset --dataset examples

CREATE SCHEMA ex;
IMPORT FOREIGN SCHEMA planhat FROM SERVER planhat INTO ex;

-- =====================================================================
-- every table reads; the documentation has example objects for eight
-- resources (leancompanies is the companies collection, projected)
-- =====================================================================
SELECT c.relname AS table,
       (xpath('/row/count/text()',
              query_to_xml(format('SELECT count(*) FROM ex.%I', c.relname), false, true, '')))[1]::text::int
         AS rows
FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
WHERE c.relnamespace = 'ex'::regnamespace AND c.relname NOT IN ('metrics', 'user_activities')
ORDER BY 1;

-- =====================================================================
-- every JSON key of every example object maps to a column (by its field
-- option, or its name); keys inside "custom" land in the custom column
-- =====================================================================
CREATE FUNCTION table_fields(tbl regclass) RETURNS SETOF text
LANGUAGE sql AS $$
  SELECT coalesce((SELECT substr(o, 7) FROM unnest(att.attfdwoptions) o WHERE o LIKE 'field=%'),
                  att.attname)
  FROM pg_attribute att
  WHERE att.attrelid = tbl AND att.attnum > 0 AND NOT att.attisdropped AND att.attname <> 'attrs'
$$;
CREATE TEMP TABLE ex_docs AS
  SELECT r AS resource, d AS doc
  FROM unnest(ARRAY['assets', 'companies', 'conversations', 'invoices', 'issues', 'licenses',
                    'projects', 'tasks']) r,
       LATERAL emulator_data(r) d;
SELECT resource, count(DISTINCT doc->>'_id') AS objects,
       count(DISTINCT k) AS distinct_keys,
       count(DISTINCT k) FILTER (WHERE k NOT IN (SELECT table_fields(format('ex.%I', resource)::regclass)))
         AS unmapped_keys
FROM ex_docs, jsonb_object_keys(doc) k
GROUP BY 1 ORDER BY 1;
-- the unmapped keys themselves (none)
SELECT resource, k AS unmapped_key
FROM ex_docs, jsonb_object_keys(doc) k
WHERE k NOT IN (SELECT table_fields(format('ex.%I', resource)::regclass))
ORDER BY 1, 2;

-- =====================================================================
-- every column against the emulator's object, by the column's type
-- (check_columns, sql/include/helpers.sql); only columns some example sets are shown,
-- the others are NULL in every row, as the field is absent
-- =====================================================================
CREATE TEMP TABLE ex_check AS
  SELECT r AS resource, c.*
  FROM unnest(ARRAY['assets', 'companies', 'conversations', 'invoices', 'issues', 'leancompanies',
                    'licenses', 'projects', 'tasks']) WITH ORDINALITY AS u(r, n),
       LATERAL check_columns(format('ex.%I', r)::regclass,
                             CASE r WHEN 'leancompanies' THEN 'companies' ELSE r END) WITH ORDINALITY AS c
  ORDER BY u.n, c.ordinality;
SELECT resource, col, type, field, nonnull, mismatched FROM ex_check
WHERE nonnull > 0 OR mismatched > 0 ORDER BY resource, ordinality;
-- columns compared, values compared, mismatches: per table and in all
SELECT resource, count(*) AS columns, count(*) FILTER (WHERE nonnull > 0) AS columns_set,
       sum(nonnull) AS values, sum(mismatched) AS mismatched
FROM ex_check GROUP BY ROLLUP (resource) ORDER BY resource;

-- attrs is the whole object as received
SELECT e.resource, count(*) AS objects,
       count(*) FILTER (WHERE a.attrs = e.doc) AS attrs_equal
FROM ex_docs e
JOIN (SELECT 'assets' AS resource, attrs FROM ex.assets
      UNION ALL SELECT 'companies', attrs FROM ex.companies
      UNION ALL SELECT 'conversations', attrs FROM ex.conversations
      UNION ALL SELECT 'invoices', attrs FROM ex.invoices
      UNION ALL SELECT 'issues', attrs FROM ex.issues
      UNION ALL SELECT 'licenses', attrs FROM ex.licenses
      UNION ALL SELECT 'projects', attrs FROM ex.projects
      UNION ALL SELECT 'tasks', attrs FROM ex.tasks) a
  ON a.resource = e.resource AND a.attrs->>'_id' = e.doc->>'_id'
GROUP BY 1 ORDER BY 1;

-- =====================================================================
-- the documented values, spelled out
-- =====================================================================

-- licenses: numbers exact digit for digit, text and booleans, a JSON null
-- (issues, noticePeriod) and [] kept apart, ISO timestamps
SELECT id, mrr, value, length,
       renewal_days_from_now, renewal_period, fixed_period, currency, product = '' AS empty_product,
       issues, notice_period
FROM ex.licenses ORDER BY id;
SELECT mrr, mrr::text = '1958.3333333333333' AS mrr_exact, mrr * 24 AS mrr_times_24
FROM ex.licenses WHERE id = '56bccdf554d64d837d01beb2';
SELECT id, from_date, to_date AT TIME ZONE 'UTC' AS to_date_utc, sales_date AT TIME ZONE 'UTC' AS sales_date_utc
FROM ex.licenses WHERE from_date IS NOT NULL ORDER BY id;
SELECT custom->'Week No' AS week_no, (custom->'Week No')::text = '29.285714285714285' AS week_no_exact,
       custom->'t123' AS t123, custom->'Renewal in days' AS renewal_in_days
FROM ex.licenses WHERE id = '56bccdf554d64d837d01beb2';

-- invoices: day numbers are dates (17752 -> 2018-08-09, 18673 -> 2021-02-15)
SELECT id, invoice_no, invoice_date, due_date, paid_date,
       invoice_date - '1970-01-01' AS invoice_day, paid_date - '1970-01-01' AS paid_day,
       amount_total, amount_due, amount_paid, currency, invoice_cycle
FROM ex.invoices ORDER BY id;
-- lineItems stay nested jsonb; their day numbers read as dates through jsonb
SELECT i.id, li.product, li.amount, li."licenseId",
       '1970-01-01'::date + li."dateFrom" AS date_from, '1970-01-01'::date + li."dateTo" AS date_to
FROM ex.invoices i,
     jsonb_to_recordset(i.line_items) AS li(product text, amount numeric, "licenseId" text,
                                           "dateFrom" int, "dateTo" int)
ORDER BY i.id;
SELECT id, custom->>'Sent' AS sent, jsonb_typeof(custom->'Sent') AS sent_type,
       custom->'Week No' AS week_no, emails, comments
FROM ex.invoices ORDER BY id;

-- companies: text[] domains and tags, nested objects, custom fields,
-- empty string vs absent, owner as a JSON string vs JSON null
SELECT id, name, external_id, external_id = '' AS empty_external_id, domains, tags, phase, h
FROM ex.companies ORDER BY id;
SELECT name, owner, co_owner, owner IS NULL AS owner_null, jsonb_typeof(owner) AS owner_type,
       mr, mrr, mr_total, nrr_total, renewal_days_from_now, auto_renews
FROM ex.companies WHERE domains IS NOT NULL ORDER BY id;
SELECT name, custom FROM ex.companies WHERE custom IS NOT NULL ORDER BY id;
SELECT name, description, csm_score_log, last_touch_by_type
FROM ex.companies WHERE description IS NOT NULL OR csm_score_log <> '[]' OR last_touch_by_type <> '{}'
ORDER BY id;
SELECT name, phase_since AT TIME ZONE 'UTC' AS phase_since_utc, create_date, customer_to,
       renewal_date AT TIME ZONE 'UTC' AS renewal_date_utc
FROM ex.companies WHERE phase_since IS NOT NULL ORDER BY id;
-- a sale embedded in a company, with its _currency object
SELECT c.name, s->>'_id' AS sale_id, s->'value' AS value, s->>'product' AS product,
       s->'_currency' AS currency, s->'_currency'->>'symbol' AS symbol,
       (s->>'salesDate')::timestamptz AT TIME ZONE 'UTC' AS sales_date_utc
FROM ex.companies c, jsonb_array_elements(c.sales) s ORDER BY 1;
SELECT name, sunits, shareable FROM ex.companies WHERE name = 'Tenet';

-- tasks: checklist of objects, children, JSON null (repeat, startTime) vs
-- absent, text with line breaks, booleans
SELECT id, main_type, action, status, shared, repeat, start_time, checklist, children
FROM ex.tasks ORDER BY id;
SELECT id, description, snippet, custom FROM ex.tasks WHERE description <> '' ORDER BY id;
SELECT id, attrs ? 'repeat' AS has_repeat, repeat IS NULL AS repeat_null,
       attrs ? 'startTime' AS has_start_time, start_time IS NULL AS start_time_null
FROM ex.tasks ORDER BY id;
SELECT id, source_id, owner_name, created_at AT TIME ZONE 'UTC' AS created_at_utc, sort_position,
       workflow_name
FROM ex.tasks ORDER BY id;

-- projects: custom values of every kind, "Week No" 29.285714285714285
SELECT id, name, company_id, company_name, start_date AT TIME ZONE 'UTC' AS start_date_utc,
       end_date AT TIME ZONE 'UTC' AS end_date_utc, mrr, currency
FROM ex.projects ORDER BY id;
SELECT key, value, jsonb_typeof(value) AS type
FROM ex.projects, jsonb_each(custom) WHERE id = '609a88660b73992504816060' ORDER BY key;

-- assets: custom with a JSON null inside (kept), usage object
SELECT id, name, external_id, custom, usage FROM ex.assets ORDER BY id;
SELECT custom ? 'Kary FF' AS has_kary, custom->'Kary FF' AS kary_ff, custom->>'Kary FF' IS NULL AS kary_text_null
FROM ex.assets WHERE id = '5ffcce42ad67267f66741147';

-- issues: text[] of ids, arrays of objects, booleans
SELECT id, title, status, archived, company_ids, enduser_ids, conversation_ids,
       company_matching_value, companies, endusers
FROM ex.issues;

-- conversations: users and endusers are arrays of objects; no days here
SELECT id, type, subject, date AT TIME ZONE 'UTC' AS date_utc, users, endusers, is_open, tags, days
FROM ex.conversations;

-- a typed column for one custom field: the same exact digits
CREATE FOREIGN TABLE ex.license_week (id text, week_no numeric OPTIONS (field 'custom.Week No'),
  week_no_f8 double precision OPTIONS (field 'custom.Week No'),
  renewal_in_days integer OPTIONS (field 'custom.Renewal in days'))
  SERVER planhat OPTIONS (resource 'licenses');
SELECT * FROM ex.license_week ORDER BY id;

SET client_min_messages = warning;
DROP SCHEMA ex CASCADE;
RESET client_min_messages;
DROP FUNCTION table_fields(regclass);
\! $PHCTL reset --dataset regress
