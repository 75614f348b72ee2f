--
-- The first layer of the shared set-up (sql/include/setup.sql): what every
-- regression file needs before the server "planhat".  read.sql includes
-- only this layer, because it creates that server itself.
--
-- It leaves, whatever the database held before (idempotent):
--   the extension planhat_fdw;
--   the wrapper option max_requests_per_minute '0': the suite sends the
--     emulator far more than Planhat's quota of 200 requests a minute, the
--     default (options.sql sets it too; test/limiter.test.sh tests the
--     default);
--   the settings regress.phctl and regress.url (this session and the
--     database) for the helpers that run phctl;
--   the helper functions (sql/include/helpers.sql);
--   the psql variables planhat_url, planhat_token and phctl.
-- It prints nothing and sends the emulator no request.
--
\getenv planhat_url PLANHAT_URL
\getenv planhat_token PLANHAT_TOKEN
\getenv phctl PHCTL
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS planhat_fdw;
DO $$
DECLARE
  verb text := CASE WHEN EXISTS (SELECT FROM pg_foreign_data_wrapper, unnest(fdwoptions) o
                                 WHERE fdwname = 'planhat_fdw' AND o LIKE 'max_requests_per_minute=%')
                    THEN 'SET' ELSE 'ADD' END;
BEGIN
  EXECUTE format('ALTER FOREIGN DATA WRAPPER planhat_fdw OPTIONS (%s max_requests_per_minute %L)', verb, '0');
END $$;
ALTER DATABASE :"DBNAME" SET regress.phctl TO :'phctl';
ALTER DATABASE :"DBNAME" SET regress.url TO :'planhat_url';
SET regress.phctl TO :'phctl';
SET regress.url TO :'planhat_url';
\ir helpers.sql
RESET client_min_messages;
