-- As SQLite's 0013: the moves into `mql` of the stage history, in time order, with the contact,
-- so SLA compliance's MQLs of a period are read from this partial index alone.
CREATE INDEX stage_history_mql_by_at ON stage_history (at, contact_id, id) WHERE to_stage = 'mql';
