-- Tandem's first schema: the CRM records, their history, the audit log and credentials.
--
-- Conventions: ids are INTEGER PRIMARY KEY AUTOINCREMENT (positive, increasing, never reused,
-- so the audit log's entity ids stay unambiguous); instants are INTEGER milliseconds since the
-- Unix epoch; dates are TEXT 'YYYY-MM-DD'; enumerations are their text codes from src/core with
-- a CHECK listing the allowed values; custom fields are core::EncodeCustomFields text.
-- A secondary index of a rowid table ends with the rowid, so an index on (created_at) orders by
-- (created_at, id): exactly the keyset order of the list queries.

CREATE TABLE teams (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  function TEXT NOT NULL CHECK (function IN ('marketing', 'sales', 'revenue')),
  manager_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  region TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX teams_by_name ON teams (name);

CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'marketing', 'sales')),
  team_id INTEGER REFERENCES teams (id) ON DELETE SET NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  password_hash TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_by_email ON users (email);
CREATE INDEX users_by_team ON users (team_id);
CREATE INDEX users_by_role ON users (role);
CREATE INDEX teams_by_manager ON teams (manager_id);

CREATE TABLE companies (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  domain TEXT NOT NULL DEFAULT '',
  industry TEXT NOT NULL DEFAULT '',
  employees INTEGER CHECK (employees IS NULL OR employees >= 0),
  country TEXT NOT NULL DEFAULT '',
  owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  custom TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX companies_by_name ON companies (name);
CREATE INDEX companies_by_created ON companies (created_at);
CREATE INDEX companies_by_industry ON companies (industry, name);
CREATE INDEX companies_by_country ON companies (country, name);
CREATE INDEX companies_by_owner ON companies (owner_id, name);

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL,
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  company_id INTEGER REFERENCES companies (id) ON DELETE SET NULL,
  owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  stage TEXT NOT NULL CHECK (stage IN ('visitor', 'lead', 'mql', 'sal', 'sql', 'opportunity',
                                       'customer', 'recycled', 'disqualified')),
  stage_entered_at INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  campaign TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  custom TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- One index per list filter, each ending with the default sort (created_at, then the rowid),
-- so a filtered first or deep page is one index range walk; plus one per other sort key.
CREATE UNIQUE INDEX contacts_by_email ON contacts (email);
CREATE INDEX contacts_by_created ON contacts (created_at);
CREATE INDEX contacts_by_updated ON contacts (updated_at);
CREATE INDEX contacts_by_last_name ON contacts (last_name);
CREATE INDEX contacts_by_stage ON contacts (stage, created_at);
CREATE INDEX contacts_by_owner ON contacts (owner_id, created_at);
CREATE INDEX contacts_by_source ON contacts (source, created_at);
CREATE INDEX contacts_by_campaign ON contacts (campaign, created_at);
CREATE INDEX contacts_by_company ON contacts (company_id, created_at);

-- Append-only: rows are never updated; they go only with their contact.
CREATE TABLE stage_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  from_stage TEXT CHECK (from_stage IS NULL OR from_stage IN (
      'visitor', 'lead', 'mql', 'sal', 'sql', 'opportunity', 'customer', 'recycled',
      'disqualified')),
  to_stage TEXT NOT NULL CHECK (to_stage IN ('visitor', 'lead', 'mql', 'sal', 'sql',
                                             'opportunity', 'customer', 'recycled',
                                             'disqualified')),
  at INTEGER NOT NULL,
  actor_user_id INTEGER,
  actor_name TEXT NOT NULL DEFAULT '',
  cause TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stage_history_by_contact ON stage_history (contact_id, at);
CREATE INDEX stage_history_by_at ON stage_history (at);
CREATE TRIGGER stage_history_append_only BEFORE UPDATE ON stage_history
BEGIN
  SELECT RAISE(ABORT, 'stage_history is append-only');
END;

CREATE TABLE deals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
  company_id INTEGER REFERENCES companies (id) ON DELETE SET NULL,
  owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  stage TEXT NOT NULL CHECK (stage IN ('open', 'won', 'lost')),
  expected_close TEXT CHECK (expected_close IS NULL OR expected_close GLOB
                             '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  closed_at INTEGER,
  lost_reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- A deal without an expected close date sorts as '' (before every date ascending): the list
-- queries order by this same expression, so the index serves them.
CREATE INDEX deals_by_created ON deals (created_at);
CREATE INDEX deals_by_amount ON deals (amount_minor);
CREATE INDEX deals_by_close ON deals (ifnull(expected_close, ''));
CREATE INDEX deals_by_stage ON deals (stage, created_at);
CREATE INDEX deals_by_owner ON deals (owner_id, created_at);
CREATE INDEX deals_by_contact ON deals (contact_id, created_at);
CREATE INDEX deals_by_company ON deals (company_id, created_at);

CREATE TABLE activities (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL CHECK (type IN ('call', 'email', 'meeting', 'note')),
  contact_id INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
  deal_id INTEGER REFERENCES deals (id) ON DELETE SET NULL,
  owner_id INTEGER NOT NULL REFERENCES users (id),
  occurred_at INTEGER NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  duration_minutes INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (contact_id IS NOT NULL OR deal_id IS NOT NULL)
);
CREATE INDEX activities_by_occurred ON activities (occurred_at);
CREATE INDEX activities_by_contact ON activities (contact_id, occurred_at);
CREATE INDEX activities_by_deal ON activities (deal_id, occurred_at);
CREATE INDEX activities_by_owner ON activities (owner_id, occurred_at);
CREATE INDEX activities_by_type ON activities (type, occurred_at);
-- A deal's activities that belong to no contact would be left about nothing: they go with the
-- deal (before the foreign key clears deal_id on the others).
CREATE TRIGGER deals_delete_own_activities BEFORE DELETE ON deals
BEGIN
  DELETE FROM activities WHERE deal_id = old.id AND contact_id IS NULL;
END;

-- The audit log outlives what it describes: no foreign keys.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor_user_id INTEGER,
  actor_name TEXT NOT NULL DEFAULT '',
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'transition', 'login',
                                         'logout', 'key_create', 'key_revoke'))
);
CREATE INDEX audit_log_by_at ON audit_log (at);
CREATE INDEX audit_log_by_entity ON audit_log (entity, entity_id, at);
CREATE INDEX audit_log_by_actor ON audit_log (actor_user_id, at);

