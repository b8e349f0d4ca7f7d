#include "store/postgres/table_target.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <unordered_set>

#include "core/time.hpp"
#include "store/common/reach_sql.hpp"
#include "store/common/text_search.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/copy_rows.hpp"
#include "store/postgres/migrations.hpp"
#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::Error;
using core::Fail;

namespace {

// Tables the migrations fill: their rows are replaced, and they do not make a target non-empty.
const std::set<std::string> kSeeded = {"row_counts", "scoring_generation"};
// Columns the store derives from others (docs/postgres.md, "Text search").
const std::map<std::string, std::set<std::string>> kDerivedColumns = {
    {"contacts", {"search", "search_words"}}, {"companies", {"search"}}};
constexpr const char* kReachTable = "contact_reach";
constexpr std::size_t kFlushBytes = 4 << 20;

std::string Quote(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string ColumnList(const std::vector<std::string>& columns) {
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) out += (i ? ", " : "") + Quote(columns[i]);
  return out;
}

void AppendCopyValue(std::string& out, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) {
    out += "\\N";
  } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
    out += std::to_string(*i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);  // shortest exact form
    out.append(buf, end);
  } else {
    AppendCopyText(out, std::get<std::string>(v));
  }
}

// A tsvector's input form of `words` (each quoted, ' doubled, \ escaped): the same vector as
// the repositories' array_to_tsvector of the same words.
std::string TsVectorText(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (w.empty() || w.size() > kMaxLexemeBytes) continue;
    if (!out.empty()) out += ' ';
    out += '\'';
    for (char c : w) {
      if (c == '\'') out += '\'';
      if (c == '\\') out += '\\';
      out += c;
    }
    out += '\'';
  }
  return out;
}

std::string TextOf(const Value& v) {
  const auto* s = std::get_if<std::string>(&v);
  return s ? *s : std::string();
}

int IndexOf(const std::vector<std::string>& columns, std::string_view name) {
  auto it = std::find(columns.begin(), columns.end(), name);
  return it == columns.end() ? -1 : static_cast<int>(it - columns.begin());
}

struct PgResult {
  pg_result* r;
  ~PgResult() {
    if (r) PQclear(r);
  }
};

class PostgresTableTarget;

class CopySink final : public RowSink {
 public:
  // `rebuild`: the statements creating the table's secondary indexes, run by Finish.
  CopySink(PostgresTableTarget& target, std::string table, std::vector<std::string> columns,
           std::vector<std::string> rebuild);
  Result<void> Add(const Row& row) override;
  Result<void> Finish() override;

 private:
  Result<void> Flush();

  PostgresTableTarget& target_;
  std::string table_;
  std::vector<std::string> columns_;
  std::string copy_sql_;
  std::string buffer_;
  std::vector<std::string> rebuild_;
  std::vector<core::Instant> instants_;  // events: the occurred_at of the buffered rows
  int occurred_at_ = -1, id_ = -1, name_ = -1, domain_ = -1, first_name_ = -1, last_name_ = -1,
      email_ = -1, company_id_ = -1;
};

class PostgresTableTarget final : public TableTarget {
 public:
  PostgresTableTarget(std::unique_ptr<Connection> conn, std::unique_ptr<WordTokenizer> words)
      : conn_(std::move(conn)), words_(std::move(words)) {}

  Result<std::vector<TableInfo>> Tables() override {
    TANDEM_ASSIGN(auto list,
                  conn_->Prepare("SELECT c.oid, c.relname FROM pg_class c "
                                 "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                 "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
                                 "AND NOT c.relispartition AND c.relname <> 'schema_migrations' "
                                 "ORDER BY c.relname"));
    std::vector<std::pair<std::int64_t, std::string>> tables;
    while (true) {
      TANDEM_ASSIGN(bool row, list.Step());
      if (!row) break;
      tables.emplace_back(list.Int(0), list.Text(1));
    }
    std::vector<TableInfo> out;
    for (auto& [oid, name] : tables) {
      TANDEM_ASSIGN(auto info, Describe(oid, name));
      out.push_back(std::move(info));
    }
    return out;
  }

