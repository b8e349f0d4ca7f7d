// Contact imports as pure functions: which column means what (presets for HubSpot, Salesforce
// and Pipedrive exports, detection, user overrides), dates in the formats real exports use,
// one CSV row turned into a contact, and the stage history an imported contact gets.
//
// The rules (docs/import.md says them for users):
//  * Headers match case-insensitively, by label or by API name, after trimming; each preset
//    knows its vendor's labels and API names plus a common set (`Email`, `First Name`...).
//    Without a preset the one whose names match most headers is taken (a tie: `generic`).
//    Overrides from a mapping file win over the preset for the headers they name. Columns
//    nobody maps are ignored and listed so the user can map them.
//  * Several columns may feed one field (Pipedrive's `Person - Email (Work)` and `(Home)`):
//    the first non-empty in column order wins. A cell holding several comma-separated emails
//    gives its first.
//  * Dates: see ParseImportDate.
//  * Stages: Tandem codes, HubSpot lifecycle labels and internal names, Salesforce lead
//    statuses, Pipedrive deal statuses, plus the mapping file's own table.
// Pure: no I/O, no clock (the caller passes the import time).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/lifecycle.hpp"
#include "core/model.hpp"
#include "core/time.hpp"

namespace tandem::core::imports {

enum class Field : std::uint8_t {
  kIgnore,
  kExternalId,
  kEmail,
  kFirstName,
  kLastName,
  kFullName,
  kPhone,
  kTitle,
  kCompany,
  kOwner,
  kStage,
  kLeadStatus,
  kSource,
  kCampaign,
  kCountry,
  kCreatedAt,
  kBecameLead,
  kBecameMql,
  kBecameSal,
  kBecameSql,
  kBecameOpportunity,
  kBecameCustomer,
  kIsConverted,
  kConvertedAt,
  kDealStatus,
  kDealWonAt,
  kDealLostAt,
  kDealLostReason,
  kConsent,  // a consent given or not (core::ParseConsentCell), for ColumnTarget::purpose
  kCustom,   // kept as a custom field under ColumnTarget::custom_name
};
// Codes used by mapping files: "email", "first_name", "became_mql_at", "consent", "ignore", ...;
// "custom:<name>" and "consent:<purpose>" are parsed by TargetFromString.
std::string_view ToString(Field f);

enum class Preset : std::uint8_t { kGeneric, kHubSpot, kSalesforce, kPipedrive };
std::string_view ToString(Preset p);
std::optional<Preset> PresetFromString(std::string_view text);

// How to read a date such as 03/04/2024 when both numbers could be the month.
enum class DateOrder : std::uint8_t { kMonthFirst, kDayFirst };
std::string_view ToString(DateOrder o);
std::optional<DateOrder> DateOrderFromString(std::string_view text);

struct ColumnTarget {
  Field field = Field::kIgnore;
  std::string custom_name;  // for kCustom
  std::string purpose;      // for kConsent: what for; empty means kDefaultConsentPurpose
};
// The purpose of a consent read from a column mapped to plain "consent" (or headed "Consent").
inline constexpr std::string_view kDefaultConsentPurpose = "marketing";
// "email", "custom:lead_score", "consent", "consent:newsletter", "ignore"...; nothing for an
// unknown code, an empty custom name, or a purpose empty or over 200 bytes. The prefixes and
// codes are matched in any case; a custom name is lower-cased, a purpose kept as written.
std::optional<ColumnTarget> TargetFromString(std::string_view text);

// What a mapping file says; every part optional.
struct MappingOverrides {
  std::optional<Preset> preset;
  std::optional<DateOrder> date_order;
  std::map<std::string, ColumnTarget> columns;  // header (any case) -> target
  std::map<std::string, std::string> owners;    // value in the file (any case) -> user email
  std::map<std::string, Stage> stages;          // value in the file (any case) -> stage
};

struct Mapping {
  Preset preset = Preset::kGeneric;
  bool preset_detected = false;
  DateOrder date_order = DateOrder::kMonthFirst;
  std::vector<std::string> headers;           // as in the file
  std::vector<ColumnTarget> columns;          // one per header
  std::vector<std::string> unmapped;          // headers that feed nothing
  std::map<std::string, std::string> owners;  // keys lower-cased
  std::map<std::string, Stage> stages;        // keys folded as by FoldKey
};

// Builds the mapping of a header row. Errors (kInvalidArgument): no column gives the email
// (the message lists the headers seen), a header named twice by the overrides' keys is fine,
// an override naming a header that is not in the file.
Result<Mapping> BuildMapping(const std::vector<std::string_view>& header,
                             std::optional<Preset> preset, const MappingOverrides& overrides);

// Parses a date or instant from an export. Accepted:
//  * ISO 8601 as core::ParseInstant takes it: 2024-03-12, 2024-03-12 09:14,
//    2024-03-12T09:14:00.000+0000, ...Z, ...+02:00.
//  * Slashes: M/D/YYYY or D/M/YYYY, or YYYY/M/D, optionally followed by H:MM[:SS] and AM/PM.
//    The order is `order` unless one of the first two numbers is above 12, which settles it.
//  * Dots: D.M.YYYY (always day first), optionally followed by H:MM[:SS].
//  * Unix time: 10 digits (seconds) or 13 digits (milliseconds).
// Times without a zone are UTC. Years must have four digits.
std::optional<Instant> ParseImportDate(std::string_view text, DateOrder order);

// The stage named by a value in a stage or status column, per the rules above; `reason`
// receives the text kept as the reason for recycled and disqualified.
std::optional<Stage> StageFromImportValue(std::string_view value, const Mapping& mapping);

// Lower-cases ASCII and drops spaces, '_', '-' and '/': "Marketing Qualified Lead" and
// "marketingqualifiedlead" fold to the same key.
std::string FoldKey(std::string_view text);

// One row turned into a contact.
struct ImportedContact {
  Contact contact;  // email normalised; ids unset
  std::optional<Instant> created_at;
  std::string company_name;  // as in the file, trimmed
  std::string owner;         // as in the file, trimmed: an email or a name
  int owner_column = -1;
  std::optional<Stage> stage;  // the current stage the file gives
  std::string stage_reason;    // for recycled or disqualified
  // Dated milestones on the main path (lead .. customer), in path order.
  std::vector<std::pair<Stage, Instant>> milestones;
  std::vector<int> filled_columns;  // columns whose value went into the contact
  // The consent columns that said yes (ParseConsentCell), in column order: each records one
  // consent for its purpose (docs/privacy.md). A no or an empty cell records nothing.
  struct GivenConsent {
    int column = -1;
    std::string purpose;  // never empty: the column's, or kDefaultConsentPurpose
  };
  std::vector<GivenConsent> consents;
};

struct CellError {
  int column = -1;  // 0-based; -1 when about the whole row
  std::string reason;
};

// Converts one row. On failure returns nothing and appends at least one error to `errors`;
// every cell problem of the row is reported, not only the first (a consent cell that is
// neither a yes nor a no value is one).
std::optional<ImportedContact> ConvertRow(const Mapping& mapping,
                                          const std::vector<std::string_view>& cells,
                                          std::vector<CellError>& errors);

// The contact fields an import writes onto a stored contact: each non-empty imported value
// replaces the stored one; empty cells never erase. Returns whether anything changed.
bool MergeInto(Contact& stored, const ImportedContact& imported);

// The stage history rows an imported contact adds, and the stage it ends in.
//  * A new contact (`current` empty): its milestones in path order, then the file's stage
//    when it lies further (a side exit comes last, with its reason). A milestone dated before
//    the one before it takes that one's date, so the history stays in order. Without any
//    milestone the contact enters the file's stage (lead when none) at `created_at`, or at
//    `now` when the file has no creation date.
//  * A stored contact at `current` (entered at `current_at`): only the moves the lifecycle
//    allows from where it stands are kept (never backward on the main path); each is dated no
//    earlier than the stored stage's entry.
// Every row has cause "import" and the given actor.
struct StagePlan {
  Stage stage = Stage::kLead;
  Instant entered_at{};
  std::vector<StageChange> changes;  // contact_id left 0
};
StagePlan PlanStages(const ImportedContact& imported, std::optional<Stage> current,
                     Instant current_at, Instant now, const Actor& actor);

// ---------------------------------------------------------------------------------------------
// Import jobs and their report.

enum class JobStatus : std::uint8_t { kQueued, kRunning, kSucceeded, kFailed };
std::string_view ToString(JobStatus s);
std::optional<JobStatus> JobStatusFromString(std::string_view text);

// What an import did, row by row:
//  * rows: data rows read (blank lines not counted);
//  * created / updated: contacts inserted / changed (fields or stage history);
//  * unchanged: rows whose contact already held everything the row says;
//  * skipped: rows not imported because of an error (each has at least one error issue);
//  * errors / warnings: issues of each severity (a warning, such as an owner nobody matches,
//    does not stop the row).
struct ImportCounts {
  std::int64_t rows = 0;
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t skipped = 0;
  std::int64_t errors = 0;
  std::int64_t warnings = 0;
};

struct ImportIssue {
  std::int64_t row = 0;   // spreadsheet row: 1 is the header
  std::int64_t line = 0;  // line of the file where the row starts
  std::string column;     // the header of the column, or "" for the whole row
  bool warning = false;
  std::string reason;
};

struct ImportJob {
  Id id = 0;
  JobStatus status = JobStatus::kQueued;
  std::string file_name;
  std::string preset;  // as asked, or "" for detection
  bool dry_run = false;
  std::optional<Id> created_by;
  std::int64_t bytes_total = 0;
  std::int64_t bytes_done = 0;
  ImportCounts counts;
  std::string message;  // why a failed job failed; the detected preset once running
  Instant created_at{};
  std::optional<Instant> started_at;
  std::optional<Instant> finished_at;
};

}  // namespace tandem::core::imports
