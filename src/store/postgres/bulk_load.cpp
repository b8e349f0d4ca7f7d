#include "store/postgres/bulk_load.hpp"

#include <string>
#include <utility>
#include <vector>

#include "store/common/reach_sql.hpp"

namespace tandem::store::postgres {

namespace {

// The indexes bulk mode may drop and build again (`drop_indexes`): all of these tables' but
// the primary keys and unique ones (the email index stays live: FindByEmail(s) and the
// duplicate check need it).
constexpr const char* kDeferredIndexes =
    "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
    "JOIN pg_namespace n ON n.oid = t.relnamespace "
    "WHERE n.nspname = current_schema() AND "
    "t.relname IN ('contacts', 'stage_history', 'contact_reach') AND NOT i.indisprimary AND "
    "NOT i.indisunique ORDER BY c.relname";

// The reach rule over the stage changes written in bulk, merged into the rows already there:
// LEAST ignores NULLs, so each stage keeps the earlier time of the two, or the one known (as
// the trigger of migration 0007 does row by row).
const std::string kBuildReach = Connection::Placeholders(
    std::string(rows::kReachInsert) + std::string(rows::kReachSelect) +
    "FROM stage_history WHERE id > ? " + std::string(rows::kReachGroup) +
    "ON CONFLICT (contact_id) DO UPDATE SET "
    "r0 = LEAST(contact_reach.r0, excluded.r0), r1 = LEAST(contact_reach.r1, excluded.r1), "
    "r2 = LEAST(contact_reach.r2, excluded.r2), r3 = LEAST(contact_reach.r3, excluded.r3), "
    "r4 = LEAST(contact_reach.r4, excluded.r4), r5 = LEAST(contact_reach.r5, excluded.r5), "
    "r6 = LEAST(contact_reach.r6, excluded.r6)");

struct Index {
  std::string name;
  std::string definition;
};

Result<std::vector<Index>> DeferredIndexes(Connection& conn) {
  TANDEM_ASSIGN(auto stmt, conn.Prepare(kDeferredIndexes));
  std::vector<Index> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.Text(0), stmt.Text(1)});
  }
  return out;
}

std::string Quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// Sets the flag for its lifetime.
class BulkFlag {
 public:
  explicit BulkFlag(bool& flag) : flag_(flag) { flag_ = true; }
  ~BulkFlag() { flag_ = false; }
  BulkFlag(const BulkFlag&) = delete;
  BulkFlag& operator=(const BulkFlag&) = delete;

 private:
  bool& flag_;
};

}  // namespace

Result<void> RunBulk(BulkContext ctx, Tx& tx, const BulkStore::BulkFn& fn) {
  Connection& conn = ctx.conn;
  std::int64_t history_before = 0;
  {
    TANDEM_ASSIGN(auto stmt, conn.Prepare("SELECT coalesce(max(id), 0) FROM stage_history"));
    TANDEM_TRY(stmt.Step());
    history_before = stmt.Int(0);
  }
  TANDEM_TRY(
      conn.Exec("SET LOCAL maintenance_work_mem = '512MB'; SET LOCAL work_mem = '256MB'; "
                "ALTER TABLE stage_history DISABLE TRIGGER stage_history_reach"));
  std::vector<Index> indexes;
  if (ctx.drop_indexes) {
    TANDEM_ASSIGN(indexes, DeferredIndexes(conn));
    for (const Index& index : indexes) {
      TANDEM_TRY(conn.Exec("DROP INDEX " + Quoted(index.name)));
    }
  }

  {
    BulkFlag flag(ctx.bulk);
    BulkStore::StepFn step = [&](const TxFn& f) -> Result<void> {
      TANDEM_TRY(conn.Exec("SAVEPOINT bulk_step"));
      Result<void> r;
      try {
        r = f(tx);
      } catch (...) {
        ctx.event_months.clear();
        (void)conn.Exec("ROLLBACK TO SAVEPOINT bulk_step; RELEASE SAVEPOINT bulk_step");
        throw;
      }
      if (r) {
        TANDEM_TRY(conn.Exec("RELEASE SAVEPOINT bulk_step"));
        return r;
      }
      ctx.event_months.clear();  // a partition created in the step went with it
      TANDEM_TRY(conn.Exec("ROLLBACK TO SAVEPOINT bulk_step; RELEASE SAVEPOINT bulk_step"));
      return r;
    };
    TANDEM_TRY(fn(step));
  }

  {
    TANDEM_ASSIGN(auto stmt, conn.Prepare(kBuildReach));
    stmt.Bind(history_before);
    TANDEM_TRY(stmt.Run());
  }
  for (const Index& index : indexes) TANDEM_TRY(conn.Exec(index.definition));
  return conn.Exec(
      "ALTER TABLE stage_history ENABLE TRIGGER stage_history_reach; "
      "ANALYZE contacts; ANALYZE stage_history; ANALYZE contact_reach");
}

}  // namespace tandem::store::postgres
