-- Bulk seed for the growth test (bench/run.sh), PostgreSQL only. Spaces banc<from>..banc<to>
-- @espacepro.test, activated, no company, all with the same precomputed Argon2id hash (:hash)
-- of the bench password, so that any of them can log in. psql variables: hash, from, to.
INSERT INTO "Accounts" (
  "Id", "Civility", "LastName", "FirstName", "Phone", "AddressLine", "PostalCode", "City", "Country",
  "SubscriberNumber", "Mode", "PasswordChangedAt", "PasswordValidUntil", "TrustQuestion", "TrustAnswerHash",
  "CreatedAt", "ActivatedAt", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed",
  "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "PhoneNumber", "PhoneNumberConfirmed", "TwoFactorEnabled",
  "LockoutEnd", "LockoutEnabled", "AccessFailedCount")
SELECT gen_random_uuid(), 2, 'Banc', 'Essai', '0100000000', n || ' rue du Banc', '75001', 'Paris', 'FRANCE',
  '9' || lpad(n::text, 13, '0'), 1, now() - interval '30 days', (now() + interval '35 months')::date,
  'animal', :'hash',
  now() - interval '1 year', now() - interval '1 year', '9' || lpad(n::text, 13, '0'), '9' || lpad(n::text, 13, '0'),
  'banc' || n || '@espacepro.test', 'BANC' || n || '@ESPACEPRO.TEST', true,
  :'hash', md5('stamp' || n), md5('concurrency' || n), NULL, false, false,
  NULL, false, 0
FROM generate_series(:from, :to) AS n;
-- Settle before measuring: statistics, visibility map and hint bits, and the bulk write flushed,
-- so that the growth figures are not the aftermath of the load itself.
VACUUM ANALYZE "Accounts";
CHECKPOINT;
