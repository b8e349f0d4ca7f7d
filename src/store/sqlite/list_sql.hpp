// The list queries' statement builder and page reader (store/common/list_sql.hpp, shared by
// both backends), named in the SQLite backend's namespace. Internal to the SQLite backend.
#pragma once

#include "store/common/list_sql.hpp"
#include "store/sqlite/connection.hpp"

namespace tandem::store::sqlite {

using store::ClampLimit;
using store::IntegerCursorKey;
using store::ListSql;
using store::ReadPage;
using store::SqlValue;

}  // namespace tandem::store::sqlite
