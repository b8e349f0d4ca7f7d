-- As SQLite's 0006: a stage's queue and a rep's own contacts, sorted by name or by last update,
-- walk an index in order instead of collecting and sorting every match.
CREATE INDEX contacts_by_stage_last_name ON contacts (stage, last_name, id);
CREATE INDEX contacts_by_stage_updated ON contacts (stage, updated_at, id);
CREATE INDEX contacts_by_owner_last_name ON contacts (owner_id, last_name, id);
CREATE INDEX contacts_by_owner_updated ON contacts (owner_id, updated_at, id);
