-- SLA compliance (docs/handoff.md): marketing's MQLs of a period are the moves into `mql` of the
-- stage history. Read through stage_history_by_at they cost a table row per stage change of the
-- period (about a million in 90 days of the 1M-contact demo, 1.4 s of CPU); this partial index
-- holds only the moves into `mql`, in time order, with the contact: the read walks it alone
-- (docs/performance.md).
CREATE INDEX stage_history_mql_by_at ON stage_history (at, contact_id) WHERE to_stage = 'mql';
