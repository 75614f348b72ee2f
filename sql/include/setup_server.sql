--
-- The second layer of the shared set-up (sql/include/setup.sql): the first
-- (setup_base.sql), then the server "planhat" (url and analytics_url: the
-- emulator) with the current user's mapping (api_token PLANHAT_TOKEN), made
-- afresh: whatever an earlier file changed in them, or left on them, is gone.
-- import.sql includes only this layer, because it imports the schema
-- "planhat" itself.
--
\ir setup_base.sql
SET client_min_messages = warning;
DROP SERVER IF EXISTS planhat CASCADE;
CREATE SERVER planhat FOREIGN DATA WRAPPER planhat_fdw
  OPTIONS (url :'planhat_url', analytics_url :'planhat_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER planhat OPTIONS (api_token :'planhat_token');
RESET client_min_messages;
