// Consents, export, erasure and event retention on SQLite (migration 0018, docs/privacy.md):
// store/common/privacy_repo.hpp compiled here once, and what SQLite does its own way.
#include <sqlite3.h>

#include <memory>
#include <string>

#include "store/sqlite/repos.hpp"

namespace tandem::store::common {
template class PrivacyRepoOn<sqlite::Db>;
}  // namespace tandem::store::common

namespace tandem::store::sqlite {

using core::Error;
using core::Fail;
using core::ToMillis;

namespace {

// Reads with SQLite's own statement API: the columns are not known in advance (every column of
// the table, as stored), which the Stmt wrapper does not describe.
Result<core::RecordTable> ReadRows(Connection& conn, const std::string& table,
                                   const std::string& sql, Id contact_id) {
  core::RecordTable t;
  t.table = table;
  sqlite3* db = conn.handle();
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  if (rc != SQLITE_OK) return Fail(ErrorFromSqlite(db, rc, "reading " + t.table));
  sqlite3_bind_int64(raw, 1, contact_id);
  const int n = sqlite3_column_count(raw);
  for (int i = 0; i < n; ++i) t.columns.emplace_back(sqlite3_column_name(raw, i));
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    std::vector<core::StoredValue> values;
    values.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(raw, i)) {
        case SQLITE_NULL: values.emplace_back(std::monostate{}); break;
        case SQLITE_INTEGER: values.emplace_back(std::int64_t{sqlite3_column_int64(raw, i)}); break;
        case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(raw, i)); break;
        default: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, i));
          values.emplace_back(std::string(text == nullptr ? "" : text,
                                          static_cast<std::size_t>(sqlite3_column_bytes(raw, i))));
        }
      }
    }
    t.rows.push_back(std::move(values));
  }
  if (rc != SQLITE_DONE) return Fail(ErrorFromSqlite(db, rc, "reading " + t.table));
  return t;
}

}  // namespace

Result<core::RecordTable> SqlitePrivacyRepo::ReadTable(const std::string& table,
                                                       const std::string& sql, Id contact_id) {
  return ReadRows(db_.context().conn, table, sql, contact_id);
}

Result<void> SqlitePrivacyRepo::ForgetSearchWords(Id contact_id) {
  TANDEM_ASSIGN(auto stmt, db_.context().conn.Prepare("DELETE FROM contacts_fts WHERE rowid = ?"));
  stmt.Bind(contact_id);
  return stmt.Run();
}

Result<std::vector<std::string>> SqlitePrivacyRepo::TablesNamingContacts() {
  TANDEM_ASSIGN(auto stmt,
                db_.context().conn.Prepare("SELECT DISTINCT m.name FROM sqlite_schema m, "
                                           "pragma_table_info(m.name) p WHERE m.type = 'table' AND "
                                           "p.name = 'contact_id' ORDER BY m.name"));
  std::vector<std::string> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(stmt.Text(0));
  }
  return out;
}

Result<std::int64_t> SqlitePrivacyRepo::DeleteEventsBefore(core::Instant before, int limit) {
  if (limit < 1) return Fail(Error::Invalid("limit", "limit must be at least 1"));
  TANDEM_ASSIGN(auto stmt, db_.context().conn.Prepare(
                               "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE "
                               "occurred_at < ? ORDER BY occurred_at LIMIT ?)"));
  stmt.Bind(ToMillis(before)).Bind(limit);
  TANDEM_TRY(stmt.Run());
  return db_.context().conn.Changes();
}

}  // namespace tandem::store::sqlite
