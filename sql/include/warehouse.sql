--
-- The refresh recipe of docs/warehouse.md: a local copy of planhat.companies
-- (wh.companies), its watermark (wh.sync_state), the MERGE procedure that
-- refreshes it (wh.refresh_companies) and a check that the copy equals
-- Planhat (wh.differences).  Included by sql/warehouse.sql, which runs it
-- end to end, and by test/pg_cron.test.sh, which schedules it.
--
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
