#include "store/common/list_sql.hpp"

#include <algorithm>
#include <charconv>

namespace tandem::store {

using core::Error;
using core::Fail;
using core::SortDir;

int ClampLimit(int limit) {
  return std::clamp(limit, 1, core::kMaxPageSize);
}

core::Result<std::int64_t> IntegerCursorKey(const core::Cursor& cursor) {
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
  const char* range = dir == SortDir::kAsc ? ">=" : "<=";
  return Where(key_expr + " " + range + " ? AND (" + key_expr + ", id) " + op + " (?, ?)",
               {key, key, id});
}

std::string ListSql::Clause() const {
  std::string out;
  for (const auto& w : where_) {
    out += out.empty() ? " WHERE " : " AND ";
    out += w;
  }
  return out;
}

std::string ListSql::SelectText(std::string_view columns, std::string_view from,
                                const std::string& key_expr, SortDir dir) const {
  const char* d = dir == SortDir::kAsc ? " ASC" : " DESC";
  std::string sql = "SELECT ";
  sql += columns;
  sql += " FROM ";
  sql += from;
  sql += Clause();
  sql += " ORDER BY " + key_expr + d + ", id" + d + " LIMIT ?";
  return sql;
}

std::string ListSql::CountUpToText(std::string_view from) const {
  std::string sql = "SELECT count(*) FROM (SELECT 1 FROM ";
  sql += from;
  sql += Clause();
  sql += " LIMIT ?) AS probe";
  return sql;
}

std::string NumberPlaceholders(std::string_view sql) {
  std::string numbered;
  numbered.reserve(sql.size() + 16);
  int n = 0;
  for (char c : sql) {
    if (c == '?') {
      numbered += "$" + std::to_string(++n);
    } else {
      numbered.push_back(c);
    }
  }
  return numbered;
}

}  // namespace tandem::store
