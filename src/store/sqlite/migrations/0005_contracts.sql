-- The smarketing contract: every activated version with its text and the acknowledgements of
-- the party heads. Append-only: versions are never updated or deleted (see store.hpp,
-- ContractRepo).
CREATE TABLE contract_versions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  text TEXT NOT NULL,
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  effective_at INTEGER NOT NULL,
  activated_at INTEGER NOT NULL,
  activated_by INTEGER REFERENCES users (id),
  activated_by_label TEXT NOT NULL
);
CREATE INDEX contract_versions_by_effective ON contract_versions (effective_at, id);

CREATE TABLE contract_acknowledgements (
  version_id INTEGER NOT NULL REFERENCES contract_versions (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  email TEXT NOT NULL,
  team TEXT NOT NULL,
  acknowledged_at INTEGER NOT NULL,
  PRIMARY KEY (version_id, user_id)
);
