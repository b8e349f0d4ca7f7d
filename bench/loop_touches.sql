-- Campaign touches for the attribution benchmark (bench/loop_bench.cpp), added to a COPY of the
-- 1M-contact demo database (whose history has no events): 20 events per contact, 20,323,340 for
-- the 1,016,167 contacts, spread from 3 days before the contact's creation over 40 days.
-- The first event carries the contact's original campaign and source; of the others, two in
-- five carry no UTM (page views: no touch), the rest one of the demo's campaigns (with its
-- source), picked by a fixed hash. Deterministic: the same file gives the same events.
--
--   sqlite3 demo-copy.db < bench/loop_touches.sql
--
-- The two indexes the insert would otherwise maintain row by row (one in random order) are
-- dropped first and rebuilt after, with exactly the definitions of migration 0002.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -1000000;
CREATE TEMP TABLE camps AS
  SELECT ROW_NUMBER() OVER (ORDER BY campaign) - 1 AS i, campaign, source
  FROM (SELECT campaign, MIN(source) AS source FROM contacts WHERE campaign <> ''
        GROUP BY campaign);
BEGIN;
DROP INDEX events_by_key;
DROP INDEX events_by_contact;
WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 19)
INSERT INTO events (event_id, type, occurred_at, received_at, contact_id, email, utm_source,
                    utm_medium, utm_campaign)
SELECT 'bench-' || c.id || '-' || k.n, 'page_view',
       c.created_at - 259200000 + k.n * 172800000 + (c.id * 7919 + k.n * 104729) % 86400000,
       c.created_at - 259200000 + k.n * 172800000 + (c.id * 7919 + k.n * 104729) % 86400000,
       c.id, c.email,
       CASE WHEN k.n = 0 THEN c.source WHEN (c.id + k.n) % 5 < 2 THEN '' ELSE cp.source END,
       '',
       CASE WHEN k.n = 0 THEN c.campaign WHEN (c.id + k.n) % 5 < 2 THEN '' ELSE cp.campaign END
FROM contacts c CROSS JOIN k
JOIN camps cp ON cp.i = (c.id * 31 + k.n * 17) % (SELECT COUNT(*) FROM camps);
CREATE UNIQUE INDEX events_by_key ON events (occurred_at, event_id);
CREATE INDEX events_by_contact ON events (contact_id, occurred_at) WHERE contact_id IS NOT NULL;
COMMIT;
