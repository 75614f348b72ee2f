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
CREATE SCHEMA wh;
CREATE TABLE wh.companies (
  id text PRIMARY KEY,
  name text NOT NULL,
  phase text,
  mrr numeric,
  external_id text,
  updated_at timestamptz
);
CREATE TABLE wh.sync_state (resource text PRIMARY KEY, watermark timestamptz);
INSERT INTO wh.sync_state VALUES ('companies', NULL);

CREATE PROCEDURE wh.refresh_companies(margin interval DEFAULT '10 minutes')
LANGUAGE plpgsql AS $$
DECLARE
  since timestamptz;
  merged bigint;
  deleted bigint;
BEGIN
  SELECT coalesce(watermark - margin, '-infinity') INTO since
  FROM wh.sync_state WHERE resource = 'companies' FOR UPDATE;

  -- new and changed rows: only those updated since the watermark (OFFSET 0
  -- keeps the subquery whole, so that only its columns are requested)
  MERGE INTO wh.companies w
  USING (SELECT id, name, phase, mrr, external_id, updated_at
         FROM planhat.companies WHERE updated_at > since OFFSET 0) c
  ON w.id = c.id
  WHEN MATCHED AND w.updated_at IS DISTINCT FROM c.updated_at THEN
    UPDATE SET name = c.name, phase = c.phase, mrr = c.mrr,
               external_id = c.external_id, updated_at = c.updated_at
  WHEN NOT MATCHED THEN
    INSERT VALUES (c.id, c.name, c.phase, c.mrr, c.external_id, c.updated_at);
  GET DIAGNOSTICS merged = ROW_COUNT;

  -- deleted rows: one sweep of ids (select=_id, the cheapest full read)
  DELETE FROM wh.companies
  WHERE id NOT IN (SELECT id FROM planhat.companies WHERE id IS NOT NULL);
  GET DIAGNOSTICS deleted = ROW_COUNT;

  UPDATE wh.sync_state SET watermark = (SELECT max(updated_at) FROM wh.companies)
  WHERE resource = 'companies';
  RAISE NOTICE 'companies: % merged, % deleted', merged, deleted;
END $$;

-- the copy equals Planhat: no row on either side that the other lacks
CREATE FUNCTION wh.differences() RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM (
    (SELECT id, name, phase, mrr, external_id, updated_at FROM planhat.companies
     EXCEPT SELECT * FROM wh.companies)
    UNION ALL
    (SELECT * FROM wh.companies
     EXCEPT SELECT id, name, phase, mrr, external_id, updated_at FROM planhat.companies)) d
$$;

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
