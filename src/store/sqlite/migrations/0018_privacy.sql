-- Privacy (docs/privacy.md): consent per contact, and the mark of an erased contact.
--
-- An erased contact keeps its row as an anonymous tombstone (personal fields emptied, email
-- replaced by erased-<id>@erased.invalid) so its stage history, deals and reach still count in
-- the funnel and the reports; erased_at marks it, and the contact lists leave it out.
ALTER TABLE contacts ADD COLUMN erased_at INTEGER;

-- One row per consent given; a withdrawal stamps the row. `source` says where it came from:
-- a form post (form_id, submission_id), a CSV import (import_job_id, import_row), or a user
-- (recorded_by) through the API or the dashboard. Merging contacts moves the rows; erasing
-- deletes them.
CREATE TABLE consents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 200),
  text TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL CHECK (source IN ('form', 'import', 'api', 'user')),
  form_id INTEGER,
  submission_id INTEGER,
  import_job_id INTEGER,
  import_row INTEGER,
  recorded_by INTEGER,
  given_at INTEGER NOT NULL,
  withdrawn_at INTEGER,
  withdrawn_by INTEGER
);
CREATE INDEX consents_by_contact ON consents (contact_id, id);

-- What an export and an erasure find by contact: the outbox messages and in-app notifications
-- naming a contact (partial: system messages name none).
CREATE INDEX outbox_by_contact ON outbox (contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX notifications_by_contact ON notifications (contact_id) WHERE contact_id IS NOT NULL;
