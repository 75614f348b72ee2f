--
-- The helper functions of the regression tests, included by
-- sql/include/setup_base.sql (so by every file that includes the shared
-- set-up).  CREATE OR REPLACE: including it again changes nothing.
--
-- emulator_data() and phctl() run the emulator's control CLI through COPY
-- FROM PROGRAM, with the settings regress.phctl and regress.url that
-- setup_base.sql sets.
--

-- emulator_data(resource): the emulator's stored objects, one jsonb per row
CREATE OR REPLACE FUNCTION public.emulator_data(resource text) RETURNS SETOF jsonb
LANGUAGE plpgsql AS $$
BEGIN
  IF to_regclass('pg_temp.emulator_rows') IS NULL THEN
    CREATE TEMP TABLE emulator_rows (doc jsonb);
  END IF;
  TRUNCATE emulator_rows;
  EXECUTE format('COPY emulator_rows FROM PROGRAM %L WITH (FORMAT csv, QUOTE E''\x01'', DELIMITER E''\x02'')',
                 current_setting('regress.phctl') || ' --url ' || current_setting('regress.url') ||
                 ' data ' || resource);
  RETURN QUERY SELECT doc FROM emulator_rows;
END $$;

-- check_columns: compare every column of a foreign table with the Planhat
-- object it came from, by the column's type; one row per column
CREATE OR REPLACE FUNCTION public.check_columns(tbl regclass, resource text)
RETURNS TABLE (col name, type text, field text, nonnull bigint, mismatched bigint)
LANGUAGE plpgsql AS $$
DECLARE
  a record;
  j text;
  expected text;
BEGIN
  IF to_regclass('pg_temp.check_src') IS NULL THEN
    CREATE TEMP TABLE check_src (doc jsonb);
  END IF;
  TRUNCATE check_src;
  INSERT INTO check_src SELECT d FROM emulator_data(resource) d;
  FOR a IN
    SELECT att.attname, format_type(att.atttypid, att.atttypmod) AS typ,
           coalesce((SELECT substr(o, 7) FROM unnest(att.attfdwoptions) o WHERE o LIKE 'field=%'),
                    att.attname) AS fld
    FROM pg_attribute att
    WHERE att.attrelid = tbl AND att.attnum > 0 AND NOT att.attisdropped
      AND att.attname <> 'attrs'
    ORDER BY att.attnum
  LOOP
    j := CASE WHEN a.fld LIKE 'custom.%'
              THEN format('(s.doc->''custom''->%L)', substr(a.fld, 8))
              ELSE format('(s.doc->%L)', a.fld) END;
    j := format('(CASE WHEN %s = ''null''::jsonb THEN NULL ELSE %s END)', j, j);
    expected := CASE
      WHEN a.typ = 'text' THEN format('(CASE jsonb_typeof(%s) WHEN ''string'' THEN %s #>> ''{}'' ELSE %s::text END)', j, j, j)
      WHEN a.typ IN ('numeric', 'integer', 'bigint', 'smallint') THEN format('(%s #>> ''{}'')::numeric', j)
      WHEN a.typ = 'boolean' THEN format('(%s #>> ''{}'')::boolean', j)
      WHEN a.typ = 'timestamp with time zone' THEN format('(%s #>> ''{}'')::timestamptz', j)
      WHEN a.typ = 'date' THEN format('(CASE jsonb_typeof(%s) WHEN ''number'' THEN ''1970-01-01''::date + (%s #>> ''{}'')::int ELSE ((%s #>> ''{}'')::timestamptz AT TIME ZONE ''UTC'')::date END)', j, j, j)
      WHEN a.typ = 'text[]' THEN format('(CASE WHEN %s IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(%s)) END)', j, j)
      WHEN a.typ = 'jsonb' THEN j
      ELSE NULL END;
    IF expected IS NULL THEN
      RAISE EXCEPTION 'check_columns: no rule for type %', a.typ;
    END IF;
    RETURN QUERY EXECUTE format(
      'SELECT %L::name, %L, %L, count(t.%I), count(*) FILTER (WHERE t.%I IS DISTINCT FROM %s)
       FROM %s t JOIN check_src s ON s.doc->>''_id'' = t.id',
      a.attname, a.typ, a.fld, a.attname, a.attname, expected, tbl);
  END LOOP;
