--
-- Writes: INSERT, UPDATE, DELETE with RETURNING, bulk batches, direct
-- modification, refused verbs and the analytics pushes.  Every case shows
-- the exact requests and bodies Planhat received.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\! $PHCTL reset
SET search_path = planhat, public;

-- =====================================================================
-- INSERT: POST /<resource> with the columns the statement supplies
-- =====================================================================
\! $PHCTL clear
INSERT INTO companies (name, external_id, tags, custom)
VALUES ('Nordlys AS', 'nordlys-1', ARRAY['nordic', 'new'], '{"Seats": 12, "Segments": ["SMB"]}')
RETURNING id IS NOT NULL AS has_id, name, external_id, tags, custom->'Seats' AS seats, status;
\! $PHCTL log --body

-- typed back exactly: numeric digits, timestamptz in UTC with milliseconds,
-- custom.<Name> columns merged into "custom", attrs merged last
CREATE FOREIGN TABLE license_w (
  id text, company_id text, currency text, from_date timestamptz, to_date timestamptz,
  value numeric, mrr numeric, fixed_period boolean, product text,
  seats numeric OPTIONS (field 'custom.Seats Purchased'),
  po text OPTIONS (field 'custom.PO Number'),
  company_name text, attrs jsonb)
  SERVER planhat OPTIONS (resource 'licenses');
\! $PHCTL clear
INSERT INTO license_w (company_id, currency, from_date, to_date, value, fixed_period, product, seats, po, attrs)
VALUES ('5685c180bc989db911000000', 'USD', '2024-01-31 23:30:00.123456+01', '2025-01-31 00:00:00+00',
        1958.3333333333333, true, 'Large License', 40, 'PO-17', '{"renewalStatus": "ongoing", "product": "ignored"}')
RETURNING company_name, value, seats, po, from_date;
\! $PHCTL log --body
-- day-number fields are sent as day numbers, other dates as ISO
CREATE FOREIGN TABLE invoice_w (id text, c_id text, currency text, invoice_date date, due_date date,
  amount_total numeric, sent_date date OPTIONS (field 'custom.Sent Date'))
  SERVER planhat OPTIONS (resource 'invoices');
\! $PHCTL clear
INSERT INTO invoice_w (c_id, currency, invoice_date, due_date, amount_total, sent_date)
VALUES ('5685c180bc989db911000000', 'EUR', '2021-02-15', '2021-03-17', 244864.75, '2021-02-16')
RETURNING invoice_date, due_date, amount_total, sent_date;
\! $PHCTL log --body
-- NULL is sent as null when the statement names the column
\! $PHCTL clear
INSERT INTO companies (name, phase) VALUES ('Null Phase Inc', NULL);
\! $PHCTL log --body
-- Planhat's own validation errors are reported with its message
INSERT INTO license_w (company_id, value) VALUES ('5685c180bc989db911000000', 5);  -- ERROR

-- =====================================================================
-- UPDATE: PUT /<resource>/<_id> with only the SET columns
-- =====================================================================
\! $PHCTL clear
UPDATE companies SET phase = 'Renewal', tags = ARRAY['renewal']
WHERE name = 'Nordlys AS'
RETURNING name, phase, tags, external_id;
\! $PHCTL log --body
-- array operations on custom multi-value fields, in Planhat's own form
\! $PHCTL clear
UPDATE companies SET custom = '{"Segments": {"operation": "add", "data": ["Enterprise"]}}'
WHERE name = 'Nordlys AS'
RETURNING custom->'Segments' AS segments, custom->'Seats' AS seats;
UPDATE companies SET custom = '{"Segments": {"operation": "remove", "data": ["SMB"]}}'
WHERE name = 'Nordlys AS'
RETURNING custom->'Segments' AS segments;
\! $PHCTL log --body

-- top-level array fields take the same operations through attrs, whose
-- keys are merged into the body
\! $PHCTL clear
UPDATE companies SET attrs = '{"tags": {"operation": "add", "data": ["vip"]}}'
WHERE external_id = 'nordlys-1'
RETURNING tags;
\! $PHCTL log --body

