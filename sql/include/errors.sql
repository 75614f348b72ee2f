--
-- Included by the regression files that show errors whose wording belongs
-- to libcurl or PostgreSQL, not to planhat_fdw, with
--   \set ECHO none
--   \i sql/include/errors.sql
--   \set ECHO all
-- (psql reads it from the directory make installcheck runs in).
--
-- older_wording(text): the same message in the words of libcurl 7.88 and
-- PostgreSQL 15, so that one expected output serves every version.  Each
-- rule maps one known newer wording of the same condition; anything else
-- passes unchanged, so a different condition still shows as a difference.
CREATE OR REPLACE FUNCTION public.older_wording(msg text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
         regexp_replace(regexp_replace(msg,
    -- libcurl 8: a refused connection
    'Failed to connect to ([^ ]+):([0-9]+) after ', 'Failed to connect to \1 port \2 after '),
    ': Could not connect to server', ': Couldn''t connect to server'),
    -- libcurl 8: a body shorter than its Content-Length
    'end of response with ([0-9]+) bytes missing', 'transfer closed with \1 bytes remaining to read'),
    -- libcurl 8: an untrusted certificate, an unreadable CA file
    'SSL certificate OpenSSL verify result: (.*) \([0-9]+\)$', 'SSL certificate problem: \1'),
    'error adding trust anchors from file: ', 'error setting certificate file: '),
    -- PostgreSQL 17: GetUserMapping() names the server too
    '^user mapping not found for user ("[^"]*"), server "[^"]*"$', 'user mapping not found for \1'),
    -- libcurl 8: a TLS handshake that failed names no library version
    'failed after ([0-9]+ attempts?): TLS connect error: ', 'failed after \1: OpenSSL: ')
$$;

-- show_error(query): run query and show its error as psql prints it (the
-- first context line that is not this function's or its EXECUTE's), its SQLSTATE,
-- through older_wording(), and with durations masked as "N ms"
CREATE OR REPLACE FUNCTION public.show_error(query text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  st text; msg text; det text; hnt text; ctx text;
BEGIN
  EXECUTE query;
  RETURN NEXT 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
    det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT, ctx = PG_EXCEPTION_CONTEXT;
  RETURN NEXT 'ERROR:  ' || older_wording(msg);
  IF det <> '' THEN
    RETURN NEXT 'DETAIL:  ' || older_wording(regexp_replace(det, '[0-9]+ (ms|milliseconds)', 'N \1', 'g'));
  END IF;
  IF hnt <> '' THEN RETURN NEXT 'HINT:  ' || hnt; END IF;
  ctx := (SELECT c FROM regexp_split_to_table(ctx, E'\n') WITH ORDINALITY AS l(c, n)
          WHERE c !~ '^(PL/pgSQL function |SQL statement ")' ORDER BY n LIMIT 1);
  IF ctx IS NOT NULL THEN RETURN NEXT 'CONTEXT:  ' || ctx; END IF;
  RETURN NEXT 'SQLSTATE: ' || st;
END $$;
