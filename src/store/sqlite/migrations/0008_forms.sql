-- Web capture (docs/capture.md): form definitions and their fields, the submissions they
-- received with the consent given, and the tracker's site keys.
CREATE TABLE forms (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id TEXT NOT NULL UNIQUE CHECK (length(public_id) BETWEEN 16 AND 64),
  name TEXT NOT NULL,
  consent_text TEXT NOT NULL DEFAULT '',
  consent_required INTEGER NOT NULL DEFAULT 0 CHECK (consent_required IN (0, 1)),
  utm_source TEXT NOT NULL DEFAULT '',
  utm_medium TEXT NOT NULL DEFAULT '',
  utm_campaign TEXT NOT NULL DEFAULT '',
  -- One origin per line ("https://www.example.com") or the single line "*".
  allowed_origins TEXT NOT NULL DEFAULT '',
  redirect_url TEXT NOT NULL DEFAULT '',
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- A form's inputs in their order; replaced as a whole when the form changes.
CREATE TABLE form_fields (
  form_id INTEGER NOT NULL REFERENCES forms (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  property TEXT NOT NULL,
  required INTEGER NOT NULL CHECK (required IN (0, 1)),
  PRIMARY KEY (form_id, position)
) WITHOUT ROWID;

-- One row per accepted post. The consent is kept as it was shown (the form's text may change
-- later). Deleting a contact deletes its submissions; merging moves them (MoveRecords).
CREATE TABLE form_submissions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  form_id INTEGER NOT NULL REFERENCES forms (id),
  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  submitted_at INTEGER NOT NULL,
  consent_given INTEGER NOT NULL CHECK (consent_given IN (0, 1)),
  consent_text TEXT NOT NULL DEFAULT '',
  field_values TEXT NOT NULL DEFAULT ''
);
CREATE INDEX form_submissions_by_form ON form_submissions (form_id, id);
CREATE INDEX form_submissions_by_contact ON form_submissions (contact_id);

-- The tracker's public keys (data-key of /t.js): ingest-only, origin-restricted.
CREATE TABLE tracker_sites (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  public_key TEXT NOT NULL UNIQUE CHECK (length(public_key) BETWEEN 16 AND 64),
  name TEXT NOT NULL,
  allowed_origins TEXT NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
