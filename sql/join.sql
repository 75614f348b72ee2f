--
-- Joins with local tables: parameterized scans send one filtered request per
-- outer value when that is cheaper than reading the whole resource.
--
\set VERBOSITY default
\! $PHCTL reset --rows endusers=3000
SET search_path = planhat, public;

CREATE TABLE my_accounts (planhat_id text, region text);
INSERT INTO my_accounts VALUES
  ('5685c180bc989db911000000', 'EU'), ('57398700bc989db911000001', 'EU'),
  ('57ed4c80bc989db911000002', 'EU'), ('5954d780bc989db911000004', 'APAC');
ANALYZE my_accounts;

-- statistics: ANALYZE reads every row once
ALTER FOREIGN TABLE endusers OPTIONS (ADD fetch_size '500');
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

-- EXPLAIN ANALYZE shows what was exchanged
EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT a.planhat_id, e.email
FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id
WHERE a.region = 'APAC';

-- many outer rows: one scan of the resource is cheaper
INSERT INTO my_accounts SELECT id, 'US' FROM companies;
ANALYZE my_accounts;
EXPLAIN (VERBOSE, COSTS OFF)
SELECT count(*) FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id;
SELECT same_rows($$SELECT a.planhat_id, e.id FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id$$);
SELECT explain_agrees($$SELECT count(*) FROM my_accounts a JOIN endusers e ON e.company_id = a.planhat_id$$);

ALTER FOREIGN TABLE endusers OPTIONS (DROP fetch_size);
DROP TABLE my_accounts;
\! $PHCTL reset
