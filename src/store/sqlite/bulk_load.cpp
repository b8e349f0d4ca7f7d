#include "store/sqlite/bulk_load.hpp"

#include <string>
#include <utility>
#include <vector>

#include "store/common/reach_sql.hpp"

namespace tandem::store::sqlite {

namespace {

// What bulk mode drops and builds again: every index of these tables that has SQL (not the
// automatic ones of primary keys), except the unique email index.
constexpr const char* kDeferredIndexes =
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
    "tbl_name IN ('contacts', 'stage_history', 'contact_reach') AND "
    "name <> 'contacts_by_email' ORDER BY name";
// The trigger keeping contact_reach (migration 0007); its work is done once at the end.
constexpr const char* kReachTrigger =
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name = "
    "'stage_history_reach'";

// The reach rule of migration 0007's trigger over a set of new stage-history rows, merged
// into the rows already there (earliest time per stage wins).
const std::string kBuildReach =
    std::string(rows::kReachInsert) + std::string(rows::kReachSelect) +
    "FROM stage_history WHERE id > ? " + std::string(rows::kReachGroup) +
    "ON CONFLICT (contact_id) DO UPDATE SET "
    "r0 = CASE WHEN excluded.r0 IS NOT NULL AND (r0 IS NULL OR excluded.r0 < r0) "
    "THEN excluded.r0 ELSE r0 END, "
    "r1 = CASE WHEN excluded.r1 IS NOT NULL AND (r1 IS NULL OR excluded.r1 < r1) "
    "THEN excluded.r1 ELSE r1 END, "
    "r2 = CASE WHEN excluded.r2 IS NOT NULL AND (r2 IS NULL OR excluded.r2 < r2) "
    "THEN excluded.r2 ELSE r2 END, "
    "r3 = CASE WHEN excluded.r3 IS NOT NULL AND (r3 IS NULL OR excluded.r3 < r3) "
    "THEN excluded.r3 ELSE r3 END, "
    "r4 = CASE WHEN excluded.r4 IS NOT NULL AND (r4 IS NULL OR excluded.r4 < r4) "
    "THEN excluded.r4 ELSE r4 END, "
    "r5 = CASE WHEN excluded.r5 IS NOT NULL AND (r5 IS NULL OR excluded.r5 < r5) "
    "THEN excluded.r5 ELSE r5 END, "
    "r6 = CASE WHEN excluded.r6 IS NOT NULL AND (r6 IS NULL OR excluded.r6 < r6) "
    "THEN excluded.r6 ELSE r6 END";

constexpr const char* kBuildSearch =
    "INSERT INTO contacts_fts (rowid, first_name, last_name, email, company) "
    "SELECT c.id, c.first_name, c.last_name, c.email, ifnull(co.name, '') "
    "FROM contacts c LEFT JOIN companies co ON co.id = c.company_id WHERE c.id > ? ORDER BY c.id";

// The page cache while in bulk mode: 1 GiB (a negative cache_size counts KiB).
constexpr std::int64_t kBulkCacheKib = -1024 * 1024;

struct SchemaObject {
  std::string name;
  std::string sql;
};

Result<std::vector<SchemaObject>> Objects(Connection& conn, const char* query) {
  TANDEM_ASSIGN(auto stmt, conn.Prepare(query));
  std::vector<SchemaObject> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.Text(0), stmt.Text(1)});
  }
  return out;
}

Result<std::int64_t> MaxId(Connection& conn, const char* query) {
  TANDEM_ASSIGN(auto stmt, conn.Prepare(query));
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

Result<void> RunWith(Connection& conn, const char* sql, std::int64_t after) {
  TANDEM_ASSIGN(auto stmt, conn.Prepare(sql));
  stmt.Bind(after);
  return stmt.Run();
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

// Puts the connection's page cache size back, whatever way the bulk call ends.
class CacheSize {
 public:
  CacheSize(Connection& conn, std::int64_t kept) : conn_(conn), kept_(kept) {}
  ~CacheSize() { (void)conn_.Exec(("PRAGMA cache_size = " + std::to_string(kept_)).c_str()); }
  CacheSize(const CacheSize&) = delete;
  CacheSize& operator=(const CacheSize&) = delete;

 private:
  Connection& conn_;
  std::int64_t kept_;
};

}  // namespace

Result<void> RunBulk(Connection& conn, bool& bulk, Tx& tx, const BulkStore::BulkFn& fn) {
  TANDEM_ASSIGN(const std::int64_t contacts_before,
                MaxId(conn, "SELECT ifnull(max(id), 0) FROM contacts"));
  TANDEM_ASSIGN(const std::int64_t history_before,
                MaxId(conn, "SELECT ifnull(max(id), 0) FROM stage_history"));
  TANDEM_ASSIGN(auto indexes, Objects(conn, kDeferredIndexes));
  TANDEM_ASSIGN(auto triggers, Objects(conn, kReachTrigger));
  // A million new rows and their email index do not fit the writer's usual cache; a dirty page
  // that spills is written to the WAL and read back. The setting is put back at the end.
  TANDEM_ASSIGN(const std::int64_t cache, MaxId(conn, "PRAGMA cache_size"));
  CacheSize restore(conn, cache);
  TANDEM_TRY(conn.Exec(("PRAGMA cache_size = " + std::to_string(kBulkCacheKib)).c_str()));
  for (const auto& index : indexes) {
    TANDEM_TRY(conn.Exec(("DROP INDEX \"" + index.name + "\"").c_str()));
  }
  for (const auto& trigger : triggers) {
    TANDEM_TRY(conn.Exec(("DROP TRIGGER \"" + trigger.name + "\"").c_str()));
  }

  {
    BulkFlag flag(bulk);
    BulkStore::StepFn step = [&](const TxFn& f) -> Result<void> {
      TANDEM_TRY(conn.Exec("SAVEPOINT bulk_step"));
      Result<void> r;
      try {
        r = f(tx);
      } catch (...) {
        (void)conn.Exec("ROLLBACK TO bulk_step; RELEASE bulk_step");
        throw;
      }
      if (r) {
        TANDEM_TRY(conn.Exec("RELEASE bulk_step"));
        return r;
      }
      TANDEM_TRY(conn.Exec("ROLLBACK TO bulk_step; RELEASE bulk_step"));
      return r;
    };
    TANDEM_TRY(fn(step));
  }

  TANDEM_TRY(RunWith(conn, kBuildSearch, contacts_before));
  TANDEM_TRY(RunWith(conn, kBuildReach.c_str(), history_before));
  // Index builds sort with helper threads; the setting is per connection, so it is put back.
  TANDEM_TRY(conn.Exec("PRAGMA threads = 2"));
  Result<void> built;
  for (const auto& index : indexes) {
    built = conn.Exec(index.sql.c_str());
    if (!built) break;
  }
  (void)conn.Exec("PRAGMA threads = 0");
  TANDEM_TRY(built);
  for (const auto& trigger : triggers) TANDEM_TRY(conn.Exec(trigger.sql.c_str()));
  return conn.Exec("ANALYZE contacts; ANALYZE stage_history; ANALYZE contact_reach");
}

}  // namespace tandem::store::sqlite
