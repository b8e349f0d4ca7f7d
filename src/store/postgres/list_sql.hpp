// The list queries' statement builder and page reader (store/common/list_sql.hpp, shared by
// both backends), named in the PostgreSQL backend's namespace: the fragments are written with
// `?`, which Connection::Placeholders numbers $1, $2 ... Internal to the PostgreSQL backend.
#pragma once

#include "store/common/list_sql.hpp"
#include "store/postgres/connection.hpp"

namespace tandem::store::postgres {

using store::ClampLimit;
using store::IntegerCursorKey;
using store::ListSql;
using store::ReadPage;
using store::SqlValue;

}  // namespace tandem::store::postgres
