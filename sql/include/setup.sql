--
-- The shared set-up of the regression files: each includes it first, so that
-- it runs alone (make installcheck REGRESS=join) exactly as in the suite:
--   \set ECHO none
--   \i sql/include/setup.sql
--   \set ECHO all
-- (psql reads the file from the directory make installcheck runs in).
--
-- It leaves the same state whatever the database held before: the extension,
-- the settings and helpers of setup_base.sql, the server "planhat" and its
-- user mapping of setup_server.sql, both made afresh, and the schema "planhat"
-- imported afresh from it: one foreign table per resource, with no option or
-- statistics an earlier file gave it.  It prints nothing and sends the
-- emulator no request (check_connection 'false'); the emulator's state is each
-- file's own (\! $PHCTL reset).
--
-- The files that test the creation of these objects include less: options.sql
-- (CREATE EXTENSION) nothing, read.sql (the server) setup_base.sql, import.sql
-- (the schema) setup_server.sql; upgrade.sql works in a database of its own.
--
\ir setup_server.sql
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS planhat CASCADE;
CREATE SCHEMA planhat;
IMPORT FOREIGN SCHEMA planhat FROM SERVER planhat INTO planhat OPTIONS (check_connection 'false');
RESET client_min_messages;
