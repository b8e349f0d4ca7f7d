#include "store/sqlite/table_source.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/migrations.hpp"

namespace tandem::store::sqlite {

using core::Error;
using core::Fail;

namespace {

std::string Quote(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

class SqliteTableSource final : public TableSource {
 public:
  explicit SqliteTableSource(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}
  ~SqliteTableSource() override { (void)conn_->Exec("ROLLBACK"); }

  Result<std::vector<TableInfo>> Tables() override {
    TANDEM_ASSIGN(auto list, conn_->Prepare("SELECT name, sql FROM sqlite_schema "
                                            "WHERE type = 'table' ORDER BY name"));
    std::vector<std::string> names, virtual_tables;
    while (true) {
      TANDEM_ASSIGN(bool row, list.Step());
      if (!row) break;
      const std::string name = list.Text(0);
      std::string sql = list.Text(1);
      std::transform(sql.begin(), sql.end(), sql.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      if (sql.rfind("CREATE VIRTUAL TABLE", 0) == 0) {
        virtual_tables.push_back(name);
        continue;
      }
      names.push_back(name);
    }
    std::vector<TableInfo> out;
    for (const std::string& name : names) {
      if (name.rfind("sqlite_", 0) == 0 || name == "schema_migrations") continue;
      // A virtual table's shadow tables are named after it: contacts_fts_data, ..._idx ...
      const bool shadow =
          std::any_of(virtual_tables.begin(), virtual_tables.end(), [&](const std::string& v) {
            return name.size() > v.size() + 1 && name.compare(0, v.size() + 1, v + "_") == 0;
          });
      if (shadow) continue;
      TANDEM_ASSIGN(auto info, Describe(name));
      out.push_back(std::move(info));
    }
    return out;
  }

  Result<void> Scan(const std::string& table, const std::vector<std::string>& columns,
                    const std::vector<std::string>& key, const RowFn& fn) override {
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + Quote(columns[i]);
    sql += " FROM " + Quote(table);
    for (std::size_t i = 0; i < key.size(); ++i) {
      sql += (i ? ", " : " ORDER BY ") + Quote(key[i]);
    }
    TANDEM_ASSIGN(auto stmt, conn_->Prepare(sql));
    Row row(columns.size());
    const int n = static_cast<int>(columns.size());
    while (true) {
      TANDEM_ASSIGN(bool more, stmt.Step());
      if (!more) break;
      for (int c = 0; c < n; ++c) {
        switch (stmt.Type(c)) {
          case SQLITE_NULL: row[c] = std::monostate{}; break;
          case SQLITE_INTEGER: row[c] = stmt.Int(c); break;
          case SQLITE_FLOAT: row[c] = stmt.Real(c); break;
          case SQLITE_TEXT: row[c] = stmt.Text(c); break;
          default: return Fail(Error::Internal(table + "." + columns[c] + " holds a blob"));
        }
      }
      TANDEM_TRY(fn(row));
    }
    return {};
  }

  Result<std::optional<std::int64_t>> HighestId(const std::string& table) override {
    TANDEM_ASSIGN(auto exists, conn_->Prepare("SELECT count(*) FROM sqlite_schema "
                                              "WHERE type = 'table' AND name = 'sqlite_sequence'"));
    TANDEM_TRY(exists.Step());
    if (exists.Int(0) == 0) return std::optional<std::int64_t>();
    TANDEM_ASSIGN(auto stmt, conn_->Prepare("SELECT seq FROM sqlite_sequence WHERE name = ?"));
    stmt.Bind(table);
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(stmt.Int(0));
  }

 private:
  Result<TableInfo> Describe(const std::string& name) {
    TableInfo info;
    info.name = name;
    TANDEM_ASSIGN(
        auto cols,
        conn_->Prepare("SELECT name, pk, \"notnull\" FROM pragma_table_info(?) ORDER BY cid"));
    cols.Bind(name);
    std::vector<std::pair<std::int64_t, std::string>> pk;
    std::map<std::string, bool> not_null;
    while (true) {
      TANDEM_ASSIGN(bool row, cols.Step());
      if (!row) break;
      info.columns.push_back(cols.Text(0));
      if (cols.Int(1) > 0) pk.emplace_back(cols.Int(1), cols.Text(0));
      not_null[cols.Text(0)] = cols.Int(2) != 0;
    }
    std::sort(pk.begin(), pk.end());
    for (auto& [pos, column] : pk) info.key.push_back(column);
    TANDEM_ASSIGN(auto fks,
                  conn_->Prepare("SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?)"));
    fks.Bind(name);
    while (true) {
      TANDEM_ASSIGN(bool row, fks.Step());
      if (!row) break;
      info.references.push_back({fks.Text(0), fks.Text(1), !not_null[fks.Text(0)]});
    }
    return info;
  }

  std::unique_ptr<Connection> conn_;
};

}  // namespace

Result<std::unique_ptr<TableSource>> OpenTableSource(const std::string& path) {
  ConnectionOptions options;
  options.read_only = true;
  options.wal = false;
  TANDEM_ASSIGN(auto conn, Connection::Open(path, options));
  // One snapshot for every scan: the read transaction starts at its first read, here.
  TANDEM_TRY(conn->Exec("BEGIN"));
  TANDEM_ASSIGN(auto has, conn->Prepare("SELECT count(*) FROM sqlite_schema "
                                        "WHERE type = 'table' AND name = 'schema_migrations'"));
  TANDEM_TRY(has.Step());
  if (has.Int(0) == 0) {
    return Fail(Error::Precondition(path + " is not a Tandem database (no schema_migrations)"));
  }
  const auto migrations = EmbeddedMigrations();
  std::string missing;
  for (const Migration& m : migrations) {
    TANDEM_ASSIGN(auto stmt,
                  conn->Prepare("SELECT count(*) FROM schema_migrations WHERE version = ?"));
    stmt.Bind(m.version);
    TANDEM_TRY(stmt.Step());
    if (stmt.Int(0) == 0) missing += (missing.empty() ? "" : ", ") + std::string(m.name);
  }
  TANDEM_ASSIGN(int version, AppliedVersion(*conn));
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (version > latest) {
    return Fail(Error::Precondition(path + " is at schema version " + std::to_string(version) +
                                    ", newer than this build of Tandem knows (" +
                                    std::to_string(latest) + ")"));
  }
  if (!missing.empty()) {
    return Fail(Error::Precondition(path + " lacks migrations " + missing +
                                    ": run `tandem migrate --db sqlite:" + path + "` first"));
  }
  return std::unique_ptr<TableSource>(new SqliteTableSource(std::move(conn)));
}

}  // namespace tandem::store::sqlite