  Result<void> Scan(const std::string& table, const std::vector<std::string>& columns,
                    const std::vector<std::string>& key, const RowFn& fn) override {
    std::string sql = "DECLARE tandem_scan NO SCROLL CURSOR FOR SELECT " + ColumnList(columns) +
                      " FROM " + Quote(table);
    if (!key.empty()) sql += " ORDER BY " + ColumnList(key);
    TANDEM_TRY(conn_->Exec(sql));
    Row row(columns.size());
    while (true) {
      PgResult res{PQexec(conn_->handle(), "FETCH 10000 FROM tandem_scan")};
      if (res.r == nullptr || PQresultStatus(res.r) != PGRES_TUPLES_OK) {
        return Fail(ErrorFromPostgres(conn_->handle(), res.r, "reading " + table));
      }
      const int rows = PQntuples(res.r);
      if (rows == 0) break;
      const int n = PQnfields(res.r);
      for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < n; ++c) {
          if (PQgetisnull(res.r, r, c)) {
            row[c] = std::monostate{};
            continue;
          }
          const char* text = PQgetvalue(res.r, r, c);
          const int len = PQgetlength(res.r, r, c);
          switch (PQftype(res.r, c)) {
            case 20:  // bigint
            case 21:  // smallint
            case 23:  // integer
            {
              std::int64_t v = 0;
              std::from_chars(text, text + len, v);
              row[c] = v;
              break;
            }
            case 700:  // real
            case 701:  // double precision
            {
              double v = 0;
              std::from_chars(text, text + len, v);
              row[c] = v;
              break;
            }
            default: row[c] = std::string(text, static_cast<std::size_t>(len));
          }
        }
        TANDEM_TRY(fn(row));
      }
    }
    return conn_->Exec("CLOSE tandem_scan");
  }

  Result<std::optional<std::string>> NonEmptyTable() override {
    TANDEM_ASSIGN(auto tables, Tables());
    for (const TableInfo& t : tables) {
      if (kSeeded.count(t.name) > 0) continue;
      TANDEM_ASSIGN(auto stmt,
                    conn_->Prepare("SELECT EXISTS (SELECT 1 FROM " + Quote(t.name) + ")"));
      TANDEM_TRY(stmt.Step());
      if (stmt.TextView(0) == "t") return std::optional<std::string>(t.name);
    }
    return std::optional<std::string>();
  }

  Result<void> Begin(bool read_only) override {
    if (read_only) return conn_->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // The store's writer lock (postgres_store.cpp): no app server writes while data moves in.
    // More memory for the index builds after each table (the transaction's own setting).
    return conn_->Exec(
        "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(7809644331890455156); "
        "SET LOCAL maintenance_work_mem = '256MB'");
  }

  Result<void> Commit() override {
    TANDEM_TRY(conn_->Exec("COMMIT"));
    return conn_->Exec("ANALYZE");
  }

  Result<void> Rollback() override {
    event_months_.clear();
    company_names_.clear();
    return conn_->Exec("ROLLBACK");
  }

  Result<std::unique_ptr<RowSink>> Write(const std::string& table,
                                         const std::vector<std::string>& columns) override {
    if (kSeeded.count(table) > 0) TANDEM_TRY(conn_->Exec("DELETE FROM " + Quote(table)));
    if (table == "stage_history") {
      // contact_reach is built once from the whole history in Finish, not row by row.
      TANDEM_TRY(conn_->Exec("ALTER TABLE stage_history DISABLE TRIGGER stage_history_reach"));
      build_reach_ = true;
    }
    // Secondary indexes are dropped and built again once the rows are in: one sort per index
    // instead of an insertion per row and index (docs/postgres.md, "Moving a company").
    TANDEM_ASSIGN(auto rebuild, DropSecondaryIndexes(table));
    return std::unique_ptr<RowSink>(new CopySink(*this, table, columns, std::move(rebuild)));
  }

  Result<void> Update(const std::string& table, const std::vector<std::string>& key,
                      const Row& key_values, const std::string& column,
                      const Value& value) override {
    std::string sql = "UPDATE " + Quote(table) + " SET " + Quote(column) + " = $1";
    for (std::size_t i = 0; i < key.size(); ++i) {
      sql += (i ? " AND " : " WHERE ") + Quote(key[i]) + " = $" + std::to_string(i + 2);
    }
    TANDEM_ASSIGN(auto stmt, conn_->Prepare(sql));
    BindValue(stmt, value);
    for (const Value& v : key_values) BindValue(stmt, v);
    TANDEM_TRY(stmt.Run());
    if (stmt.Affected() != 1) {
      return Fail(Error::Internal("setting " + table + "." + column + ": no such row"));
    }
    return {};
  }

  Result<void> Finish(const std::map<std::string, std::int64_t>& highest_ids) override {
    if (build_reach_) {
      TANDEM_ASSIGN(auto rebuild, DropSecondaryIndexes(kReachTable));
      TANDEM_TRY(conn_->Exec(std::string(rows::kReachInsert) + std::string(rows::kReachSelect) +
                             "FROM stage_history " + std::string(rows::kReachGroup)));
      for (const std::string& index : rebuild) TANDEM_TRY(conn_->Exec(index));
      TANDEM_TRY(conn_->Exec("ALTER TABLE stage_history ENABLE TRIGGER stage_history_reach"));
      build_reach_ = false;
    }
    TANDEM_ASSIGN(auto ids,
                  conn_->Prepare("SELECT c.relname, a.attname FROM pg_attribute a "
                                 "JOIN pg_class c ON c.oid = a.attrelid "
                                 "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                 "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
                                 "AND NOT c.relispartition AND a.attidentity <> '' "
                                 "AND NOT a.attisdropped ORDER BY c.relname"));
    std::vector<std::pair<std::string, std::string>> identities;
    while (true) {
      TANDEM_ASSIGN(bool row, ids.Step());
      if (!row) break;
      identities.emplace_back(ids.Text(0), ids.Text(1));
    }
    for (auto& [table, column] : identities) {
      TANDEM_ASSIGN(auto max,
                    conn_->Prepare("SELECT max(" + Quote(column) + ") FROM " + Quote(table)));
      TANDEM_TRY(max.Step());
      std::int64_t highest = max.IsNull(0) ? 0 : max.Int(0);
      if (auto it = highest_ids.find(table); it != highest_ids.end()) {
        highest = std::max(highest, it->second);
      }
      if (highest < 1) continue;
      TANDEM_ASSIGN(auto set, conn_->Prepare("SELECT setval(pg_get_serial_sequence($1, $2), $3)"));
      set.Bind(Quote(table)).Bind(column).Bind(highest);
      TANDEM_TRY(set.Run());
    }
    return {};
  }

  Connection& conn() { return *conn_; }
  const WordTokenizer& words() const { return *words_; }
  std::unordered_set<std::int64_t>& event_months() { return event_months_; }
  std::map<std::int64_t, std::string>& company_names() { return company_names_; }

 private:
  static void BindValue(Stmt& stmt, const Value& v) {
    if (std::holds_alternative<std::monostate>(v)) {
      stmt.BindNull();
    } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
      stmt.Bind(*i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      stmt.BindReal(*d);
    } else {
      stmt.Bind(std::get<std::string>(v));
    }
  }

  // Drops the secondary indexes of `table` (not its primary key or unique constraints); the
  // statements that build them again.
  Result<std::vector<std::string>> DropSecondaryIndexes(const std::string& table) {
    TANDEM_ASSIGN(auto indexes,
                  conn_->Prepare("SELECT c.relname, pg_get_indexdef(i.indexrelid) "
                                 "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                                 "JOIN pg_class t ON t.oid = i.indrelid "
                                 "JOIN pg_namespace n ON n.oid = t.relnamespace "
                                 "WHERE n.nspname = current_schema() AND t.relname = $1 "
                                 "AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM "
                                 "pg_constraint k WHERE k.conindid = i.indexrelid) "
                                 "ORDER BY c.relname"));
    indexes.Bind(table);
    std::vector<std::pair<std::string, std::string>> found;
    while (true) {
      TANDEM_ASSIGN(bool row, indexes.Step());
      if (!row) break;
      found.emplace_back(indexes.Text(0), indexes.Text(1));
    }
    std::vector<std::string> rebuild;
    for (auto& [name, definition] : found) {
      // A partitioned table's index is defined `ON ONLY` the parent; built again it must cover
      // every partition.
      if (auto at = definition.find(" ON ONLY "); at != std::string::npos) {
        definition.replace(at, 9, " ON ");
      }
      TANDEM_TRY(conn_->Exec("DROP INDEX " + Quote(name)));
      rebuild.push_back(std::move(definition));
    }
    return rebuild;
  }

  Result<TableInfo> Describe(std::int64_t oid, const std::string& name) {
    TableInfo info;
    info.name = name;
    info.derived = name == kReachTable;
    const auto derived = kDerivedColumns.find(name);
    TANDEM_ASSIGN(auto cols, conn_->Prepare("SELECT attname, attnotnull FROM pg_attribute "
                                            "WHERE attrelid = $1 AND attnum > 0 "
                                            "AND NOT attisdropped ORDER BY attnum"));
    cols.Bind(oid);
    std::map<std::string, bool> not_null;
    while (true) {
      TANDEM_ASSIGN(bool row, cols.Step());
      if (!row) break;
      std::string column = cols.Text(0);
      not_null[column] = cols.TextView(1) == "t";
      if (derived != kDerivedColumns.end() && derived->second.count(column) > 0) continue;
      info.columns.push_back(std::move(column));
    }
    TANDEM_ASSIGN(
        auto pk,
        conn_->Prepare("SELECT a.attname FROM pg_index i "
                       "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
                       "JOIN pg_attribute a ON a.attrelid = i.indrelid "
                       "AND a.attnum = k.attnum "
                       "WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.n"));
    pk.Bind(oid);
    while (true) {
      TANDEM_ASSIGN(bool row, pk.Step());
      if (!row) break;
      info.key.push_back(pk.Text(0));
    }
    TANDEM_ASSIGN(auto fks,
                  conn_->Prepare("SELECT a.attname, r.relname FROM pg_constraint f "
                                 "JOIN pg_class r ON r.oid = f.confrelid "
                                 "JOIN pg_attribute a ON a.attrelid = f.conrelid "
                                 "AND a.attnum = f.conkey[1] "
                                 "WHERE f.conrelid = $1 AND f.contype = 'f' ORDER BY f.conname"));
    fks.Bind(oid);
    while (true) {
      TANDEM_ASSIGN(bool row, fks.Step());
      if (!row) break;
      info.references.push_back({fks.Text(0), fks.Text(1), !not_null[fks.Text(0)]});
    }
    return info;
  }

  std::unique_ptr<Connection> conn_;
  std::unique_ptr<WordTokenizer> words_;
  std::unordered_set<std::int64_t> event_months_;
  // Companies' names by id, kept as they are written: a contact's vector holds its company's
  // name's words.
  std::map<std::int64_t, std::string> company_names_;
  bool build_reach_ = false;
};

