-- As SQLite's 0020: the contacts list's move filter (`moved_out=`) asks for the stage changes
-- of a period from some stages to others; by (from, to, at) that is one range seek per pair of
-- stages instead of a walk of every change of the period.
CREATE INDEX stage_history_moves ON stage_history (from_stage, to_stage, at) INCLUDE (contact_id);
