// Building the keyset-paginated SELECTs of the list queries, and reading the pages back, for
// every backend.
//
// A ListSql collects WHERE fragments (fixed SQL text written in the repositories, `?` for each
// value, values always bound), the keyset condition and the ORDER BY, then prepares the
// statement on a backend's connection: `Connection::Placeholders` turns the `?` into the
// backend's own (SQLite keeps them, PostgreSQL numbers them $1, $2 ...), and the Stmt's Bind and
// Step do the rest. The connection and statement types are template parameters: both backends'
// have the same Prepare, Bind and Step. Not thread-safe (one per call).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "core/query.hpp"

namespace tandem::store {

using SqlValue = std::variant<std::int64_t, std::string>;

// [1, kMaxPageSize].
int ClampLimit(int limit);

// The cursor key of an integer sort (instants as milliseconds, amounts in minor units):
// decimal text, else kInvalidArgument on field "cursor".
core::Result<std::int64_t> IntegerCursorKey(const core::Cursor& cursor);

class ListSql {
 public:
  // `fragment` uses one `?` per value, in order, and holds no other '?'.
  ListSql& Where(std::string fragment, std::vector<SqlValue> values = {});
  // Rows strictly after (key, id) in the order (`key_expr` `dir`, id `dir`). The plain range
  // term before the row-value comparison lets SQLite seek an index on `key_expr` (PostgreSQL
  // seeks on the row value itself; the extra term costs it nothing).
  ListSql& After(const std::string& key_expr, core::SortDir dir, SqlValue key, core::Id id);

  // "SELECT <columns> FROM <from> WHERE ... ORDER BY <key> <dir>, id <dir> LIMIT ?"
  std::string SelectText(std::string_view columns, std::string_view from,
                         const std::string& key_expr, core::SortDir dir) const;
  // "SELECT count(*) FROM (SELECT 1 FROM <from> WHERE ... LIMIT ?) AS probe"
  std::string CountUpToText(std::string_view from) const;

  // SelectText prepared on `conn` and bound, with limit + 1 rows asked for.
  template <class Connection>
  auto Prepare(Connection& conn, std::string_view columns, std::string_view from,
               const std::string& key_expr, core::SortDir dir, int limit) const
      -> decltype(conn.Prepare(std::string_view())) {
    TANDEM_ASSIGN(auto stmt,
                  conn.Prepare(Connection::Placeholders(SelectText(columns, from, key_expr, dir))));
    BindAll(stmt);
    stmt.Bind(static_cast<std::int64_t>(limit) + 1);
    return stmt;
  }
  // CountUpToText prepared on `conn` and bound: counts the matching rows, at most `cap`.
  template <class Connection>
  auto PrepareCountUpTo(Connection& conn, std::string_view from, std::int64_t cap) const
      -> decltype(conn.Prepare(std::string_view())) {
    TANDEM_ASSIGN(auto stmt, conn.Prepare(Connection::Placeholders(CountUpToText(from))));
    BindAll(stmt);
    stmt.Bind(cap);
    return stmt;
  }

  bool empty() const { return where_.empty(); }

 private:
  std::string Clause() const;
  template <class Stmt>
  void BindAll(Stmt& stmt) const {
    for (const auto& v : values_) {
      if (const auto* i = std::get_if<std::int64_t>(&v)) {
        stmt.Bind(*i);
      } else {
        stmt.Bind(std::get<std::string>(v));
      }
    }
  }

  std::vector<std::string> where_;
  std::vector<SqlValue> values_;
};

// "$1, $2 ..." for each '?' of `sql` (which holds no other '?'): PostgreSQL's placeholders.
std::string NumberPlaceholders(std::string_view sql);

// Reads up to limit + 1 rows with `read`; returns `limit` of them and, when a further row
// exists, the cursor of the last one returned (its sort key by `key_of`, and its id).
template <class T, class Stmt>
core::Result<core::Page<T>> ReadPage(
    Stmt& stmt, int limit,
    const std::type_identity_t<std::function<core::Result<T>(const Stmt&)>>& read,
    const std::type_identity_t<std::function<std::string(const T&)>>& key_of) {
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

}  // namespace tandem::store
