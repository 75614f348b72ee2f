-- test/tools/gen_resources_md.sql: docs/resources.md from the resource catalog
--
-- Run by test/tools/gen_resources_md.sh (read it first): psql -X -A -t with
-- the variable "part" set to doc (the page), columns (table, column and type
-- of every imported column, tab-separated) or examples (the example
-- statements, one per line), inside a transaction that is rolled back.
-- Everything comes from planhat_fdw_resources(), planhat_fdw_fields() and
-- planhat_fdw_filters(); the only text here is the wording of the page.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS planhat_fdw;
RESET client_min_messages;

-- a column name as written in SQL: quoted where PostgreSQL reserves it
CREATE FUNCTION pg_temp.sql_name(col text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN EXISTS (SELECT FROM pg_get_keywords()
                           WHERE word = col AND catcode IN ('R', 'T'))
              THEN '"' || col || '"' ELSE col END
$$;

-- the type as the page writes it
CREATE FUNCTION pg_temp.type_name(t regtype) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT replace(format_type(t, NULL), 'timestamp with time zone', 'timestamptz')
$$;

-- the verbs as letters: L G C U D B P
CREATE FUNCTION pg_temp.verb_letters(verbs text[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT string_agg(l, ' ' ORDER BY n)
  FROM (VALUES (1, 'list', 'L'), (2, 'get', 'G'), (3, 'create', 'C'), (4, 'update', 'U'),
               (5, 'delete', 'D'), (6, 'bulk', 'B'), (7, 'push', 'P')) v(n, verb, l)
  WHERE verb = ANY (verbs)
$$;

-- ObjectIds from Planhat's examples
CREATE FUNCTION pg_temp.example_id(second boolean DEFAULT false) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN second THEN '''6100186428706a6646358453''' ELSE '''61006bc89a3e0b702ed8ea49''' END
$$;

-- a SQL literal that fits the column of field f of resource r
CREATE FUNCTION pg_temp.example_value(r text, f text, t regtype) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN t = 'numeric'::regtype THEN '42'
    WHEN t IN ('integer'::regtype, 'bigint'::regtype) THEN '9'
    WHEN t = 'boolean'::regtype THEN 'false'
    WHEN t = 'timestamptz'::regtype THEN '''2025-01-31T00:00:00Z'''
    WHEN t = 'date'::regtype THEN '''2025-01-31'''
    WHEN t = 'text[]'::regtype THEN 'ARRAY[''a'', ''b'']'
    WHEN t = 'jsonb'::regtype THEN '''{}'''
    WHEN f = 'type' THEN CASE WHEN r = 'customfields' THEN '''text''' ELSE '''note''' END
    ELSE coalesce(
      (SELECT v FROM (VALUES
        ('_currency', '''USD'''), ('email', '''ada@example.com'''), ('name', '''Example'''),
        ('title', '''Example'''), ('parent', '''company'''), ('comment', '''Great support'''),
        ('description', '''Example'''), ('sourceId', '''src-1'''), ('externalId', '''ext-1'''),
        ('extId', '''ext-1'''), ('dimensionId', '''logins'''), ('nickName', '''Ada'''),
        ('firstName', '''Ada'''), ('lastName', '''Lovelace'''), ('phase', '''Onboarding'''),
        ('status', '''Open''')) x(k, v) WHERE k = f),
      CASE WHEN f IN ('_id', 'cId') OR f LIKE '%Id' OR f LIKE '%\_id'
           THEN pg_temp.example_id() ELSE '''example''' END)
  END
$$;

-- statements that work on the imported table planhat.<resource>, as the
-- catalog allows them (test/resources_doc.test.sh runs them)
CREATE FUNCTION pg_temp.examples(res text) RETURNS SETOF text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  r record;
  t text := 'planhat.' || res;
  cols text;
  flt record;
  w text;
  first text;
  fld record;
BEGIN
  SELECT * INTO r FROM planhat_fdw_resources() x WHERE x.resource = res;
  IF 'list' = ANY (r.verbs) THEN
    SELECT string_agg(pg_temp.sql_name(column_name), ', ' ORDER BY ordinal_position) INTO cols
    FROM planhat_fdw_fields() x WHERE x.resource = res AND ordinal_position <= 3;
    RETURN NEXT format('SELECT %s FROM %s LIMIT 5;', cols, t);
    SELECT l.*, pg_temp.sql_name(f.column_name) AS col, f.type INTO flt
    FROM planhat_fdw_filters() WITH ORDINALITY l
      JOIN planhat_fdw_fields() f USING (resource, field)
    WHERE l.resource = res ORDER BY l.ordinality LIMIT 1;
    IF FOUND THEN
      w := CASE
        WHEN flt.kind IN ('include_flag', 'split_flag') THEN flt.col
        WHEN flt.kind = 'day_range' AND flt.type = 'date'::regtype
          THEN format('%s BETWEEN ''2025-01-01'' AND ''2025-01-31''', flt.col)
        WHEN flt.kind = 'day_range'
          THEN format('%1$s >= ''2025-01-01'' AND %1$s < ''2025-02-01''', flt.col)
        ELSE NULL END;
      IF w IS NULL THEN
        first := pg_temp.example_value(res, flt.field, flt.type);
        IF flt.kind = 'list' THEN
          w := format('%s IN (%s, %s)', flt.col, first,
                      CASE WHEN first = pg_temp.example_id() THEN pg_temp.example_id(true)
                           ELSE '''example-2''' END);
        ELSE
          w := format('%s = %s', flt.col, first);
        END IF;
      END IF;
      RETURN NEXT format('SELECT %s FROM %s WHERE %s;', cols, t, w);
    END IF;
    IF 'get' = ANY (r.verbs) THEN
      RETURN NEXT format('SELECT * FROM %s WHERE id = %s;', t, pg_temp.example_id());
    END IF;
  END IF;
  IF r.verbs && '{create,push}' THEN
    -- the required columns, else the first writable one
    SELECT string_agg(pg_temp.sql_name(column_name), ', ' ORDER BY ordinal_position),
           string_agg(pg_temp.example_value(res, field, type), ', ' ORDER BY ordinal_position)
      INTO cols, w
    FROM planhat_fdw_fields() x WHERE x.resource = res AND required;
    IF cols IS NULL THEN
      SELECT pg_temp.sql_name(column_name), pg_temp.example_value(res, field, type) INTO cols, w
      FROM planhat_fdw_fields() x
      WHERE x.resource = res AND field <> '_id' AND NOT autogenerated
      ORDER BY ordinal_position LIMIT 1;
    END IF;
    RETURN NEXT format('INSERT INTO %s (%s) VALUES (%s);', t, cols, w);
  END IF;
  IF 'update' = ANY (r.verbs) THEN
    -- the column an UPDATE sets: the first of a preferred list, else the first settable
    SELECT x.* INTO fld
    FROM planhat_fdw_fields() x
      LEFT JOIN unnest('{name,title,subject,status,phase,description,comment,product,value,externalId}'::text[])
        WITH ORDINALITY p(field, pref) USING (field)
    WHERE x.resource = res AND x.field NOT IN ('_id', 'companyId', 'cId') AND NOT x.autogenerated
      AND x.type IN ('text'::regtype, 'numeric'::regtype, 'integer'::regtype, 'boolean'::regtype)
    ORDER BY p.pref NULLS LAST, x.ordinal_position LIMIT 1;
    RETURN NEXT format('UPDATE %s SET %s = %s WHERE id = %s;', t, pg_temp.sql_name(fld.column_name),
                       pg_temp.example_value(res, fld.field, fld.type), pg_temp.example_id());
  END IF;
  IF 'delete' = ANY (r.verbs) THEN
    RETURN NEXT format('DELETE FROM %s WHERE id = %s;', t, pg_temp.example_id());
  END IF;
END $$;

-- how a list filter turns a qual into query parameters
CREATE FUNCTION pg_temp.filter_text(l record, col text, t regtype) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  how text := CASE WHEN l.exact THEN 'exact' ELSE 'rechecked locally' END;
BEGIN
  RETURN CASE l.kind
    WHEN 'list' THEN
      format('`%1$s = v`, `%1$s IN (v1, v2, ...)` → `?%2$s=v1,v2,...` (one request; %3$s)', col, l.param, how)
    WHEN 'single' THEN
      format('`%1$s = v` → `?%2$s=v`; `%1$s IN (...)` → one list request per value (%3$s)', col, l.param, how)
    WHEN 'include_flag' THEN
      format('`%1$s`: Planhat hides rows with %2$s true unless `?%3$s=true`, so a scan sends '
             '`%3$s=true` and the table holds every row; `%1$s = false` (or `NOT %1$s`) omits the '
             'parameter (exact); `%1$s = true` sends `%3$s=true` (rechecked locally)', col, l.field, l.param)
    WHEN 'split_flag' THEN
      format('`%1$s`: the list returns only rows whose %2$s equals `?%3$s=` (default false), so a '
             'scan reads `%3$s=false` then `%3$s=true`; `%1$s = v` (or `%1$s` / `NOT %1$s`) reads only '
             'that part (%4$s)', col, l.field, l.param, how)
    WHEN 'day_range' THEN
      CASE WHEN t = 'date'::regtype THEN
        format('`%s` compared with `=`, `<`, `<=`, `>`, `>=` or `BETWEEN` → `?%s=<day>&%s=<day>` '
               '(days since 1970-01-01, both inclusive; %s)', col, l.param, l.param2, how)
      ELSE
        format('`%s` compared with `=`, `<`, `<=`, `>`, `>=` or `BETWEEN` → `?%s=<day>&%s=<day>`, '
               'the whole days (UTC) that contain the range (%s)', col, l.param, l.param2, how)
      END
  END;
END $$;

-- the page
CREATE FUNCTION pg_temp.doc() RETURNS SETOF text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  r record;
  f record;
  l record;
  p text;
  s text;
  refused text[];
  notes text[];
  ecol text;
BEGIN
  RETURN NEXT '<!-- Generated by test/tools/gen_resources_md.sh from the catalog functions of planhat_fdw';
  RETURN NEXT '     (src/resource.c). Do not edit by hand: change the catalog, then run';
  RETURN NEXT '     `bash test/tools/gen_resources_md.sh`. -->';
  RETURN NEXT '';
  RETURN NEXT '# Resources';
  RETURN NEXT '';
  RETURN NEXT format('planhat_fdw knows %s Planhat resources (%s documented fields). `IMPORT FOREIGN SCHEMA` '
    'creates one foreign table per resource, in the order below, named after the resource; '
    'a hand-written table names its resource with the table option `resource`.',
    (SELECT count(*) FROM planhat_fdw_resources()), (SELECT count(*) FROM planhat_fdw_fields()));
  RETURN NEXT '';
  RETURN NEXT 'This page is generated from the catalog that the extension itself uses, which you can '
    'also query: `planhat_fdw_resources()` (one row per resource), `planhat_fdw_fields()` (one row per '
    'field, with its column and type) and `planhat_fdw_filters()` (one row per list filter), joined on '
    '`resource` and `field`. `planhat_fdw_comment_columns(schema)` writes this information into the '
    'comments of imported tables, so that `\d+` shows it.';
  RETURN NEXT '';
  RETURN NEXT '```sql';
  RETURN NEXT '-- the list filters of every resource, with the column they apply to';
  RETURN NEXT 'SELECT l.resource, f.column_name, l.param, l.exact';
  RETURN NEXT 'FROM planhat_fdw_filters() l JOIN planhat_fdw_fields() f USING (resource, field);';
  RETURN NEXT '```';
  RETURN NEXT '';
  RETURN NEXT '## General rules';
  RETURN NEXT '';
  RETURN NEXT '- **Columns.** Each documented Planhat field is one column. Its name follows one rule: '
    '`_id` → `id`, leading underscores dropped (`_currency` → `currency`), camelCase → '
    'snake_case (`companyId` → `company_id`, `cId` → `c_id`, `hProfile` → `h_profile`, '
    '`nrr30` → `nrr30`), `__v` → `v`. `IMPORT FOREIGN SCHEMA` writes the column option '
    '`field` wherever the column name differs from the field name. A column may also name '
    'one custom field with `field ''custom.<Name>''`.';
  RETURN NEXT '- **`custom jsonb`.** Models with custom fields have a `custom` column: the object of '
    'custom-field values keyed by the custom field''s name (`custom->>''Seats''`). '
    'With `OPTIONS (import_custom_fields ''true'')`, `IMPORT FOREIGN SCHEMA` also creates '
    'typed columns for the custom fields defined in the tenant (`/customfields`, matched by '
    'the model''s `parent` value given below; see the README).';
  RETURN NEXT '- **`attrs jsonb`.** The last column of every imported table is `attrs`: the whole '
    'Planhat object as received, including fields this catalog does not know. On INSERT and '
    'UPDATE its keys are merged into the object sent.';
  RETURN NEXT '- **Types.** Strings and ObjectIds are `text`; JSON numbers are `numeric` (no rounding); '
    'documented whole numbers are `integer`; booleans are `boolean`; ISO-8601 strings are '
    '`timestamptz`; arrays of strings or ids are `text[]`; objects, arrays of objects and '
    'fields seen with more than one shape are `jsonb`.';
  RETURN NEXT '- **Ids in either shape.** Some references are `jsonb` because Planhat sends them as '
    'an id string or as an object with `_id` ('
    || (SELECT string_agg(x, '; ' ORDER BY ordinality)
        FROM (SELECT r2.ordinality,
                     r2.resource || ' ' || string_agg('`' || f2.column_name || '`', ', ' ORDER BY f2.ordinal_position) AS x
              FROM planhat_fdw_fields() f2
                JOIN planhat_fdw_resources() WITH ORDINALITY r2 USING (resource)
              WHERE f2.id_or_object
              GROUP BY r2.ordinality, r2.resource) d)
    || '). `planhat_id(column)` reads the id from either shape (NULL for anything else), so '
    '`JOIN planhat.users u ON planhat_id(c.owner) = u.id` joins on it.';
  RETURN NEXT '- **Day numbers are `date`.** Some fields hold days since 1970-01-01 as a JSON integer ('
    || (SELECT string_agg(x, '; ' ORDER BY ordinality)
        FROM (SELECT r2.ordinality,
                     r2.resource || ' ' || string_agg('`' || f2.field || '`', ', ' ORDER BY f2.ordinal_position) AS x
              FROM planhat_fdw_fields() f2
                JOIN planhat_fdw_resources() WITH ORDINALITY r2 USING (resource)
              WHERE f2.type = 'date'::regtype
              GROUP BY r2.ordinality, r2.resource) d)
    || '). They are `date` columns: 17752 reads as 2018-08-09, and a `date` written is sent back as '
    'a day number.';
  RETURN NEXT '- **Missing fields are NULL.** Planhat omits absent fields; an absent field and a JSON '
    '`null` both read as SQL NULL (a `jsonb` column too: NULL, not `''null''`).';
  RETURN NEXT '- **Conversion is exact.** Numbers keep every digit (`1958.3333333333333`), a JSON string '
    'read into a `text` column is the string itself, an object or array its JSON text. A '
    'hand-written table may also use `varchar(n)`, `char(n)`, `smallint`, `bigint`, `real`, '
    '`double precision`, `numeric(p,s)`, `timestamp`, `uuid`, `json`, domains and arrays of '
    'any of these. A value that does not fit its column (a string in an `integer` column, '
    'an out-of-range number, a bad date) is an error with SQLSTATE HV004 whose detail names '
    'the table, the column, the Planhat field, the object''s `_id` and the value.';
  RETURN NEXT '- **Required on create** marks fields Planhat documents as required; rules of the '
    'form "one of a or b" are noted per column and left to Planhat to check. '
    '**Autogenerated** marks fields Planhat computes or maintains (`__v`, `createdAt`, '
    '`updatedAt`, `companyName`, health scores, ...): a value written may be ignored or '
    'overwritten.';
  RETURN NEXT '- **List filters.** Quals on the columns listed under *List filters* are sent to '
    'Planhat as query parameters; "exact" means Planhat returns exactly the matching '
    'rows, "rechecked locally" means PostgreSQL evaluates the qual again on what comes '
    'back. Every other qual is evaluated locally. `SET planhat_fdw.pushdown = off` '
    'sends none of them and returns the same rows.';
  RETURN NEXT '- **Page size.** `fetch_size` (server or table option) is the list `limit`. It defaults '
    'to the resource''s maximum page below (the fewest requests for a full scan); a server '
    '`fetch_size` lowers it, and a table `fetch_size` above the maximum is an error, because '
    'a page Planhat cut short would look like the last one.';
  RETURN NEXT '- **Writes are not transactional.** INSERT, UPDATE and DELETE reach Planhat when the '
    'statement runs; ROLLBACK cannot undo them.';
  RETURN NEXT '';
  RETURN NEXT '| table | Planhat path | host | verbs | fetch_size max (= default) | Planhat''s own default page | keyables |';
  RETURN NEXT '|---|---|---|---|---|---|---|';
  FOR r IN SELECT * FROM planhat_fdw_resources() LOOP
    RETURN NEXT format('| [%1$s](#%1$s) | `%2$s` | `%3$s` | %4$s | %5$s | %6$s | %7$s |',
      r.resource, r.path, r.host, pg_temp.verb_letters(r.verbs),
      CASE WHEN r.max_limit IS NOT NULL THEN r.max_limit::text
           WHEN 'list' = ANY (r.verbs) THEN 'unpaginated' ELSE '–' END,
      CASE WHEN r.max_limit IS NULL THEN '–'
           WHEN r.limits_inferred THEN 'not documented' ELSE r.default_limit::text END,
      coalesce((SELECT string_agg(k || '-', ' ') FROM unnest(r.keyables) k), '–'));
  END LOOP;
  RETURN NEXT '';
  RETURN NEXT 'Verbs: L list (`GET /<path>`), G get by id (`GET /<path>/<id>`), C create (`POST`), '
    'U update (`PUT /<path>/<id>`), D delete, B bulk upsert (`PUT /<path>` with an array), '
    'P push to the analytics API (`POST <analytics_url>/<path>/<tenant_token>`).';
  RETURN NEXT '';
  RETURN NEXT 'Each resource below shows statements that work on its table once imported into the '
    'schema `planhat` (`IMPORT FOREIGN SCHEMA planhat FROM SERVER planhat INTO planhat`); '
    'the `INSERT` lists the columns Planhat requires. `test/resources_doc.test.sh` runs the '
    'reads and plans the writes.';

  FOR r IN SELECT * FROM planhat_fdw_resources() LOOP
    p := r.path;
    RETURN NEXT '';
    RETURN NEXT '## ' || r.resource;
    RETURN NEXT '';
    RETURN NEXT r.description || '.';
    RETURN NEXT '';
    RETURN NEXT format('- Planhat: `%s` on the server option `%s` (verbs %s)', p, r.host, pg_temp.verb_letters(r.verbs));
    -- what each statement sends
    IF 'list' = ANY (r.verbs) THEN
      s := CASE WHEN r.max_limit IS NULL THEN format('`SELECT`: `GET %s`, one unpaginated answer', p)
                ELSE format('`SELECT`: `GET %s` page by page', p) END;
      IF 'get' = ANY (r.verbs) THEN
        s := s || format('; `WHERE id = ...` reads `GET %s/<id>`', p);
      END IF;
      RETURN NEXT '- ' || s;
    END IF;
    IF r.verbs @> '{create,bulk}' THEN
      RETURN NEXT format('- `INSERT`: `POST %1$s` per row; with `batch_size` > 1, bulk upsert '
        '`PUT %1$s` (up to 5000 rows per request; rows matching an existing record '
        'by keyable update it)', p);
    ELSIF 'create' = ANY (r.verbs) THEN
      RETURN NEXT format('- `INSERT`: `POST %s` per row (no bulk upsert)', p);
    ELSIF 'bulk' = ANY (r.verbs) THEN
      RETURN NEXT format('- `INSERT`: bulk upsert `PUT %s` only (rows matching an existing record '
        'by keyable update it)', p);
    END IF;
    IF 'bulk' = ANY (r.verbs) THEN
      RETURN NEXT format('- Bulk upsert matches rows on %s; a batch is sent again after an answer that '
        'was lost only when every row carries one (docs/writes.md)',
        (SELECT string_agg('`' || k || '`', ', ' ORDER BY n) FROM unnest(r.bulk_keys) WITH ORDINALITY u(k, n)));
    END IF;
    IF 'push' = ANY (r.verbs) THEN
      RETURN NEXT format('- `INSERT`: `POST <analytics_url>%s/<tenant_token>`; the user mapping needs '
        '`tenant_token`. Nothing can be read back: a `SELECT` returns no rows and sends no request '
        '(so `pg_dump --include-foreign-data` of a whole import works); `UPDATE` and `DELETE` are refused', p);
    END IF;
    IF 'update' = ANY (r.verbs) THEN
      RETURN NEXT format('- `UPDATE`: `PUT %s/<id>` with the changed columns', p);
    END IF;
    IF 'delete' = ANY (r.verbs) THEN
      RETURN NEXT format('- `DELETE`: `DELETE %s/<id>`', p);
    END IF;
    refused := '{}';
    IF 'list' = ANY (r.verbs) THEN
      IF NOT r.verbs && '{create,bulk}' THEN refused := refused || '`INSERT`'::text; END IF;
      IF NOT 'update' = ANY (r.verbs) THEN refused := refused || '`UPDATE`'::text; END IF;
      IF NOT 'delete' = ANY (r.verbs) THEN refused := refused || '`DELETE`'::text; END IF;
    END IF;
    IF cardinality(refused) > 0 THEN
      RETURN NEXT '- refused at plan time: ' || array_to_string(refused, ', ');
    END IF;
    -- reading: pages, filters, keys
    IF 'list' = ANY (r.verbs) THEN
      IF r.max_limit IS NULL THEN
        RETURN NEXT '- Page size: none; the list is one request and `fetch_size` does not apply';
      ELSIF r.limits_inferred THEN
        RETURN NEXT format('- Page size (`fetch_size`): at most %s, the default (Planhat documents '
          'no page size here)', r.max_limit);
      ELSE
        RETURN NEXT format('- Page size (`fetch_size`): at most %s, the default (Planhat''s own '
          'default page is %s)', r.max_limit, r.default_limit);
      END IF;
      IF EXISTS (SELECT FROM planhat_fdw_filters() x WHERE x.resource = r.resource) THEN
        RETURN NEXT '- List filters:';
        FOR l IN SELECT x.*, pg_temp.sql_name(f2.column_name) AS col, f2.type
                 FROM planhat_fdw_filters() WITH ORDINALITY x
                   JOIN planhat_fdw_fields() f2 USING (resource, field)
                 WHERE x.resource = r.resource ORDER BY x.ordinality LOOP
          RETURN NEXT '  - ' || pg_temp.filter_text(l, l.col, l.type);
        END LOOP;
      ELSE
        RETURN NEXT '- List filters: none';
      END IF;
      ecol := (SELECT column_name FROM planhat_fdw_fields() x
               WHERE x.resource = r.resource AND x.field = r.external_id_field);
      IF cardinality(r.keyables) = 0 THEN
        s := CASE WHEN r.verbs && '{get,update,delete}' THEN 'none: rows are addressed by `id` only'
                  ELSE 'none' END;
      ELSE
        s := NULL;
        IF 'srcid' = ANY (r.keyables) THEN
          s := format('`srcid-<sourceId>`: `WHERE source_id = v` can read `GET %s/srcid-v` '
                      '(sourceId is unique per model)', p);
        END IF;
        IF 'extid' = ANY (r.keyables) THEN
          s := concat_ws('; ', s, CASE WHEN r.external_id_unique THEN
            format('`extid-<%1$s>`: `WHERE %2$s = v` can read `GET %3$s/extid-v` '
                   '(%1$s is unique across the whole model)', r.external_id_field, ecol, p)
          ELSE
            format('`extid-<%1$s>`: accepted in `%3$s/<key>`, but %1$s is not unique across '
                   'the model (on models that belong to a company it is unique per '
                   'company), so `WHERE %2$s = v` filters a scan', r.external_id_field, ecol, p)
          END);
        END IF;
      END IF;
      RETURN NEXT '- Keyables: ' || s;
    END IF;
    IF r.custom_parent IS NOT NULL THEN
      RETURN NEXT format('- Custom fields: `/customfields` with `parent` = `%s`', r.custom_parent);
    END IF;
    IF r.per_tenant THEN
      RETURN NEXT '- Planhat enables this model per tenant (one of its revenue models, introduced '
        'in 2026). A tenant without it answers 404, and the table''s statements fail with '
        'a hint that says so; `IMPORT FOREIGN SCHEMA planhat EXCEPT (deals, products) ...` '
        'leaves such tables out';
    END IF;
    RETURN QUERY SELECT '- ' || n FROM unnest(r.notes) WITH ORDINALITY u(n, i) ORDER BY i;
    RETURN NEXT '';
    RETURN NEXT '```sql';
    RETURN QUERY SELECT * FROM pg_temp.examples(r.resource);
    RETURN NEXT '```';
    RETURN NEXT '';
    RETURN NEXT '| column | type | Planhat field | notes |';
    RETURN NEXT '|---|---|---|---|';
    FOR f IN SELECT * FROM planhat_fdw_fields() x WHERE x.resource = r.resource ORDER BY ordinal_position LOOP
      notes := '{}';
      IF f.required THEN notes := notes || 'required on create'::text; END IF;
      IF f.autogenerated THEN notes := notes || 'autogenerated'::text; END IF;
      IF f.field = '_id' THEN
        notes := notes || CASE
          WHEN r.verbs @> '{update,delete}' THEN 'Planhat''s key; row identity for UPDATE and DELETE'
          WHEN 'update' = ANY (r.verbs) THEN 'Planhat''s key; row identity for UPDATE'
          WHEN 'delete' = ANY (r.verbs) THEN 'Planhat''s key; row identity for DELETE'
          ELSE 'Planhat''s key' END;
      END IF;
      IF f.type = 'date'::regtype THEN notes := notes || 'day number in Planhat'::text; END IF;
      IF f.field = 'custom' THEN notes := notes || 'custom fields by name'::text; END IF;
      IF EXISTS (SELECT FROM planhat_fdw_filters() x WHERE x.resource = r.resource AND x.field = f.field) THEN
        notes := notes || 'list filter'::text;
      END IF;
      IF f.id_or_object THEN
        notes := notes || format('id string or `{_id, ...}` object: `planhat_id(%s)`', f.column_name);
      END IF;
      IF pg_temp.sql_name(f.column_name) <> f.column_name THEN
        notes := notes || 'reserved word: write it quoted'::text;
      END IF;
      IF f.note IS NOT NULL THEN notes := notes || f.note; END IF;
      RETURN NEXT format('| %s | %s | `%s` | %s |', pg_temp.sql_name(f.column_name),
                         pg_temp.type_name(f.type), f.field, array_to_string(notes, '; '));
    END LOOP;
    RETURN NEXT '| attrs | jsonb | (whole object) | every field as received |';
  END LOOP;
END $$;

SELECT :'part' = 'doc' AS part_doc, :'part' = 'columns' AS part_columns,
       :'part' = 'examples' AS part_examples \gset
\if :part_doc
SELECT * FROM pg_temp.doc();
\elif :part_columns
SELECT format(E'%s\t%s\t%s', resource, column_name, pg_temp.type_name(type))
FROM (SELECT resource, column_name, type, ordinal_position FROM planhat_fdw_fields()
      UNION ALL
      SELECT resource, 'attrs', 'jsonb'::regtype, 1000000 FROM planhat_fdw_resources()) c
  JOIN planhat_fdw_resources() WITH ORDINALITY r USING (resource)
ORDER BY r.ordinality, c.ordinal_position;
\elif :part_examples
SELECT e FROM planhat_fdw_resources() r, pg_temp.examples(r.resource) e;
\else
\warn 'part must be doc, columns or examples'
\quit
\endif
