-- test/demo/reports.sql: example reports over Planhat data, run by test/demo.sh
-- after test/demo/setup.sql.  Each query is echoed before its result.

\set ECHO queries

\echo
\echo '== 1. My accounts: a local table joined with Planhat companies'
SELECT a.region, a.csm, c.name, c.phase, round(c.mrr, 2) AS mrr
FROM my_accounts a
JOIN planhat.companies c ON c.id = a.planhat_id
ORDER BY a.region, c.mrr DESC NULLS LAST, c.name;

\echo
\echo '== 2. Top 10 companies by MRR (ORDER BY and LIMIT are sent to Planhat)'
SELECT c.name, c.phase, round(c.mrr, 2) AS mrr
FROM planhat.companies c
ORDER BY c.mrr DESC NULLS LAST
LIMIT 10;

\echo
\echo '== 3. Licenses by renewal status'
SELECT coalesce(renewal_status, '(none)') AS renewal_status,
       count(*) AS licenses,
       round(sum(mrr), 2) AS mrr
FROM planhat.licenses
GROUP BY 1
ORDER BY mrr DESC NULLS LAST;

\echo
\echo '== 4. Invoices by status'
SELECT coalesce(status, '(none)') AS status,
       count(*) AS invoices,
       round(sum(amount_total), 2) AS total,
       round(sum(amount_due), 2) AS due
FROM planhat.invoices
GROUP BY 1
ORDER BY 1;

\echo
\echo '== 5. End users per account, by region'
SELECT a.region, c.name, count(e.id) AS end_users
FROM my_accounts a
JOIN planhat.companies c ON c.id = a.planhat_id
LEFT JOIN planhat.endusers e ON e.company_id = c.id
GROUP BY a.region, c.name
ORDER BY end_users DESC, c.name
LIMIT 10;

\echo
\echo '== 6. What goes over the wire: EXPLAIN VERBOSE shows the Planhat request'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT c.name, c.phase, round(c.mrr, 2) AS mrr
FROM planhat.companies c
ORDER BY c.mrr DESC NULLS LAST
LIMIT 10;

EXPLAIN (VERBOSE, COSTS OFF)
SELECT e.email, e.name
FROM planhat.endusers e
WHERE e.company_id = (SELECT planhat_id FROM my_accounts ORDER BY planhat_id LIMIT 1);
