// Privacy use cases (docs/privacy.md): consent per contact, the export of everything held about a
// person, erasure to an anonymous tombstone, and the purge of events past their retention.
//
// Consents: whoever may edit a contact records and withdraws its consents; whoever reads it
// reads them. Export, erasure and the purge are for admins only (an API key also needs the admin
// scope); the command line runs them as the operator. Every one of them is written to the audit
// log in its transaction, naming the contact by id only (never the erased data).
// It holds only the store and the clock, so it is built where it is used (the API's privacy
// routes, the privacy commands, the server's retention job) rather than in app::Services.
// Thread-safety: stateless apart from its references; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "core/permissions.hpp"
#include "core/privacy.hpp"
#include "store/store.hpp"

namespace tandem::app {

using core::Principal;
using core::Result;

// Everything held about one person (GET /api/v1/privacy/export, `tandem privacy export`).
struct PersonalData {
  core::Instant exported_at{};
  std::string email;  // as asked for, normalised
  core::Contact contact;
  std::optional<std::string> company;  // the company's name
  std::vector<core::Consent> consents;
  core::PersonalRecords records;  // every other table naming the contact, as stored
};

struct ErasureResult {
  core::Id contact_id = 0;
  core::Instant erased_at{};
  core::ErasureCounts counts;
};

struct PurgeResult {
  core::Instant cutoff{};   // events that occurred before it were (or would be) purged
  std::int64_t events = 0;  // how many
  bool dry_run = false;
};

// Events deleted per write transaction by a purge: the writer is never held for long.
inline constexpr int kPurgeBatch = 10'000;

class PrivacyService {
 public:
  PrivacyService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}

  Result<std::vector<core::Consent>> Consents(const Principal& p, core::Id contact_id);
  // Records a consent given, through the API (an API key) or by a user of the dashboard (a
  // session): source, recorded_by and given_at (unless set) are filled in here.
  Result<core::Consent> RecordConsent(const Principal& p, core::Id contact_id, core::Consent draft);
  // kNotFound when the consent is not the contact's; kFailedPrecondition when already withdrawn.
  Result<core::Consent> WithdrawConsent(const Principal& p, core::Id contact_id,
                                        core::Id consent_id);
  // Inside an open write transaction (form posts and imports): validates and stores `c`, and
  // appends its audit entry.
  static Result<core::Id> RecordConsentIn(store::Tx& tx, const core::Consent& c,
                                          const core::Actor& actor, core::Instant now);

  // `email` as typed (kInvalidArgument "email" when malformed); a contact's former (merged)
  // email finds it too. kNotFound "nothing is held about ..." when no contact has it.
  Result<PersonalData> Export(const Principal& p, std::string_view email);
  Result<PersonalData> ExportAsOperator(std::string_view email);
  // `confirm` must repeat the email (kInvalidArgument "confirm" otherwise).
  Result<ErasureResult> Erase(const Principal& p, std::string_view email, std::string_view confirm);
  Result<ErasureResult> EraseAsOperator(std::string_view email, std::string_view confirm);
  // Purges events older than `months` (1..1200), kPurgeBatch per transaction; a dry run only
  // counts them. Run daily by `tandem serve` when a retention is set.
  Result<PurgeResult> PurgeEvents(const Principal& p, int months, bool dry_run);
  Result<PurgeResult> PurgeEventsAsOperator(int months, bool dry_run, std::string_view who);

 private:
  Result<PersonalData> DoExport(const core::Actor& actor, std::string_view email);
  Result<ErasureResult> DoErase(const core::Actor& actor, std::string_view email,
                                std::string_view confirm);
  Result<PurgeResult> DoPurge(const core::Actor& actor, int months, bool dry_run);

  store::Store& store_;
  const base::Clock& clock_;
};

}  // namespace tandem::app
