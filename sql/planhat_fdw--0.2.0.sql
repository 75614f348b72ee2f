/* sql/planhat_fdw--0.2.0.sql: planhat_fdw 0.2.0, installed from scratch */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION planhat_fdw" to load this file. \quit

CREATE FUNCTION planhat_fdw_handler()
RETURNS fdw_handler
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FUNCTION planhat_fdw_validator(text[], oid)
RETURNS void
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER planhat_fdw
  HANDLER planhat_fdw_handler
  VALIDATOR planhat_fdw_validator;

COMMENT ON FOREIGN DATA WRAPPER planhat_fdw
  IS 'foreign-data wrapper for the Planhat REST API';

-- Per-backend counters since the backend started (or since
-- planhat_fdw_stats_reset()).
CREATE FUNCTION planhat_fdw_stats(
    OUT requests bigint,
    OUT requests_get bigint,
    OUT requests_post bigint,
    OUT requests_put bigint,
    OUT requests_delete bigint,
    OUT retries bigint,
    OUT rate_limited bigint,
    OUT errors bigint,
    OUT bytes_sent bigint,
    OUT bytes_received bigint,
    OUT pages bigint,
    OUT rows bigint,
    OUT http_ms double precision,
    OUT wait_ms double precision)
RETURNS record
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT VOLATILE PARALLEL RESTRICTED;

CREATE FUNCTION planhat_fdw_stats_reset()
RETURNS void
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT VOLATILE PARALLEL RESTRICTED;

-- Open HTTP handles of this backend, one per (server, user mapping), like
-- postgres_fdw_get_connections().
CREATE FUNCTION planhat_fdw_get_connections(
    OUT server_name text,
    OUT user_name text,
    OUT valid boolean)
RETURNS SETOF record
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT VOLATILE PARALLEL RESTRICTED;

-- Close the handles of one server (true if one was open).
CREATE FUNCTION planhat_fdw_disconnect(text)
RETURNS boolean
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT VOLATILE PARALLEL RESTRICTED;

-- Close every handle of this backend.
CREATE FUNCTION planhat_fdw_disconnect_all()
RETURNS boolean
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT VOLATILE PARALLEL RESTRICTED;

REVOKE ALL ON FUNCTION planhat_fdw_stats_reset() FROM PUBLIC;
