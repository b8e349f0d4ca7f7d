// Privacy storage (docs/privacy.md, migration 0018): consents per contact, the export of every
// record naming a contact, erasure to an anonymous tombstone, and the purge of old events.
//
// A capability of a backend's transactions besides store::Tx, reached with PrivacyOf(tx), as
// bulk mode is (store/bulk.hpp): only callers that deal with personal data depend on it (and
// adding it rebuilt no caller of store.hpp). IdentityRepo::MoveRecords also moves the consents on
// backends that have it.
//
// Contract (tests/store/store_contract.hpp runs it on every backend):
//  * InsertConsent returns the new id; kInvalidArgument (field "contact_id") for an unknown
//    contact. ListConsents is the contact's consents, oldest first.
//  * WithdrawConsent stamps withdrawn_at and withdrawn_by; kNotFound for an unknown id,
//    kFailedPrecondition when the consent was already withdrawn (the first stamp stays).
//  * Export returns one RecordTable per table that can name a contact, in a fixed order, the
//    empty ones included; the contact row itself is left to the caller (ContactRepo::Get).
//    TablesNamingContacts lists the schema's tables with a contact_id column: every one of them
//    is in Export's tables (the contract test fails when a new one is forgotten).
//  * Erase empties the contact's personal fields, gives it the tombstone email
//    (core::TombstoneEmail), marks it erased and drops it from text search; deletes its
//    identities, consents and events (keeping campaign touches stripped of everything
//    personal, so attribution counts stay), empties its form posts' values, its activities'
//    subject and body, the titles of its deals, and the outbox messages, deliveries,
//    notifications and audit values that name it. Stage history, reach, scores, deals'
//    amounts, assignments and SLA clocks stay (the reports count them). kNotFound for an unknown
//    contact, kFailedPrecondition for one already erased.
//  * IsErased says whether the contact was erased (false for an unknown id).
//  * CountEventsBefore / DeleteEventsBefore count and delete events with occurred_at < `before`
//    (oldest first; returns how many went): at most `limit` per call, except that a backend
//    keeping events in monthly partitions (PostgreSQL) drops a month wholly before `before` at
//    once, whatever it holds. Either way a call that removes fewer than `limit` left none.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/privacy.hpp"
#include "store/not_ported.hpp"
#include "store/store.hpp"

namespace tandem::store {

class PrivacyRepo {
 public:
  virtual ~PrivacyRepo() = default;
  virtual core::Result<core::Id> InsertConsent(const core::Consent& c) = 0;
  virtual core::Result<std::optional<core::Consent>> GetConsent(core::Id id) = 0;
  virtual core::Result<std::vector<core::Consent>> ListConsents(core::Id contact_id) = 0;
  virtual core::Result<void> WithdrawConsent(core::Id id, core::Instant at,
                                             std::optional<core::Id> by) = 0;

  virtual core::Result<core::PersonalRecords> Export(core::Id contact_id) = 0;
  virtual core::Result<std::vector<std::string>> TablesNamingContacts() = 0;

  virtual core::Result<core::ErasureCounts> Erase(core::Id contact_id, core::Instant at) = 0;
  virtual core::Result<bool> IsErased(core::Id contact_id) = 0;

  virtual core::Result<std::int64_t> CountEventsBefore(core::Instant before) = 0;
  virtual core::Result<std::int64_t> DeleteEventsBefore(core::Instant before, int limit) = 0;
};

// Implemented by the transactions of backends that have the privacy repository.
class PrivacyTx {
 public:
  virtual ~PrivacyTx() = default;
  virtual PrivacyRepo& privacy() = 0;
};

// The privacy repository of `tx`, valid during the transaction. On a backend without it, throws
// NotPortedError naming it, as the accessors of repositories not ported yet do
// (store/not_ported.hpp: the backend's Write and Read answer kUnavailable with the reason).
inline PrivacyRepo& PrivacyOf(Tx& tx) {
  auto* p = dynamic_cast<PrivacyTx*>(&tx);
  if (p == nullptr) {
    throw NotPortedError(
        "the privacy repository is not available on this database backend yet (docs/postgres.md)");
  }
  return p->privacy();
}

}  // namespace tandem::store
