// Building the keyset-paginated SELECTs of the list queries on PostgreSQL, as the SQLite
// backend's list_sql.hpp does: fragments are fixed SQL text written in this backend with `?` for
// each value (numbered $1, $2 ... when the statement is prepared), values always bound.
// Internal to the PostgreSQL backend; not thread-safe (one per call).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/query.hpp"
#include "store/postgres/connection.hpp"

namespace tandem::store::postgres {

using SqlValue = std::variant<std::int64_t, std::string>;

// [1, kMaxPageSize].
int ClampLimit(int limit);

// The cursor key of an integer sort: decimal text, else kInvalidArgument on field "cursor".
Result<std::int64_t> IntegerCursorKey(const core::Cursor& cursor);

class ListSql {
 public:
  ListSql& Where(std::string fragment, std::vector<SqlValue> values = {});
  // Rows strictly after (key, id) in the order (`key_expr` `dir`, id `dir`).
  ListSql& After(const std::string& key_expr, core::SortDir dir, SqlValue key, core::Id id);

  // "SELECT <columns> FROM <from> WHERE ... ORDER BY <key> <dir>, id <dir> LIMIT <limit + 1>"
  // prepared and bound.
  Result<Stmt> Prepare(Connection& conn, std::string_view columns, std::string_view from,
                       const std::string& key_expr, core::SortDir dir, int limit) const;

 private:
  std::string Clause() const;

  std::vector<std::string> where_;
  std::vector<SqlValue> values_;
};

// Reads up to limit + 1 rows with `read`; returns `limit` of them and, when a further row
// exists, the cursor of the last one returned.
template <class T>
Result<core::Page<T>> ReadPage(Stmt& stmt, int limit,
                               const std::function<Result<T>(const Stmt&)>& read,
                               const std::function<std::string(const T&)>& key_of) {
  core::Page<T> page;
  while (true) {
    auto row = stmt.Step();
    if (!row) return core::Fail(std::move(row.error()));
    if (!*row) break;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next = core::Cursor{key_of(page.items.back()), page.items.back().id};
      break;
    }
    auto item = read(stmt);
    if (!item) return core::Fail(std::move(item.error()));
    page.items.push_back(std::move(*item));
  }
  return page;
}

}  // namespace tandem::store::postgres
