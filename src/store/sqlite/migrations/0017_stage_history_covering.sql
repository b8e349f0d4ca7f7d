-- The funnel's period view reads every stage change of its period (about a million a quarter
-- at 1,000,000 contacts): who, from which stage, to which, when. Through the index on `at`
-- alone each change cost a lookup of its table row; with the four columns in the index the
-- period is one range walk of the index (measured: 0.31 s of CPU instead of 1.5 s for 1.1M
-- changes). It replaces the index on `at`, which every range query on `at` still uses as before.
DROP INDEX stage_history_by_at;
CREATE INDEX stage_history_by_at ON stage_history (at, contact_id, from_stage, to_stage);