END $$;

-- same_rows(query): run it with pushdown on and off, compare the rows
-- (sorted, unless ordered is true)
CREATE OR REPLACE FUNCTION public.same_rows(q text, ordered boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  on_rows text[];
  off_rows text[];
  agg text := CASE WHEN ordered THEN 'array_agg(t::text)' ELSE 'array_agg(t::text ORDER BY t::text)' END;
BEGIN
  PERFORM set_config('planhat_fdw.pushdown', 'on', true);
  EXECUTE format('SELECT %s FROM (%s) t', agg, q) INTO on_rows;
  PERFORM set_config('planhat_fdw.pushdown', 'off', true);
  EXECUTE format('SELECT %s FROM (%s) t', agg, q) INTO off_rows;
  PERFORM set_config('planhat_fdw.pushdown', 'on', true);
  IF on_rows IS NOT DISTINCT FROM off_rows THEN
    RETURN format('same rows with pushdown off (%s)', coalesce(cardinality(on_rows), 0));
  END IF;
  RETURN format('DIFFERENT: on %s, off %s', on_rows, off_rows);
END $$;

-- phctl(command): the lines the emulator's control CLI prints
CREATE OR REPLACE FUNCTION public.phctl(cmd text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
  IF to_regclass('pg_temp.phctl_lines') IS NULL THEN
    CREATE TEMP TABLE phctl_lines (n serial, line text);
  END IF;
  TRUNCATE phctl_lines;
  PERFORM setval(pg_get_serial_sequence('pg_temp.phctl_lines', 'n'), 1, false);
  EXECUTE format('COPY phctl_lines (line) FROM PROGRAM %L WITH (FORMAT csv, QUOTE E''\x01'', DELIMITER E''\x02'')',
                 current_setting('regress.phctl') || ' --url ' || current_setting('regress.url') || ' ' || cmd);
  RETURN QUERY SELECT line FROM phctl_lines ORDER BY n;
END $$;

-- explain_agrees(query): runs the query under EXPLAIN (ANALYZE, VERBOSE) and
-- checks that the requests the emulator received are the ones the
-- "Planhat Request" lines announced: the same texts, each once per loop of
-- its scan (constant values); "{expression}" placeholders match any value,
-- and "{each of ...}" any number of requests (parameters).  Further pages of
-- an announced request (another offset) are counted apart, and so are
-- announced requests that were not needed (a scan that stopped early, a
-- parameter that matches no row).  A scan that widened a request at run
-- time (a parameter whose value cannot be sent, shown by a "Planhat Local"
-- line under ANALYZE) is compared with its "Planhat Sent" lines.  Returns a
-- summary, or DIFFERENT with both lists.
CREATE OR REPLACE FUNCTION public.explain_agrees(q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  line text;
  scan int := 0;
  loops int := 1;
  analyzed boolean := false;
  planned text[] := '{}';
  times int[] := '{}';
  scan_of int[] := '{}';
  sent_lines text[] := '{}';
  sent_scan int[] := '{}';
  widened int[] := '{}';
  expected text[] := '{}';
  expected_times int[] := '{}';
  not_shown int := 0;
  more_planned int[] := '{}';
  more_sent int[] := '{}';
  sent text[];
  used boolean[];
  shapes boolean := false;
  pages int := 0;
  pat text;
  each boolean;
  k int;
  unused int;
  not_sent int := 0;
BEGIN
  PERFORM phctl('clear');
  FOR line IN EXECUTE 'EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
    IF line ~ 'Foreign Scan' THEN
      scan := scan + 1;
      analyzed := false;
      loops := coalesce(substring(line FROM 'loops=(\d+)')::int, 0);
    ELSIF line ~ '^\s*Planhat Requests: ' THEN
      analyzed := true;
    ELSIF line ~ '^\s*Planhat Local: ' AND analyzed THEN
      widened := widened || scan;
    ELSIF line ~ '^\s*Planhat (Request|Sent): ' THEN
      line := regexp_replace(line, '^\s*Planhat (Request|Sent): ', '');
      IF line ~ '^\.\.\. and \d+ more$' AND analyzed THEN
        more_sent[scan] := substring(line FROM '\d+')::int;
      ELSIF line ~ '^\.\.\. and \d+ more$' THEN
        more_planned[scan] := substring(line FROM '\d+')::int * loops;
      ELSIF line = 'none' THEN
        NULL;
      ELSIF analyzed THEN
        sent_lines := sent_lines || line;
        sent_scan := sent_scan || scan;
      ELSE
        planned := planned || line;
        times := times || loops;
        scan_of := scan_of || scan;
      END IF;
    END IF;
  END LOOP;
  -- what was announced: the plan's requests, or what a widened scan sent
  FOR i IN 1 .. coalesce(cardinality(planned), 0) LOOP
    IF NOT scan_of[i] = ANY (widened) THEN
      expected := expected || planned[i];
      expected_times := expected_times || times[i];
    END IF;
  END LOOP;
  FOR i IN 1 .. coalesce(cardinality(sent_lines), 0) LOOP
    IF sent_scan[i] = ANY (widened) THEN
      expected := expected || sent_lines[i];
      expected_times := expected_times || 1;
    END IF;
  END LOOP;
  -- requests beyond the lines shown ("... and N more")
  FOR i IN 1 .. scan LOOP
    not_shown := not_shown + coalesce(CASE WHEN i = ANY (widened) THEN more_sent[i]
                                           ELSE more_planned[i] END, 0);
  END LOOP;

  sent := ARRAY(SELECT phctl('log'));
  used := array_fill(false, ARRAY[coalesce(cardinality(sent), 0)]);
  FOR i IN 1 .. coalesce(cardinality(expected), 0) LOOP
    each := expected[i] LIKE '%{each of %';
    shapes := shapes OR expected[i] LIKE '%{%';
    -- a pattern: the text as it is, placeholders match one value
    pat := '^' || regexp_replace(regexp_replace(expected[i], '([.^$*+?()\[\]{}|\\])', '\\\1', 'g'),
                                 '\\\{.*?\\\}', '[^&?/]*', 'g') || '$';
    k := 0;
    FOR j IN 1 .. coalesce(cardinality(sent), 0) LOOP
      EXIT WHEN NOT each AND k = expected_times[i];
      IF NOT used[j] AND sent[j] ~ pat THEN
        used[j] := true;
        k := k + 1;
      END IF;
    END LOOP;
    IF NOT each AND k < expected_times[i] THEN
      not_sent := not_sent + expected_times[i] - k;
    END IF;
  END LOOP;

  -- further pages of an announced list request
  FOR j IN 1 .. coalesce(cardinality(sent), 0) LOOP
    IF NOT used[j] AND EXISTS (
         SELECT FROM unnest(sent, used) AS s(t, u)
         WHERE u AND regexp_replace(t, '(limit|offset)=\d+', '\1=#', 'g') =
                     regexp_replace(sent[j], '(limit|offset)=\d+', '\1=#', 'g')) THEN
      used[j] := true;
      pages := pages + 1;
    END IF;
  END LOOP;

  SELECT count(*) INTO unused FROM unnest(used) u WHERE NOT u;
  IF unused = not_shown THEN
    RETURN format('EXPLAIN %s log: %s request%s%s%s%s', CASE WHEN shapes THEN '~' ELSE '=' END,
                  coalesce(cardinality(sent), 0), CASE WHEN cardinality(sent) = 1 THEN '' ELSE 's' END,
                  CASE WHEN pages > 0 THEN format(' (%s further page%s)', pages,
                                                  CASE WHEN pages = 1 THEN '' ELSE 's' END) ELSE '' END,
                  CASE WHEN not_sent > 0 THEN format(', %s announced not sent', not_sent) ELSE '' END,
                  CASE WHEN cardinality(widened) > 0 THEN ', widened at run time' ELSE '' END);
  END IF;
  RETURN format('DIFFERENT: EXPLAIN %s, log %s', planned, sent);
END $$;
