#include "store/sqlite/list_plan.hpp"

#include <cmath>

#include "store/sqlite/text_search.hpp"

namespace tandem::store::sqlite {

namespace {

std::size_t Characters(const std::string& utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

Result<std::int64_t> CountUpTo(Stmt stmt) {
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

}  // namespace

Result<std::int64_t> CountedRows(Connection& conn, std::string_view name) {
  TANDEM_ASSIGN(auto stmt, conn.Prepare("SELECT value FROM row_counts WHERE name = ?"));
  stmt.Bind(name);
  TANDEM_ASSIGN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

Result<std::string> PlanList(Connection& conn, const std::vector<std::string>& words,
                             const ListPlanInput& in, ListSql& sql) {
  // Collecting m candidate rows costs about m lookups; walking an order until limit + 1 rows
  // pass costs about (limit + 1) * rows / m. The two meet at m = sqrt((limit + 1) * rows).
  const auto cap = static_cast<std::int64_t>(
      std::ceil(std::sqrt(static_cast<double>(in.limit + 1) * static_cast<double>(in.rows))));

  if (!words.empty()) {
    // One-letter prefixes match most rows and make FTS5 merge thousands of term lists, so
    // they are only tested row by row.
    std::vector<std::string> indexed;
    for (const auto& w : words) {
      if (Characters(w) >= 2) indexed.push_back(w);
    }
    const std::string joined = JoinWords(words);
    if (!indexed.empty()) {
      const std::string match = MatchExpression(indexed);
      TANDEM_ASSIGN(auto probe, conn.Prepare("SELECT count(*) FROM (SELECT 1 FROM " + in.fts_table +
                                             " WHERE " + in.fts_table + " MATCH ? LIMIT ?)"));
      probe.Bind(match).Bind(cap + 1);
      TANDEM_ASSIGN(std::int64_t matches, CountUpTo(std::move(probe)));
      if (matches <= cap) {
        sql.Where(
            "id IN (SELECT rowid FROM " + in.fts_table + " WHERE " + in.fts_table + " MATCH ?)",
            {match});
        if (indexed.size() != words.size()) sql.Where(in.words_call, {joined});
        return in.table + " NOT INDEXED";
      }
    }
    sql.Where(in.words_call, {joined});
  }

  if (in.driver_index) {
    if (in.filters_follow_sort) return in.table;
    TANDEM_ASSIGN(auto probe, in.driver.PrepareCountUpTo(
                                  conn, in.table + " INDEXED BY " + *in.driver_index, cap + 1));
    TANDEM_ASSIGN(std::int64_t matches, CountUpTo(std::move(probe)));
    if (matches <= cap) return in.table + " INDEXED BY " + *in.driver_index;
  }
  return in.table + " INDEXED BY " + in.sort_index;
}

}  // namespace tandem::store::sqlite
