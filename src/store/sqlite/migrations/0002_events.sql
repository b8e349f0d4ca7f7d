-- Tracking events and identity links (docs/events.md).
--
-- events is an append-only log (contact_id is the only column that changes: when an anonymous
-- visitor identifies, and when two contacts are merged). Idempotency: the unique key is
-- (occurred_at, event_id), not event_id alone. Senders' event ids are random (UUIDs), and a
-- unique index on a random key dirties one B-tree page per row in every commit (about 30k
-- rows/s on the reference machine); ordered by occurred_at first, new events land at the
-- right edge of the index, as the rowid does. A replay carries the same occurred_at, so it
-- still finds its twin.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
  occurred_at INTEGER NOT NULL CHECK (occurred_at >= 0),
  received_at INTEGER NOT NULL,
  contact_id INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
  email TEXT NOT NULL DEFAULT '',
  anonymous_id TEXT NOT NULL DEFAULT '',
  utm_source TEXT NOT NULL DEFAULT '',
  utm_medium TEXT NOT NULL DEFAULT '',
  utm_campaign TEXT NOT NULL DEFAULT '',
  properties TEXT NOT NULL DEFAULT '{}',
  CHECK (email <> '' OR anonymous_id <> '')
);
CREATE UNIQUE INDEX events_by_key ON events (occurred_at, event_id);
-- A contact's events (timeline, merge, cascade on delete); anonymous events stay out of it.
CREATE INDEX events_by_contact ON events (contact_id, occurred_at) WHERE contact_id IS NOT NULL;
-- Events of visitors not identified yet: what an identification attaches to the contact.
-- Rows leave this index when they get their contact.
CREATE INDEX events_unattached ON events (anonymous_id)
  WHERE contact_id IS NULL AND anonymous_id <> '';

-- Identity links: an anonymous visitor id (kind 'anonymous') or a former email of a merged
-- contact (kind 'email') pointing at the contact it now belongs to. A visitor id is linked
-- once, to the first contact it identifies as.
CREATE TABLE identities (
  kind TEXT NOT NULL CHECK (kind IN ('anonymous', 'email')),
  value TEXT NOT NULL,
  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE INDEX identities_by_contact ON identities (contact_id);

-- Merging two contacts moves the stage history of the one merged away to the one kept:
-- contact_id may now change, nothing else (the history stays append-only in substance).
DROP TRIGGER stage_history_append_only;
CREATE TRIGGER stage_history_append_only
BEFORE UPDATE OF id, from_stage, to_stage, at, actor_user_id, actor_name, cause, reason
ON stage_history
BEGIN
  SELECT RAISE(ABORT, 'stage_history is append-only');
END;
