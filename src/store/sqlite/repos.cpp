#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Error;
using core::Fail;

Result<void> CheckReference(Connection& conn, std::string_view field, const std::optional<Id>& id,
                            std::string_view table, std::string_view what) {
  if (!id) return {};
  TANDEM_ASSIGN(auto stmt, conn.Prepare("SELECT 1 FROM " + std::string(table) + " WHERE id = ?"));
  stmt.Bind(*id);
  TANDEM_ASSIGN(bool found, stmt.Step());
  if (found) return {};
  return Fail(Error::Invalid(std::string(field), std::string(field) + " " + std::to_string(*id) +
                                                     " does not name a " + std::string(what)));
}

Result<void> AddToRowCount(Connection& conn, std::string_view name, std::int64_t delta) {
  TANDEM_ASSIGN(auto stmt, conn.Prepare("UPDATE row_counts SET value = value + ? WHERE name = ?"));
  stmt.Bind(delta).Bind(name);
  return stmt.Run();
}

Result<void> CheckChanged(Connection& conn, std::string_view what, Id id) {
  if (conn.Changes() > 0) return {};
  return Fail(Error::NotFound(std::string(what) + " " + std::to_string(id) + " does not exist"));
}
}  // namespace tandem::store::sqlite
