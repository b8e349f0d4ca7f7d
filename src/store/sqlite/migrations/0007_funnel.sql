-- When each contact first reached each main-path stage (r0 visitor .. r6 customer): the first
-- stage change into that stage or a later one. Kept by the stage-history append in the same
-- transaction, so funnel queries are index range walks over one narrow row per contact
-- instead of a GROUP BY over the whole history. Rebuilt here from the history.
CREATE TABLE contact_reach (
  contact_id INTEGER PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
  r0 INTEGER,
  r1 INTEGER,
  r2 INTEGER,
  r3 INTEGER,
  r4 INTEGER,
  r5 INTEGER,
  r6 INTEGER
);
INSERT INTO contact_reach (contact_id, r0, r1, r2, r3, r4, r5, r6)
SELECT contact_id,
       MIN(CASE WHEN to_stage IN ('visitor', 'lead', 'mql', 'sal', 'sql', 'opportunity',
                                  'customer') THEN at END),
       MIN(CASE WHEN to_stage IN ('lead', 'mql', 'sal', 'sql', 'opportunity', 'customer')
                THEN at END),
       MIN(CASE WHEN to_stage IN ('mql', 'sal', 'sql', 'opportunity', 'customer') THEN at END),
       MIN(CASE WHEN to_stage IN ('sal', 'sql', 'opportunity', 'customer') THEN at END),
       MIN(CASE WHEN to_stage IN ('sql', 'opportunity', 'customer') THEN at END),
       MIN(CASE WHEN to_stage IN ('opportunity', 'customer') THEN at END),
       MIN(CASE WHEN to_stage = 'customer' THEN at END)
FROM stage_history
GROUP BY contact_id
HAVING MIN(CASE WHEN to_stage NOT IN ('recycled', 'disqualified') THEN at END) IS NOT NULL;
CREATE INDEX contact_reach_r0 ON contact_reach (r0);
CREATE INDEX contact_reach_r1 ON contact_reach (r1);
CREATE INDEX contact_reach_r2 ON contact_reach (r2);
CREATE INDEX contact_reach_r3 ON contact_reach (r3);
CREATE INDEX contact_reach_r4 ON contact_reach (r4);
CREATE INDEX contact_reach_r5 ON contact_reach (r5);
CREATE INDEX contact_reach_r6 ON contact_reach (r6);
-- Won deals by close time, for the measured deal size.
CREATE INDEX deals_by_stage_closed ON deals (stage, closed_at);
