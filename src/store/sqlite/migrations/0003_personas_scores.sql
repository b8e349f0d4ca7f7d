-- Personas, scoring rules, contact scores and re-score jobs (docs/scoring.md).
--
-- A persona is never deleted (archiving is a new version). Every version is kept whole in
-- persona_versions and persona_criteria, so a sign-off names exactly what was signed.
-- Criterion values are stored one per line (core refuses control characters in them).

CREATE TABLE personas (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX personas_by_key ON personas (key);

CREATE TABLE persona_versions (
  persona_id INTEGER NOT NULL REFERENCES personas (id),
  version INTEGER NOT NULL CHECK (version >= 1),
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  archived INTEGER NOT NULL CHECK (archived IN (0, 1)),
  changed_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  changed_at INTEGER NOT NULL,
  PRIMARY KEY (persona_id, version)
) WITHOUT ROWID;

CREATE TABLE persona_criteria (
  persona_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  position INTEGER NOT NULL,
  property TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('equals', 'one_of', 'range', 'contains', 'pattern')),
  vals TEXT NOT NULL DEFAULT '',
  min_value REAL,
  max_value REAL,
  weight INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 100),
  PRIMARY KEY (persona_id, version, position),
  FOREIGN KEY (persona_id, version) REFERENCES persona_versions (persona_id, version)
) WITHOUT ROWID;

CREATE TABLE persona_signoffs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  persona_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  user_email TEXT NOT NULL,
  capacity TEXT NOT NULL CHECK (capacity IN ('head_of_marketing', 'head_of_sales')),
  note TEXT NOT NULL DEFAULT '',
  signed_at INTEGER NOT NULL,
  FOREIGN KEY (persona_id, version) REFERENCES persona_versions (persona_id, version)
);
CREATE UNIQUE INDEX persona_signoffs_once ON persona_signoffs (persona_id, version, capacity);

-- Rule sets are append-only: the newest version is the one in force.
CREATE TABLE scoring_rule_sets (
  version INTEGER PRIMARY KEY,
  half_life_days REAL NOT NULL,
  competitor_domains TEXT NOT NULL DEFAULT '',
  competitor_penalty INTEGER NOT NULL,
  personal_email_domains TEXT NOT NULL DEFAULT '',
  personal_email_penalty INTEGER NOT NULL,
  grade_a INTEGER NOT NULL,
  grade_b INTEGER NOT NULL,
  grade_c INTEGER NOT NULL,
  mql_kind TEXT NOT NULL CHECK (mql_kind IN ('expression', 'matrix')),
  mql_expression TEXT NOT NULL DEFAULT '',
  mql_matrix_a REAL,
  mql_matrix_b REAL,
  mql_matrix_c REAL,
  mql_matrix_d REAL,
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE scoring_event_rules (
  version INTEGER NOT NULL REFERENCES scoring_rule_sets (version),
  position INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  points REAL NOT NULL,
  cap REAL NOT NULL,
  cap_period_hours INTEGER NOT NULL,
  PRIMARY KEY (version, position)
) WITHOUT ROWID;

-- One row, bumped by every change of rules or personas (caches of compiled rules compare it).
CREATE TABLE scoring_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL
);
INSERT INTO scoring_generation (id, generation) VALUES (1, 0);

CREATE TABLE contact_scores (
  contact_id INTEGER PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
  fit INTEGER NOT NULL CHECK (fit BETWEEN 0 AND 100),
  grade TEXT NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
  persona_id INTEGER REFERENCES personas (id),
  engagement REAL NOT NULL,
  engagement_at INTEGER NOT NULL,
  caps TEXT NOT NULL DEFAULT '',
  rules_version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE scoring_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'superseded')),
  reason TEXT NOT NULL,
  total INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  cursor INTEGER NOT NULL DEFAULT 0,
  qualified INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  created_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX scoring_jobs_pending ON scoring_jobs (id) WHERE status IN ('queued', 'running');
