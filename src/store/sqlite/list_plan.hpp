// Choosing how a contact or company list reaches its rows, so that a page costs about the same
// whatever the filters, the sort and the search words (the reasoning is in sqlite_store.hpp).
// Internal to the SQLite backend.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/list_sql.hpp"

namespace tandem::store::sqlite {

struct ListPlanInput {
  std::string table;      // "contacts"
  std::string fts_table;  // "contacts_fts", whose rowid is the table's id
  // The tandem_words_match call testing one row, with a single `?` for the words.
  std::string words_call;
  std::string sort_index;  // the index that walks the requested sort order
  // Whether the index of every filter ends with the sort key, so any of them gives the order.
  bool filters_follow_sort = false;
  // The index of the most selective filter present and that filter's conditions alone.
  std::optional<std::string> driver_index;
  ListSql driver;
  std::int64_t rows = 0;  // the table's row count
  int limit = core::kDefaultPageSize;
};

// Adds the search conditions for `words` to `sql` and returns the FROM clause to run it with
// (the table, with an INDEXED BY or NOT INDEXED when the plan needs one).
Result<std::string> PlanList(Connection& conn, const std::vector<std::string>& words,
                             const ListPlanInput& in, ListSql& sql);

// The row count the triggers keep for `name` ("contacts", "companies").
Result<std::int64_t> CountedRows(Connection& conn, std::string_view name);

}  // namespace tandem::store::sqlite
