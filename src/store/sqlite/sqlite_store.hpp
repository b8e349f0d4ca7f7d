// The SQLite backend of store::Store: one database file (or a private in-memory database) in
// WAL mode, one writer connection and a pool of reader connections.
//
// Opening: OpenSqliteStore opens (creating if needed) the file, sets the PRAGMAs
// (journal_mode=WAL, foreign_keys=ON, synchronous=NORMAL, busy_timeout=5000, a 256 MiB page
// cache for the writer — random keys such as emails dirty pages all over their indexes, and a
// bulk load slows several-fold once they spill — and 16 MiB per reader, the whole file
// memory-mapped up to SQLite's mmap cap), applies the pending migrations of migrations/ (each in
// its own transaction, recorded in schema_migrations), refreshes the planner statistics (ANALYZE
// with analysis_limit, so it costs milliseconds at any size), then opens the readers. Errors:
// kUnavailable when the file cannot be opened or created, kInternal when it is not a database,
// kFailedPrecondition when its schema is newer than this build. Nothing crashes on a bad path or
// file.
//
// ":memory:" gives a private in-memory database (a uniquely named shared-cache URI, so the
// writer and the readers see the same data; it lives as long as the store). An in-memory
// database has no WAL, so there reads and writes take turns (a reader/writer lock) instead of
// running side by side.
//
// Transactions: Write runs BEGIN IMMEDIATE ... COMMIT on the writer connection under a mutex,
// ROLLBACK when the function returns an error or throws (the exception is rethrown). Read runs
// BEGIN DEFERRED on a free reader (waiting for one when all are busy); its snapshot is fixed at
// the first read and sees every write committed before. Readers are opened read-only
// (query_only as well), so a write through a read Tx fails with kInternal. Neither call may be
// nested inside another on the same thread.
//
// Checkpoints: with checkpoint_pages > 0 (the default, 1000) the writer does not checkpoint the
// write-ahead log in its commits; a thread of the store does, on its own connection, once the
// log has grown by that many pages (checkpointer.hpp). The thread stops before the connections
// close. In-memory databases have no log and no thread.
//
// Timings: with `metrics` set, every transaction's duration is observed in the histogram
// tandem_db_seconds{kind="read"|"write"}.
//
// List queries and cursors (core/query.hpp): rows are ordered by (sort key, id) in the requested
// direction and a cursor means "strictly after (key, id)". Cursor.key holds the sort value as
// text: instants as decimal milliseconds, amount_minor as decimal, text sorts (email,
// last_name, company name) verbatim, expected_close as "YYYY-MM-DD" — and a deal without an
// expected close date as "" (empty): it sorts as the empty string, so such deals come first in
// ascending order and last in descending order. Users are listed by id (key = the id). A key
// that does not parse for its sort is kInvalidArgument on field "cursor". Limits are clamped to
// [1, kMaxPageSize]; `next` is set only when another row exists (limit + 1 rows are read).
//
// Query plans. Every list filter has an index ending with the list's default sort key
// ((stage, created_at), (owner_id, created_at), ... for contacts; (industry, name), ... for
// companies; (contact_id, occurred_at), ... for activities), so a first or deep page with any
// filters and the default sort is one index range walk of limit + 1 entries. For contacts and
// companies, where other sorts and the text search make a bad plan costly, the backend chooses
// the plan itself (list_plan.cpp) from one bounded count. With N rows and a page of L:
//  * Text search: the words are cut and folded by the FTS5 tokenizer (text_search.hpp) and each
//    is matched as a prefix. The full-text index is asked how many rows match, counting no
//    further than C = sqrt((L + 1) * N). At most C matches: the matching ids are fetched from
//    the full-text index, looked up by id, filtered and sorted (at most C rows, ~7,000 at one
//    million contacts). More than C: the rows are walked in sort order by the sort index (or by
//    a filter index when its filter is selective, see below) and each is tested with
//    tandem_words_match, the same folding applied to the row's own text; since matches are then
//    at least C/N of the rows, about (L + 1) * N / C rows are tested. Either way a page costs
//    O(sqrt(L * N)) row visits rather than a sort of every match, whatever the word. One-letter
//    words are only tested row by row (as an FTS5 prefix they would merge thousands of terms).
//  * A non-default sort with filters: the most selective filter present (company, owner,
//    campaign, source, stage, then the created range) is counted up to C in its index; at most
//    C rows are read through that index and sorted, otherwise the sort index is walked and the
//    filters are tested per row.
// Deals, activities, audit and users rely on SQLite's planner and the statistics. Where a
// range filter and the cursor both bound the sort column, the cursor's bound is written first:
// SQLite seeks with the first, and on a deep page it is the tighter one.
//
// Writes: inserting a contact or company also inserts its search row and bumps a row count
// from C++ rather than from triggers (see migrations/0001_init.sql for why); updates, renames
// and deletions are followed by triggers. Bulk loads should use large write transactions
// (tens of thousands of rows): each commit writes every index page it touched to the WAL.
//
// Thread-safety: the Store is safe to use from any number of threads.
#pragma once

#include <memory>
#include <string>

#include "base/metrics.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

namespace tandem::store::sqlite {

struct SqliteSettings {
  std::string path = "tandem.db";    // a file path, or ":memory:"
  int read_connections = 4;          // at least 1
  base::Metrics* metrics = nullptr;  // not owned; must outlive the store
  // Checkpoint the write-ahead log on a thread of its own once it has grown by this many pages
  // (checkpointer.hpp); 0 leaves it to SQLite, inside the commit that crosses 1000 pages.
  int checkpoint_pages = 1000;
};

core::Result<std::unique_ptr<store::Store>> OpenSqliteStore(const SqliteSettings& settings);

}  // namespace tandem::store::sqlite
