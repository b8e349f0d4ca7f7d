// Moving a whole company from one database to another (`tandem migrate-data`, docs/deploy.md):
// every table copied with its ids, then each table checked on both sides.
//
// The driver knows no SQL: each backend reads (and the target writes) its tables as rows of typed
// values (store/table_io.hpp). What is moved: every table the source lists. The target must have
// each of them with the same data columns (otherwise nothing is moved and the error names the
// table or column: a target whose schema lacks a migration of the source's); tables only the
// target has must be empty there. Order: a table is written after the tables it references; in a
// cycle of references (teams and their manager, users and their team) a nullable reference is
// written NULL first and set once its table is written. Tables the target derives (its
// contact_reach) are not written but checked like the others.
//
// The check: per table, the row count and a SHA-256 over every row in key order, each value
// encoded the same way whichever side it came from (a type tag, then the integer's 8 bytes, the
// double's 8 bytes, or the text's length and bytes; NULL a tag alone). The source's sums are
// computed while its rows are copied, from the same snapshot; the target's by reading back, in
// the same transaction, before it commits: a difference rolls the whole move back.
//
// Thread-safety: none; one call at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/table_io.hpp"

namespace tandem::app {

struct TableCheck {
  std::string table;
  std::int64_t source_rows = 0;
  std::int64_t target_rows = 0;
  std::string source_sum;  // hex SHA-256
  std::string target_sum;
  bool Same() const { return source_rows == target_rows && source_sum == target_sum; }
};

struct MoveReport {
  std::vector<TableCheck> checks;  // by table name
  bool same = false;               // every table the same on both sides
  bool committed = false;          // the move was kept (only when `same`)
  std::int64_t rows = 0;           // rows written
};

// Called as work on a table ends: "copy" (rows written), "derive" (a table the target built),
// "check" (rows read back on the target).
using MoveProgress =
    std::function<void(std::string_view step, const std::string& table, std::int64_t rows)>;

// Moves every table of `source` into the empty `target` in one transaction, checks it, and
// commits only when every table is the same. Errors: kFailedPrecondition when the target is not
// empty (naming a table with rows) or lacks a table or column of the source (naming it); the
// backends' errors otherwise. Nothing is written unless the result says `committed`.
core::Result<MoveReport> MoveData(store::TableSource& source, store::TableTarget& target,
                                  const MoveProgress& progress);

// The check alone, on data already moved (and possibly changed since on either side).
core::Result<MoveReport> CheckData(store::TableSource& source, store::TableTarget& target,
                                   const MoveProgress& progress);

}  // namespace tandem::app
