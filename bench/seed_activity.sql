-- Audit history for the spaces bench/seed_spaces.sql made (bench/activity.sh), PostgreSQL
-- only: :per rows for each space banc<from>..banc<to>, spread over the last year (a login, a
-- refused attempt, a password change…), so that the audit table grows with the spaces as it
-- does in service. psql variables: from, to, per.
INSERT INTO "AuditEvents" ("At", "AccountId", "Type", "ClientAddress", "Details", "Device")
SELECT now() - k * interval '61 days' - (hashtext(a."SubscriberNumber") & 65535) * interval '1 second',
  a."Id",
  (ARRAY['login.succeeded', 'login.failed', 'password.changed', 'recap.downloaded', 'logout'])[1 + (k % 5)],
  '192.0.2.' || (k % 250), NULL, 'Firefox sous Windows'
FROM "Accounts" a
CROSS JOIN generate_series(1, :per) AS k
WHERE a."SubscriberNumber" BETWEEN '9' || lpad(:from::text, 13, '0') AND '9' || lpad(:to::text, 13, '0');
VACUUM ANALYZE "AuditEvents";
CHECKPOINT;
