--
-- Reads that are right at every edge.  Every value is either sent in a form
-- Planhat answers exactly, or evaluated locally (a wider request and a local
-- filter), and EXPLAIN says which ("Planhat Local").  Every row Planhat
-- returns is checked against what its request asked for.  Each case shows
-- that planhat_fdw.pushdown = off gives the same rows (same_rows), that the
-- requests are the ones EXPLAIN announced (explain_agrees), and the requests.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
SET search_path = planhat, public;
-- EXPLAIN ANALYZE alike on every PostgreSQL version (sql/include/explain.sql)
\set ECHO none
\i sql/include/explain.sql
\set ECHO all

-- =====================================================================
-- Planhat's own example: Burger King's externalId is ""
-- =====================================================================
\! $PHCTL reset --dataset examples
-- GET /companies/extid- names no company: the qual is evaluated locally
\! $PHCTL clear
SELECT name FROM companies WHERE external_id = '';
SELECT name FROM companies WHERE external_id IN ('', 'chevron') ORDER BY 1;
\! $PHCTL log
EXPLAIN (VERBOSE, COSTS OFF) SELECT name FROM companies WHERE external_id = '';
SELECT same_rows($$SELECT name FROM companies WHERE external_id = ''$$),
       explain_agrees($$SELECT name FROM companies WHERE external_id = ''$$);
SELECT same_rows($$SELECT name FROM companies WHERE external_id IN ('', 'chevron')$$),
       explain_agrees($$SELECT name FROM companies WHERE external_id IN ('', 'chevron')$$);
-- a parameter is judged when its value is known: the lookup becomes a scan
PREPARE by_ext(text) AS SELECT name FROM companies WHERE external_id = $1;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE by_ext('');
\! $PHCTL clear
EXECUTE by_ext('');
EXECUTE by_ext('chevron');
\! $PHCTL log
SELECT * FROM explain_analyze($$EXECUTE by_ext('')$$, with_verbose => true);
SELECT explain_agrees($$EXECUTE by_ext('')$$), explain_agrees($$EXECUTE by_ext('chevron')$$);
RESET plan_cache_mode;
DEALLOCATE by_ext;

-- =====================================================================
-- edge values, for each kind of pushed condition
-- =====================================================================
\! $PHCTL reset
INSERT INTO companies (name, external_id, source_id) VALUES
  ('Blank Ltd', '', ''), ('Padded Ltd', ' CUST-PAD ', ' SRC-PAD '),
  ('Prefix Ltd', 'extid-CUST-00001', 'srcid-00120000010000000D');
INSERT INTO endusers (email, company_id) VALUES (' pad@acme.com ', '5685c180bc989db911000000');

-- key lookups by externalId: empty and padded values are evaluated locally;
-- a comma or a prefix inside the key is sent (the path holds it exactly)
SELECT same_rows($$SELECT name FROM companies WHERE external_id = ''$$),
       explain_agrees($$SELECT name FROM companies WHERE external_id = ''$$);
\! $PHCTL log
SELECT same_rows($$SELECT name FROM companies WHERE external_id = ' CUST-PAD '$$),
       explain_agrees($$SELECT name FROM companies WHERE external_id = ' CUST-PAD '$$);
\! $PHCTL log
SELECT same_rows($$SELECT name FROM companies WHERE external_id = 'extid-CUST-00001'$$),
       explain_agrees($$SELECT name FROM companies WHERE external_id = 'extid-CUST-00001'$$);
\! $PHCTL log
SELECT same_rows($$SELECT name FROM companies WHERE external_id = 'comma,inc'$$),
       explain_agrees($$SELECT name FROM companies WHERE external_id = 'comma,inc'$$);
\! $PHCTL log
SELECT same_rows($$SELECT name FROM companies WHERE external_id = NULL$$),
       explain_agrees($$SELECT name FROM companies WHERE external_id = NULL$$);
-- sourceId keys: the same rules
SELECT same_rows($$SELECT name FROM companies WHERE source_id IN ('', 'srcid-00120000010000000D')$$),
       explain_agrees($$SELECT name FROM companies WHERE source_id IN ('', 'srcid-00120000010000000D')$$);
\! $PHCTL log
SELECT same_rows($$SELECT name FROM companies WHERE source_id = 'srcid-00120000010000000D'$$),
       explain_agrees($$SELECT name FROM companies WHERE source_id = 'srcid-00120000010000000D'$$);
\! $PHCTL log

