--
-- A warehouse copy of a Planhat resource kept in sync: the recipe of
-- docs/warehouse.md end to end.  Changed rows come from an incremental pull
-- (updated_at above a watermark), deleted rows from a sweep of ids, all in
-- one MERGE procedure; a second run that finds nothing changes nothing.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\! $PHCTL reset
SET search_path = planhat, public;

-- =====================================================================
-- the recipe
-- =====================================================================
\i sql/include/warehouse.sql

-- =====================================================================
-- first run: a full load
-- =====================================================================
\! $PHCTL clear
CALL wh.refresh_companies();
\! $PHCTL log
SELECT count(*) AS rows, wh.differences() AS differences FROM wh.companies;

-- =====================================================================
-- changes in Planhat: an update, a new company, a deleted one
-- =====================================================================
SELECT id AS changed FROM companies WHERE external_id IS NOT NULL ORDER BY id LIMIT 1 \gset
SELECT id AS gone FROM companies WHERE external_id IS NOT NULL ORDER BY id DESC LIMIT 1 \gset
UPDATE companies SET phase = 'Renewal' WHERE id = :'changed';
INSERT INTO companies (name, external_id) VALUES ('Warehouse Test Co', 'wh-new-1');
DELETE FROM companies WHERE id = :'gone';
SELECT wh.differences() AS differences_before_refresh;

\! $PHCTL clear
CALL wh.refresh_companies();
\! $PHCTL log
SELECT count(*) AS rows, wh.differences() AS differences FROM wh.companies;
SELECT name, phase FROM wh.companies WHERE external_id = 'wh-new-1';

-- =====================================================================
-- a run that finds nothing new changes nothing
-- =====================================================================
\! $PHCTL clear
CALL wh.refresh_companies();
\! $PHCTL log
SELECT wh.differences() AS differences;

-- the same rows with pushdown off
SELECT same_rows($$SELECT id, updated_at FROM companies
                   WHERE updated_at > (SELECT watermark - interval '10 minutes'
                                       FROM wh.sync_state WHERE resource = 'companies')$$);

-- =====================================================================
-- a failing refresh leaves the copy as it was
-- =====================================================================
UPDATE companies SET phase = 'Expansion' WHERE external_id = 'wh-new-1';
ALTER SERVER planhat OPTIONS (ADD max_retries '0');
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 500, "times": -1}'
CALL wh.refresh_companies();  -- ERROR
\! $PHCTL faults-clear
ALTER SERVER planhat OPTIONS (DROP max_retries);
SELECT name, phase FROM wh.companies WHERE external_id = 'wh-new-1';
CALL wh.refresh_companies();
SELECT name, phase FROM wh.companies WHERE external_id = 'wh-new-1';
SELECT wh.differences() AS differences;

-- clean up
DELETE FROM companies WHERE external_id = 'wh-new-1';
DROP SCHEMA wh CASCADE;
