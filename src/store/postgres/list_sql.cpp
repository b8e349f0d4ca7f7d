#include "store/postgres/list_sql.hpp"

#include <algorithm>
#include <charconv>

namespace tandem::store::postgres {

using core::Error;
using core::Fail;
using core::SortDir;

int ClampLimit(int limit) {
  return std::clamp(limit, 1, core::kMaxPageSize);
}

Result<std::int64_t> IntegerCursorKey(const core::Cursor& cursor) {
  std::int64_t value = 0;
  const char* begin = cursor.key.data();
  const char* end = begin + cursor.key.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (cursor.key.empty() || ec != std::errc() || ptr != end) {
    return Fail(Error::Invalid("cursor", "is not a cursor of this list"));
  }
  return value;
}

ListSql& ListSql::Where(std::string fragment, std::vector<SqlValue> values) {
  where_.push_back(std::move(fragment));
  for (auto& v : values) values_.push_back(std::move(v));
  return *this;
}

ListSql& ListSql::After(const std::string& key_expr, SortDir dir, SqlValue key, core::Id id) {
  const char* op = dir == SortDir::kAsc ? ">" : "<";
  return Where("(" + key_expr + ", id) " + op + " (?, ?)", {key, id});
}

std::string ListSql::Clause() const {
  std::string out;
  for (const auto& w : where_) {
    out += out.empty() ? " WHERE " : " AND ";
    out += w;
  }
  return out;
}

Result<Stmt> ListSql::Prepare(Connection& conn, std::string_view columns, std::string_view from,
                              const std::string& key_expr, SortDir dir, int limit) const {
  const char* d = dir == SortDir::kAsc ? " ASC" : " DESC";
  std::string sql = "SELECT ";
  sql += columns;
  sql += " FROM ";
  sql += from;
  sql += Clause();
  sql += " ORDER BY " + key_expr + d + ", id" + d + " LIMIT ?";
  // The fragments hold no literal '?': number the placeholders in order.
  std::string numbered;
  int n = 0;
  for (char c : sql) {
    if (c == '?') {
      numbered += "$" + std::to_string(++n);
    } else {
      numbered.push_back(c);
    }
  }
  TANDEM_ASSIGN(auto stmt, conn.Prepare(numbered));
  for (const auto& v : values_) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
      stmt.Bind(*i);
    } else {
      stmt.Bind(std::get<std::string>(v));
    }
  }
  stmt.Bind(static_cast<std::int64_t>(limit) + 1);
  return stmt;
}

}  // namespace tandem::store::postgres
