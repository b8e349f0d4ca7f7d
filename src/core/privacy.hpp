// Privacy (docs/privacy.md): consent recorded per contact, the export of everything held about a
// person, erasure that keeps an anonymous tombstone, and the retention of events.
//
// A `Consent` says what a person agreed to (`purpose`, and the `text` they were shown), when,
// and where it came from: a form post, a row of a CSV import, an API call, or a user of the
// dashboard. Withdrawing it keeps the record and stamps `withdrawn_at`.
// `PersonalRecords` is what the store holds about one contact, table by table, as stored: the
// export document is built from it in the API. `ErasureCounts` says what an erasure changed.
// Pure values and checks: no I/O, no clock (callers pass `now`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "core/model.hpp"
#include "core/time.hpp"

namespace tandem::core {

enum class ConsentSource : std::uint8_t { kForm, kImport, kApi, kUser };
std::string_view ToString(ConsentSource s);
std::optional<ConsentSource> ConsentSourceFromString(std::string_view text);

inline constexpr std::size_t kMaxConsentPurpose = 200;
inline constexpr std::size_t kMaxConsentText = 4000;

struct Consent {
  Id id = 0;
  Id contact_id = 0;
  std::string purpose;  // what for: "newsletter", "form: Webinar signup"; 1..200 characters
  std::string text;     // the wording shown when it was given, as shown (may be empty)
  ConsentSource source = ConsentSource::kApi;
  std::optional<Id> form_id;               // kForm: the form
  std::optional<Id> submission_id;         // kForm: the form post
  std::optional<Id> import_job_id;         // kImport: the import job
  std::optional<std::int64_t> import_row;  // kImport: the row, as a spreadsheet counts (1 = header)
  std::optional<Id> recorded_by;           // kApi, kUser: the user who recorded it
  Instant given_at{};
  std::optional<Instant> withdrawn_at;
  std::optional<Id> withdrawn_by;  // the user who recorded the withdrawal, if a user did
};

// A consent as given through the API or the dashboard: purpose required (1..200 characters),
// text at most 4000 bytes. kInvalidArgument naming the field otherwise.
Result<void> ValidateConsent(const Consent& c);

// The values a CSV column mapped to consent accepts (case and surrounding spaces ignored):
// "yes", "y", "true", "1", "granted", "opt-in", "opt in", "opted in", "opted-in" give consent;
// "no", "n", "false", "0", "denied", "opt-out", "opt out", "opted out", "opted-out" and the
// empty cell record nothing. Anything else is an error for the row.
Result<bool> ParseConsentCell(std::string_view cell);

// One stored value: NULL, an integer, a real or text.
using StoredValue = std::variant<std::monostate, std::int64_t, double, std::string>;

// The rows of one table that name a contact, with their columns as stored.
struct RecordTable {
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::vector<StoredValue>> rows;
};

struct PersonalRecords {
  std::vector<RecordTable> tables;  // every table that can name a contact, empty ones included
};

// What one erasure changed (docs/privacy.md, "Erasure").
struct ErasureCounts {
  std::int64_t events_deleted = 0;
  std::int64_t events_kept_anonymous = 0;  // campaign touches kept for attribution
  std::int64_t identities = 0;
  std::int64_t consents = 0;
  std::int64_t form_posts = 0;
  std::int64_t activities = 0;
  std::int64_t deals = 0;
  std::int64_t outbox_messages = 0;
  std::int64_t deliveries = 0;
  std::int64_t notifications = 0;
  std::int64_t audit_changes = 0;
};

// The email a tombstone carries instead of the person's ("erased-42@erased.invalid": the
// .invalid domain can never be a real address, RFC 2606).
std::string TombstoneEmail(Id contact_id);
bool IsTombstoneEmail(std::string_view email);

// The start of event retention: events that occurred before `now` minus `months` calendar months
// (UTC) are purged. `months` is 1..1200.
Result<Instant> RetentionCutoff(Instant now, int months);

}  // namespace tandem::core
