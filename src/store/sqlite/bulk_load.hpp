// Bulk mode of the SQLite store (Store::WriteBulk): what changes for the duration of one bulk
// transaction, and how the deferred structures are built at its end. Internal to the backend.
//
// Within the caller's open write transaction, RunBulk:
//  1. notes the highest contact and stage-history ids;
//  2. drops the secondary indexes of contacts (all but the unique contacts_by_email, which
//     the importer's lookups and the uniqueness rule need), of stage_history and of
//     contact_reach, and the trigger stage_history_reach, keeping their SQL from sqlite_master;
//  3. runs `fn` with the session's bulk flag set (new contacts get no search row), each step
//     in a savepoint;
//  4. builds, once and in id order: the search rows of the new contacts (one INSERT ... SELECT
//     over contacts and companies), the reach rows from the new stage-history rows (the
//     trigger's rule, merged into existing rows), then every dropped index and the trigger
//     from their kept SQL (SQLite sorts each index once, with `PRAGMA threads` helper
//     threads), and refreshes the planner statistics of the three tables.
// All of it is DDL and DML in one transaction: a rollback (an error, a crash) restores the
// indexes and the trigger with the data, and readers keep their snapshot throughout.
// Thread-safety: as the connection's.
#pragma once

#include "store/bulk.hpp"
#include "store/sqlite/connection.hpp"

namespace tandem::store::sqlite {

// Runs `fn` in bulk mode inside the open transaction of `conn`; `tx` is the session's Tx and
// `bulk` its flag (set only during `fn`). On an error the caller rolls the transaction back.
Result<void> RunBulk(Connection& conn, bool& bulk, Tx& tx, const BulkStore::BulkFn& fn);

}  // namespace tandem::store::sqlite
