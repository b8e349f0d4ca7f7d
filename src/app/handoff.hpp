// The handoff from marketing to sales (docs/handoff.md): routing each new MQL to a rep, the
// rep's acceptance or rejection, first touch and attempts, SLA clocks and their breaches and
// escalations.
//
// * Routing runs inside the transaction that makes the contact an MQL (scoring's automatic
//   MQL, or a manual stage change), through `HandoffObserver::OnStageChanged`: the contract
//   in force gives the routing terms, the store gives the live roster (users, teams, absences,
//   open leads, the company's owner) and the persisted routing state; the decision is stored
//   as an `Assignment` (with the rule, the contract version, and the system latency), the
//   contact gets its owner, and the contract's sales obligations start their `SlaClock`s.
//   A lead nobody can take is stored as an unassigned assignment with the reason.
// * `Accept` (-> sal) and `Reject` (reason code of the contract -> recycled or disqualified)
//   are allowed to the owner and to managers and admins; the lead must be an MQL.
// * The owner's calls, emails and meetings after the assignment are the first touch and the
//   attempts; each meets its clock in the same transaction.
// * `Fire` is what the SLA scheduler (jobs/sla_scheduler.hpp) calls at a due time: a clock
//   still open is breached (at its due time exactly) and the contract's escalation chain is
//   planned; an escalation step runs (notify the owner, reassign, notify the manager) and is
//   recorded. The scheduler learns new due times through `SlaDueListener`.
// * Notifications (lead.assigned, lead.accepted, lead.rejected, sla.breached, sla.escalated)
//   go to a `HandoffNotifier` inside the same transaction.
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/observers.hpp"
#include "base/clock.hpp"
#include "core/handoff.hpp"
#include "core/permissions.hpp"
#include "core/routing.hpp"
#include "store/store.hpp"

namespace tandem::app {

using core::Id;
using core::Principal;
using core::Result;

// What the scheduler keeps in its heap: a clock's due time or an escalation step's.
enum class DueKind : std::uint8_t { kClock, kEscalation };

class SlaDueListener {
 public:
  virtual ~SlaDueListener() = default;
  // A due time was stored (it may still roll back: the scheduler re-reads the row when due).
  virtual void OnDue(DueKind kind, store::DueItem item) = 0;
};

// A notification of the handoff, written inside the transaction of the change.
struct HandoffEvent {
  std::string type;  // "lead.assigned", "lead.accepted", "lead.rejected", "sla.breached", ...
  Id contact_id = 0;
  std::optional<Id> recipient_id;  // the user to tell (owner, manager), when there is one
  core::Instant at{};
  std::vector<std::pair<std::string, std::string>> fields;  // type-specific data, as text
};

class HandoffNotifier {
 public:
  virtual ~HandoffNotifier() = default;
  virtual Result<void> Publish(store::Tx& tx, const HandoffEvent& e) = 0;
};

// Where an open clock stands at `as_of` on its owner's business calendar: what a live
// countdown needs without the calendar. `remaining` is business time from `as_of` to the due
// time (negative once overdue); `counting` says whether business time is passing now (the
// calendar is open); `changes_at` is when that flips (the close of the current interval, or
// the next opening), empty when it does not flip before the due time or within a week.
struct ClockTiming {
  core::BusinessDuration remaining{0};
  bool counting = false;
  std::optional<core::Instant> changes_at;
};

// A contact's handoff: every assignment (newest first), its clocks and their escalations.
struct HandoffView {
  std::vector<core::Assignment> assignments;
  std::vector<core::SlaClock> clocks;  // by id
  std::vector<core::SlaEscalation> escalations;
  core::Instant as_of{};
  std::map<Id, ClockTiming> timings;  // of the open clocks, by clock id
};

// The timing of a clock due at `due` on `calendar`, at `now`.
ClockTiming TimeClock(const core::BusinessCalendar& calendar, core::Instant due, core::Instant now);

struct DistributionView {
  core::RoutingDistribution report;
  core::Instant from{};
  core::Instant to{};
  // Event to assignment, over the assigned leads of the period (milliseconds).
  std::optional<std::int64_t> system_latency_p50_ms;
  std::optional<std::int64_t> system_latency_p99_ms;
  std::optional<std::int64_t> system_latency_max_ms;
};

class HandoffService final : public HandoffObserver {
 public:
  HandoffService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}
  // Set once, before use.
  void SetDueListener(SlaDueListener* listener) { listener_ = listener; }
  void SetNotifier(HandoffNotifier* notifier) { notifier_ = notifier; }

