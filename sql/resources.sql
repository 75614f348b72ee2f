--
-- products, deals and workspaces (docs/planhat-api.md §11): models whose
-- fields Planhat documents, but not their routes beyond the list, their
-- filters, keyables or page sizes.  Every column reads what the emulator
-- stores; nothing undocumented is sent (no filter, no lookup by key, pages
-- of 100); INSERT and bulk upserts work, UPDATE and DELETE are refused; a
-- tenant without the revenue models (deals, products) gets a hint.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\! $PHCTL reset --fixed-time 2025-06-01T00:00:00Z
SET search_path = planhat, public;

-- =====================================================================
-- the imported tables
-- =====================================================================
\d deals
\d products
\d workspaces

-- =====================================================================
-- every column against the emulator's object, by the column's type
-- (check_columns, sql/include/helpers.sql); attrs is the whole object
-- =====================================================================
SELECT * FROM check_columns('deals', 'deals');
SELECT * FROM check_columns('products', 'products');
SELECT * FROM check_columns('workspaces', 'workspaces');
SELECT r.resource, r.rows, r.emulator, r.attrs_equal
FROM (SELECT 'deals' AS resource,
             (SELECT count(*) FROM deals) AS rows,
             (SELECT count(*) FROM emulator_data('deals')) AS emulator,
             (SELECT count(*) FROM deals t JOIN emulator_data('deals') d ON d->>'_id' = t.id
              WHERE t.attrs = d) AS attrs_equal
      UNION ALL
      SELECT 'products', (SELECT count(*) FROM products),
             (SELECT count(*) FROM emulator_data('products')),
             (SELECT count(*) FROM products t JOIN emulator_data('products') d ON d->>'_id' = t.id
              WHERE t.attrs = d)
      UNION ALL
      SELECT 'workspaces', (SELECT count(*) FROM workspaces),
             (SELECT count(*) FROM emulator_data('workspaces')),
             (SELECT count(*) FROM workspaces t JOIN emulator_data('workspaces') d ON d->>'_id' = t.id
              WHERE t.attrs = d)) r;

-- the values, spelled out: numbers digit for digit, Date fields at
-- midnight UTC, a JSON null and an absent field both NULL
SELECT id, name, stage, mrr, arr, total, fees, currency,
       close_date AT TIME ZONE 'UTC' AS close_date_utc, end_date AT TIME ZONE 'UTC' AS end_date_utc,
       subscriptions, owner_id IS NULL AS no_owner, cardinality(followers) AS followers
FROM deals ORDER BY id LIMIT 6;
SELECT name, type, mrr, arr, value, fixed_period, length, renewal_mrr, renewal_arr,
       notice_period, notice_unit, packages, color, custom
FROM products ORDER BY id;
SELECT name, company_name, owner_id IS NOT NULL AS has_owner, external_id, source_id, custom
FROM workspaces ORDER BY id;

-- typed custom field columns: parent "product" and "workspace"
CREATE SCHEMA ph_rev;
IMPORT FOREIGN SCHEMA planhat LIMIT TO (deals, products, workspaces) FROM SERVER planhat INTO ph_rev
  OPTIONS (import_custom_fields 'true');
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attfdwoptions
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
WHERE c.relnamespace = 'ph_rev'::regnamespace AND a.attfdwoptions::text LIKE '%custom.%'
ORDER BY 1, 2;
SELECT col, type, field, nonnull, mismatched
FROM check_columns('ph_rev.products', 'products') WHERE field LIKE 'custom.%';
SELECT col, type, field, nonnull, mismatched
FROM check_columns('ph_rev.workspaces', 'workspaces') WHERE field LIKE 'custom.%';
DROP SCHEMA ph_rev CASCADE;

-- =====================================================================
-- reads: pages of 100, the only page size the three are given
-- =====================================================================
\! $PHCTL reset --rows deals=250 --fixed-time 2025-06-01T00:00:00Z
-- (prefetch 0: the logs show no page asked for ahead)
ALTER FOREIGN TABLE deals OPTIONS (ADD prefetch '0');
\! $PHCTL clear
SELECT count(*), count(DISTINCT id) FROM deals;
\! $PHCTL log
-- a larger table fetch_size is refused: a page Planhat cut short would
-- look like the last one
ALTER FOREIGN TABLE deals OPTIONS (ADD fetch_size '500');  -- ERROR
-- a smaller one is taken
CREATE FOREIGN TABLE deals_small (id text, stage text) SERVER planhat
  OPTIONS (resource 'deals', fetch_size '40', prefetch '0');
