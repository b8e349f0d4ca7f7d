// Tables as rows of plain values, for moving a whole company from one backend to another
// (`tandem migrate-data`, docs/deploy.md). Each backend reads its tables (and the PostgreSQL one
// also writes them) through these interfaces; the driver (app/migrate_data.hpp) decides the
// order, computes the checks and holds no SQL.
//
// A table is described by its data columns (those the backend does not derive from others) and
// its key (the primary key: rows are always read in key order, so two backends holding the same
// rows return them in the same order; text keys compare byte by byte on both). Values are typed
// and nullable: NULL, a 64-bit integer, a double or a text. Blobs do not occur in Tandem's
// schemas and are an error.
//
// Ownership: the caller owns sources, targets and sinks. Thread-safety: none; one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace tandem::store {

// NULL, an integer, a floating-point number or a text.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
using Row = std::vector<Value>;
using RowFn = std::function<core::Result<void>(const Row&)>;

// A column's reference to another table (a foreign key).
struct TableReference {
  std::string column;
  std::string table;
  bool nullable = true;  // the column may be NULL
};

struct TableInfo {
  std::string name;
  std::vector<std::string> columns;  // data columns, in the table's order
  std::vector<std::string> key;      // primary key columns; empty when the table has none
  std::vector<TableReference> references;
  // Built by the backend from other tables (PostgreSQL's contact_reach, from the stage history):
  // compared by the checks, never written.
  bool derived = false;
};

// Reads a backend's tables.
class TableReader {
 public:
  virtual ~TableReader() = default;
  // The tables holding a company's data, by name. The backend's own bookkeeping (its migrations
  // record, SQLite's sqlite_* and full-text shadow tables) is not listed.
  virtual core::Result<std::vector<TableInfo>> Tables() = 0;
  // Calls `fn` with each row of `table` (only `columns`, in that order), ordered by `key`.
  // An error from `fn` stops the scan and is returned.
  virtual core::Result<void> Scan(const std::string& table, const std::vector<std::string>& columns,
                                  const std::vector<std::string>& key, const RowFn& fn) = 0;
};

// The source of a move.
class TableSource : public TableReader {
 public:
  // The highest id ever given out in `table`, when the backend remembers one (SQLite's
  // AUTOINCREMENT remembers ids of deleted rows: they are never given again).
  virtual core::Result<std::optional<std::int64_t>> HighestId(const std::string& table) = 0;
};

// Receives the rows of one table, in order; Finish writes what is still buffered.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual core::Result<void> Add(const Row& row) = 0;
  virtual core::Result<void> Finish() = 0;
};

// The target of a move: everything between Begin and Commit is one transaction.
class TableTarget : public TableReader {
 public:
  // A data table that has rows (tables the schema itself fills, such as row counts, are not
  // data), or nothing when the target is empty.
  virtual core::Result<std::optional<std::string>> NonEmptyTable() = 0;
  // `read_only`: for checks only (one snapshot for every scan).
  virtual core::Result<void> Begin(bool read_only) = 0;
  virtual core::Result<void> Commit() = 0;
  virtual core::Result<void> Rollback() = 0;
  // A sink writing `columns` of `table` (the rows the schema put there replaced).
  virtual core::Result<std::unique_ptr<RowSink>> Write(const std::string& table,
                                                       const std::vector<std::string>& columns) = 0;
  // Sets `column` of the row of `table` whose `key` columns hold `key_values` (a reference
  // written NULL first because its table came later).
  virtual core::Result<void> Update(const std::string& table, const std::vector<std::string>& key,
                                    const Row& key_values, const std::string& column,
                                    const Value& value) = 0;
  // After every table is written: the derived tables built, and each id sequence moved past the
  // highest id of its table and past `highest_ids[table]`.
  virtual core::Result<void> Finish(const std::map<std::string, std::int64_t>& highest_ids) = 0;
};

}  // namespace tandem::store
