--
-- Conversion of every supported SQL type, exact, with every conversion
-- error; rescans and count(*).  The data is created here, through the
-- extension (INSERT with an attrs jsonb column, merged into the POST body),
-- in an otherwise empty tenant; a few JSON spellings the emulator cannot
-- store (1.50, \u0000, NaN, bytes that are not UTF-8, ...) are served raw
-- by a fault.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\! $PHCTL reset --dataset empty --fixed-time 2025-06-01T00:00:00Z

-- serve_raw_bytes(path, body): the emulator answers every GET of path with
-- body, byte for byte (any bytes, also not UTF-8), until the next serve_raw*
-- or faults-clear; decode(..., 'escape') turns \ooo octal escapes into bytes
CREATE FUNCTION serve_raw_bytes(path text, body bytea) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  spec text := json_build_object('action', 'status', 'status', 200, 'path', path,
                                 'body_base64', translate(encode(body, 'base64'), E'\n', ''),
                                 'times', -1)::text;
  phctl text := current_setting('regress.phctl') || ' --url ' || current_setting('regress.url');
BEGIN
  IF to_regclass('pg_temp.serve_out') IS NULL THEN
    CREATE TEMP TABLE serve_out (line text);
  END IF;
  EXECUTE format('COPY serve_out FROM PROGRAM %L WITH (FORMAT csv, QUOTE E''\x01'', DELIMITER E''\x02'')',
                 phctl || ' faults-clear && ' || phctl || ' fault ''' || spec || '''');
END $$;
-- serve_raw(path, body): the same with a text body, sent as UTF-8
CREATE FUNCTION serve_raw(path text, body text) RETURNS void
LANGUAGE sql AS $$ SELECT serve_raw_bytes(path, convert_to(body, 'UTF8')) $$;

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

-- exact number spellings the emulator cannot store, and integers of any
-- size (exact in numeric, text, json and jsonb), served as raw bytes
SELECT serve_raw('/assets', $$[{"_id": "raw-1", "n": 1.50, "e": 1E+5, "z": -0.0, "mz": -0, "i": 1e3,
  "f": 1.5e1, "big": 123456789012345678901234567890, "nbig": -18446744073709551616,
  "max": 18446744073709551615, "min": -9223372036854775808,
  "esc": "tab\tquote\"slash\/pair\ud83d\ude00 \u00e9"}]$$);
CREATE FOREIGN TABLE raw_numbers (
  id text,
  n numeric, n_text text OPTIONS (field 'n'), n_json json OPTIONS (field 'n'), n_jsonb jsonb OPTIONS (field 'n'),
  e numeric, e_text text OPTIONS (field 'e'), e_int integer OPTIONS (field 'e'),
  z float8, z_text text OPTIONS (field 'z'), z_num numeric OPTIONS (field 'z'),
  mz_text text OPTIONS (field 'mz'), mz_int integer OPTIONS (field 'mz'),
  i smallint, f integer,
  big numeric, big_text text OPTIONS (field 'big'), big_json json OPTIONS (field 'big'),
  big_jsonb jsonb OPTIONS (field 'big'), big_f8 float8 OPTIONS (field 'big'),
  nbig numeric, max numeric, max_text text OPTIONS (field 'max'), min bigint,
  esc text, attrs jsonb)
  SERVER planhat OPTIONS (resource 'assets');
\x on
SELECT * FROM raw_numbers;
\x off
SELECT big = 123456789012345678901234567890 AS big_exact,
       big_jsonb = '123456789012345678901234567890'::jsonb AS big_jsonb_exact,
       (attrs->'big')::numeric = 123456789012345678901234567890 AS attrs_exact,
       nbig = -18446744073709551616 AS nbig_exact, max = 18446744073709551615 AS max_exact,
       min = -9223372036854775808 AS min_exact
FROM raw_numbers;

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
  huge_int8 bigint OPTIONS (field 'b_huge'),
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
SELECT huge_int8 FROM wrong;         -- ERROR
SELECT day_fraction FROM wrong;      -- ERROR
SELECT day_far FROM wrong;           -- ERROR
SELECT day_as_ts FROM wrong;         -- ERROR
SELECT str_in_int_arr FROM wrong;    -- ERROR
SELECT str_in_bool FROM wrong;       -- ERROR
SELECT str_in_numeric FROM wrong;    -- ERROR
SELECT num_in_uuid FROM wrong;       -- ERROR
SELECT long_value FROM wrong;        -- ERROR
-- ... where 2^64 is exact wherever the column can hold it
SELECT attrs->'b_huge' AS attrs_huge, (attrs->>'b_huge')::numeric = 18446744073709551616 AS exact
FROM wrong WHERE name = 'Types Bad';
-- the wrong value is found whichever columns are asked for
SELECT id, name FROM wrong ORDER BY name;
SELECT * FROM wrong;                 -- ERROR

-- the same from raw bodies: \u0000 (in a string and in an object key,
-- which is kept whole, never cut to "a"), \u escapes of lone surrogates,
-- float overflow and underflow, integers beyond the column's type
SELECT serve_raw('/assets', $$[{"_id": "raw-2", "nul": "a\u0000b", "sur": "x\ud800y", "low": "\udc00",
  "rev": ["\ude00\ud83d"], "key": {"a\u0000b": 1, "a": 2}, "f4": 1e39, "f4tiny": 1e-50,
  "f8": 1e400, "huge": 18446744073709551616, "neg": -9223372036854775809, "int": 2147483648}]$$);
CREATE FOREIGN TABLE raw_wrong (
  id text,
  nul_text text OPTIONS (field 'nul'),
  nul_jsonb jsonb OPTIONS (field 'nul'),
  sur_text text OPTIONS (field 'sur'),
  sur_jsonb jsonb OPTIONS (field 'sur'),
  low_json json OPTIONS (field 'low'),
  rev_arr text[] OPTIONS (field 'rev'),
  key_jsonb jsonb OPTIONS (field 'key'),
  key_text text OPTIONS (field 'key'),
  key_json json OPTIONS (field 'key'),
  key_a integer OPTIONS (field 'key.a'),
  f4 real, f4tiny real, f8 float8,
  huge bigint, neg bigint, int integer,
  attrs jsonb)
  SERVER planhat OPTIONS (resource 'assets');
SELECT nul_text FROM raw_wrong;         -- ERROR
SELECT nul_jsonb FROM raw_wrong;        -- ERROR
SELECT sur_text FROM raw_wrong;         -- ERROR
SELECT sur_jsonb FROM raw_wrong;        -- ERROR
SELECT low_json FROM raw_wrong;         -- ERROR
SELECT rev_arr FROM raw_wrong;          -- ERROR
SELECT key_jsonb FROM raw_wrong;        -- ERROR
SELECT key_text FROM raw_wrong;         -- ERROR
SELECT key_json FROM raw_wrong;         -- ERROR
SELECT key_a FROM raw_wrong;            -- 2: "a" is its own key
SELECT f4 FROM raw_wrong;               -- ERROR
SELECT f4tiny FROM raw_wrong;           -- ERROR
SELECT f8 FROM raw_wrong;               -- ERROR
SELECT huge FROM raw_wrong;             -- ERROR
SELECT neg FROM raw_wrong;              -- ERROR
SELECT int FROM raw_wrong;              -- ERROR
SELECT attrs FROM raw_wrong;            -- ERROR

-- bytes that are not UTF-8 (a UTF8 database would store them, and the
-- restore of its dump would fail): refused where a column reads them,
-- naming the bytes; the other columns of the row still read
SELECT serve_raw_bytes('/assets', decode($$[{"_id": "raw-3", "overlong": "a\300\257b",
  "sur": "x\355\240\200y", "above": "\364\220\200\200", "stray": "\377", "cut": "\342\202",
  "key": {"k\300\257": 1}, "good": "\303\251 \342\234\223"},
  {"_id": "bad\377id", "good": "ok"}]$$, 'escape'));
CREATE FOREIGN TABLE raw_bytes (
  id text,
  overlong text, overlong_jsonb jsonb OPTIONS (field 'overlong'),
  sur varchar(10), above text, stray text, cut text,
  key jsonb, key_text text OPTIONS (field 'key'),
  good text)
  SERVER planhat OPTIONS (resource 'assets');
SELECT good FROM raw_bytes;
SELECT overlong FROM raw_bytes;         -- ERROR
SELECT overlong_jsonb FROM raw_bytes;   -- ERROR
SELECT sur FROM raw_bytes;              -- ERROR
SELECT above FROM raw_bytes;            -- ERROR
SELECT stray FROM raw_bytes;            -- ERROR
SELECT cut FROM raw_bytes;              -- ERROR
SELECT key FROM raw_bytes;              -- ERROR
SELECT key_text FROM raw_bytes;         -- ERROR
SELECT id FROM raw_bytes;               -- ERROR
-- an _id that is not UTF-8 still tells pages apart (here a server that
-- answers every offset with the same page) and is shown in hex
SELECT serve_raw_bytes('/assets', decode($$[{"_id": "bad\377id", "good": "a"}, {"_id": "x", "good": "b"}]$$, 'escape'));
CREATE FOREIGN TABLE raw_ids (good text) SERVER planhat OPTIONS (resource 'assets', fetch_size '2');
SELECT good FROM raw_ids;               -- ERROR
-- a custom field whose name is not valid UTF-8 or holds \u0000 would
-- become a column name: IMPORT FOREIGN SCHEMA skips it with a warning,
-- imports the rest
SELECT serve_raw_bytes('/customfields', decode($$[
  {"_id": "cf-1", "name": "Seats", "type": "number", "parent": "company"},
  {"_id": "cf-2", "name": "Bad\377Name", "type": "text", "parent": "company"},
  {"_id": "cf-3", "name": "Nul\\u0000Name", "type": "text", "parent": "company"}]$$, 'escape'));
CREATE SCHEMA raw_import;
IMPORT FOREIGN SCHEMA planhat LIMIT TO (companies) FROM SERVER planhat INTO raw_import
  OPTIONS (import_custom_fields 'true');
SELECT attname, attfdwoptions FROM pg_attribute
WHERE attrelid = 'raw_import.companies'::regclass AND array_to_string(attfdwoptions, ',') LIKE '%custom.%';
DROP SCHEMA raw_import CASCADE;

-- not JSON: NaN, Infinity, "1.", leading zeros, trailing commas, single
-- quotes, raw control characters.  The page is refused with the reason
-- and the byte offset, the same whatever json-c the extension is built
-- with (json-c only holds the tree; the parser is planhat_fdw's own)
CREATE FOREIGN TABLE raw_syntax (id text) SERVER planhat OPTIONS (resource 'assets');
SELECT serve_raw('/assets', $$[{"_id": "s-1", "v": NaN}]$$);
SELECT id FROM raw_syntax;              -- ERROR
SELECT serve_raw('/assets', $$[{"_id": "s-1", "v": -Infinity}]$$);
SELECT id FROM raw_syntax;              -- ERROR
SELECT serve_raw('/assets', $$[{"_id": "s-1", "v": 1.}]$$);
SELECT id FROM raw_syntax;              -- ERROR
SELECT serve_raw('/assets', $$[{"_id": "s-1", "v": 012}]$$);
SELECT id FROM raw_syntax;              -- ERROR
SELECT serve_raw('/assets', $$[{"_id": "s-1"},]$$);
SELECT id FROM raw_syntax;              -- ERROR
SELECT serve_raw('/assets', $$[{"_id": "s-1", "v": [1, 2,]}]$$);
SELECT id FROM raw_syntax;              -- ERROR
SELECT serve_raw('/assets', $$[{"_id": "s-1",}]$$);
SELECT id FROM raw_syntax;              -- ERROR
SELECT serve_raw('/assets', $$[{'_id': "s-1"}]$$);
SELECT id FROM raw_syntax;              -- ERROR
SELECT serve_raw('/assets', E'[{"_id": "s-1\t"}]');
SELECT id FROM raw_syntax;              -- ERROR
-- answers that are not what they claim: an error object with a success
-- status where one Planhat object is expected (a write's answer, a lookup
-- by key) is not a row of NULLs; bulk counts must be whole numbers from 0
-- up (a -1 could balance an item that was neither created nor updated)
\! $PHCTL faults-clear
SELECT id AS types_b_id FROM type_objects WHERE name = 'Types B' \gset
\! $PHCTL fault '{"method": "PUT", "path_prefix": "/companies/", "action": "status", "status": 200, "body": {"error": "Company is locked"}}'
UPDATE type_objects SET name = 'Types B2' WHERE id = :'types_b_id' RETURNING id, name;  -- ERROR
\! $PHCTL fault '{"method": "GET", "path_prefix": "/companies/", "action": "status", "status": 200, "body": {"message": "Not allowed"}}'
SELECT id, name FROM type_objects WHERE id = :'types_b_id';  -- ERROR
SELECT name FROM type_objects WHERE id = :'types_b_id';
CREATE FOREIGN TABLE answers_bulk (name text, external_id text)
  SERVER planhat OPTIONS (resource 'companies', batch_size '10');
\! $PHCTL fault '{"method": "PUT", "path": "/companies", "action": "status", "status": 200, "body": {"created": 3, "updated": -1, "nonupdates": 0, "createdErrors": [], "updatedErrors": [], "permissionErrors": []}}'
INSERT INTO answers_bulk VALUES ('Bulk X', 'bulk-x1'), ('Bulk Y', 'bulk-x2');  -- ERROR
\! $PHCTL fault '{"method": "PUT", "path": "/companies", "action": "status", "status": 200, "body": {"created": 1.5, "updated": 0.5, "nonupdates": 0, "createdErrors": [], "updatedErrors": [], "permissionErrors": []}}'
INSERT INTO answers_bulk VALUES ('Bulk X', 'bulk-x1'), ('Bulk Y', 'bulk-x2');  -- ERROR
\! $PHCTL fault '{"method": "PUT", "path": "/companies", "action": "status", "status": 200, "body": {"created": "2", "updated": 0, "nonupdates": 0, "createdErrors": [], "updatedErrors": [], "permissionErrors": []}}'
INSERT INTO answers_bulk VALUES ('Bulk X', 'bulk-x1'), ('Bulk Y', 'bulk-x2');  -- ERROR
\! $PHCTL faults-clear

-- the SQLSTATE of each: HV004, except the domain constraints
SELECT a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type,
       sqlstate_of(format('SELECT %I FROM %s', a.attname, a.attrelid::regclass)) AS sqlstate
FROM pg_attribute a
WHERE a.attrelid = 'wrong'::regclass AND a.attnum > 2 AND NOT a.attisdropped
  AND a.attname <> 'attrs'
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

DROP FOREIGN TABLE type_objects, typed, as_text, raw_numbers, wrong, raw_wrong, raw_bytes, raw_ids,
  raw_syntax, answers_bulk, stream_scan, loop_inner;
DROP DOMAIN score10, region_code, short_tags, required_text;
DROP FUNCTION serve_raw(text, text), serve_raw_bytes(text, bytea), sqlstate_of(text),
  sample_memory(bigint);
\! $PHCTL reset --dataset regress