\! $PHCTL clear
SELECT count(*) FROM (SELECT * FROM deals_small WHERE stage = 'Closed Won') s;
\! $PHCTL log
DROP FOREIGN TABLE deals_small;
ALTER FOREIGN TABLE deals OPTIONS (DROP prefetch);
\! $PHCTL reset --fixed-time 2025-06-01T00:00:00Z

-- =====================================================================
-- pushdown: the column list, ORDER BY and LIMIT; no filter and no key
-- =====================================================================

-- company_id: no documented filter, evaluated locally
EXPLAIN (VERBOSE, COSTS OFF)
SELECT id, name FROM deals WHERE company_id = '5954d780bc989db911000004';
\! $PHCTL clear
SELECT id, name FROM deals WHERE company_id = '5954d780bc989db911000004' ORDER BY id;
\! $PHCTL log
SELECT same_rows($$SELECT id, name FROM deals WHERE company_id = '5954d780bc989db911000004'$$);
SELECT same_rows($$SELECT id, name, company_id FROM workspaces
                   WHERE company_id IN ('5a089d00bc989db911000005', '5954d780bc989db911000004')$$);

-- id and source_id: no GET /deals/<key>, a scan filtered locally
EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM deals WHERE id = '5895198012a5ae4d86000000';
\! $PHCTL clear
SELECT id, name, external_id FROM deals WHERE id = '5895198012a5ae4d86000000';
SELECT id FROM deals WHERE id = '000000000000000000000000';
SELECT name FROM workspaces WHERE source_id = '0WS00000003';
SELECT name FROM products WHERE external_id = 'PRD-001';
\! $PHCTL log
SELECT same_rows($$SELECT * FROM deals WHERE id = '5895198012a5ae4d86000000'$$);
SELECT same_rows($$SELECT id FROM products WHERE external_id = 'PRD-001' OR source_id = '01t000003Dw'$$);

-- sort and limit are generic: pushed as for every model
EXPLAIN (VERBOSE, COSTS OFF) SELECT name, mrr FROM deals ORDER BY mrr DESC NULLS LAST LIMIT 3;
\! $PHCTL clear
SELECT name, mrr FROM deals ORDER BY mrr DESC NULLS LAST LIMIT 3;
\! $PHCTL log
SELECT same_rows($$SELECT name, mrr FROM deals ORDER BY mrr DESC NULLS LAST LIMIT 3$$, true);
\! $PHCTL clear
SELECT type, count(*), sum(coalesce(mrr, value / 12)) AS monthly FROM products GROUP BY 1 ORDER BY 1;
\! $PHCTL log
SELECT same_rows($$SELECT type, count(*), sum(coalesce(mrr, value / 12)) FROM products GROUP BY 1$$);

-- a join on the company: each table is read once, the join is local
\! $PHCTL clear
SELECT c.name, count(d.*) AS deals, sum(d.mrr) AS mrr
FROM companies c JOIN deals d ON d.company_id = c.id
GROUP BY 1 ORDER BY 3 DESC NULLS LAST, 1 LIMIT 3;
\! $PHCTL log
SELECT same_rows($$SELECT c.name, count(d.*), sum(d.mrr) FROM companies c JOIN deals d ON d.company_id = c.id GROUP BY 1$$);

-- =====================================================================
-- writes: INSERT (POST), bulk upsert (PUT /<path>); UPDATE and DELETE
-- are refused until Planhat documents PUT and DELETE /<path>/<id>
-- =====================================================================
\! $PHCTL clear
INSERT INTO deals (company_id, name, stage, mrr, total, currency, close_date, followers)
VALUES ('5954d780bc989db911000004', 'Tokyo expansion', 'Proposal', 1958.3333333333333, 70500,
        'JPY', '2025-07-31 18:00:00-07', ARRAY['6526fec05621b271a7000005'])
RETURNING id IS NOT NULL AS has_id, company_name, name, mrr, arr, close_date AT TIME ZONE 'UTC' AS close_date_utc,
          followers, owner_id, attrs ? 'ownerName' AS owner_name;