  Result<core::Contact> Accept(const Principal& p, Id contact_id);
  // `reason` must be a rejection reason code of the contract in force (kFailedPrecondition,
  // field "reason", when missing or unknown).
  Result<core::Contact> Reject(const Principal& p, Id contact_id, std::string reason,
                               std::string note);
  Result<HandoffView> View(const Principal& p, Id contact_id);
  // Assignments made in [from, to) per rep.
  Result<DistributionView> Distribution(const Principal& p, core::Instant from, core::Instant to);
  // A rep's absences (managers and admins; a rep for themselves).
  Result<std::vector<core::DateRange>> SetAbsences(const Principal& p, Id user_id,
                                                   std::vector<core::DateRange> ranges);

  // A person's assignment of contact `c` to `owner`, inside the caller's write transaction
  // (bulk assign, app/assign.hpp). A lead in the handoff (an MQL) is recorded as a new
  // assignment with rule `manual`, as routing records its own: the open assignment (if any)
  // ends as reassigned with its clocks cancelled, the contract's clocks start for the new
  // owner on their team's calendar and lead.assigned tells them. Without a contract in force,
  // and for contacts in other stages, only the owner changes. Every owner change is audited
  // under `actor`. `owner` must be an active user (kInvalidArgument "owner_id"). Returns
  // false when nothing changed (the contact already had that owner and assignment).
  Result<bool> AssignManually(store::Tx& tx, core::Contact& c, const core::User& owner,
                              const core::Actor& actor, core::Instant now);

  // --- For the SLA scheduler. ---
  // Every open clock and pending escalation step, in due order per kind, read in pages from
  // their indexes.
  Result<void> ForEachPending(const std::function<void(DueKind, store::DueItem)>& fn,
                              int page = 10'000);
  // Acts on a due item at `now`: breaches a still-open clock due at or before `now`, or runs a
  // pending escalation step. Returns whether anything changed (false for a stale item).
  Result<bool> Fire(DueKind kind, Id id, core::Instant now);

  // HandoffObserver.
  Result<void> OnStageChanged(store::Tx& tx, core::Contact& c, const core::StageChange& change,
                              core::Instant qualified_at, core::Instant now) override;
  Result<void> OnActivityLogged(store::Tx& tx, const core::Activity& a, core::Instant now) override;
  Result<void> OnActivitiesChanged(store::Tx& tx, Id contact_id, core::Instant now) override;
  Result<bool> MayRequalify(store::Tx& tx, const core::Contact& c, core::Instant event_at,
                            core::Instant now) override;

  // The contract terms of a version, parsed once (shared between transactions).
  struct Terms;

 private:
  Result<std::shared_ptr<const Terms>> TermsOf(store::Tx& tx, Id version_id);
  Result<std::shared_ptr<const Terms>> TermsAt(store::Tx& tx, core::Instant at);
  Result<core::RoutingDecision> Decide(store::Tx& tx, const Terms& terms, const core::Contact& c,
                                       core::Instant now, std::optional<Id> exclude);
  Result<core::Assignment> Record(store::Tx& tx, const Terms* terms, core::Contact& c,
                                  const core::RoutingDecision& d, core::Instant qualified_at,
                                  core::Instant now);
  Result<void> Route(store::Tx& tx, core::Contact& c, core::Instant qualified_at,
                     core::Instant now);
  // Ends the active assignment (if any) with `status`: the disposition clock is met, the
  // other open clocks are cancelled when `cancel_rest`.
  Result<void> EndAssignment(store::Tx& tx, Id contact_id, core::AssignmentStatus status,
                             std::string reason, std::string note, bool cancel_rest,
                             core::Instant now);
  Result<core::Contact> Dispose(const Principal& p, Id contact_id,
                                std::optional<std::string> reason, std::string note);
  Result<bool> Breach(store::Tx& tx, Id clock_id, core::Instant now);
  Result<bool> Escalate(store::Tx& tx, Id escalation_id, core::Instant now);
  Result<void> Publish(store::Tx& tx, HandoffEvent e);
  void Due(DueKind kind, core::Instant due, Id id) {
    if (listener_) listener_->OnDue(kind, {due, id});
  }

  store::Store& store_;
  const base::Clock& clock_;
  SlaDueListener* listener_ = nullptr;
  HandoffNotifier* notifier_ = nullptr;
  std::mutex mu_;
  std::map<Id, std::shared_ptr<const Terms>> terms_;  // by contract version, guarded by mu_
};

}  // namespace tandem::app
