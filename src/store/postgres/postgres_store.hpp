// The PostgreSQL backend of store::Store (docs/postgres.md): a pool of libpq connections to one
// database, the schema migrated on open.
//
// Opening: OpenPostgresStore connects `connections` times to `url`, applies the pending
// migrations of migrations/ on the first connection (under an advisory lock, so app servers
// starting together migrate once) and refreshes nothing else: PostgreSQL's autovacuum keeps the
// planner statistics. Errors: kInvalidArgument (field "url") for a URL libpq cannot parse,
// kUnavailable when the server cannot be reached or refuses the login, kFailedPrecondition when
// the schema is newer than this build.
//
// Transactions (the isolation levels, and why, are in docs/postgres.md):
//  * Write: READ COMMITTED, and first of all the transaction-level advisory lock
//    pg_advisory_xact_lock(kWriterLock): writers run one at a time across every process on the
//    database, exactly as SQLite's single writer, so every repository's read-then-write keeps
//    the meaning it has on SQLite. Commits when `fn` succeeds, rolls back on an error or an
//    exception (rethrown). A serialization failure or deadlock reported by the server (possible
//    only against writers that bypass Tandem) rolls back and runs `fn` again, up to 3 times.
//  * Read: REPEATABLE READ READ ONLY: one snapshot taken at the first statement and kept for the
//    whole call, never blocked by the writer; a write through it fails with kInternal.
// Lost connections: a connection found dropped when a transaction begins is reconnected and the
// transaction begun again (nothing ran yet); one lost during a transaction fails that call with
// kUnavailable (a write's outcome is then unknown, so it is not run again) and is reconnected
// when next used. While the server is away every call is kUnavailable; once it is back the
// store works again without being reopened. A repository not ported yet (its accessor throws
// store::NotPortedError) rolls the transaction back and answers kUnavailable naming it.
// Neither call may be nested inside another on the same thread.
//
// Timings: with `metrics` set, every transaction's duration is observed in the histogram
// tandem_db_seconds{kind="read"|"write"}, as on SQLite.
// Thread-safety: the Store is safe to use from any number of threads.
#pragma once

#include <memory>
#include <string>

#include "base/metrics.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

namespace tandem::store::postgres {

struct PostgresSettings {
  std::string url;                   // postgresql://user@host:port/database
  int connections = 4;               // at least 2: a reader never waits for the writer's one
  base::Metrics* metrics = nullptr;  // not owned; must outlive the store
  // Bulk mode (BulkStore::WriteBulk, which this store offers): drop the contacts' and stage
  // history's secondary indexes for the load and build them at the end. Readers of those tables
  // then wait for the whole load (DROP INDEX locks them), so it is off by default
  // (docs/postgres.md, "Bulk mode"; store/postgres/bulk_load.hpp).
  bool bulk_drop_indexes = false;
};

core::Result<std::unique_ptr<store::Store>> OpenPostgresStore(const PostgresSettings& settings);

}  // namespace tandem::store::postgres
