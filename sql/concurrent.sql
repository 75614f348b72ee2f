--
-- A scan that overlaps with change in Planhat.  Planhat pages by offset
-- only: a row created or deleted ahead of the offset between two requests
-- shifts every later row.  Each page after the first begins with the last
-- row of the page before; if that row is still in its place, every row that
-- existed throughout is returned once, whatever else changed; if not, the
-- scan fails and says to run the statement again.  The emulator's "change"
-- fault writes to the data between two requests, as another client would.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\! $PHCTL reset
SET search_path = public, planhat;

-- 25 companies in storage order, pages of 5: offsets 0, 4, 9, 14, 19, 24
-- (prefetch 0: the change happens between two requests in a known order)
CREATE FOREIGN TABLE public.cc (id text, name text, updated_at timestamptz)
  SERVER planhat OPTIONS (resource 'companies', fetch_size '5', prefetch '0');
-- what a scan returned, against what Planhat holds after it
CREATE TEMP TABLE got (id text);
CREATE FUNCTION public.read_cc() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
  twice bigint;
  missing bigint;
BEGIN
  TRUNCATE got;
  INSERT INTO got SELECT id FROM cc;
  SELECT count(*), count(*) - count(DISTINCT id) INTO n, twice FROM got;
  -- rows in Planhat now, other than the ones created meanwhile, that the
  -- scan did not return
  SELECT count(*) INTO missing FROM emulator_data('companies') d
  WHERE d->>'name' NOT LIKE 'Created meanwhile%' AND NOT EXISTS (SELECT FROM got WHERE got.id = d->>'_id');
  RETURN format('%s rows, %s twice, %s missing', n, twice, missing);
END $$;

-- no change: six requests, each after the first one row back
\! $PHCTL clear
SELECT read_cc();
\! $PHCTL log

-- =====================================================================
-- changes after the offset: nothing to notice
-- =====================================================================
-- a company created between requests 1 and 2 (at the end): it is read too
\! $PHCTL fault '{"path": "/companies", "skip": 1, "action": "change", "insert": [{"name": "Created meanwhile A"}]}'
\! $PHCTL clear
SELECT read_cc();
\! $PHCTL log
\! $PHCTL reset
-- a company on a later page deleted between requests 1 and 2: not read
\! $PHCTL fault '{"path": "/companies", "skip": 1, "action": "change", "delete": ["6544f500bc989db911000015"]}'
SELECT read_cc();
\! $PHCTL reset

-- =====================================================================
-- changes ahead of the offset
-- =====================================================================
-- a company created at storage position 0 between requests 1 and 2: the
-- second page would repeat a row
\! $PHCTL fault '{"path": "/companies", "skip": 1, "action": "change", "insert": [{"name": "Created meanwhile B"}], "insert_at": 0}'
\! $PHCTL clear
SELECT read_cc();  -- ERROR
\! $PHCTL log
\! $PHCTL reset
-- a company of the first page deleted between requests 2 and 3: the third
-- page would skip a row
\! $PHCTL fault '{"path": "/companies", "skip": 2, "action": "change", "delete": ["57398700bc989db911000001"]}'
\! $PHCTL clear
SELECT read_cc();  -- ERROR
\! $PHCTL log
\! $PHCTL reset
-- the row the next page begins with deleted
\! $PHCTL fault '{"path": "/companies", "skip": 1, "action": "change", "delete": ["5954d780bc989db911000004"]}'
SELECT read_cc();  -- ERROR
\! $PHCTL reset
-- one created and one deleted ahead of it: the row is in its place, so the
-- rows after it are the ones still to read; the deleted one was read before
\! $PHCTL fault '{"path": "/companies", "skip": 1, "action": "change", "insert": [{"name": "Created meanwhile C"}], "insert_at": 0, "delete": ["57398700bc989db911000001"]}'
SELECT read_cc();
SELECT count(*) AS deleted_but_read FROM got WHERE id = '57398700bc989db911000001';
\! $PHCTL reset
-- with pushdown off: the same (the pages are the same requests)
\! $PHCTL fault '{"path": "/companies", "skip": 1, "action": "change", "insert": [{"name": "Created meanwhile D"}], "insert_at": 0}'
SET planhat_fdw.pushdown = off;
SELECT count(*) FROM cc;  -- ERROR
RESET planhat_fdw.pushdown;
\! $PHCTL reset

-- =====================================================================
-- a list sorted by -updatedAt (an incremental pull of three pages)
-- =====================================================================
CREATE FOREIGN TABLE public.pull3 (id text, name text, updated_at timestamptz)
  SERVER planhat OPTIONS (resource 'companies', fetch_size '3', prefetch '0');
-- a company created meanwhile sorts first: the next page is shifted
\! $PHCTL fault '{"path": "/companies", "skip": 1, "action": "change", "insert": [{"name": "Created meanwhile E"}]}'
\! $PHCTL clear
SELECT count(*) FROM pull3 WHERE updated_at > '2024-01-01';  -- ERROR
\! $PHCTL log
\! $PHCTL reset
-- an update moves its row first: a row already read (Comma, Inc., the
-- second) changes nothing after the page; it is returned once
\! $PHCTL fault '{"path": "/companies", "skip": 1, "action": "change", "update": [{"_id": "6329a480bc989db911000012", "phase": "Renewal"}]}'
SELECT count(*), count(DISTINCT id) FROM pull3 WHERE updated_at > '2024-01-01';
\! $PHCTL reset
-- a row not read yet (Łódź Metalworks, the sixth) would be skipped: an error
\! $PHCTL fault '{"path": "/companies", "skip": 1, "action": "change", "update": [{"_id": "5d8b7880bc989db91100000a", "phase": "Renewal"}]}'
SELECT count(*) FROM pull3 WHERE updated_at > '2024-01-01';  -- ERROR
\! $PHCTL reset

DROP FOREIGN TABLE cc, pull3;
DROP FUNCTION public.read_cc();