-- direct modification: WHERE id = <value> (or a unique keyable) alone sends
-- exactly one request and no prior GET
EXPLAIN (VERBOSE, COSTS OFF) UPDATE companies SET phase = 'Adoption' WHERE external_id = 'nordlys-1';
\! $PHCTL clear
UPDATE companies SET phase = 'Adoption' WHERE external_id = 'nordlys-1' RETURNING name, phase;
UPDATE companies SET phase = 'Adoption' WHERE id = '000000000000000000000000';
\! $PHCTL log --body
-- with another condition, the rows are read first
EXPLAIN (VERBOSE, COSTS OFF) UPDATE companies SET phase = 'x' WHERE external_id = 'nordlys-1' AND phase = 'y';
-- a new value computed from the row is not direct
EXPLAIN (VERBOSE, COSTS OFF) UPDATE companies SET name = name || '!' WHERE external_id = 'nordlys-1';
-- a key known only at execution: an _id is sent directly (one that is not an
-- ObjectId matches no row anyway), an externalId is read first, so that an
-- empty or padded value, which Planhat cannot take as a key, still matches
INSERT INTO companies (name, external_id) VALUES ('Blank Key Ltd', '');
PREPARE upd_ext(text) AS UPDATE companies SET phase = 'Adoption' WHERE external_id = $1;
PREPARE upd_id(text) AS UPDATE companies SET phase = 'Adoption' WHERE id = $1;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE upd_ext('');
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE upd_id('');
\! $PHCTL clear
EXECUTE upd_ext('');
EXECUTE upd_id('');
\! $PHCTL log
RESET plan_cache_mode;
DEALLOCATE upd_ext;
DEALLOCATE upd_id;
SELECT name, phase FROM companies WHERE external_id = '';
DELETE FROM companies WHERE name = 'Blank Key Ltd';

-- =====================================================================
-- DELETE: DELETE /<resource>/<_id>
-- =====================================================================
EXPLAIN (VERBOSE, COSTS OFF) DELETE FROM companies WHERE external_id = 'nordlys-1';
\! $PHCTL clear
DELETE FROM companies WHERE external_id = 'nordlys-1';
DELETE FROM companies WHERE name = 'Null Phase Inc' RETURNING name;
\! $PHCTL log
SELECT count(*) FROM companies WHERE name IN ('Nordlys AS', 'Null Phase Inc');

-- =====================================================================
-- bulk: batch_size > 1 sends PUT /<resource> (bulk upsert) in batches
-- =====================================================================
CREATE FOREIGN TABLE company_bulk (id text, name text, external_id text, phase text)
  SERVER planhat OPTIONS (resource 'companies', batch_size '5000');
EXPLAIN (VERBOSE, COSTS OFF) INSERT INTO company_bulk (name, external_id) VALUES ('a', 'b');
\! $PHCTL clear
INSERT INTO company_bulk (name, external_id)
SELECT 'Bulk ' || g, 'bulk-' || g FROM generate_series(1, 12000) g;
\! $PHCTL log | cut -c1-40
SELECT count(*) FROM companies WHERE external_id LIKE 'bulk-%';
-- keyed rows update what exists: the statement succeeds, nothing duplicates
\! $PHCTL clear
INSERT INTO company_bulk (external_id, phase) SELECT 'bulk-' || g, 'Onboarding' FROM generate_series(1, 3) g;
\! $PHCTL log --body
SELECT count(*), min(phase), max(phase) FROM companies WHERE external_id IN ('bulk-1', 'bulk-2', 'bulk-3');
-- COPY into a foreign table goes through the same batches; only the
-- columns COPY names (NULLs are not sent)
\! $PHCTL clear
COPY company_bulk (name, external_id) FROM stdin;
Copied One	copy-1
Copied Two	copy-2
\.
\! $PHCTL log --body
SELECT name FROM companies WHERE external_id LIKE 'copy-%' ORDER BY 1;
-- RETURNING cannot be served from a bulk answer
INSERT INTO company_bulk (name) VALUES ('x') RETURNING id;  -- ERROR
-- partial failures: nothing passes silently
\! $PHCTL clear
INSERT INTO company_bulk (name, external_id)
VALUES ('Good One', 'good-1'), (NULL, 'no-name-1'), ('Good Two', 'good-2'), (NULL, 'no-name-2');  -- ERROR
\! $PHCTL log
SELECT name FROM companies WHERE external_id LIKE 'good-%' ORDER BY 1;
-- a read-only token: Planhat answers 403 with permission errors
\getenv planhat_url PLANHAT_URL
\getenv planhat_ro_token PLANHAT_RO_TOKEN
CREATE SERVER planhat_ro FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url :'planhat_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER planhat_ro OPTIONS (api_token :'planhat_ro_token');
CREATE FOREIGN TABLE company_ro (id text, name text, phase text)
  SERVER planhat_ro OPTIONS (resource 'companies', batch_size '10');