-- _id: Planhat writes every _id as 24 lower-case hex digits, so an empty,
-- padded, upper-case or prefixed value matches no row and sends nothing
EXPLAIN (VERBOSE, COSTS OFF)
SELECT name FROM companies
WHERE id IN ('', ' 5685c180bc989db911000000', '5685C180BC989DB911000000', 'extid-CUST-00001', NULL);
SELECT same_rows($$SELECT name FROM companies WHERE id IN ('', ' 5685c180bc989db911000000', '5685C180BC989DB911000000', 'extid-CUST-00001', NULL)$$),
       explain_agrees($$SELECT name FROM companies WHERE id IN ('', ' 5685c180bc989db911000000', '5685C180BC989DB911000000', 'extid-CUST-00001', NULL)$$);
-- a key list: duplicates, NULLs and impossible ids send nothing extra
SELECT same_rows($$SELECT email FROM endusers WHERE id IN ('5c32b84030037a10d800000e', '', NULL, '5c32b84030037a10d800000e', 'srcid-x')$$),
       explain_agrees($$SELECT email FROM endusers WHERE id IN ('5c32b84030037a10d800000e', '', NULL, '5c32b84030037a10d800000e', 'srcid-x')$$);
\! $PHCTL log

-- a comma-list filter (end users' companyId): a value that is not an
-- ObjectId widens the request (no companyId) and is filtered locally
EXPLAIN (VERBOSE, COSTS OFF)
SELECT email FROM endusers WHERE company_id IN ('5685c180bc989db911000000', '');
SELECT same_rows($$SELECT email FROM endusers WHERE company_id IN ('5685c180bc989db911000000', '')$$),
       explain_agrees($$SELECT email FROM endusers WHERE company_id IN ('5685c180bc989db911000000', '')$$);
\! $PHCTL log
SELECT same_rows($$SELECT email FROM endusers WHERE company_id = ' 5685c180bc989db911000000'$$),
       explain_agrees($$SELECT email FROM endusers WHERE company_id = ' 5685c180bc989db911000000'$$);
SELECT same_rows($$SELECT email FROM endusers WHERE company_id = '5685c180bc989db911000000,57398700bc989db911000001'$$),
       explain_agrees($$SELECT email FROM endusers WHERE company_id = '5685c180bc989db911000000,57398700bc989db911000001'$$);
SELECT same_rows($$SELECT email FROM endusers WHERE company_id = 'extid-CUST-00001'$$),
       explain_agrees($$SELECT email FROM endusers WHERE company_id = 'extid-CUST-00001'$$);
SELECT same_rows($$SELECT email FROM endusers WHERE company_id = '5685C180BC989DB911000000'$$),
       explain_agrees($$SELECT email FROM endusers WHERE company_id = '5685C180BC989DB911000000'$$);
\! $PHCTL log
-- duplicates and NULLs: one value sent once
SELECT same_rows($$SELECT email FROM endusers WHERE company_id IN ('5685c180bc989db911000000', NULL, '5685c180bc989db911000000')$$),
       explain_agrees($$SELECT email FROM endusers WHERE company_id IN ('5685c180bc989db911000000', NULL, '5685c180bc989db911000000')$$);
\! $PHCTL log
-- more than 100 values: chunks of 100, each announced (ids(n) is a
-- constant array of n ObjectIds and an existing company's)
CREATE FUNCTION public.ids(n int) RETURNS text[] IMMUTABLE LANGUAGE sql
AS $$SELECT array_agg(lpad(to_hex(i), 24, '0') ORDER BY i) || '5685c180bc989db911000000'::text
     FROM generate_series(1, n) i$$;
SELECT same_rows($$SELECT id FROM companies WHERE id = ANY (ids(150))$$),
       explain_agrees($$SELECT id FROM companies WHERE id = ANY (ids(150))$$);
SELECT same_rows($$SELECT id FROM endusers WHERE id = ANY (ids(12))$$),
       explain_agrees($$SELECT id FROM endusers WHERE id = ANY (ids(12))$$);
DROP FUNCTION public.ids(int);

-- a single-value filter (licenses' companyId): one request per value, or
-- one wider request when a value cannot be sent
SELECT same_rows($$SELECT id FROM licenses WHERE company_id IN ('5685c180bc989db911000000', '57398700bc989db911000001', '5685c180bc989db911000000')$$),
       explain_agrees($$SELECT id FROM licenses WHERE company_id IN ('5685c180bc989db911000000', '57398700bc989db911000001', '5685c180bc989db911000000')$$);
\! $PHCTL log
SELECT same_rows($$SELECT id FROM licenses WHERE company_id IN ('5685c180bc989db911000000', '')$$),
       explain_agrees($$SELECT id FROM licenses WHERE company_id IN ('5685c180bc989db911000000', '')$$);
\! $PHCTL log

-- free-text filters (tickets' status, end users' email, lean companies'
-- externalId): empty, padded and comma-bearing values stay local
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM tickets WHERE status = 'pending,open';
SELECT same_rows($$SELECT id FROM tickets WHERE status IN ('', ' pending', 'pending,open')$$),
       explain_agrees($$SELECT id FROM tickets WHERE status IN ('', ' pending', 'pending,open')$$);
SELECT same_rows($$SELECT id FROM endusers WHERE email = ' pad@acme.com '$$),
       explain_agrees($$SELECT id FROM endusers WHERE email = ' pad@acme.com '$$);
SELECT same_rows($$SELECT name FROM leancompanies WHERE external_id = ''$$),
       explain_agrees($$SELECT name FROM leancompanies WHERE external_id = ''$$);
\! $PHCTL log

-- day ranges: NULL and infinite bounds
SELECT same_rows($$SELECT id FROM dimensiondata WHERE day >= NULL$$),
       explain_agrees($$SELECT id FROM dimensiondata WHERE day >= NULL$$);
SELECT same_rows($$SELECT id FROM dimensiondata WHERE day >= '-infinity' AND day <= '2025-05-30'$$),
       explain_agrees($$SELECT id FROM dimensiondata WHERE day >= '-infinity' AND day <= '2025-05-30'$$);
SELECT same_rows($$SELECT id FROM dimensiondata WHERE day > 'infinity'$$),
       explain_agrees($$SELECT id FROM dimensiondata WHERE day > 'infinity'$$);
SELECT same_rows($$SELECT id FROM dimensiondata WHERE day > '2025-05-29' AND day < '2025-05-31' AND day >= '2025-05-30'$$),
       explain_agrees($$SELECT id FROM dimensiondata WHERE day > '2025-05-29' AND day < '2025-05-31' AND day >= '2025-05-30'$$);
\! $PHCTL log
-- flags compared with NULL match nothing
SELECT same_rows($$SELECT id FROM endusers WHERE archived = NULL$$),
       explain_agrees($$SELECT id FROM endusers WHERE archived = NULL$$);
SELECT same_rows($$SELECT id FROM tasks WHERE is_archived = NULL$$),
       explain_agrees($$SELECT id FROM tasks WHERE is_archived = NULL$$);

-- parameters from a join: each outer value is judged like a constant
-- (LATERAL ... OFFSET 0 makes the scan run once per outer row, whatever
-- the estimates)
CREATE TEMP TABLE edge_ids (n int, cid text);
INSERT INTO edge_ids VALUES (1, '5685c180bc989db911000000'), (2, ''), (3, ' 5685c180bc989db911000000'),
  (4, 'extid-CUST-00001'), (5, NULL), (6, '57398700bc989db911000001,5954d780bc989db911000004'),
  (7, '5685C180BC989DB911000000'), (8, 'CUST-00001');
EXPLAIN (VERBOSE, COSTS OFF)
SELECT i.n, s.email FROM edge_ids i,
  LATERAL (SELECT email FROM endusers e WHERE e.company_id = i.cid OFFSET 0) s;
SELECT same_rows($$SELECT i.n, s.email FROM edge_ids i, LATERAL (SELECT email FROM endusers e WHERE e.company_id = i.cid OFFSET 0) s$$),
       explain_agrees($$SELECT i.n, s.email FROM edge_ids i, LATERAL (SELECT email FROM endusers e WHERE e.company_id = i.cid OFFSET 0) s$$);
\! $PHCTL log
SELECT * FROM explain_analyze($$SELECT i.n, s.email FROM edge_ids i,
  LATERAL (SELECT email FROM endusers e WHERE e.company_id = i.cid OFFSET 0) s$$, with_verbose => true);
-- keys: an impossible _id sends nothing, an empty externalId scans
SELECT same_rows($$SELECT i.n, s.name FROM edge_ids i, LATERAL (SELECT name FROM companies c WHERE c.id = i.cid OFFSET 0) s$$),
       explain_agrees($$SELECT i.n, s.name FROM edge_ids i, LATERAL (SELECT name FROM companies c WHERE c.id = i.cid OFFSET 0) s$$);
\! $PHCTL log
SELECT same_rows($$SELECT i.n, s.name FROM edge_ids i, LATERAL (SELECT name FROM companies c WHERE c.external_id = i.cid OFFSET 0) s$$),
       explain_agrees($$SELECT i.n, s.name FROM edge_ids i, LATERAL (SELECT name FROM companies c WHERE c.external_id = i.cid OFFSET 0) s$$);
\! $PHCTL log

-- =====================================================================
-- trust, but verify: rows that do not match what was asked for
-- =====================================================================
-- a server that ignores the companyId filter: an error naming it, not
-- other companies' end users
\! $PHCTL fault '{"path": "/endusers", "action": "ignore_params", "params": ["companyId"], "times": -1}'
SELECT email FROM endusers WHERE company_id = '57ed4c80bc989db911000002';    -- ERROR
-- ... nor a short page under a pushed LIMIT
SELECT email FROM endusers WHERE company_id = '57ed4c80bc989db911000002' LIMIT 2;    -- ERROR
-- with pushdown off the filter is local and the answer right
SET planhat_fdw.pushdown = off;
SELECT count(*) FROM endusers WHERE company_id = '57ed4c80bc989db911000002';
RESET planhat_fdw.pushdown;
\! $PHCTL faults-clear
-- a loose filter (email) is filtered locally anyway: no error
\! $PHCTL fault '{"path": "/endusers", "action": "ignore_params", "params": ["email"], "times": -1}'
\! $PHCTL clear
SELECT id, email FROM endusers WHERE email = 'chloe.x0@acmecorporation.com';
\! $PHCTL log
\! $PHCTL faults-clear

-- tasks: a server that ignores isArchived would list every task twice
\! $PHCTL fault '{"path": "/tasks", "action": "ignore_params", "params": ["isArchived"], "times": -1}'
SELECT count(*) FROM tasks;      -- ERROR
SELECT count(*) FROM tasks WHERE is_archived;      -- ERROR
SET planhat_fdw.pushdown = off;
SELECT count(*) FROM tasks;
RESET planhat_fdw.pushdown;
\! $PHCTL faults-clear

-- a day range ignored
\! $PHCTL fault '{"path": "/dimensiondata", "action": "ignore_params", "params": ["from", "to"], "times": -1}'
SELECT count(*) FROM dimensiondata WHERE day = '2025-05-30';      -- ERROR
\! $PHCTL faults-clear

-- a key lookup answered with another object
\! $PHCTL fault '{"path": "/companies/extid-CUST-00001", "action": "status", "status": 200, "body": {"_id": "57398700bc989db911000001", "externalId": "ÅNG/001", "name": "Ångström Labs"}}'
SELECT id, name FROM companies WHERE external_id = 'CUST-00001';      -- ERROR
\! $PHCTL fault '{"path": "/companies/5685c180bc989db911000000", "action": "status", "status": 200, "body": {"_id": "57398700bc989db911000001", "name": "Ångström Labs"}}'
SELECT id, name FROM companies WHERE id = '5685c180bc989db911000000';      -- ERROR
\! $PHCTL faults-clear

-- a pushed sort that is not honoured: PostgreSQL relies on it (the top-N of
-- ORDER BY ... LIMIT, a merge join), so rows out of order are an error
\! $PHCTL fault '{"path": "/companies", "action": "ignore_sort", "times": -1}'
SELECT name, mrr FROM companies ORDER BY mrr DESC NULLS LAST LIMIT 5;      -- ERROR
SELECT name FROM companies ORDER BY name COLLATE "C" NULLS FIRST LIMIT 3;      -- ERROR
SET planhat_fdw.pushdown = off;
SELECT name, mrr FROM companies ORDER BY mrr DESC NULLS LAST LIMIT 5;
RESET planhat_fdw.pushdown;
\! $PHCTL faults-clear
-- honoured, the same query passes the check
SELECT same_rows($$SELECT name, mrr FROM companies ORDER BY mrr DESC NULLS LAST LIMIT 5$$, true);

-- =====================================================================
-- columns that match no field: a WARNING when the table is first planned
-- =====================================================================
-- "companyId" unquoted folds to companyid, a field no end user has; a
-- field option is taken as meant (Planhat objects carry undocumented fields)
CREATE FOREIGN TABLE public.eu_typo (id text, companyId text, emial text, zzzqqq text,
  seats numeric OPTIONS (field 'custom.Seats'), touched text OPTIONS (field 'lastTouchByType.email'),
  extra text OPTIONS (field 'undocumentedField'), attrs jsonb)
  SERVER planhat OPTIONS (resource 'endusers');
SELECT count(*) FROM public.eu_typo WHERE companyId = '5685c180bc989db911000000';
-- once per table and session
SELECT count(*) FROM public.eu_typo;
DROP FOREIGN TABLE public.eu_typo;

\! $PHCTL reset
