-- As SQLite's 0014: feedback from sales (docs/analytics.md). A rep's disposition of an MQL is a
-- stage change out of `mql`; this partial index holds only those rows (a few percent of the
-- history), with what the feedback report reads, so a period's dispositions are one range walk
-- of a narrow index instead of a walk of every stage change in the period.
CREATE INDEX stage_history_from_mql ON stage_history (at, contact_id, id)
  INCLUDE (to_stage, cause, reason) WHERE from_stage = 'mql';
