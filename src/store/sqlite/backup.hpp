// Online backup and restore of a SQLite database file (`tandem backup`, `tandem restore`).
//
// Backup copies the database through SQLite's online backup API in one step, inside one read
// transaction of the source: the copy is the database as of one commit, while the server
// goes on writing (a WAL reader blocks no writer). The copy is written to a temporary file
// beside the target, checked (PRAGMA quick_check) and then renamed into place, so a failed or
// interrupted backup never leaves a partial file under the backup's name.
//
// Restore checks that the backup is a Tandem database this build can open (quick_check ok, a
// schema_migrations table, a version not newer than this build's), then takes the target
// database exclusively — refused with kFailedPrecondition while any other connection has it
// open, such as a running `tandem serve` — and copies the backup over it page by page through
// the same API, in one transaction: a failure leaves the target as it was. The restored
// database is migrated forward on its next open, as any older database is.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace tandem::store::sqlite {

struct BackupReport {
  std::int64_t pages = 0;
  std::int64_t bytes = 0;
  int schema_version = 0;
};

// Copies the database at `from` to `to`. kAlreadyExists (field "to") when `to` exists and
// `overwrite` is false; kNotFound (field "db") when `from` does not exist; kInvalidArgument
// when `to` names the source itself.
core::Result<BackupReport> BackupDatabase(const std::string& from, const std::string& to,
                                          bool overwrite);

// Replaces the database at `db` (created when missing) with the backup at `backup`.
core::Result<BackupReport> RestoreDatabase(const std::string& backup, const std::string& db);

}  // namespace tandem::store::sqlite
