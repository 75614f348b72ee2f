--
-- Pushdown of WHERE clauses and column lists: the fewest requests, the same
-- rows.  Every case shows the rows, the requests the emulator received and
-- EXPLAIN's "Planhat Request", then checks that planhat_fdw.pushdown = off
-- (every row fetched, everything evaluated locally) returns the same rows.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\! $PHCTL reset
SET search_path = planhat, public;

-- explain_agrees() (sql/include/helpers.sql) fails when a request was not
-- announced: here one the query makes through a function
CREATE FUNCTION public.n_users() RETURNS bigint LANGUAGE sql VOLATILE
AS 'SELECT count(*) FROM planhat.users';
SELECT explain_agrees($$SELECT n_users()$$);
DROP FUNCTION public.n_users();

-- =====================================================================
-- lookups by key: GET /<resource>/<key>
-- =====================================================================
\! $PHCTL clear
SELECT id, name, external_id FROM companies WHERE id = '57398700bc989db911000001';
\! $PHCTL log
EXPLAIN (VERBOSE, COSTS OFF) SELECT id, name FROM companies WHERE id = '57398700bc989db911000001';
SELECT same_rows($$SELECT id, name FROM companies WHERE id = '57398700bc989db911000001'$$);
SELECT explain_agrees($$SELECT id, name FROM companies WHERE id = '57398700bc989db911000001'$$);

-- a missing record is zero rows, not an error
\! $PHCTL clear
SELECT id FROM companies WHERE id = '000000000000000000000000';
\! $PHCTL log

-- Planhat assigns every _id as an ObjectId: any other value matches no row
-- and sends no request
\! $PHCTL clear
SELECT id FROM companies WHERE id = '../users?x=1&y=%2F #é';
\! $PHCTL log
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM companies WHERE id = '../users?x=1&y=%2F #é';
-- keys are percent-encoded: they can never change the path or add parameters
\! $PHCTL clear
SELECT id, name FROM companies WHERE external_id = 'rocket 🚀?#&';
\! $PHCTL log
SELECT explain_agrees($$SELECT id, name FROM companies WHERE external_id = 'rocket 🚀?#&'$$);

-- externalId is unique among companies: GET /companies/extid-<key>
\! $PHCTL clear
SELECT id, name, external_id FROM companies WHERE external_id = 'ÅNG/001';
\! $PHCTL log
SELECT same_rows($$SELECT id FROM companies WHERE external_id = 'ÅNG/001'$$);
SELECT explain_agrees($$SELECT id FROM companies WHERE external_id = 'ÅNG/001'$$);
-- sourceId: GET /companies/srcid-<key>
\! $PHCTL clear
SELECT id, name FROM companies WHERE source_id = '00120000010000023w';
\! $PHCTL log
SELECT explain_agrees($$SELECT id, name FROM companies WHERE source_id = '00120000010000023w'$$);
-- on end users externalId is unique only per company: no key lookup
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM endusers WHERE external_id = 'x';

-- id IN (...): companies filter their own ids with a comma list
\! $PHCTL clear
SELECT id, name FROM companies
WHERE id IN ('57398700bc989db911000001', '5954d780bc989db911000004', '000000000000000000000000')
ORDER BY id;
\! $PHCTL log
SELECT same_rows($$SELECT id, name FROM companies WHERE id IN ('57398700bc989db911000001', '5954d780bc989db911000004', '000000000000000000000000')$$);
SELECT explain_agrees($$SELECT id, name FROM companies WHERE id IN ('57398700bc989db911000001', '5954d780bc989db911000004', '000000000000000000000000')$$);
-- other resources: one GET per distinct id
\! $PHCTL clear
SELECT id, email FROM endusers
WHERE id IN ('5c32b84030037a10d800000e', '5895198030037a10d8000000', '5c32b84030037a10d800000e')
ORDER BY id;
\! $PHCTL log
EXPLAIN (VERBOSE, COSTS OFF)
SELECT id FROM endusers WHERE id IN ('5c32b84030037a10d800000e', '5895198030037a10d8000000');
SELECT explain_agrees($$SELECT id, email FROM endusers WHERE id IN ('5c32b84030037a10d800000e', '5895198030037a10d8000000', '5c32b84030037a10d800000e')$$);

-- =====================================================================
-- company filters
-- =====================================================================
-- one request with companyId and select
\! $PHCTL clear
SELECT name FROM endusers WHERE company_id = '57ed4c80bc989db911000002' ORDER BY 1;
\! $PHCTL log
EXPLAIN (VERBOSE, COSTS OFF) SELECT name FROM endusers WHERE company_id = '57ed4c80bc989db911000002';
SELECT same_rows($$SELECT name FROM endusers WHERE company_id = '57ed4c80bc989db911000002'$$);
SELECT explain_agrees($$SELECT name FROM endusers WHERE company_id = '57ed4c80bc989db911000002'$$);

