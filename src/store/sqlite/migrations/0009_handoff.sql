-- The handoff from marketing to sales (docs/handoff.md): assignments of MQLs to reps, the
-- routing state that makes round robin and weighted distribution continue across restarts,
-- reps' absences, SLA clocks per lead and obligation, and the escalation steps of breaches.

-- One row per routing decision stored, assigned or not (unassigned rows say why).
CREATE TABLE handoff_assignments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  owner_id INTEGER REFERENCES users (id),
  owner_email TEXT NOT NULL DEFAULT '',
  rule TEXT NOT NULL CHECK (rule IN ('account_owner', 'persona_owner', 'territory',
                                     'round_robin', 'weighted', 'least_loaded', 'unassigned')),
  code TEXT NOT NULL,
  text TEXT NOT NULL,
  contract_version_id INTEGER REFERENCES contract_versions (id),
  qualified_at INTEGER NOT NULL,
  assigned_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'rejected', 'reassigned',
                                         'unassigned', 'closed')),
  first_touch_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  ended_at INTEGER,
  reason TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  CHECK ((owner_id IS NULL) = (status = 'unassigned'))
);
CREATE INDEX handoff_assignments_by_contact ON handoff_assignments (contact_id, id);
CREATE INDEX handoff_assignments_by_time ON handoff_assignments (assigned_at, id);
-- A rep's open load (leads assigned and not yet accepted or rejected).
CREATE INDEX handoff_assignments_open_by_owner ON handoff_assignments (owner_id)
  WHERE status = 'open';

-- core::RoutingState, one row per pool ('*', 'team:Sales EMEA').
CREATE TABLE routing_pools (
  pool TEXT PRIMARY KEY,
  cursor INTEGER NOT NULL CHECK (cursor >= 0),
  smooth_weights TEXT NOT NULL DEFAULT ''  -- "email<TAB>weight" lines
) WITHOUT ROWID;

-- Days a rep takes no leads (inclusive civil dates in the contract's zone, "YYYY-MM-DD").
CREATE TABLE rep_absences (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  first_day TEXT NOT NULL,
  last_day TEXT NOT NULL CHECK (last_day >= first_day),
  PRIMARY KEY (user_id, first_day)
) WITHOUT ROWID;

CREATE TABLE sla_clocks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  assignment_id INTEGER NOT NULL REFERENCES handoff_assignments (id) ON DELETE CASCADE,
  owner_id INTEGER NOT NULL REFERENCES users (id),
  obligation TEXT NOT NULL CHECK (obligation IN ('first_touch', 'attempts', 'disposition')),
  contract_version_id INTEGER NOT NULL REFERENCES contract_versions (id),
  started_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  target INTEGER NOT NULL CHECK (target >= 1),
  progress INTEGER NOT NULL DEFAULT 0 CHECK (progress >= 0),
  met_at INTEGER,
  breached_at INTEGER,
  cancelled_at INTEGER,
  -- Derived from the three instants, kept as a column so the open-clock index is partial.
  state TEXT NOT NULL CHECK (state IN ('open', 'met', 'breached', 'cancelled'))
);
-- The scheduler's rebuild reads only open clocks, in due order, from this index alone.
CREATE INDEX sla_clocks_open_by_due ON sla_clocks (due_at, id) WHERE state = 'open';
CREATE INDEX sla_clocks_by_assignment ON sla_clocks (assignment_id, id);
CREATE INDEX sla_clocks_by_contact ON sla_clocks (contact_id, id);

CREATE TABLE sla_escalations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  clock_id INTEGER NOT NULL REFERENCES sla_clocks (id) ON DELETE CASCADE,
  step INTEGER NOT NULL CHECK (step >= 0),
  action TEXT NOT NULL CHECK (action IN ('notify_owner', 'reassign', 'notify_manager')),
  due_at INTEGER NOT NULL,
  done_at INTEGER,
  outcome TEXT NOT NULL DEFAULT '',
  UNIQUE (clock_id, step)
);
CREATE INDEX sla_escalations_pending_by_due ON sla_escalations (due_at, id)
  WHERE done_at IS NULL;
