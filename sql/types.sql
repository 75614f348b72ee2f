--
-- Conversion of every supported SQL type, exact, with every conversion
-- error; rescans and count(*).  The data is created here, through the
-- extension (INSERT with an attrs jsonb column, merged into the POST body),
-- in an otherwise empty tenant; a few JSON spellings the emulator cannot
-- store (NaN, 1.50, \u0000, ...) are served raw by a fault.
--
\set VERBOSITY default
\! $PHCTL reset --dataset empty --fixed-time 2025-06-01T00:00:00Z

-- serve_raw(path, body): the emulator answers every GET of path with body,
-- byte for byte, until the next serve_raw or faults-clear
CREATE FUNCTION serve_raw(path text, body text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  spec text := json_build_object('action', 'status', 'status', 200, 'path', path,
                                 'body', body, 'times', -1)::text;
  phctl text := current_setting('regress.phctl') || ' --url ' || current_setting('regress.url');
BEGIN
  IF to_regclass('pg_temp.serve_out') IS NULL THEN
    CREATE TEMP TABLE serve_out (line text);
  END IF;
  EXECUTE format('COPY serve_out FROM PROGRAM %L WITH (FORMAT csv, QUOTE E''\x01'', DELIMITER E''\x02'')',
                 phctl || ' faults-clear && ' || phctl || ' fault '''
                 || replace(spec, '''', '''\''''') || '''');
END $$;

-- sqlstate_of(query): the SQLSTATE the query fails with, or 'ok'
CREATE FUNCTION sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE query;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;

-- =====================================================================
-- the test objects
-- =====================================================================
CREATE FOREIGN TABLE type_objects (id text, name text, external_id text, attrs jsonb)
  SERVER planhat OPTIONS (resource 'companies');
\! $PHCTL clear
INSERT INTO type_objects (name, external_id, attrs) VALUES
  ('Types A', 'types-a', $${
     "text": "plain text, \"quoted\", ünïcode ✓",
     "num": 1958.3333333333333, "small": -32768, "whole": 42, "big": 9007199254740993,
     "ratio": 0.1, "flag": true,
     "iso": "2021-07-27T20:25:44.430Z", "isoOffset": "2021-07-27T20:25:44.430-08:00",
     "isoDay": "2021-02-15", "day": 17752,
     "uid": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
     "tags": ["gold", "emea"], "ints": [1, 2, null, 3],
     "nums": [1958.3333333333333, 29.285714285714285, -0.5], "days": [17752, 18673, null],
     "isos": ["2021-07-27T20:25:44.430Z", "2021-02-15"], "mixed": ["a", 1, 2.5, true, null],
     "obj": {"k": [1, "two", null], "n": 29.285714285714285, "e": {}},
     "list": [{"a": 1}, {"b": [true, null]}],
     "score": 7, "code": "emea", "nothing": null,
     "custom": {"Seats": 12, "Week No": 29.285714285714285}}$$),
  ('Types B', 'types-b', '{}'),
  ('Types C', 'types-c', $${"text": null, "num": null, "flag": null, "day": null, "uid": null,
     "tags": null, "ints": null, "obj": null, "list": null, "custom": null}$$),
  ('Types Bad', 'types-bad', $${
     "b_str": "12", "b_frac": 1.5, "b_small": 40000, "b_wide": 12345.678,
     "b_date": "2021-02-30", "b_ts": "27/07/2021 20:25", "b_obj": {"a": 1},
     "b_objs": ["x", {"a": 1}], "b_arr": [true], "b_uuid": "a0eebc99-9c0b-4ef8",
     "b_long": "much too long", "b_score": 11, "b_code": "EMEA",
     "b_huge": 18446744073709551616, "b_dayfrac": 17752.5, "b_far": 3000000000,
     "b_ints": [1, "two", 3], "b_bool": "true", "b_num": "1958.33",
     "b_text": "This string is much longer than one hundred characters, so that the value in the error message is cut short, here."}$$);
\! $PHCTL log --body
SELECT id, name, external_id FROM type_objects ORDER BY name;

-- =====================================================================
-- one column per SQL type
-- =====================================================================
CREATE DOMAIN score10 AS smallint CHECK (VALUE BETWEEN 0 AND 10);
CREATE DOMAIN region_code AS varchar(4) CHECK (VALUE ~ '^[a-z]+$');
CREATE DOMAIN short_tags AS text[] CHECK (cardinality(VALUE) <= 3);
CREATE DOMAIN required_text AS text NOT NULL;

CREATE FOREIGN TABLE typed (
  id text,
  name varchar(20),
  txt text OPTIONS (field 'text'),
  txt_v8 varchar(8) OPTIONS (field 'code'),
  txt_c6 char(6) OPTIONS (field 'code'),
  txt_name name OPTIONS (field 'code'),
  num numeric,
  num_8_2 numeric(8, 2) OPTIONS (field 'num'),
  num_f8 double precision OPTIONS (field 'num'),
  num_f4 real OPTIONS (field 'num'),
  ratio_f8 double precision OPTIONS (field 'ratio'),
  ratio_num numeric OPTIONS (field 'ratio'),
  small smallint,
  whole integer,
  big bigint,
  big_num numeric OPTIONS (field 'big'),
  flag boolean,
  iso_tz timestamptz OPTIONS (field 'iso'),
  iso_ts timestamp OPTIONS (field 'iso'),
  iso_ts0 timestamp(0) OPTIONS (field 'iso'),
  iso_date date OPTIONS (field 'iso'),
  offset_tz timestamptz OPTIONS (field 'isoOffset'),
  offset_date date OPTIONS (field 'isoOffset'),
  iso_day date OPTIONS (field 'isoDay'),
  iso_day_tz timestamptz OPTIONS (field 'isoDay'),
  day date,
  day_int integer OPTIONS (field 'day'),
  uid uuid,
  tags text[],
  tags_v varchar(4)[] OPTIONS (field 'tags'),
  ints integer[],
  ints_big bigint[] OPTIONS (field 'ints'),
  nums numeric[],
  nums_f8 float8[] OPTIONS (field 'nums'),
  days date[],
  isos timestamptz[],
  mixed text[],
  obj jsonb,
  obj_json json OPTIONS (field 'obj'),
  obj_text text OPTIONS (field 'obj'),
  list jsonb,
  list_arr jsonb[] OPTIONS (field 'list'),
  score score10,
  code region_code,
  short short_tags OPTIONS (field 'tags'),
  nothing jsonb,
  seats integer OPTIONS (field 'custom.Seats'),
  week_no numeric OPTIONS (field 'custom.Week No'),
  custom jsonb)
  SERVER planhat OPTIONS (resource 'companies');

\x on
SELECT * FROM typed WHERE name = 'Types A';
\x off

-- exact numbers: digit for digit as numeric; one rounding as float
SELECT num, num::text = '1958.3333333333333' AS num_exact, num_8_2, num_f8, num_f4,
       ratio_num, ratio_f8, ratio_f8 = 0.1::float8 AS ratio_f8_exact,
       big, big_num, big::text = '9007199254740993' AS big_exact
FROM typed WHERE name = 'Types A';

-- dates: from ISO strings (the UTC date of the instant) and from day numbers
SELECT iso_tz AT TIME ZONE 'UTC' AS iso_utc, iso_ts, iso_date,
       offset_tz AT TIME ZONE 'UTC' AS offset_utc, offset_date,
       iso_day, iso_day_tz AT TIME ZONE 'UTC' AS iso_day_utc, day, day_int,
       day - '1970-01-01' AS day_again
FROM typed WHERE name = 'Types A';

-- text columns: a string is the string (not its JSON quoting), an object
-- its JSON text, a number its exact text, a boolean true/false
CREATE FOREIGN TABLE as_text (
  id text, name text,
  t_string text OPTIONS (field 'text'),
  t_number text OPTIONS (field 'num'),
  t_big text OPTIONS (field 'big'),
  t_bool text OPTIONS (field 'flag'),
  t_object text OPTIONS (field 'obj'),
  t_array text OPTIONS (field 'list'),
  j_string json OPTIONS (field 'text'),
  j_number json OPTIONS (field 'num'),
  jb_string jsonb OPTIONS (field 'text'),
  jb_number jsonb OPTIONS (field 'num'))
  SERVER planhat OPTIONS (resource 'companies');
\x on
SELECT * FROM as_text WHERE name = 'Types A';
\x off

-- JSON null and an absent field are both SQL NULL, for every type (a jsonb
-- column too: NULL, not 'null'::jsonb).  Types B lacks the fields, Types C
-- has them as JSON null (the emulator's create gives every company an
-- empty custom object and an empty tags array)
SELECT d->>'name' AS name, (SELECT string_agg(k || '=' || (d->k)::text, ', ' ORDER BY k)
                           FROM jsonb_object_keys(d) k
                           WHERE k IN ('text', 'num', 'flag', 'day', 'uid', 'tags', 'ints', 'obj',
                                       'list', 'custom')) AS stored_fields
FROM emulator_data('companies') d WHERE d->>'name' IN ('Types B', 'Types C') ORDER BY 1;
SELECT name, txt IS NULL AS txt, num IS NULL AS num, flag IS NULL AS flag, day IS NULL AS day,
       uid IS NULL AS uid, tags IS NULL AS tags, ints IS NULL AS ints, obj IS NULL AS obj,
       list IS NULL AS list, custom IS NULL AS custom, seats IS NULL AS seats
FROM typed WHERE name IN ('Types B', 'Types C') ORDER BY name;
SELECT name, nothing, nothing IS NULL AS nothing_is_null, obj IS NULL AS obj_is_null, custom,
       seats, week_no
FROM typed WHERE name <> 'Types Bad' ORDER BY name;

-- NaN, Infinity and exact number spellings the emulator cannot store,
-- served as raw bytes
SELECT serve_raw('/assets', $$[{"_id": "raw-1", "n": 1.50, "e": 1E+5, "z": -0.0, "i": 1e3, "f": 1.5e1,
  "nan": NaN, "inf": Infinity, "ninf": -Infinity, "esc": "tab\tquote\"slash\/nul?"}]$$);
CREATE FOREIGN TABLE raw_numbers (
  id text,
  n numeric, n_text text OPTIONS (field 'n'), n_json json OPTIONS (field 'n'), n_jsonb jsonb OPTIONS (field 'n'),
  e numeric, e_text text OPTIONS (field 'e'), e_int integer OPTIONS (field 'e'),
  z float8, z_text text OPTIONS (field 'z'), z_num numeric OPTIONS (field 'z'),
  i smallint, f integer,
  nan numeric, nan_f8 float8 OPTIONS (field 'nan'),
  inf numeric, inf_f4 real OPTIONS (field 'inf'), ninf float8,
  esc text)
  SERVER planhat OPTIONS (resource 'assets');
\x on
SELECT * FROM raw_numbers;
\x off

-- =====================================================================
-- every conversion error: ERROR with SQLSTATE HV004 and a detail naming
-- foreign table, column, Planhat field, the object's _id and the value
-- (cut at 100 characters); domain constraints keep their own SQLSTATE and
-- get the same facts as CONTEXT
-- =====================================================================
CREATE FOREIGN TABLE wrong (
  id text, name text,
  str_in_int integer OPTIONS (field 'b_str'),
  frac_in_int integer OPTIONS (field 'b_frac'),
  big_in_small smallint OPTIONS (field 'b_small'),
  wide_in_numeric numeric(5, 2) OPTIONS (field 'b_wide'),
  bad_date date OPTIONS (field 'b_date'),
  bad_ts timestamptz OPTIONS (field 'b_ts'),
  obj_in_text_arr text[] OPTIONS (field 'b_obj'),
  objs_in_text_arr text[] OPTIONS (field 'b_objs'),
  arr_in_bool boolean OPTIONS (field 'b_arr'),
  bad_uuid uuid OPTIONS (field 'b_uuid'),
  long_varchar varchar(5) OPTIONS (field 'b_long'),
  long_char char(5) OPTIONS (field 'b_long'),
  score_check score10 OPTIONS (field 'b_score'),
  code_check region_code OPTIONS (field 'b_code'),
  missing_required required_text OPTIONS (field 'b_missing'),
  huge_int numeric OPTIONS (field 'b_huge'),
  huge_jsonb jsonb OPTIONS (field 'b_huge'),
  day_fraction date OPTIONS (field 'b_dayfrac'),
  day_far date OPTIONS (field 'b_far'),
  day_as_ts timestamptz OPTIONS (field 'day'),
  str_in_int_arr integer[] OPTIONS (field 'b_ints'),
  str_in_bool boolean OPTIONS (field 'b_bool'),
  str_in_numeric numeric OPTIONS (field 'b_num'),
  num_in_uuid uuid OPTIONS (field 'num'),
  long_value integer OPTIONS (field 'b_text'),
  attrs jsonb)
  SERVER planhat OPTIONS (resource 'companies');

SELECT str_in_int FROM wrong;        -- ERROR
SELECT frac_in_int FROM wrong;       -- ERROR
SELECT big_in_small FROM wrong;      -- ERROR
SELECT wide_in_numeric FROM wrong;   -- ERROR
SELECT bad_date FROM wrong;          -- ERROR
SELECT bad_ts FROM wrong;            -- ERROR
SELECT obj_in_text_arr FROM wrong;   -- ERROR
SELECT objs_in_text_arr FROM wrong;  -- ERROR
SELECT arr_in_bool FROM wrong;       -- ERROR
SELECT bad_uuid FROM wrong;          -- ERROR
SELECT long_varchar FROM wrong;      -- ERROR
SELECT long_char FROM wrong;         -- ERROR
SELECT score_check FROM wrong;       -- ERROR
SELECT code_check FROM wrong;        -- ERROR
SELECT missing_required FROM wrong;  -- ERROR
SELECT huge_int FROM wrong;          -- ERROR
SELECT huge_jsonb FROM wrong;        -- ERROR
SELECT attrs FROM wrong;             -- ERROR
SELECT day_fraction FROM wrong;      -- ERROR
SELECT day_far FROM wrong;           -- ERROR
SELECT day_as_ts FROM wrong;         -- ERROR
SELECT str_in_int_arr FROM wrong;    -- ERROR
SELECT str_in_bool FROM wrong;       -- ERROR
SELECT str_in_numeric FROM wrong;    -- ERROR
SELECT num_in_uuid FROM wrong;       -- ERROR
SELECT long_value FROM wrong;        -- ERROR
-- the wrong value is found whichever columns are asked for
SELECT id, name FROM wrong ORDER BY name;
SELECT * FROM wrong;                 -- ERROR

-- the same from raw bodies: NaN/Infinity where they do not fit, \u0000,
-- float overflow and underflow, json-c's saturation at exactly 2^64-1
SELECT serve_raw('/assets', $$[{"_id": "raw-2", "nan": NaN, "inf": Infinity,
  "nul": "a\u0000b", "obj": {"x": [NaN]}, "f4": 1e39, "f4tiny": 1e-50, "f8": 1e400,
  "sat": 18446744073709551615, "neg": -9223372036854775809}]$$);
CREATE FOREIGN TABLE raw_wrong (
  id text,
  nan_int integer OPTIONS (field 'nan'),
  nan_text text OPTIONS (field 'nan'),
  inf_jsonb jsonb OPTIONS (field 'inf'),
  nested_nan jsonb OPTIONS (field 'obj'),
  nested_nan_text text OPTIONS (field 'obj'),
  nul_text text OPTIONS (field 'nul'),
  nul_jsonb jsonb OPTIONS (field 'nul'),
  f4 real, f4tiny real, f8 float8,
  sat numeric, neg bigint,
  attrs jsonb)
  SERVER planhat OPTIONS (resource 'assets');
SELECT nan_int FROM raw_wrong;          -- ERROR
SELECT nan_text FROM raw_wrong;         -- ERROR
SELECT inf_jsonb FROM raw_wrong;        -- ERROR
SELECT nested_nan FROM raw_wrong;       -- ERROR
SELECT nested_nan_text FROM raw_wrong;  -- ERROR
SELECT nul_text FROM raw_wrong;         -- ERROR
SELECT nul_jsonb FROM raw_wrong;        -- ERROR
SELECT f4 FROM raw_wrong;               -- ERROR
SELECT f4tiny FROM raw_wrong;           -- ERROR
SELECT f8 FROM raw_wrong;               -- ERROR
SELECT sat FROM raw_wrong;              -- ERROR
SELECT neg FROM raw_wrong;              -- ERROR
SELECT attrs FROM raw_wrong;            -- ERROR
\! $PHCTL faults-clear

-- the SQLSTATE of each: HV004, except the domain constraints
SELECT a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type,
       sqlstate_of(format('SELECT %I FROM %s', a.attname, a.attrelid::regclass)) AS sqlstate
FROM pg_attribute a
WHERE a.attrelid = 'wrong'::regclass AND a.attnum > 2 AND NOT a.attisdropped
ORDER BY a.attnum;
-- (psql's VERBOSITY verbose would also print the C source line of the error)
\set VERBOSITY sqlstate
SELECT str_in_int FROM wrong;        -- ERROR
SELECT score_check FROM wrong;       -- ERROR
\set VERBOSITY default

-- =====================================================================
-- streaming: a scan of 50 pages holds no more memory than one of 5
-- (10,000 assets made here with two bulk upserts; the executor stops the
-- scan at the LIMIT, which a local qual keeps from being sent to Planhat;
-- no prefetch, so that no answer is half received when memory is sampled)
-- =====================================================================
CREATE FOREIGN TABLE asset_bulk (name text, company_id text, value numeric, tags text[], custom jsonb)
  SERVER planhat OPTIONS (resource 'assets', batch_size '5000');
INSERT INTO asset_bulk (name, company_id, value, tags, custom)
  SELECT 'Asset ' || g, (SELECT id FROM type_objects WHERE name = 'Types A'), g * 1.5,
         ARRAY['a', 'b'], jsonb_build_object('Seats', g, 'Notes', repeat('x', 100))
  FROM generate_series(1, 10000) g;
CREATE FOREIGN TABLE stream_scan (id text, name text, value numeric, tags text[], attrs jsonb)
  SERVER planhat OPTIONS (resource 'assets', fetch_size '200', prefetch '0');
-- the memory of the scan (its contexts, the executor's) every 500 rows
CREATE TEMP TABLE memory_samples (row_no bigint, fdw_bytes bigint, executor_bytes bigint);
CREATE FUNCTION sample_memory(row_no bigint) RETURNS boolean
LANGUAGE sql AS $$
  INSERT INTO memory_samples
    SELECT row_no, sum(total_bytes) FILTER (WHERE name LIKE 'planhat_fdw%'),
           sum(total_bytes) FILTER (WHERE name = 'ExecutorState')
    FROM pg_backend_memory_contexts;
  SELECT true;
$$;
CREATE TEMP SEQUENCE stream_rows;
SELECT count(*), count(DISTINCT id), sum(value), sum(cardinality(tags))
FROM (SELECT * FROM stream_scan
      WHERE name <> '' AND CASE WHEN nextval('stream_rows') % 500 = 0
                                THEN sample_memory(currval('stream_rows')) ELSE true END
      LIMIT 10000) s;
SELECT count(*) AS samples,
       count(DISTINCT fdw_bytes) AS distinct_fdw_sizes,
       count(DISTINCT executor_bytes) AS distinct_executor_sizes
FROM memory_samples WHERE row_no > 1000;
DROP FOREIGN TABLE asset_bulk;
\! $PHCTL faults-clear

-- =====================================================================
-- count(*) and rescans
-- =====================================================================
INSERT INTO type_objects (name, attrs)
  SELECT format('Loop %s', g), jsonb_build_object('whole', g % 7) FROM generate_series(1, 20) g;
CREATE FOREIGN TABLE loop_inner (id text, name text, whole integer)
  SERVER planhat OPTIONS (resource 'companies', fetch_size '10', prefetch '0');

-- count(*) asks for _id only, page by page, up to the short page
\! $PHCTL clear
SELECT count(*) FROM loop_inner;
\! $PHCTL log

-- a nested loop with the foreign scan inside: 15 rescans, each reads the
-- three pages again
CREATE TEMP TABLE loop_outer AS SELECT g FROM generate_series(0, 14) g;
CREATE TEMP TABLE loop_local AS SELECT * FROM loop_inner;
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SET enable_material = off;
EXPLAIN (COSTS OFF)
SELECT o.g, count(i.id) FROM loop_outer o LEFT JOIN loop_inner i ON i.whole = o.g GROUP BY o.g;
\! $PHCTL clear
CREATE TEMP TABLE loop_result AS
  SELECT o.g, count(i.id) AS n FROM loop_outer o LEFT JOIN loop_inner i ON i.whole = o.g GROUP BY o.g;
\! $PHCTL count
SELECT r.g, r.n, r.n = (SELECT count(*) FROM loop_local l WHERE l.whole = r.g) AS same
FROM loop_result r ORDER BY r.g;
-- rescans that stop early (a LIMIT inside a correlated subquery)
\! $PHCTL clear
SELECT o.g, (SELECT i.name FROM loop_inner i WHERE i.whole = o.g LIMIT 1) AS first_name
FROM loop_outer o WHERE o.g < 8 ORDER BY o.g;
\! $PHCTL log
-- the same with pages requested ahead (prefetch 2): a rescan drops what is
-- in flight and never hands out a row of the previous scan
ALTER FOREIGN TABLE loop_inner OPTIONS (SET prefetch '2', SET fetch_size '3');
SELECT count(*) AS loops,
       count(*) FILTER (WHERE first_name IS NOT DISTINCT FROM
                        (SELECT l.name FROM loop_local l WHERE l.whole = o.g ORDER BY l.id LIMIT 1)) AS same
FROM (SELECT o.g, (SELECT i.name FROM loop_inner i WHERE i.whole = o.g LIMIT 1) AS first_name
      FROM loop_outer o) o;
RESET enable_hashjoin;
RESET enable_mergejoin;
RESET enable_material;

DROP FOREIGN TABLE type_objects, typed, as_text, raw_numbers, wrong, raw_wrong, stream_scan, loop_inner;
DROP DOMAIN score10, region_code, short_tags, required_text;
DROP FUNCTION serve_raw(text, text), sqlstate_of(text), sample_memory(bigint);
\! $PHCTL reset --dataset regress
