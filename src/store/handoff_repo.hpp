// Storage of the handoff (docs/handoff.md): assignments, the routing state, reps' absences,
// SLA clocks and escalation steps. Part of store::Tx (`tx.handoff()`); same contract as the
// other repositories (see store.hpp): kInvalidArgument naming the field for a missing
// referenced record, kNotFound for an update of a missing id, values round-trip exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/compliance.hpp"
#include "core/error.hpp"
#include "core/handoff.hpp"
#include "core/routing.hpp"

namespace tandem::store {

// A due time and the row it belongs to (a clock or an escalation step).
struct DueItem {
  core::Instant due{};
  core::Id id = 0;
  bool operator==(const DueItem&) const = default;
};

class HandoffRepo {
 public:
  virtual ~HandoffRepo() = default;

  // --- Assignments. ---
  virtual core::Result<core::Id> InsertAssignment(const core::Assignment& a) = 0;
  // Updates status, first touch, attempts, end, reason and note. kNotFound for a missing id.
  virtual core::Result<void> UpdateAssignment(const core::Assignment& a) = 0;
  virtual core::Result<std::optional<core::Assignment>> GetAssignment(core::Id id) = 0;
  // The contact's active assignment (open or accepted), the newest when several.
  virtual core::Result<std::optional<core::Assignment>> ActiveAssignment(core::Id contact_id) = 0;
  // Newest first.
  virtual core::Result<std::vector<core::Assignment>> AssignmentsForContact(
      core::Id contact_id) = 0;
  // Assignments made in [from, to), oldest first (unassigned ones included).
  virtual core::Result<std::vector<core::Assignment>> AssignmentsBetween(core::Instant from,
                                                                         core::Instant to) = 0;
  // Leads assigned to `owner_id` and not yet accepted or rejected (status open).
  virtual core::Result<int> OpenLeads(core::Id owner_id) = 0;

  // --- Routing state (round-robin cursors and weighted counters per pool). ---
  virtual core::Result<core::RoutingState> LoadRoutingState() = 0;
  // Replaces the stored state with `s`.
  virtual core::Result<void> SaveRoutingState(const core::RoutingState& s) = 0;

  // --- Reps' absences (inclusive date ranges). ---
  // Replaces the user's absences. kInvalidArgument (field "user_id") for an unknown user,
  // (field "absences") for a range that ends before it starts.
  virtual core::Result<void> SetAbsences(core::Id user_id,
                                         const std::vector<core::DateRange>& ranges) = 0;
  // By first day.
  virtual core::Result<std::vector<core::DateRange>> Absences(core::Id user_id) = 0;

  // --- SLA clocks. ---
  virtual core::Result<core::Id> InsertClock(const core::SlaClock& c) = 0;
  // Updates progress, met, breached and cancelled. kNotFound for a missing id.
  virtual core::Result<void> UpdateClock(const core::SlaClock& c) = 0;
  virtual core::Result<std::optional<core::SlaClock>> GetClock(core::Id id) = 0;
  // By id.
  virtual core::Result<std::vector<core::SlaClock>> ClocksForAssignment(core::Id assignment_id) = 0;
  virtual core::Result<std::vector<core::SlaClock>> ClocksForContact(core::Id contact_id) = 0;
  // Open clocks after the key (after.due, after.id) in (due, id) order, at most `limit`: a
  // walk of the open-clock index that reads nothing else (the scheduler's rebuild).
  virtual core::Result<std::vector<DueItem>> OpenClocksAfter(DueItem after, int limit) = 0;

  // --- Escalation steps of breached clocks. ---
  // kAlreadyExists (field "step") when the clock already has that step.
  virtual core::Result<core::Id> InsertEscalation(const core::SlaEscalation& e) = 0;
  // Updates done_at and outcome. kNotFound for a missing id.
  virtual core::Result<void> UpdateEscalation(const core::SlaEscalation& e) = 0;
  virtual core::Result<std::optional<core::SlaEscalation>> GetEscalation(core::Id id) = 0;
  // By step.
  virtual core::Result<std::vector<core::SlaEscalation>> EscalationsForClock(core::Id clock_id) = 0;
  // Steps not done yet, after the key in (due, id) order, at most `limit`.
  virtual core::Result<std::vector<DueItem>> PendingEscalationsAfter(DueItem after, int limit) = 0;

  // --- SLA compliance (core/compliance.hpp), one read each, no query per lead. ---
  // Assignments with an owner made in [from, to) (only `owner_id`'s when given), oldest first
  // (assigned_at, id), each with its first touch, attempts and the facts of its three clocks
  // (absent when the assignment has no clock of that obligation), and the owner's current
  // team name ("" for none).
  virtual core::Result<std::vector<core::ComplianceLead>> ComplianceLeads(
      core::Instant from, core::Instant to, std::optional<core::Id> owner_id) = 0;
  // Every move into `mql` recorded in [from, to) (a contact qualifying twice counts twice),
  // oldest first, with the contact's grade (A/B or not) and persona match from its score row
  // as it is now (neither when it has no score row).
  virtual core::Result<std::vector<core::MqlFact>> MqlsBetween(core::Instant from,
                                                               core::Instant to) = 0;
};

}  // namespace tandem::store
