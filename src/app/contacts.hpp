// Contact use cases: create, read, update, delete, list, move through the lifecycle, and the
// timeline. Every change is checked against the caller's role, validated by the core, written
// with its stage history and audit entry in one transaction.
// Thread-safety: stateless apart from its references; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/observers.hpp"
#include "app/patches.hpp"
#include "base/clock.hpp"
#include "core/audit.hpp"
#include "core/permissions.hpp"
#include "core/query.hpp"
#include "store/store.hpp"

namespace tandem::app {

using core::Principal;
using core::Result;

// One line of a contact's timeline, newest first. Exactly one of the payloads is set.
struct TimelineItem {
  core::Instant at{};
  std::string kind;  // "stage_change", "activity", "deal", "event"
  std::optional<core::StageChange> stage_change;
  std::optional<core::Activity> activity;
  std::optional<core::Deal> deal;
  std::optional<core::Event> event;
};

// The timeline shows a contact's latest tracking events, not all of them (GET
// /contacts/{id}/events lists more).
inline constexpr int kTimelineEvents = 100;

class ContactService {
 public:
  ContactService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}
  // Called inside the transaction of every create and update (set once, before use).
  void SetObserver(RecordObserver* observer) { observer_ = observer; }
  // Told of every manual stage change, in its transaction (set once, before use).
  void SetHandoff(HandoffObserver* handoff) { handoff_ = handoff; }

  // `draft.stage` is the first stage (default lead); it is recorded in the stage history with
  // cause "created". A sales rep's contact is owned by the rep unless another owner is given
  // (which a rep may not do).
  Result<core::Contact> Create(const Principal& p, core::Contact draft);
  Result<core::Contact> Get(const Principal& p, Id id);
  Result<core::Contact> Update(const Principal& p, Id id, const ContactPatch& patch);
  Result<void> Delete(const Principal& p, Id id);
  Result<core::Page<core::Contact>> List(const Principal& p, const core::ContactQuery& q);
  // Contacts per stage now, every stage of core::kAllStages in its order (zero when empty).
  Result<std::vector<std::pair<core::Stage, std::int64_t>>> CountByStage(const Principal& p);
  // Before a CSV export of a list (GET /contacts/export.csv): checks the caller reads contacts
  // and records in the audit log who exported which filter (entity "contacts_export", the
  // caller's user id, action create, one change "filter" with the query string). The rows are
  // then read page by page through List.
  Result<void> RecordExport(const Principal& p, const std::string& filter);
  // A manual lifecycle transition (POST /contacts/{id}/stage).
  Result<core::Contact> ChangeStage(const Principal& p, Id id, core::Stage to, std::string reason);
  Result<std::vector<core::StageChange>> History(const Principal& p, Id id);
  Result<std::vector<TimelineItem>> Timeline(const Principal& p, Id id);
  // The contact's tracking events, newest first, at most `limit` (1..500).
  Result<std::vector<core::Event>> Events(const Principal& p, Id id, int limit);

 private:
  store::Store& store_;
  const base::Clock& clock_;
  RecordObserver* observer_ = nullptr;
  HandoffObserver* handoff_ = nullptr;
};

// Normalises the fields a person may type loosely (email, country) in place.
Result<void> NormalizeContact(core::Contact& c);

// Moves `contact` to `to` inside an open write transaction: plans with the core, updates the
// row, appends history and audit. Shared by every use case that moves a lifecycle. A move into
// mql keeps the lead's quality: `quality` when the caller scored it just now (the MQL rule),
// else the contact's stored score (none yet: filled when it is first scored).
Result<core::StageChange> ApplyTransition(store::Tx& tx, core::Contact& contact, core::Stage to,
                                          core::Instant now, const core::Actor& actor,
                                          std::string cause, std::string reason,
                                          std::optional<core::MqlQuality> quality = std::nullopt);

}  // namespace tandem::app
