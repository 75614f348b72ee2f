--
-- Upgrade: ALTER EXTENSION planhat_fdw UPDATE from every released version
-- ends with the same SQL objects as a fresh install of the current version.
-- Each object is compared with its full definition (functions with
-- pg_get_functiondef and their privileges, the wrapper with its handler,
-- validator, options and privileges, and every comment), so an upgrade
-- script that forgets an object, a privilege or a changed signature fails.
-- Runs in a database of its own.
--
SELECT current_database() AS regress_db \gset
SET client_min_messages = warning;
DROP DATABASE IF EXISTS regress_planhat_upgrade;
RESET client_min_messages;
CREATE DATABASE regress_planhat_upgrade;
\c regress_planhat_upgrade

-- the install and upgrade scripts shipped
SELECT source, target, path FROM pg_extension_update_paths('planhat_fdw')
WHERE path IS NOT NULL ORDER BY 1, 2;

-- The extension's objects, each with what defines it
CREATE FUNCTION ext_objects() RETURNS TABLE (object text, definition text)
LANGUAGE sql AS $$
  SELECT pg_describe_object(d.classid, d.objid, d.objsubid),
         CASE d.classid
           WHEN 'pg_proc'::regclass THEN
             (SELECT pg_get_functiondef(p.oid) || ' ACL ' || coalesce(p.proacl::text, 'default')
              FROM pg_proc p WHERE p.oid = d.objid)
           WHEN 'pg_foreign_data_wrapper'::regclass THEN
             (SELECT format('HANDLER %s VALIDATOR %s OPTIONS %s ACL %s',
                            w.fdwhandler::regproc, w.fdwvalidator::regproc,
                            coalesce(w.fdwoptions::text, 'none'),
                            coalesce(w.fdwacl::text, 'default'))
              FROM pg_foreign_data_wrapper w WHERE w.oid = d.objid)
           WHEN 'pg_class'::regclass THEN
             (SELECT format('relkind %s %s', c.relkind,
                            CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid)
                                 ELSE (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', '
                                                         ORDER BY a.attnum)
                                       FROM pg_attribute a
                                       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
                            END)
              FROM pg_class c WHERE c.oid = d.objid)
           WHEN 'pg_type'::regclass THEN
             (SELECT format('type %s', format_type(t.oid, NULL)) FROM pg_type t WHERE t.oid = d.objid)
           ELSE 'class ' || d.classid::regclass::text || ': add its definition to this test'
         END
         || ' COMMENT ' || coalesce(obj_description(d.objid, d.classid::regclass::text), 'none')
  FROM pg_depend d
  WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
    AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'planhat_fdw')
$$;

-- 0.1.0, then ALTER EXTENSION ... UPDATE to the default version
CREATE EXTENSION planhat_fdw VERSION '0.1.0';
SELECT extversion FROM pg_extension WHERE extname = 'planhat_fdw';
ALTER EXTENSION planhat_fdw UPDATE;
SELECT extversion = default_version AS updated_to_default
FROM pg_extension JOIN pg_available_extensions ON name = extname
WHERE extname = 'planhat_fdw';
CREATE TABLE upgraded AS SELECT * FROM ext_objects();
-- the upgraded extension works: its validator checks options
CREATE SERVER upgrade_srv FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url 'https://api.planhat.com');
\set VERBOSITY terse
CREATE SERVER upgrade_bad FOREIGN DATA WRAPPER planhat_fdw OPTIONS (uri 'https://x');  -- ERROR
\set VERBOSITY default
DROP SERVER upgrade_srv;

-- a fresh install of the default version
DROP EXTENSION planhat_fdw;
CREATE EXTENSION planhat_fdw;
CREATE TABLE fresh AS SELECT * FROM ext_objects();

-- the objects of the current version
SELECT object FROM fresh ORDER BY object COLLATE "C";

-- what differs between the two ways (no rows)
SELECT * FROM (
  (SELECT 'only after the upgrade' AS "where", * FROM upgraded EXCEPT SELECT 'only after the upgrade', * FROM fresh)
  UNION ALL
  (SELECT 'only in a fresh install', * FROM fresh EXCEPT SELECT 'only in a fresh install', * FROM upgraded)
) d ORDER BY object COLLATE "C", 1;

\c :regress_db
DROP DATABASE regress_planhat_upgrade WITH (FORCE);
