// The handoff from marketing to sales, as data: assignments of MQLs to reps, the SLA clocks
// that run on each assignment, and the escalation steps a breach sets off.
//
// An `Assignment` is one routing decision stored: who got the lead (or why nobody did), the
// rule that decided, the contract version in force, when the lead qualified and when it was
// assigned (their difference is the system latency), and what the rep did with it (first
// touch, attempts, acceptance or rejection). A contact has at most one *active* assignment
// (status open or accepted); a new one is made each time it qualifies again.
//
// An `SlaClock` is one obligation of the contract's `[sales]` section for one assignment:
// first touch within N business hours, K attempts within D business days, accept or reject
// within D business days. Its due time is computed by the business calendar of the owner's
// team in the contract; the clock records the contract version it runs under. A clock is open
// until it is met, breached (at its due time exactly) or cancelled (the obligation stopped
// mattering: the lead was rejected, or reassigned to someone else).
//
// `PlanSlaClocks` and `PlanEscalations` are the pure arithmetic; app/handoff.hpp stores the
// results and jobs/sla_scheduler.hpp acts on them. docs/handoff.md explains the decisions.
// Plain data; thread-safe to read.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/contract.hpp"
#include "core/model.hpp"
#include "core/routing.hpp"
#include "core/time.hpp"

namespace tandem::core {

enum class AssignmentStatus : std::uint8_t {
  kOpen,        // assigned, waiting for the rep's acceptance or rejection
  kAccepted,    // the rep accepted the lead (sal)
  kRejected,    // the rep rejected it with a reason (recycled or disqualified)
  kReassigned,  // escalation or a manager gave the lead to someone else
  kUnassigned,  // routing found nobody; `text` says why
  kClosed,      // the lead left the handoff some other way (a manual stage change)
};
std::string_view ToString(AssignmentStatus s);
std::optional<AssignmentStatus> AssignmentStatusFromString(std::string_view text);

struct Assignment {
  Id id = 0;
  Id contact_id = 0;
  std::optional<Id> owner_id;  // none when unassigned
  std::string owner_email;
  RoutingRule rule = RoutingRule::kUnassigned;
  std::string code;  // RoutingDecision::code ("territory:DE/round_robin")
  std::string text;  // RoutingDecision::text, for people
  std::optional<Id> contract_version_id;
  Instant qualified_at{};  // the event that made the lead an MQL
  Instant assigned_at{};   // when the assignment was stored
  AssignmentStatus status = AssignmentStatus::kOpen;
  std::optional<Instant> first_touch_at;  // the owner's first call, email or meeting
  int attempts = 0;                       // the owner's calls, emails and meetings since
  std::optional<Instant> ended_at;        // accepted, rejected, reassigned or closed
  std::string reason;                     // rejection reason code, or why it ended
  std::string note;                       // the rep's note on a rejection

  bool active() const {
    return status == AssignmentStatus::kOpen || status == AssignmentStatus::kAccepted;
  }
  // Event to assignment: Tandem's own latency.
  std::chrono::milliseconds system_latency() const { return assigned_at - qualified_at; }
};

enum class SlaObligation : std::uint8_t { kFirstTouch, kAttempts, kDisposition };
std::string_view ToString(SlaObligation o);
std::optional<SlaObligation> SlaObligationFromString(std::string_view text);

enum class SlaState : std::uint8_t { kOpen, kMet, kBreached, kCancelled };
std::string_view ToString(SlaState s);

struct SlaClock {
  Id id = 0;
  Id contact_id = 0;
  Id assignment_id = 0;
  Id owner_id = 0;
  SlaObligation obligation = SlaObligation::kFirstTouch;
  Id contract_version_id = 0;
  Instant started_at{};
  Instant due_at{};
  int target = 1;    // what meets it: 1 touch, K attempts, 1 disposition
  int progress = 0;  // how much of the target is done
  std::optional<Instant> met_at;
  std::optional<Instant> breached_at;  // always the due time: the breach happens then
  std::optional<Instant> cancelled_at;

  SlaState state() const {
    if (met_at) return SlaState::kMet;
    if (breached_at) return SlaState::kBreached;
    if (cancelled_at) return SlaState::kCancelled;
    return SlaState::kOpen;
  }
};

// One step of the contract's escalation chain, planned for a breached clock.
struct SlaEscalation {
  Id id = 0;
  Id clock_id = 0;
  int step = 0;  // index in the contract's chain
  EscalationAction action = EscalationAction::kNotifyOwner;
  Instant due_at{};
  std::optional<Instant> done_at;
  std::string outcome;  // what was done: "notified owner ana@example.com", "reassigned to ..."
};

// The clocks the contract's sales obligations start for a lead assigned at `assigned_at`,
// with due times on `calendar`: first touch after `first_touch_hours` business hours;
// `attempts` attempts by the close of the `attempts_within_days`-th business day; a
// disposition by the close of the `disposition_days`-th business day. An obligation whose
// count is 0 starts no clock. Ids, contact, assignment, owner and version are left for the
// caller.
std::vector<SlaClock> PlanSlaClocks(const SalesObligations& sales, const BusinessCalendar& calendar,
                                    Instant assigned_at);

// The escalation steps of `chain` for a clock breached at `breached_at`: each step is due
// `after_hours` business hours after the breach on `calendar`, in chain order.
std::vector<SlaEscalation> PlanEscalations(const std::vector<EscalationStep>& chain,
                                           const BusinessCalendar& calendar, Instant breached_at);

// Whether a logged activity counts as a touch: calls, emails and meetings (not notes).
bool IsTouch(ActivityType t);

}  // namespace tandem::core
