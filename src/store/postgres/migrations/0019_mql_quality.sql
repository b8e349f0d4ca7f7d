-- As SQLite's 0019: a move into `mql` keeps the lead's grade and best persona at that moment
-- (NULL grade: not known yet, or recorded before this migration), and once known it never
-- changes (the append-only trigger of 0002 does not name these columns: they may be filled once).
ALTER TABLE stage_history ADD COLUMN mql_grade TEXT COLLATE "C"
  CHECK (mql_grade IS NULL OR mql_grade IN ('A', 'B', 'C', 'D'));
ALTER TABLE stage_history ADD COLUMN mql_persona_id BIGINT;

CREATE TRIGGER stage_history_mql_quality_once
  BEFORE UPDATE OF mql_grade, mql_persona_id ON stage_history
  FOR EACH ROW WHEN (OLD.mql_grade IS NOT NULL) EXECUTE FUNCTION tandem_append_only();

DROP INDEX stage_history_mql_by_at;
CREATE INDEX stage_history_mql_by_at ON stage_history (at, contact_id, id)
  INCLUDE (mql_grade, mql_persona_id) WHERE to_stage = 'mql';
