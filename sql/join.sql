--
-- Joins with local tables: parameterized scans send one filtered request per
-- outer value when that is cheaper than reading the whole resource, with
-- and without ANALYZE.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\! $PHCTL reset --rows endusers=3000
SET search_path = planhat, public;

CREATE TABLE my_accounts (planhat_id text, region text);
INSERT INTO my_accounts VALUES
  ('5685c180bc989db911000000', 'EU'), ('57398700bc989db911000001', 'EU'),
  ('57ed4c80bc989db911000002', 'EU'), ('5954d780bc989db911000004', 'APAC');
ANALYZE my_accounts;

-- statistics: ANALYZE reads every row once (prefetch 0: no page is asked
-- for ahead, so the count is exact)
ALTER FOREIGN TABLE endusers OPTIONS (ADD fetch_size '500', ADD prefetch '0');
\! $PHCTL clear
ANALYZE endusers;
\! $PHCTL count
SELECT reltuples FROM pg_class WHERE oid = 'planhat.endusers'::regclass;

-- three EU accounts: three filtered requests instead of six pages
\! $PHCTL clear
SELECT a.planhat_id, count(e.id)
FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id
WHERE a.region = 'EU' GROUP BY 1 ORDER BY 1;
\! $PHCTL log
EXPLAIN (VERBOSE, COSTS OFF)
SELECT a.planhat_id, e.email
FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id
WHERE a.region = 'EU';
SELECT same_rows($$SELECT a.planhat_id, e.email FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id WHERE a.region = 'EU'$$);
SELECT explain_agrees($$SELECT a.planhat_id, e.email FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id WHERE a.region = 'EU'$$);

-- duplicate outer values ask once (Memoize)
INSERT INTO my_accounts VALUES ('5685c180bc989db911000000', 'EU');
ANALYZE my_accounts;
\! $PHCTL clear
SELECT count(*) FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id WHERE a.region = 'EU';
\! $PHCTL log
SELECT explain_agrees($$SELECT count(*) FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id WHERE a.region = 'EU'$$);

-- joins on id: one lookup per outer row
\! $PHCTL clear
SELECT a.planhat_id, c.name
FROM my_accounts a JOIN companies c ON c.id = a.planhat_id
WHERE a.region = 'APAC';
\! $PHCTL log
SELECT explain_agrees($$SELECT a.planhat_id, c.name FROM my_accounts a JOIN companies c ON c.id = a.planhat_id WHERE a.region = 'APAC'$$);

-- EXPLAIN ANALYZE shows what was exchanged (sql/include/explain.sql)
\set ECHO none
\i sql/include/explain.sql
\set ECHO all
SELECT * FROM explain_analyze($$
SELECT a.planhat_id, e.email
FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id
WHERE a.region = 'APAC'$$, with_verbose => true);

-- many outer rows: one scan of the resource is cheaper
INSERT INTO my_accounts SELECT id, 'US' FROM companies;
ANALYZE my_accounts;
EXPLAIN (VERBOSE, COSTS OFF)
SELECT count(*) FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id;
SELECT same_rows($$SELECT a.planhat_id, e.id FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id$$);
SELECT explain_agrees($$SELECT count(*) FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id$$);

ALTER FOREIGN TABLE endusers OPTIONS (DROP fetch_size);
DROP TABLE my_accounts;