-- IN: a comma list where documented (end users) ...
\! $PHCTL clear
SELECT count(*) FROM endusers WHERE company_id IN ('57ed4c80bc989db911000002', '5954d780bc989db911000004');
\! $PHCTL log
SELECT same_rows($$SELECT id FROM endusers WHERE company_id IN ('57ed4c80bc989db911000002', '5954d780bc989db911000004')$$);
SELECT explain_agrees($$SELECT count(*) FROM endusers WHERE company_id IN ('57ed4c80bc989db911000002', '5954d780bc989db911000004')$$);
-- ... else one request per distinct value (licenses)
\! $PHCTL clear
SELECT count(*) FROM licenses WHERE company_id IN ('5685c180bc989db911000000', '57398700bc989db911000001', '5685c180bc989db911000000');
\! $PHCTL log
SELECT same_rows($$SELECT id FROM licenses WHERE company_id IN ('5685c180bc989db911000000', '57398700bc989db911000001')$$);
SELECT explain_agrees($$SELECT count(*) FROM licenses WHERE company_id IN ('5685c180bc989db911000000', '57398700bc989db911000001', '5685c180bc989db911000000')$$);

-- invoices and NPS call the company cId
\! $PHCTL clear
SELECT count(*) FROM invoices WHERE c_id = '5685c180bc989db911000000';
\! $PHCTL log
SELECT same_rows($$SELECT id FROM invoices WHERE c_id = '5685c180bc989db911000000'$$);
SELECT explain_agrees($$SELECT count(*) FROM invoices WHERE c_id = '5685c180bc989db911000000'$$);

-- NULL matches nothing: no request at all
\! $PHCTL clear
SELECT count(*) FROM endusers WHERE company_id = NULL;
SELECT count(*) FROM endusers WHERE company_id IN (NULL, '57ed4c80bc989db911000002');
\! $PHCTL log
SELECT explain_agrees($$SELECT count(*) FROM endusers WHERE company_id = NULL$$);
SELECT explain_agrees($$SELECT count(*) FROM endusers WHERE company_id IN (NULL, '57ed4c80bc989db911000002', NULL)$$);

-- a value with a comma cannot be sent exactly: it is evaluated locally
\! $PHCTL clear
SELECT count(*) FROM endusers WHERE company_id = '57ed4c80bc989db911000002,5954d780bc989db911000004';
\! $PHCTL log
EXPLAIN (VERBOSE, COSTS OFF)
SELECT id FROM endusers WHERE company_id = '57ed4c80bc989db911000002,5954d780bc989db911000004';

-- parameters of prepared statements are evaluated at execution
PREPARE by_companies(text[]) AS SELECT count(*) FROM endusers WHERE company_id = ANY($1);
\! $PHCTL clear
EXECUTE by_companies(ARRAY['57ed4c80bc989db911000002', '5954d780bc989db911000004']);
EXECUTE by_companies(ARRAY['5685c180bc989db911000000']);
\! $PHCTL log
SELECT explain_agrees($$EXECUTE by_companies(ARRAY['57ed4c80bc989db911000002', '5954d780bc989db911000004'])$$);
DEALLOCATE by_companies;
PREPARE by_company(text) AS SELECT count(*) FROM endusers WHERE company_id = $1;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE by_company('5685c180bc989db911000000');
\! $PHCTL clear
EXECUTE by_company('5685c180bc989db911000000');
\! $PHCTL log
SELECT explain_agrees($$EXECUTE by_company('5685c180bc989db911000000')$$);
RESET plan_cache_mode;
DEALLOCATE by_company;

-- =====================================================================
-- the other documented list filters
-- =====================================================================
-- end users: email is sent and rechecked (Planhat may match more loosely)
\! $PHCTL clear
SELECT id, email FROM endusers WHERE email = 'chloe.x0@acmecorporation.com';
\! $PHCTL log
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM endusers WHERE email = 'chloe.x0@acmecorporation.com';
SELECT explain_agrees($$SELECT id, email FROM endusers WHERE email = 'chloe.x0@acmecorporation.com'$$);

-- end users: archived ones are listed only with archived=true, so the table
-- always sends it; archived = false leaves it out (and is rechecked)
\! $PHCTL clear
SELECT count(*) FROM endusers;
SELECT count(*) FROM endusers WHERE archived;
SELECT count(*) FROM endusers WHERE NOT archived;
\! $PHCTL log
SELECT same_rows($$SELECT id FROM endusers WHERE archived$$);
SELECT same_rows($$SELECT id FROM endusers WHERE archived = false$$);
SELECT explain_agrees($$SELECT count(*) FROM endusers WHERE archived$$);
SELECT explain_agrees($$SELECT count(*) FROM endusers WHERE NOT archived$$);

