-- As SQLite's 0017: the funnel's period view reads every stage change of its period (who, from
-- which stage, to which, when); with those columns in the index on `at` the period is one range
-- walk of the index (an index-only scan once vacuum has marked the pages all-visible) instead
-- of a table row per change. It replaces the index on `at`, which every range query on `at`
-- still uses as before.
DROP INDEX stage_history_by_at;
CREATE INDEX stage_history_by_at ON stage_history (at, id) INCLUDE (contact_id, from_stage, to_stage);
