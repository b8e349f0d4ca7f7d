// What a repository written once for both backends (store/common/*_repo.hpp) asks of the
// backend it runs on, and helpers every such repository uses.
//
// A shared repository is a class template over `Db`, a small value the backend builds from its
// transaction context (store/sqlite/db.hpp, store/postgres/db.hpp). The statements are written
// once in the SQL both databases take, with `?` placeholders; what differs is behind `Db`:
//   using Stmt;                                     the backend's statement (Bind..., Step, Run,
//                                                   and the column reader of rows.hpp)
//   static std::string Sql(std::string_view)        a statement in the backend's placeholders
//   static std::string InsertSql(std::string_view)  an INSERT whose new id RunInsert returns
//   static std::string IndexedBy(std::string_view)  an index hint (SQLite's INDEXED BY) or ""
//   static constexpr std::string_view kGreatest     the larger of two values: max or GREATEST
//   Result<Stmt> Prepare(const std::string& sql)    sql as returned by Sql or InsertSql
//   Result<Id> RunInsert(Stmt&)                     runs an InsertSql statement, its new id
//   Result<void> RunUpdate(Stmt&, what, id)         runs it; kNotFound "<what> <id> does not
//                                                   exist" when it changed no row
//   Result<std::int64_t> RunChanges(Stmt&)         runs it; how many rows it changed
//   Result<void> CheckReference(field, id, table, what)
//                                                   kInvalidArgument "<field> does not name a
//                                                   <what>" unless id is empty or a row of table
// Statements built once are kept in function statics (`static const std::string sql =
// Db::Sql(...)`), one per backend since each backend instantiates its own template.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/model.hpp"

namespace tandem::store::common {

// Every row `stmt` steps to, read by `read`.
template <class Stmt, class Read>
auto ReadAll(Stmt& stmt, Read read)
    -> core::Result<std::vector<typename decltype(read(stmt))::value_type>> {
  std::vector<typename decltype(read(stmt))::value_type> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return out;
    TANDEM_ASSIGN(auto value, read(stmt));
    out.push_back(std::move(value));
  }
}

inline std::optional<std::int64_t> OptMillis(const std::optional<core::Instant>& t) {
  if (!t) return std::nullopt;
  return core::ToMillis(*t);
}

template <class R>
std::optional<core::Instant> OptInstant(const R& s, int col) {
  auto v = s.OptInt(col);
  if (!v) return std::nullopt;
  return core::FromMillis(*v);
}

}  // namespace tandem::store::common
