/* sql/planhat_fdw--0.1.0--0.2.0.sql: from 0.1.0 to 0.2.0 (ALTER EXTENSION planhat_fdw UPDATE) */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION planhat_fdw UPDATE TO '0.2.0'" to load this file. \quit

-- Every SQL object that 0.2.0 adds or changes is created here as in
-- planhat_fdw--0.2.0.sql: the upgrade regression test (sql/upgrade.sql)
-- checks that both ways end with the same objects.  So far 0.2.0 changes
-- only the C library, which ALTER EXTENSION does not touch: the new
-- library is loaded by new sessions.
