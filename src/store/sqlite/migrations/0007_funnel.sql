-- When each contact first reached each main-path stage (r0 visitor .. r6 customer): the first
-- stage change into that stage or a later one. Kept by a trigger on every insert into the stage
-- history (whatever path writes it, in the same transaction), so funnel queries are index range walks over one narrow row per contact
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
CREATE TRIGGER stage_history_reach AFTER INSERT ON stage_history
WHEN NEW.to_stage NOT IN ('recycled', 'disqualified')
BEGIN
  INSERT INTO contact_reach (contact_id, r0, r1, r2, r3, r4, r5, r6)
  VALUES (NEW.contact_id,
    CASE WHEN (CASE NEW.to_stage WHEN 'visitor' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2 WHEN 'sal' THEN 3 WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5 WHEN 'customer' THEN 6 END) >= 0 THEN NEW.at END,
    CASE WHEN (CASE NEW.to_stage WHEN 'visitor' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2 WHEN 'sal' THEN 3 WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5 WHEN 'customer' THEN 6 END) >= 1 THEN NEW.at END,
    CASE WHEN (CASE NEW.to_stage WHEN 'visitor' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2 WHEN 'sal' THEN 3 WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5 WHEN 'customer' THEN 6 END) >= 2 THEN NEW.at END,
    CASE WHEN (CASE NEW.to_stage WHEN 'visitor' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2 WHEN 'sal' THEN 3 WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5 WHEN 'customer' THEN 6 END) >= 3 THEN NEW.at END,
    CASE WHEN (CASE NEW.to_stage WHEN 'visitor' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2 WHEN 'sal' THEN 3 WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5 WHEN 'customer' THEN 6 END) >= 4 THEN NEW.at END,
    CASE WHEN (CASE NEW.to_stage WHEN 'visitor' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2 WHEN 'sal' THEN 3 WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5 WHEN 'customer' THEN 6 END) >= 5 THEN NEW.at END,
    CASE WHEN (CASE NEW.to_stage WHEN 'visitor' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2 WHEN 'sal' THEN 3 WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5 WHEN 'customer' THEN 6 END) >= 6 THEN NEW.at END)
  ON CONFLICT (contact_id) DO UPDATE SET
    r0 = CASE WHEN excluded.r0 IS NOT NULL AND (r0 IS NULL OR excluded.r0 < r0) THEN excluded.r0 ELSE r0 END,
    r1 = CASE WHEN excluded.r1 IS NOT NULL AND (r1 IS NULL OR excluded.r1 < r1) THEN excluded.r1 ELSE r1 END,
    r2 = CASE WHEN excluded.r2 IS NOT NULL AND (r2 IS NULL OR excluded.r2 < r2) THEN excluded.r2 ELSE r2 END,
    r3 = CASE WHEN excluded.r3 IS NOT NULL AND (r3 IS NULL OR excluded.r3 < r3) THEN excluded.r3 ELSE r3 END,
    r4 = CASE WHEN excluded.r4 IS NOT NULL AND (r4 IS NULL OR excluded.r4 < r4) THEN excluded.r4 ELSE r4 END,
    r5 = CASE WHEN excluded.r5 IS NOT NULL AND (r5 IS NULL OR excluded.r5 < r5) THEN excluded.r5 ELSE r5 END,
    r6 = CASE WHEN excluded.r6 IS NOT NULL AND (r6 IS NULL OR excluded.r6 < r6) THEN excluded.r6 ELSE r6 END;
END;
-- Won deals by close time, for the measured deal size.
CREATE INDEX deals_by_stage_closed ON deals (stage, closed_at);