INSERT INTO company_ro (name) VALUES ('Denied');  -- ERROR
ALTER FOREIGN TABLE company_ro OPTIONS (SET batch_size '1');
INSERT INTO company_ro (name) VALUES ('Denied');  -- ERROR
SELECT count(*) FROM company_ro;
DROP SERVER planhat_ro CASCADE;

-- =====================================================================
-- refused at plan time, naming resource and verb
-- =====================================================================
INSERT INTO leancompanies (name) VALUES ('x');  -- ERROR
INSERT INTO dimensiondata (value) VALUES (1);  -- ERROR
INSERT INTO tickets (email) VALUES ('a@b.c');  -- ERROR
UPDATE tickets SET status = 'closed' WHERE id = 'x';  -- ERROR
DELETE FROM workflows;  -- ERROR
CREATE FOREIGN TABLE company_noid (name text) SERVER planhat OPTIONS (resource 'companies');
UPDATE company_noid SET name = 'x';  -- ERROR
DELETE FROM company_noid;  -- ERROR
ALTER FOREIGN TABLE company_noid OPTIONS (ADD updatable 'false');
INSERT INTO company_noid VALUES ('x');  -- ERROR
ALTER SERVER planhat OPTIONS (ADD updatable 'false');
INSERT INTO companies (name) VALUES ('x');  -- ERROR
ALTER SERVER planhat OPTIONS (DROP updatable);
DROP FOREIGN TABLE company_noid;
-- tickets are created through the bulk upsert only
ALTER FOREIGN TABLE tickets OPTIONS (ADD batch_size '100');
\! $PHCTL clear
INSERT INTO tickets (email, source_id, company_id)
VALUES ('help@acme.example', 'zd-1001', '5685c180bc989db911000000');
\! $PHCTL log --body
ALTER FOREIGN TABLE tickets OPTIONS (DROP batch_size);

-- =====================================================================
-- analytics: metrics and user activities, pushed in batches
-- =====================================================================
INSERT INTO metrics (dimension_id, value, external_id) VALUES ('logins', 3, 'CUST-00001');  -- ERROR
\getenv planhat_tenant PLANHAT_TENANT
ALTER USER MAPPING FOR CURRENT_USER SERVER planhat OPTIONS (ADD tenant_token :'planhat_tenant');
EXPLAIN (VERBOSE, COSTS OFF) INSERT INTO metrics (dimension_id, value, external_id) VALUES ('logins', 3, 'CUST-00001');
\! $PHCTL clear
INSERT INTO metrics (dimension_id, value, external_id, date)
SELECT 'seats_used', g * 1.5, x, '2025-06-01 12:00:00+00'
FROM unnest(ARRAY['CUST-00001', 'CUST-00003', 'CUST-00004']) WITH ORDINALITY AS t(x, g);
INSERT INTO user_activities (email, action, date, weight, count, company_external_id)
VALUES ('chloe.x0@acmecorporation.com', 'Logged in', '2025-06-01 08:00:00+00', 1, 2, 'CUST-00001');
\! $PHCTL log --body | sed "s/$PLANHAT_TENANT/<tenant token>/"
SELECT dimension_id, value, day FROM dimensiondata WHERE dimension_id = 'seats_used' ORDER BY value;
-- items Planhat rejects fail the statement with the items listed
INSERT INTO metrics (dimension_id, value, external_id) VALUES ('ok_metric', 1, 'CUST-00001'), (NULL, 2, 'CUST-00003'), ('ok_metric', 3, 'NO-SUCH-COMPANY');  -- ERROR
ALTER USER MAPPING FOR CURRENT_USER SERVER planhat OPTIONS (DROP tenant_token);

DROP FOREIGN TABLE license_w, invoice_w, company_bulk;
\! $PHCTL reset
