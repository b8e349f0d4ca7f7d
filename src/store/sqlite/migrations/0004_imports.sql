-- Contact import jobs (CSV uploads run in the background) and their per-row report.
-- A job row is written when the upload is accepted and updated as the import advances, so any
-- server process can answer for it. Issues keep the first rows' problems in file order (the
-- app stops storing them past a cap but keeps counting).

CREATE TABLE import_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  file_name TEXT NOT NULL DEFAULT '',
  preset TEXT NOT NULL DEFAULT '',
  dry_run INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
  created_by INTEGER,  -- the user; no foreign key, like the audit log
  bytes_total INTEGER NOT NULL DEFAULT 0,
  bytes_done INTEGER NOT NULL DEFAULT 0,
  rows INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  warnings INTEGER NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER
);

CREATE TABLE import_issues (
  job_id INTEGER NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  row INTEGER NOT NULL,
  line INTEGER NOT NULL,
  column_name TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
  reason TEXT NOT NULL,
  PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