-- tasks: the list holds either archived or other tasks, so the table reads
-- both partitions; is_archived = x reads one
\! $PHCTL clear
SELECT count(*) FROM tasks;
SELECT count(*) FROM tasks WHERE is_archived;
SELECT count(*) FROM tasks WHERE is_archived = false AND company_id = '5685c180bc989db911000000';
\! $PHCTL log
SELECT same_rows($$SELECT id FROM tasks WHERE is_archived$$);
SELECT same_rows($$SELECT id FROM tasks WHERE NOT is_archived$$);
SELECT explain_agrees($$SELECT count(*) FROM tasks$$);
SELECT explain_agrees($$SELECT count(*) FROM tasks WHERE is_archived = false AND company_id = '5685c180bc989db911000000'$$);

-- tickets: status and email
\! $PHCTL clear
SELECT count(*) FROM tickets WHERE status = 'pending';
\! $PHCTL log
SELECT same_rows($$SELECT id FROM tickets WHERE status = 'pending'$$);
SELECT explain_agrees($$SELECT count(*) FROM tickets WHERE status = 'pending'$$);

-- dimension data: dimid, cId and a day range (inclusive day numbers)
\! $PHCTL clear
SELECT count(*) FROM dimensiondata WHERE dimension_id = 'logins' AND day >= '2025-05-31';
SELECT count(*) FROM dimensiondata WHERE day > '2025-05-30' AND day < '2025-06-01';
SELECT count(*) FROM dimensiondata WHERE day BETWEEN '2025-05-30' AND '2025-05-30';
SELECT count(*) FROM dimensiondata WHERE company_id = '5685c180bc989db911000000';
\! $PHCTL log
SELECT same_rows($$SELECT id FROM dimensiondata WHERE dimension_id = 'logins' AND day >= '2025-05-31'$$);
SELECT same_rows($$SELECT id FROM dimensiondata WHERE day > '2025-05-30' AND day < '2025-06-01'$$);
SELECT explain_agrees($$SELECT count(*) FROM dimensiondata WHERE dimension_id = 'logins' AND day >= '2025-05-31'$$);
SELECT explain_agrees($$SELECT count(*) FROM dimensiondata WHERE day BETWEEN '2025-05-30' AND '2025-05-30'$$);
SELECT explain_agrees($$SELECT count(*) FROM dimensiondata WHERE company_id = '5685c180bc989db911000000'$$);
-- a timestamp bound becomes a coarser day range, rechecked locally
\! $PHCTL clear
SELECT count(*) FROM dimensiondata WHERE time >= '2025-05-30 12:00:00+00';
\! $PHCTL log
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM dimensiondata WHERE time >= '2025-05-30 12:00:00+00';
SELECT same_rows($$SELECT id FROM dimensiondata WHERE time >= '2025-05-30 12:00:00+00'$$);
SELECT explain_agrees($$SELECT id FROM dimensiondata WHERE time >= '2025-05-30 12:00:00+00'$$);
-- stable expressions are evaluated at execution
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM dimensiondata WHERE day >= current_date - 7;
SELECT explain_agrees($$SELECT id FROM dimensiondata WHERE day >= current_date - 7$$);

-- =====================================================================
-- what stays local
-- =====================================================================
-- no documented filter on name: every page, then a local filter
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM companies WHERE name = 'Acme Corporation';
SELECT explain_agrees($$SELECT id FROM companies WHERE name = 'Acme Corporation'$$);
-- volatile functions, column-to-column comparisons, other operators
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM endusers WHERE company_id = (random() * 0)::text;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM endusers WHERE company_id = id;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM endusers WHERE company_id > 'a';
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM endusers WHERE company_id LIKE '57%';
-- a case-insensitive collation is not Planhat's equality
CREATE COLLATION public.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM endusers WHERE company_id = '57ED4C80BC989DB911000002' COLLATE public.ci;
SELECT same_rows($$SELECT id FROM endusers WHERE company_id = '57ED4C80BC989DB911000002' COLLATE public.ci$$);

-- =====================================================================
-- column lists: select= names the fields the query needs, _id always
-- =====================================================================
\! $PHCTL clear
SELECT count(*) FROM companies;
SELECT max(mrr) FROM companies WHERE phase = 'Expansion';
SELECT count(*) FROM (SELECT * FROM companies) s;
SELECT count(attrs) FROM companies;
\! $PHCTL log
SELECT explain_agrees($$SELECT max(mrr) FROM companies WHERE phase = 'Expansion'$$);
-- users: the list returns only some fields unless select names the others,
-- so the whole object needs every documented field named
\! $PHCTL clear
SELECT count(*) FILTER (WHERE attrs ? 'roles') AS with_roles, count(*) FROM users;
\! $PHCTL log
SELECT explain_agrees($$SELECT count(*) FILTER (WHERE attrs ? 'roles') AS with_roles, count(*) FROM users$$);

-- =====================================================================
-- planhat_fdw.pushdown = off: every row, everything local
-- =====================================================================
SET planhat_fdw.pushdown = off;
EXPLAIN (VERBOSE, COSTS OFF) SELECT name FROM endusers WHERE company_id = '57ed4c80bc989db911000002';
EXPLAIN (VERBOSE, COSTS OFF) SELECT id, name FROM companies WHERE id = '57398700bc989db911000001';
RESET planhat_fdw.pushdown;
