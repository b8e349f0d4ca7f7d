// Consents, export, erasure and event retention on PostgreSQL (migration 0018, docs/privacy.md
// and docs/postgres.md): store/common/privacy_repo.hpp compiled here once, and what PostgreSQL
// does its own way: a result's columns described by libpq, the search vector emptied, the schema
// read from pg_catalog, and old events purged by dropping whole monthly partitions.
#include <charconv>
#include <string>

#include "store/postgres/repos.hpp"

namespace tandem::store::common {
template class PrivacyRepoOn<postgres::Db>;
}  // namespace tandem::store::common

namespace tandem::store::postgres {

using core::Error;
using core::Fail;
using core::ToMillis;

Result<core::RecordTable> PostgresPrivacyRepo::ReadTable(const std::string& table,
                                                         const std::string& sql, Id contact_id) {
  core::RecordTable t;
  t.table = table;
  TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
  stmt.Bind(contact_id);
  TANDEM_TRY(stmt.Run());
  const int n = stmt.ColumnCount();
  for (int i = 0; i < n; ++i) t.columns.push_back(stmt.ColumnName(i));
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    std::vector<core::StoredValue> values;
    values.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      if (stmt.IsNull(i)) {
        values.emplace_back(std::monostate{});
        continue;
      }
      switch (stmt.KindOf(i)) {
        case Stmt::ColumnKind::kInteger: values.emplace_back(stmt.Int(i)); break;
        case Stmt::ColumnKind::kReal: values.emplace_back(stmt.Real(i)); break;
        case Stmt::ColumnKind::kText: values.emplace_back(stmt.Text(i)); break;
      }
    }
    t.rows.push_back(std::move(values));
  }
  return t;
}

// The tombstone's row keeps no words: an empty vector (the list leaves erased contacts out
// anyway, and a company renamed later rewrites only the vectors of its contacts).
Result<void> PostgresPrivacyRepo::ForgetSearchWords(Id contact_id) {
  TANDEM_ASSIGN(auto stmt, db_.Prepare("UPDATE contacts SET search_words = '', "
                                       "search = ''::tsvector WHERE id = $1"));
  stmt.Bind(contact_id);
  return stmt.Run();
}

// The schema's own tables (not the partitions of events, which repeat its columns; not the
// session's temporary tables) with a contact_id column.
Result<std::vector<std::string>> PostgresPrivacyRepo::TablesNamingContacts() {
  TANDEM_ASSIGN(auto stmt, db_.Prepare("SELECT DISTINCT c.relname::text FROM pg_attribute a "
                                       "JOIN pg_class c ON c.oid = a.attrelid "
                                       "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                       "WHERE a.attname = 'contact_id' AND NOT a.attisdropped "
                                       "AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
                                       "AND n.nspname = current_schema() ORDER BY 1"));
  std::vector<std::string> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(stmt.Text(0));
  }
  return out;
}

// The fast path first: each monthly partition wholly before the cut-off is counted and dropped
// (a catalog change, however many rows it holds), oldest first, while fewer than `limit` events
// went; then a DELETE of the oldest rows left (the cut-off's own month and the default
// partition), up to what is left of `limit`. A call may so remove more than `limit` events (whole
// months), and one that removes fewer left none before the cut-off: the purge's loop
// (app/privacy.cpp) stops exactly when it is done.
Result<std::int64_t> PostgresPrivacyRepo::DeleteEventsBefore(core::Instant before, int limit) {
  if (limit < 1) return Fail(Error::Invalid("limit", "limit must be at least 1"));
  const std::int64_t cutoff = ToMillis(before);
  std::int64_t gone = 0;
  std::vector<std::pair<std::string, std::int64_t>> whole;  // name, first millisecond
  {
    // The partitions' bounds from their names (events_YYYY_MM, migration 0002's function).
    TANDEM_ASSIGN(
        auto stmt,
        db_.Prepare("SELECT name, lo FROM (SELECT c.relname::text AS name, "
                    "(extract(epoch FROM to_date(substr(c.relname, 8), 'YYYY_MM')::timestamp) "
                    "* 1000)::BIGINT AS lo, (extract(epoch FROM to_date(substr(c.relname, 8), "
                    "'YYYY_MM') + interval '1 month') * 1000)::BIGINT AS hi "
                    "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    "WHERE i.inhparent = 'events'::regclass "
                    "AND c.relname ~ '^events_[0-9]{4}_[0-9]{2}$') AS p "
                    "WHERE hi <= $1 ORDER BY lo"));
    stmt.Bind(cutoff);
    while (true) {
      TANDEM_ASSIGN(bool row, stmt.Step());
      if (!row) break;
      whole.emplace_back(stmt.Text(0), stmt.Int(1));
    }
  }
  for (const auto& [name, lo] : whole) {
    if (gone >= limit) break;
    // `name` matched ^events_[0-9]{4}_[0-9]{2}$ above: no quoting needed.
    TANDEM_ASSIGN(auto count, db_.Prepare("SELECT COUNT(*) FROM " + name));
    TANDEM_ASSIGN(bool row, count.Step());
    const std::int64_t rows = row ? count.Int(0) : 0;
    TANDEM_TRY(db_.context().conn.Exec("DROP TABLE " + name));
    // This session no longer has the month; other sessions that remember it send an event of
    // that month to the default partition (docs/postgres.md, "Events: retention").
    if (auto* months = db_.context().event_months) months->erase(EventMonth(core::FromMillis(lo)));
    gone += rows;
  }
  if (gone >= limit) return gone;
  TANDEM_ASSIGN(auto stmt, db_.Prepare("DELETE FROM events WHERE (occurred_at, id) IN "
                                       "(SELECT occurred_at, id FROM events WHERE "
                                       "occurred_at < $1 ORDER BY occurred_at LIMIT $2)"));
  stmt.Bind(cutoff).Bind(limit - gone);
  TANDEM_TRY(stmt.Run());
  return gone + stmt.Affected();
}

}  // namespace tandem::store::postgres
