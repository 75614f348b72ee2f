-- test/demo/setup.sql: the demo's set-up, run by test/demo.sh.
--
-- What a user does with a real Planhat tenant, pointed at the emulator: the
-- address and credentials come from the environment (psql's \getenv), as
-- test/demo.sh exports them.

\getenv url PLANHAT_URL
\getenv token PLANHAT_TOKEN
\getenv tenant PLANHAT_TENANT
\if :{?url}
\else
\echo 'PLANHAT_URL is not set: run this file through  bash test/demo.sh'
\quit
\endif

CREATE EXTENSION planhat_fdw;

-- The emulator serves the main API and the analytics routes on one port.
CREATE SERVER planhat FOREIGN DATA WRAPPER planhat_fdw
    OPTIONS (url :'url', analytics_url :'url');

CREATE USER MAPPING FOR CURRENT_USER SERVER planhat
    OPTIONS (api_token :'token', tenant_token :'tenant');

-- One foreign table per Planhat resource.
CREATE SCHEMA planhat;
IMPORT FOREIGN SCHEMA planhat FROM SERVER planhat INTO planhat;

-- A local table, as a CRM export or a finance sheet would give it: the
-- accounts we look after, keyed by their Planhat id.
CREATE TABLE my_accounts (
    planhat_id text PRIMARY KEY,
    region     text NOT NULL,
    csm        text NOT NULL
);

INSERT INTO my_accounts (planhat_id, region, csm)
SELECT id,
       (ARRAY['EMEA', 'Americas', 'APAC'])[1 + n % 3],
       (ARRAY['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra'])[1 + n % 4]
FROM (SELECT id, row_number() OVER (ORDER BY name, id) AS n
      FROM (SELECT id, name FROM planhat.companies ORDER BY name, id LIMIT 12) AS first_twelve
     ) AS numbered;

SELECT count(*) AS foreign_tables
FROM information_schema.foreign_tables
WHERE foreign_table_schema = 'planhat' \gset
SELECT count(*) AS accounts FROM my_accounts \gset
\echo 'imported' :foreign_tables 'foreign tables into schema planhat; my_accounts holds' :accounts 'companies'
