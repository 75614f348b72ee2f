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
