// A SQLite database read as a source of `tandem migrate-data` (store/table_io.hpp).
//
// The file is opened read-only and may be in use by a running Tandem: every scan reads one
// snapshot, taken by a read transaction held from opening until the source is destroyed (in
// write-ahead-log mode writers go on meanwhile). Listed: every table but SQLite's own
// (`sqlite_*`), the full-text index's virtual tables and their shadow tables, and the migrations
// record. Keys: the declared primary key (INTEGER PRIMARY KEY is the rowid).
#pragma once

#include <memory>
#include <string>

#include "core/error.hpp"
#include "store/table_io.hpp"

namespace tandem::store::sqlite {

// Opens `path` read-only. kUnavailable when it cannot be opened; kFailedPrecondition when its
// schema is not the one this build of Tandem writes (every migration applied, none newer): run
// `tandem migrate` on it first.
core::Result<std::unique_ptr<TableSource>> OpenTableSource(const std::string& path);

}  // namespace tandem::store::sqlite
