--
-- Included by the regression files that show EXPLAIN ANALYZE, with
--   \set ECHO none
--   \i sql/include/explain.sql
--   \set ECHO all
--
-- explain_analyze(query): EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY
-- OFF, BUFFERS OFF [, VERBOSE]) of query, one line per row.  BUFFERS OFF
-- because PostgreSQL 18 shows buffers by default; 18 also prints actual
-- rows with two decimals, shown here as whole numbers as before 18 (only
-- ".00": a fraction still shows).
CREATE OR REPLACE FUNCTION public.explain_analyze(query text, with_verbose boolean DEFAULT false)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, BUFFERS OFF'
                      || CASE WHEN with_verbose THEN ', VERBOSE' ELSE '' END || ') ' || query
  LOOP
    RETURN NEXT regexp_replace(line, '\(actual rows=([0-9]+)\.00 ', '(actual rows=\1 ');
  END LOOP;
END $$;

-- explain_verbose(query): EXPLAIN (VERBOSE, COSTS OFF) of query, one line
-- per row, with the InitPlan parameters of PostgreSQL 17 and later
-- ("(InitPlan 1).col1", a header "InitPlan 1") written as before 17 ("$0",
-- "InitPlan 1 (returns $0)").  It assumes what the tests use: initplans of
-- one column each, numbered from 1, whose parameters are $0, $1, ...
CREATE OR REPLACE FUNCTION public.explain_verbose(query text)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  line text;
  m text[];
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || query
  LOOP
    LOOP
      m := regexp_match(line, '\(InitPlan ([0-9]+)\)\.col1');
      EXIT WHEN m IS NULL;
      line := regexp_replace(line, '\(InitPlan ' || m[1] || '\)\.col1', '$' || (m[1]::int - 1));
    END LOOP;
    m := regexp_match(line, '^( *)InitPlan ([0-9]+)$');
    IF m IS NOT NULL THEN
      line := m[1] || 'InitPlan ' || m[2] || ' (returns $' || (m[2]::int - 1) || ')';
    END IF;
    RETURN NEXT line;
  END LOOP;
END $$;

-- explain_analyze_waits(query): EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF,
-- BUFFERS OFF) of query with TIMING, for the time planhat_fdw waited: the
-- actual times of the nodes are dropped, "Planhat HTTP Time" reads "N ms"
-- and "Planhat Wait Time" whole seconds, rounded down (a Retry-After of one
-- second reads "1 s").  Actual rows as in explain_analyze().
CREATE OR REPLACE FUNCTION public.explain_analyze_waits(query text)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  line text;
  m text[];
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING ON, SUMMARY OFF, BUFFERS OFF) ' || query
  LOOP
    line := regexp_replace(line, 'actual time=[0-9.]+\.\.[0-9.]+ ', 'actual ');
    line := regexp_replace(line, '\(actual rows=([0-9]+)\.00 ', '(actual rows=\1 ');
    line := regexp_replace(line, '^( *Planhat HTTP Time: )[0-9.]+ ms$', '\1N ms');
    m := regexp_match(line, '^( *Planhat Wait Time: )([0-9.]+) ms$');
    IF m IS NOT NULL THEN
      line := m[1] || floor(m[2]::numeric / 1000) || ' s';
    END IF;
    RETURN NEXT line;
  END LOOP;
END $$;
