-- 45 more events over the last months for one space (:email): more than two pages of the
-- journal, the same on both sides of bench/activity.sh. psql variables: email.
INSERT INTO "AuditEvents" ("At", "AccountId", "Type", "ClientAddress", "Details", "Device")
SELECT now() - k * interval '3 days', a."Id",
  (ARRAY['login.succeeded', 'login.failed', 'recap.downloaded'])[1 + (k % 3)],
  '198.51.100.' || k, NULL, 'Chrome sous Android'
FROM "Accounts" a CROSS JOIN generate_series(1, 45) AS k
WHERE a."NormalizedEmail" = upper(:'email');
