#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::Error;
using core::Fail;

Result<void> CheckReference(Connection& conn, std::string_view field, const std::optional<Id>& id,
                            std::string_view table, std::string_view what) {
  if (!id) return {};
  TANDEM_ASSIGN(auto stmt, conn.Prepare("SELECT 1 FROM " + std::string(table) + " WHERE id = $1"));
  stmt.Bind(*id);
  TANDEM_ASSIGN(bool found, stmt.Step());
  if (found) return {};
  return Fail(Error::Invalid(std::string(field), std::string(field) + " " + std::to_string(*id) +
                                                     " does not name a " + std::string(what)));
}

Result<void> CheckChanged(const Stmt& stmt, std::string_view what, Id id) {
  if (stmt.Affected() > 0) return {};
  return Fail(Error::NotFound(std::string(what) + " " + std::to_string(id) + " does not exist"));
}

Result<void> AddToRowCount(Connection& conn, std::string_view name, std::int64_t delta) {
  TANDEM_ASSIGN(auto stmt,
                conn.Prepare("UPDATE row_counts SET value = value + $1 WHERE name = $2"));
  stmt.Bind(delta).Bind(name);
  return stmt.Run();
}

Result<std::int64_t> CountedRows(Connection& conn, std::string_view name) {
  TANDEM_ASSIGN(auto stmt, conn.Prepare("SELECT value FROM row_counts WHERE name = $1"));
  stmt.Bind(name);
  TANDEM_ASSIGN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

std::string JoinIndexableWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (w.size() > kMaxLexemeBytes) continue;
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::string TextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (const std::string& v : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : v) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::string IdArray(const std::vector<Id>& ids) {
  std::string out = "{";
  for (Id id : ids) {
    if (out.size() > 1) out += ',';
    out += std::to_string(id);
  }
  out += '}';
  return out;
}

void AddSearch(ListSql& sql, const std::vector<std::string>& words) {
  if (words.empty()) return;
  // tsquery's own input syntax, not to_tsquery: the words are taken as they are (already
  // folded), each quoted; the tokenizer keeps only letters and digits in a word, the escapes
  // are for safety alone.
  std::string query;
  for (const auto& w : words) {
    if (w.size() > kMaxLexemeBytes) {
      sql.Where("FALSE");
      return;
    }
    if (!query.empty()) query += " & ";
    query += '\'';
    for (char c : w) {
      if (c == '\'' || c == '\\') query += c;
      query += c;
    }
    query += "':*";
  }
  sql.Where("search @@ ?::tsquery", {std::move(query)});
}

}  // namespace tandem::store::postgres
