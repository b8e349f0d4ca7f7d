// Bulk mode of the PostgreSQL store (BulkStore::WriteBulk; docs/postgres.md, "Bulk mode").
//
// Within the caller's open write transaction (the writer's advisory lock held), RunBulk:
//  * notes the stage history's highest id, raises maintenance_work_mem and work_mem for the
//    transaction (SET LOCAL: index builds and the reach rows' sort run in memory);
//  * turns the stage history's reach trigger off for the transaction (ALTER TABLE ... DISABLE
//    TRIGGER: a SHARE ROW EXCLUSIVE lock, which readers do not wait for);
//  * with `drop_indexes`, drops the deferred indexes (every index of contacts, stage_history and
//    contact_reach but the primary keys and the unique email index) and builds them again at the
//    end. DROP INDEX locks the table ACCESS EXCLUSIVE until the commit: readers of those tables
//    then wait for the whole call, so this is off unless asked (measured: docs/performance.md);
//  * sets the session's bulk flag while `fn` runs: ContactRepo::InsertMany and
//    StageHistoryRepo::AppendMany write by COPY (contact_repo.cpp, stage_history_repo.cpp);
//  * runs `fn` with steps (a savepoint each; a failed step is rolled back to it, and the
//    session's memory of event partitions is forgotten, since one created in it is gone);
//  * builds the reach rows of every stage change written after the noted id in one statement
//    (store/common/reach_sql.hpp's rule, merged into existing rows: earliest time per stage),
//    turns the trigger back on and ANALYZEs the three tables.
// Any failure returns its error; the caller rolls the whole transaction back (everything above,
// DDL included, is transactional on PostgreSQL).
#pragma once

#include <unordered_set>

#include "store/bulk.hpp"
#include "store/postgres/connection.hpp"

namespace tandem::store::postgres {

struct BulkContext {
  Connection& conn;
  bool& bulk;  // the session's flag, read by the repositories through TxContext::bulk
  std::unordered_set<std::int64_t>& event_months;
  bool drop_indexes = false;
};

Result<void> RunBulk(BulkContext ctx, Tx& tx, const BulkStore::BulkFn& fn);

}  // namespace tandem::store::postgres
