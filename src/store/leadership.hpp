// Leadership: which of several `tandem serve` processes on one database runs the background
// work (the SLA scheduler, outbox delivery, session purges, re-score jobs, event retention and
// the weekly pack; docs/postgres.md, "Several app servers"). A capability some backends offer
// besides the Store interface, reached with SharedOf(store), as bulk mode is with BulkOf.
//
// A backend that several processes may share (PostgreSQL) hands out a LeaderLock: one lock per
// database, held by at most one process at a time, released by the database itself when its
// holder dies (the holder's session ends). A backend that is not shared (SQLite: one server per
// file, docs/deploy.md) has none: its only server always leads.
//
// The lock says who may lead; how long a holder that cannot confirm it keeps leading (its lease)
// is jobs::LeaderElector's business.
// Thread-safety: a LeaderLock is used by one thread at a time (the elector's).
#pragma once

#include <memory>

#include "store/store.hpp"

namespace tandem::store {

class LeaderLock {
 public:
  virtual ~LeaderLock() = default;
  // Takes the lock when no process holds it, or confirms this process still holds it. true:
  // this process holds it now; false: another process does. kUnavailable when the database
  // could not be asked or the session holding the lock was lost: the caller must act as if it
  // did not hold it (another process may take it at once). A later call connects again.
  virtual Result<bool> Hold() = 0;
  // Lets the lock go (another process may take it at once). Idempotent; never fails: a lock
  // that cannot be released explicitly goes with its session.
  virtual void Release() = 0;
};

class SharedStore {
 public:
  virtual ~SharedStore() = default;
  // A lock of its own (its own connection to the database, kept apart from the store's pool so
  // the store's transactions never wait for it). kUnavailable when the database is away.
  virtual Result<std::unique_ptr<LeaderLock>> OpenLeaderLock() = 0;
};

// The sharing capability of `store`, or null when its backend serves one process only.
inline SharedStore* SharedOf(Store& store) {
  return dynamic_cast<SharedStore*>(&store);
}

}  // namespace tandem::store