\! $PHCTL log --body
\! $PHCTL clear
INSERT INTO products (name, type, value, currency, packages, custom)
VALUES ('Onboarding Package', 'fee', 4999.99, 'EUR', ARRAY['Core', 'Services'], '{"Product Line": "Service"}')
RETURNING name, type, value, mrr, arr, packages, custom, created_at AT TIME ZONE 'UTC' AS created_utc;
\! $PHCTL log --body
\! $PHCTL clear
INSERT INTO workspaces (name, company_id, owner_id, external_id)
VALUES ('Research Lab', '5a089d00bc989db911000005', '6526fec05621b271a7000005', 'ws-lab')
RETURNING name, company_name, owner_id, external_id, custom, v;
\! $PHCTL log --body
-- what the emulator stored
SELECT d->>'name' AS name, d->'mrr' AS mrr, d->'arr' AS arr, d->>'closeDate' AS close_date,
       d->'followers' AS followers
FROM emulator_data('deals') d WHERE d->>'name' = 'Tokyo expansion';
SELECT d->>'name' AS name, d->>'type' AS type, d->'value' AS value, d->'packages' AS packages,
       d->'custom' AS custom, d->>'createdAt' AS created_at
FROM emulator_data('products') d WHERE d->>'name' = 'Onboarding Package';
SELECT d->>'name' AS name, d->>'companyName' AS company_name, d->>'externalId' AS external_id
FROM emulator_data('workspaces') d WHERE d->>'name' = 'Research Lab';
-- Planhat's own validation: the required companyId, the product type
INSERT INTO deals (name) VALUES ('No company');  -- ERROR
INSERT INTO products (name, type) VALUES ('Bundle', 'bundle');  -- ERROR

-- bulk upsert: batch_size above 1
ALTER FOREIGN TABLE products OPTIONS (ADD batch_size '10');
\! $PHCTL clear
INSERT INTO products (name, external_id, type, mrr)
VALUES ('Seat Pack', 'PRD-100', 'subscription', 25), ('Setup Fee', 'PRD-101', 'fee', NULL);
\! $PHCTL log --body
ALTER FOREIGN TABLE products OPTIONS (DROP batch_size);
SELECT name, external_id, type, mrr, arr FROM products WHERE external_id IN ('PRD-100', 'PRD-101') ORDER BY 1;

-- refused at plan time, nothing sent
\! $PHCTL clear
UPDATE deals SET stage = 'Closed Won' WHERE name = 'Tokyo expansion';  -- ERROR
DELETE FROM deals WHERE name = 'Tokyo expansion';  -- ERROR
UPDATE products SET color = '#000000';  -- ERROR
DELETE FROM workspaces WHERE name = 'Research Lab';  -- ERROR
\! $PHCTL log

-- =====================================================================
-- a tenant without the revenue models answers 404 on /deals and
-- /products: the error says so
-- =====================================================================
\! $PHCTL fault '{"path": "/deals", "action": "status", "status": 404, "body": {"error": "Not Found"}, "times": -1}'
\! $PHCTL fault '{"path": "/products", "action": "status", "status": 404, "body": "Cannot GET /products", "times": -1}'
\! $PHCTL clear
SELECT count(*) FROM deals;  -- ERROR
SELECT name FROM products WHERE type = 'fee';  -- ERROR
INSERT INTO deals (company_id) VALUES ('5954d780bc989db911000004');  -- ERROR
\! $PHCTL log
-- workspaces are not a revenue model: the same 404 says the path is wrong
\! $PHCTL fault '{"path": "/workspaces", "action": "status", "status": 404, "times": -1}'
SELECT count(*) FROM workspaces;  -- ERROR
\! $PHCTL faults-clear
-- the tables can be left out of the import
CREATE SCHEMA ph_norev;
IMPORT FOREIGN SCHEMA planhat EXCEPT (deals, products) FROM SERVER planhat INTO ph_norev;
SELECT count(*) AS tables, count(*) FILTER (WHERE relname IN ('deals', 'products')) AS revenue
FROM pg_class WHERE relnamespace = 'ph_norev'::regnamespace;
SET client_min_messages = warning;
DROP SCHEMA ph_norev CASCADE;
RESET client_min_messages;
