-- SLA compliance counts marketing's quality share (MQLs graded A or B, MQLs matching a persona)
-- from the lead as it was handed over, not as it is scored now (docs/handoff.md). A move into
-- `mql` keeps the lead's grade and best persona at that moment. NULL grade: not known yet (the
-- contact had no score; it is filled when first scored) or a move recorded before this
-- migration (compliance then reads the current score).
ALTER TABLE stage_history ADD COLUMN mql_grade TEXT
  CHECK (mql_grade IS NULL OR mql_grade IN ('A', 'B', 'C', 'D'));
ALTER TABLE stage_history ADD COLUMN mql_persona_id INTEGER;

-- Once known, a quality is history: it never changes.
CREATE TRIGGER stage_history_mql_quality_once
BEFORE UPDATE OF mql_grade, mql_persona_id ON stage_history
WHEN OLD.mql_grade IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'stage_history is append-only');
END;

-- Compliance reads the MQLs of a period from this partial index alone: it now carries the
-- quality too.
DROP INDEX stage_history_mql_by_at;
CREATE INDEX stage_history_mql_by_at ON stage_history (at, contact_id, id, mql_grade,
                                                      mql_persona_id)
  WHERE to_stage = 'mql';
