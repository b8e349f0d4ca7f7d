// Contact import: a CSV export (HubSpot, Salesforce, Pipedrive or any file with an email
// column) read as a stream and upserted by normalised email, with the stage history the file
// tells, in batched transactions. Used by `tandem import contacts` and by import jobs.
//
// The file is read, parsed and checked on a reader thread while the calling thread writes the
// previous batch (two cores: parsing and SQLite overlap); issues, progress and the store are
// only touched from the calling thread, in file order.
//
// What a run guarantees:
//  * Rows are written in transactions of `batch_rows`; a batch that fails in the store is
//    retried row by row, so a failing row is skipped and reported while the rest of its batch
//    is written. A row is never half-written (its contact, company and stage history commit
//    together).
//  * Every problem becomes an issue (row, line, column header, reason): errors skip the row,
//    warnings (an owner nobody matches) do not. The run goes on; only an unreadable file (not
//    UTF-8, no header, no email column, a bad mapping) fails it as a whole.
//  * In bulk mode the whole file is one transaction: each batch runs in a savepoint (a
//    failing batch is retried row by row as above), and the run commits at the end or, if
//    it fails as a whole (an unreadable file, the store away), writes nothing at all.
//  * `dry_run` reads, checks and counts exactly as a real run (created / updated / unchanged
//    against the stored contacts) and writes nothing.
//  * Stage history rows have cause "import" and the importing user as actor ("system:import"
//    for a principal without a user id: the operator's command line). Imports do not
//    write one audit entry per contact (a million rows would double the write): one audit
//    entry (entity "import") records who imported what and the counts.
// Allowed to admins and marketing.
// Thread-safety: stateless apart from its references; one Run per call.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "core/contact_import.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

// Whether an import runs in the store's bulk mode (Store::WriteBulk, docs/import.md "Bulk
// mode"): one transaction holding the writer for the whole file, the contacts' secondary
// indexes, search rows and the funnel's reach rows built once at the end.
enum class BulkMode : std::uint8_t {
  kOff,   // batches of batch_rows, each its own transaction
  kOn,    // bulk mode when the store has one (else as kOff)
  kAuto,  // kOn when the file is large (size_hint >= kBulkMinBytes) and the store holds no
          // more contacts than the file has rows (size_hint / kBulkBytesPerRow)
};
std::string_view ToString(BulkMode m);
std::optional<BulkMode> BulkModeFromString(std::string_view text);
inline constexpr std::uint64_t kBulkMinBytes = 8 << 20;
inline constexpr std::uint64_t kBulkBytesPerRow = 256;

struct ImportOptions {
  std::optional<core::imports::Preset> preset;  // empty: detect from the header
  core::imports::MappingOverrides overrides;
  bool dry_run = false;
  std::size_t batch_rows = 5000;
  std::size_t max_cell_bytes = 1 << 20;  // 1 MiB; larger cells are row errors
  std::size_t max_issues_kept = 1000;    // in ImportSummary::issues (all are counted)
  std::string file_name;                 // for the audit entry
  std::optional<core::Id> job_id;        // the job this run belongs to, if any
  BulkMode bulk = BulkMode::kOff;        // a dry run never uses bulk mode
  std::uint64_t size_hint = 0;           // the file's size in bytes when known, for kAuto
};

struct ImportSummary {
  core::imports::ImportCounts counts;
  core::imports::Preset preset = core::imports::Preset::kGeneric;
  bool preset_detected = false;
  char delimiter = ',';
  std::vector<std::string> unmapped;               // headers nothing reads
  std::vector<core::imports::ImportIssue> issues;  // the first max_issues_kept
  std::uint64_t bytes = 0;
  bool bulk = false;  // the run used the store's bulk mode
};

// The next chunk of the file; an empty view at the end. The view stays valid until the next
// call.
using ChunkSource = std::function<core::Result<std::string_view>()>;
// Progress after each batch: bytes read so far and counts.
using ImportProgressFn =
    std::function<void(std::uint64_t bytes_read, const core::imports::ImportCounts& counts)>;
// Every issue, as found, in file order (the summary keeps only the first ones).
using ImportIssueFn = std::function<void(const core::imports::ImportIssue& issue)>;

class ContactImporter {
 public:
  ContactImporter(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}

  core::Result<ImportSummary> Run(const core::Principal& p, const ChunkSource& source,
                                  const ImportOptions& options,
                                  const ImportProgressFn& progress = {},
                                  const ImportIssueFn& on_issue = {});

 private:
  store::Store& store_;
  const base::Clock& clock_;
};

// Who may import: admins and marketing (an API key also needs the write scope).
core::Result<void> AuthorizeImport(const core::Principal& p);

// Reads a mapping file (TOML):
//
//   preset = "hubspot"            # optional: generic | hubspot | salesforce | pipedrive
//   date_order = "dmy"            # optional: mdy (default) or dmy, for dates like 03/04/2024
//   [columns]                     # header in the file = what it is
//   "Företagsnamn" = "company"
//   "Ansvarig Säljare" = "owner"
//   "Lead Score" = "custom:lead_score"
//   "Internal notes" = "ignore"
//   [owners]                      # value in the owner column = a Tandem user's email
//   "005xx000001Sv6AAAS" = "jane@acme.example"
//   [stages]                      # value in a stage/status column = a Tandem stage
//   "Nurture" = "recycled"
//
// Errors are kInvalidArgument naming the key, with the TOML parser's line for syntax errors.
core::Result<core::imports::MappingOverrides> ParseMappingFile(std::string_view text);

}  // namespace tandem::app