CopySink::CopySink(PostgresTableTarget& target, std::string table, std::vector<std::string> columns,
                   std::vector<std::string> rebuild)
    : target_(target),
      table_(std::move(table)),
      columns_(std::move(columns)),
      rebuild_(std::move(rebuild)) {
  std::vector<std::string> all = columns_;
  if (table_ == "events") occurred_at_ = IndexOf(columns_, "occurred_at");
  if (table_ == "companies") {
    id_ = IndexOf(columns_, "id");
    name_ = IndexOf(columns_, "name");
    domain_ = IndexOf(columns_, "domain");
    all.push_back("search");
  }
  if (table_ == "contacts") {
    first_name_ = IndexOf(columns_, "first_name");
    last_name_ = IndexOf(columns_, "last_name");
    email_ = IndexOf(columns_, "email");
    company_id_ = IndexOf(columns_, "company_id");
    all.push_back("search_words");
    all.push_back("search");
  }
  copy_sql_ = "COPY " + Quote(table_) + " (" + ColumnList(all) + ") FROM STDIN";
}

Result<void> CopySink::Add(const Row& row) {
  if (row.size() != columns_.size()) {
    return Fail(Error::Internal("a row of " + table_ + " has the wrong number of values"));
  }
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i) buffer_ += '\t';
    AppendCopyValue(buffer_, row[i]);
  }
  const WordTokenizer& words = target_.words();
  if (table_ == "companies" && id_ >= 0 && name_ >= 0 && domain_ >= 0) {
    const std::string name = TextOf(row[name_]);
    if (const auto* id = std::get_if<std::int64_t>(&row[id_])) target_.company_names()[*id] = name;
    std::vector<std::string> list;
    words.DocumentWords(name, list);
    words.DocumentWords(TextOf(row[domain_]), list);
    buffer_ += '\t';
    AppendCopyText(buffer_, TsVectorText(list));
  } else if (table_ == "contacts" && first_name_ >= 0 && last_name_ >= 0 && email_ >= 0 &&
             company_id_ >= 0) {
    // As PostgresContactRepo writes them: its own words, then with its company's name.
    std::vector<std::string> list;
    words.DocumentWords(TextOf(row[first_name_]), list);
    words.DocumentWords(TextOf(row[last_name_]), list);
    words.DocumentWords(TextOf(row[email_]), list);
    buffer_ += '\t';
    AppendCopyText(buffer_, JoinIndexableWords(list));
    if (const auto* company = std::get_if<std::int64_t>(&row[company_id_])) {
      auto it = target_.company_names().find(*company);
      if (it != target_.company_names().end()) words.DocumentWords(it->second, list);
    }
    buffer_ += '\t';
    AppendCopyText(buffer_, TsVectorText(list));
  }
  buffer_ += '\n';
  if (occurred_at_ >= 0) {
    if (const auto* at = std::get_if<std::int64_t>(&row[occurred_at_])) {
      instants_.push_back(core::FromMillis(*at));
    }
  }
  if (buffer_.size() >= kFlushBytes) return Flush();
  return {};
}

Result<void> CopySink::Flush() {
  if (buffer_.empty()) return {};
  if (!instants_.empty()) {
    // Each month's partition made sure of before its rows come (docs/postgres.md, "Events").
    TxContext ctx{target_.conn(), target_.words(), nullptr, &target_.event_months()};
    TANDEM_TRY(EnsureEventPartitions(ctx, instants_));
    instants_.clear();
  }
  TANDEM_TRY(target_.conn().CopyIn(copy_sql_, buffer_));
  buffer_.clear();
  return {};
}

Result<void> CopySink::Finish() {
  TANDEM_TRY(Flush());
  for (const std::string& index : rebuild_) TANDEM_TRY(target_.conn().Exec(index));
  rebuild_.clear();
  return {};
}

}  // namespace

Result<std::unique_ptr<TableTarget>> OpenTableTarget(const std::string& url) {
  TANDEM_ASSIGN(auto conn, Connection::Open(url));
  TANDEM_TRY(ApplyMigrations(*conn, EmbeddedMigrations()));
  TANDEM_ASSIGN(auto words, WordTokenizer::Open());
  return std::unique_ptr<TableTarget>(new PostgresTableTarget(std::move(conn), std::move(words)));
}

}  // namespace tandem::store::postgres