CREATE TABLE audit_changes (
  audit_id INTEGER NOT NULL REFERENCES audit_log (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  field TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  PRIMARY KEY (audit_id, seq)
) WITHOUT ROWID;

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('bearer', 'cookie')),
  csrf_token TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  prefix TEXT NOT NULL,
  scopes TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE UNIQUE INDEX api_keys_by_secret ON api_keys (secret_hash);
CREATE INDEX api_keys_by_user ON api_keys (user_id);

-- Full-text search. Each table keeps its own copy of the indexed text (a plain FTS5 table, so
-- a row can be deleted by rowid); the rowid is the record's id. The store inserts the row with
-- the record (an AFTER INSERT trigger would make every insert keep a statement journal, which
-- in a large transaction copies each already-dirty page per row: bulk loads ran 5x slower);
-- the triggers below follow updates, renames and deletions, which are rare. unicode61 with
-- remove_diacritics 2 folds case and accents and splits on punctuation, so "j.doe@acme.example"
-- is indexed as j, doe, acme, example. Prefix indexes of 2 and 3 characters keep short prefix
-- queries from merging thousands of term lists.
CREATE VIRTUAL TABLE contacts_fts USING fts5(
  first_name, last_name, email, company,
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');

-- Fires also when deleting a company clears company_id (foreign-key actions fire triggers).
CREATE TRIGGER contacts_fts_update
AFTER UPDATE OF first_name, last_name, email, company_id ON contacts
WHEN old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name
  OR old.email IS NOT new.email OR old.company_id IS NOT new.company_id
BEGIN
  UPDATE contacts_fts
  SET first_name = new.first_name, last_name = new.last_name, email = new.email,
      company = ifnull((SELECT name FROM companies WHERE id = new.company_id), '')
  WHERE rowid = new.id;
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts
BEGIN
  DELETE FROM contacts_fts WHERE rowid = old.id;
END;

CREATE VIRTUAL TABLE companies_fts USING fts5(
  name, domain, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');

CREATE TRIGGER companies_fts_update AFTER UPDATE OF name, domain ON companies
WHEN old.name IS NOT new.name OR old.domain IS NOT new.domain
BEGIN
  UPDATE companies_fts SET name = new.name, domain = new.domain WHERE rowid = new.id;
END;
CREATE TRIGGER companies_rename_contacts_fts AFTER UPDATE OF name ON companies
WHEN old.name IS NOT new.name
BEGIN
  UPDATE contacts_fts SET company = new.name
  WHERE rowid IN (SELECT id FROM contacts WHERE company_id = new.id);
END;
CREATE TRIGGER companies_fts_delete AFTER DELETE ON companies
BEGIN
  DELETE FROM companies_fts WHERE rowid = old.id;
END;

-- Row counts kept by the store on insert and delete (not by triggers, for the reason given
-- above): CountAll and the list planner's size estimate read one row instead of counting a
-- million.
CREATE TABLE row_counts (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO row_counts (name, value) VALUES ('contacts', 0), ('companies', 0);
