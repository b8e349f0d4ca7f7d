-- SMART goals (docs/analytics.md): a metric, a target, a period (days, both included), an
-- optional scope by original source or campaign, the plan's stage rates and the owners.
CREATE TABLE goals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  metric TEXT NOT NULL CHECK (metric IN ('revenue', 'new_customers', 'mqls', 'sqls', 'sals',
                                         'opportunities', 'leads')),
  target INTEGER NOT NULL CHECK (target > 0),
  currency TEXT NOT NULL,
  from_day TEXT NOT NULL,
  to_day TEXT NOT NULL CHECK (to_day >= from_day),
  source TEXT,
  campaign TEXT,
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE TABLE goal_owners (
  goal_id INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id),
  PRIMARY KEY (goal_id, user_id)
);
CREATE TABLE goal_rates (
  goal_id INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
  step TEXT NOT NULL,
  rate REAL NOT NULL CHECK (rate > 0 AND rate <= 1),
  PRIMARY KEY (goal_id, step)
);