-- =====================================================================
-- planning without statistics: a table that was never ANALYZEd is assumed
-- to hold estimated_rows rows (default 100000), many pages of any resource
-- =====================================================================
\! $PHCTL reset --rows companies=2000,endusers=3000
CREATE SCHEMA fresh;
IMPORT FOREIGN SCHEMA planhat LIMIT TO (endusers) FROM SERVER planhat INTO fresh;
ALTER FOREIGN TABLE fresh.endusers OPTIONS (ADD fetch_size '500', ADD prefetch '0');
SELECT reltuples, relpages FROM pg_class WHERE oid = 'fresh.endusers'::regclass;
CREATE TABLE two_accounts AS SELECT id AS planhat_id FROM companies ORDER BY id LIMIT 2;
CREATE TABLE many_accounts AS SELECT id AS planhat_id FROM companies ORDER BY id LIMIT 2000;
ANALYZE two_accounts;
ANALYZE many_accounts;
-- 2 local rows: 2 filtered requests
EXPLAIN (COSTS OFF)
SELECT a.planhat_id, e.email FROM two_accounts a JOIN fresh.endusers e ON e.company_id = a.planhat_id;
\! $PHCTL clear
SELECT count(*) FROM two_accounts a JOIN fresh.endusers e ON e.company_id = a.planhat_id;
\! $PHCTL log
SELECT same_rows($$SELECT a.planhat_id, e.email FROM two_accounts a JOIN fresh.endusers e ON e.company_id = a.planhat_id$$);
-- 2,000 local rows: one scan of the resource (6 pages and the empty 7th)
EXPLAIN (COSTS OFF)
SELECT a.planhat_id, e.email FROM many_accounts a JOIN fresh.endusers e ON e.company_id = a.planhat_id;
\! $PHCTL clear
SELECT count(*) FROM many_accounts a JOIN fresh.endusers e ON e.company_id = a.planhat_id;
\! $PHCTL log
SELECT same_rows($$SELECT a.planhat_id, e.email FROM many_accounts a JOIN fresh.endusers e ON e.company_id = a.planhat_id$$);
-- a semi-join: IN (SELECT ...) is planned like the join, one request per
-- key; = ANY (ARRAY(SELECT ...)) evaluates the keys first and sends them in
-- one comma list
EXPLAIN (COSTS OFF)
SELECT email FROM fresh.endusers WHERE company_id IN (SELECT planhat_id FROM two_accounts);
\! $PHCTL clear
SELECT count(*) FROM fresh.endusers WHERE company_id IN (SELECT planhat_id FROM two_accounts);
\! $PHCTL log
SELECT explain_agrees($$SELECT email FROM fresh.endusers WHERE company_id IN (SELECT planhat_id FROM two_accounts)$$);
SELECT * FROM explain_verbose($$
SELECT email FROM fresh.endusers WHERE company_id = ANY (ARRAY(SELECT planhat_id FROM two_accounts))$$);
\! $PHCTL clear
SELECT count(*) FROM fresh.endusers WHERE company_id = ANY (ARRAY(SELECT planhat_id FROM two_accounts));
\! $PHCTL log
SELECT explain_agrees($$SELECT email FROM fresh.endusers WHERE company_id = ANY (ARRAY(SELECT planhat_id FROM two_accounts))$$);
SELECT same_rows($$SELECT email FROM fresh.endusers WHERE company_id = ANY (ARRAY(SELECT planhat_id FROM two_accounts))$$);

-- ANALYZE reads every row once and is the exact way: the same plans
\! $PHCTL clear
ANALYZE fresh.endusers;
\! $PHCTL count
SELECT reltuples FROM pg_class WHERE oid = 'fresh.endusers'::regclass;
\! $PHCTL clear
SELECT count(*) FROM two_accounts a JOIN fresh.endusers e ON e.company_id = a.planhat_id;
\! $PHCTL log
\! $PHCTL clear
SELECT count(*) FROM many_accounts a JOIN fresh.endusers e ON e.company_id = a.planhat_id;
\! $PHCTL log

-- estimated_rows (table or server option) sets the size of a table never
-- analyzed: 400 end users are one page, and one page beats two requests
CREATE SCHEMA small;
IMPORT FOREIGN SCHEMA planhat LIMIT TO (endusers) FROM SERVER planhat INTO small;
ALTER FOREIGN TABLE small.endusers OPTIONS (ADD fetch_size '500', ADD prefetch '0', ADD estimated_rows '400');
EXPLAIN (COSTS OFF)
SELECT a.planhat_id, e.email FROM two_accounts a JOIN small.endusers e ON e.company_id = a.planhat_id;
ALTER FOREIGN TABLE small.endusers OPTIONS (SET estimated_rows '-1');  -- ERROR

DROP SCHEMA fresh CASCADE;
DROP SCHEMA small CASCADE;
DROP TABLE two_accounts, many_accounts;
\! $PHCTL reset
DROP FUNCTION explain_analyze(text, boolean);
DROP FUNCTION explain_verbose(text), explain_analyze_waits(text);
