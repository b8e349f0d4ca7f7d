// Building the keyset-paginated SELECTs of the list queries, and reading the pages back.
//
// A ListSql collects WHERE fragments (fixed SQL text written in this backend, values always as
// bound parameters), the keyset condition and the ORDER BY, then runs through a connection's
// statement cache. Internal to the SQLite backend; not thread-safe (one per call).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/query.hpp"
#include "store/sqlite/connection.hpp"

namespace tandem::store::sqlite {

using SqlValue = std::variant<std::int64_t, std::string>;

// [1, kMaxPageSize].
int ClampLimit(int limit);

// The cursor key of an integer sort (instants as milliseconds, amounts in minor units):
// decimal text, else kInvalidArgument on field "cursor".
Result<std::int64_t> IntegerCursorKey(const core::Cursor& cursor);

class ListSql {
 public:
  // `fragment` uses one `?` per value, in order.
  ListSql& Where(std::string fragment, std::vector<SqlValue> values = {});
  // Rows strictly after (key, id) in the order (`key_expr` `dir`, id `dir`). The plain range
  // term before the row-value comparison lets SQLite seek an index on `key_expr`.
  ListSql& After(const std::string& key_expr, core::SortDir dir, SqlValue key, core::Id id);

  // "SELECT <columns> FROM <from> WHERE ... ORDER BY <key> <dir>, id <dir> LIMIT <limit + 1>"
  // prepared and bound.
  Result<Stmt> Prepare(Connection& conn, std::string_view columns, std::string_view from,
                       const std::string& key_expr, core::SortDir dir, int limit) const;
  // "SELECT count(*) FROM (SELECT 1 FROM <from> WHERE ... LIMIT <cap>)" prepared and bound.
  Result<Stmt> PrepareCountUpTo(Connection& conn, std::string_view from, std::int64_t cap) const;

  bool empty() const { return where_.empty(); }

 private:
  std::string Clause() const;
  void BindAll(Stmt& stmt) const;

  std::vector<std::string> where_;
  std::vector<SqlValue> values_;
};

// Reads up to limit + 1 rows with `read`; returns `limit` of them and, when a further row
// exists, the cursor of the last one returned (its sort key by `key_of`, and its id).
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

}  // namespace tandem::store::sqlite
