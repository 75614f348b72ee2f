--
-- Errors that say what to fix in the server's url: a scheme its port does
-- not speak (reported at once, not retried), a path after the host, and a
-- server error that outlasts the retries.
--
-- the server and schema "planhat" and the helpers (sql/include/setup.sql)
\set ECHO none
\i sql/include/setup.sql
\set ECHO all
\set VERBOSITY default
\getenv planhat_url PLANHAT_URL
\getenv tls_url PLANHAT_TLS_URL
\getenv ca_file PLANHAT_CA_FILE
\getenv planhat_token PLANHAT_TOKEN
\! $PHCTL reset
-- older_wording(): libcurl's words alike on every version (sql/include/errors.sql)
\set ECHO none
\i sql/include/errors.sql
\set ECHO all

-- an error's lines, with the emulator's ports and OpenSSL's version masked
CREATE FUNCTION public.error_of(query text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE m text; d text; h text; s text;
BEGIN
  EXECUTE query;
  RETURN NEXT 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT,
                          s = RETURNED_SQLSTATE;
  RETURN QUERY SELECT regexp_replace(regexp_replace(l, '(localhost|127\.0\.0\.1):[0-9]+', '\1:PORT', 'g'), 'OpenSSL/[0-9.]+', 'OpenSSL')
               FROM unnest(ARRAY['ERROR:  ' || m, 'DETAIL:  ' || older_wording(d), 'HINT:  ' || h, 'SQLSTATE: ' || s]) l;
END $$;

-- =====================================================================
-- http:// to a port that speaks TLS, https:// to one that does not
-- =====================================================================
SELECT replace(:'tls_url', 'https://', 'http://') AS http_to_tls,
       replace(:'planhat_url', 'http://127.0.0.1', 'https://localhost') AS https_to_plain \gset
CREATE SERVER http_to_tls FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url :'http_to_tls');
CREATE USER MAPPING FOR CURRENT_USER SERVER http_to_tls OPTIONS (api_token :'planhat_token');
CREATE FOREIGN TABLE http_to_tls (id text) SERVER http_to_tls OPTIONS (resource 'companies');
-- one attempt, not max_retries + 1: it would fail the same way every time
SELECT error_of('SELECT count(*) FROM http_to_tls');
CREATE SERVER https_to_plain FOREIGN DATA WRAPPER planhat_fdw
  OPTIONS (url :'https_to_plain', ssl_ca_file :'ca_file');
CREATE USER MAPPING FOR CURRENT_USER SERVER https_to_plain OPTIONS (api_token :'planhat_token');
CREATE FOREIGN TABLE https_to_plain (id text) SERVER https_to_plain OPTIONS (resource 'companies');
SELECT error_of('SELECT count(*) FROM https_to_plain');
-- with the scheme the hint gives, both work
ALTER SERVER http_to_tls OPTIONS (SET url :'tls_url', ADD ssl_ca_file :'ca_file');
SELECT count(*) FROM http_to_tls;
ALTER SERVER https_to_plain OPTIONS (SET url :'planhat_url');
SELECT count(*) FROM https_to_plain;

-- =====================================================================
-- a url with a path: the whole path requested, and what to remove
-- =====================================================================
SELECT :'planhat_url' || '/v1/' AS with_path \gset
CREATE SERVER with_path FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url :'with_path');
CREATE USER MAPPING FOR CURRENT_USER SERVER with_path OPTIONS (api_token :'planhat_token');
CREATE FOREIGN TABLE with_path (id text, name text) SERVER with_path OPTIONS (resource 'companies');
\! $PHCTL clear
SELECT id, name FROM with_path LIMIT 1;  -- ERROR
\! $PHCTL log

-- =====================================================================
-- a server error after every retry
-- =====================================================================
ALTER SERVER https_to_plain OPTIONS (ADD max_retries '1');
\! $PHCTL fault '{"path": "/companies", "action": "status", "status": 502, "times": -1}'
\! $PHCTL clear
SELECT count(*) FROM https_to_plain;  -- ERROR
\! $PHCTL log
\! $PHCTL faults-clear

DROP SERVER http_to_tls CASCADE;
DROP SERVER https_to_plain CASCADE;
DROP SERVER with_path CASCADE;
DROP FUNCTION public.error_of(text);
