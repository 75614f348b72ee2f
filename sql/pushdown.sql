--
-- Pushdown of WHERE clauses and column lists: the fewest requests, the same
-- rows.  Every case shows the rows, the requests the emulator received and
-- EXPLAIN's "Planhat Request", then checks that planhat_fdw.pushdown = off
-- (every row fetched, everything evaluated locally) returns the same rows.
--
\set VERBOSITY default
\! $PHCTL reset
SET search_path = planhat, public;

-- same_rows(query): run it with pushdown on and off, compare the rows
-- (sorted, unless ordered is true)
CREATE FUNCTION public.same_rows(q text, ordered boolean DEFAULT false) RETURNS text
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
CREATE FUNCTION public.phctl(cmd text) RETURNS SETOF text
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
CREATE FUNCTION public.explain_agrees(q text) RETURNS text
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

-- the check fails when a request was not announced: here one the query
-- makes through a function
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
