-- Saved views of the dashboard's lists (docs/dashboard.md): a user's named filters, sort and
-- columns as a query string, private or shared with everybody.
CREATE TABLE saved_views (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  query TEXT NOT NULL,
  shared INTEGER NOT NULL CHECK (shared IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (owner_id, name)
);
CREATE INDEX saved_views_shared ON saved_views (name, id) WHERE shared = 1;

-- tandem: rebuilds tables
-- A manager's or admin's assignment (POST /api/v1/contacts/bulk-assign) is stored as a handoff
-- assignment with rule 'manual'. SQLite cannot change a CHECK in place, so the table is built
-- again by SQLite's documented procedure: the line above makes ApplyMigrations run this file
-- with foreign keys off (so dropping the old table deletes no SLA clock) and check every
-- foreign key before the commit. sla_clocks keeps referring to handoff_assignments by name,
-- which the new table takes.
CREATE TABLE handoff_assignments_0012 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  owner_id INTEGER REFERENCES users (id),
  owner_email TEXT NOT NULL DEFAULT '',
  rule TEXT NOT NULL CHECK (rule IN ('account_owner', 'persona_owner', 'territory',
                                     'round_robin', 'weighted', 'least_loaded', 'unassigned',
                                     'manual')),
  code TEXT NOT NULL,
  text TEXT NOT NULL,
  contract_version_id INTEGER REFERENCES contract_versions (id),
  qualified_at INTEGER NOT NULL,
  assigned_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'rejected', 'reassigned',
                                         'unassigned', 'closed')),
  first_touch_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  ended_at INTEGER,
  reason TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  CHECK ((owner_id IS NULL) = (status = 'unassigned'))
);
INSERT INTO handoff_assignments_0012 (id, contact_id, owner_id, owner_email, rule, code, text,
                                      contract_version_id, qualified_at, assigned_at, status,
                                      first_touch_at, attempts, ended_at, reason, note)
  SELECT id, contact_id, owner_id, owner_email, rule, code, text, contract_version_id,
         qualified_at, assigned_at, status, first_touch_at, attempts, ended_at, reason, note
  FROM handoff_assignments;
-- Ids are never reused: the new table continues the old one's sequence.
DELETE FROM sqlite_sequence WHERE name = 'handoff_assignments_0012';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'handoff_assignments_0012', seq FROM sqlite_sequence WHERE name = 'handoff_assignments';
DROP TABLE handoff_assignments;
ALTER TABLE handoff_assignments_0012 RENAME TO handoff_assignments;
CREATE INDEX handoff_assignments_by_contact ON handoff_assignments (contact_id, id);
CREATE INDEX handoff_assignments_by_time ON handoff_assignments (assigned_at, id);
CREATE INDEX handoff_assignments_open_by_owner ON handoff_assignments (owner_id)
  WHERE status = 'open';
