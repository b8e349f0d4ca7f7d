-- As SQLite's 0007: when each contact first reached each main-path stage (r0 visitor .. r6
-- customer), the first stage change into that stage or a later one, kept by a trigger on every
-- insert into the stage history (whatever path writes it, in the same transaction), so funnel
-- queries and the contacts list's reach filter are index range walks over one narrow row per
-- contact. LEAST ignores NULLs, which is exactly "the earlier of the two, or the one known".
CREATE TABLE contact_reach (
  contact_id BIGINT PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
  r0 BIGINT,
  r1 BIGINT,
  r2 BIGINT,
  r3 BIGINT,
  r4 BIGINT,
  r5 BIGINT,
  r6 BIGINT
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

CREATE FUNCTION tandem_stage_history_reach() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  k INT := CASE NEW.to_stage WHEN 'visitor' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2
                             WHEN 'sal' THEN 3 WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5
                             WHEN 'customer' THEN 6 END;
BEGIN
  INSERT INTO contact_reach AS r (contact_id, r0, r1, r2, r3, r4, r5, r6)
  VALUES (NEW.contact_id,
          CASE WHEN k >= 0 THEN NEW.at END, CASE WHEN k >= 1 THEN NEW.at END,
          CASE WHEN k >= 2 THEN NEW.at END, CASE WHEN k >= 3 THEN NEW.at END,
          CASE WHEN k >= 4 THEN NEW.at END, CASE WHEN k >= 5 THEN NEW.at END,
          CASE WHEN k >= 6 THEN NEW.at END)
  ON CONFLICT (contact_id) DO UPDATE SET
    r0 = LEAST(r.r0, excluded.r0), r1 = LEAST(r.r1, excluded.r1),
    r2 = LEAST(r.r2, excluded.r2), r3 = LEAST(r.r3, excluded.r3),
    r4 = LEAST(r.r4, excluded.r4), r5 = LEAST(r.r5, excluded.r5),
    r6 = LEAST(r.r6, excluded.r6);
  RETURN NULL;
END;
$$;
CREATE TRIGGER stage_history_reach AFTER INSERT ON stage_history
  FOR EACH ROW WHEN (NEW.to_stage NOT IN ('recycled', 'disqualified'))
  EXECUTE FUNCTION tandem_stage_history_reach();

-- Won deals by close time, for the measured deal size.
CREATE INDEX deals_by_stage_closed ON deals (stage, closed_at, id);
