// The contact lifecycle: stages, the transitions allowed between them, and the record kept of
// each transition.
//
// Main path, in order: visitor -> lead -> mql -> sal -> sql -> opportunity -> customer.
// Side exits: recycled (back to marketing nurture) and disqualified; both need a reason.
//
// Rules (decided here, documented in docs/lifecycle.md):
//  * On the main path a contact may move forward one or several stages (a demo request can
//    make a lead an SQL at once; a deal created makes any earlier stage an opportunity).
//    It never moves backward on the main path: going back is what `recycled` is for.
//  * lead, mql, sal, sql and opportunity may be recycled; anything before customer may be
//    disqualified. Both require a non-empty reason.
//  * A recycled contact can qualify again (-> mql or any later stage) or be disqualified.
//  * A disqualified contact can only be reopened as a lead.
//  * customer is final.
// Pure functions: no I/O, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/mql_rule.hpp"
#include "core/time.hpp"

namespace tandem::core {

enum class Stage : std::uint8_t {
  kVisitor,
  kLead,
  kMql,
  kSal,
  kSql,
  kOpportunity,
  kCustomer,
  kRecycled,
  kDisqualified,
};

inline constexpr std::array<Stage, 9> kAllStages = {
    Stage::kVisitor,     Stage::kLead,     Stage::kMql,      Stage::kSal,         Stage::kSql,
    Stage::kOpportunity, Stage::kCustomer, Stage::kRecycled, Stage::kDisqualified};

std::string_view ToString(Stage s);
std::optional<Stage> StageFromString(std::string_view text);

// True for the stages on the main path (visitor .. customer).
bool IsMainPath(Stage s);
// Whether entering `to` requires a reason (recycled, disqualified).
bool RequiresReason(Stage to);
// Whether `from -> to` is an allowed transition (a stage to itself never is).
bool IsAllowedTransition(Stage from, Stage to);
// Every stage reachable from `from` in one transition, in kAllStages order.
std::vector<Stage> AllowedTransitions(Stage from);

// Who caused a change: a user, or Tandem itself (an import, a rule, the demo generator).
struct Actor {
  std::optional<std::int64_t> user_id;  // empty for the system
  std::string name;                     // "system:demo", or the user's email for display

  static Actor System(std::string what) { return {std::nullopt, "system:" + std::move(what)}; }
  static Actor User(std::int64_t id, std::string email) { return {id, std::move(email)}; }
  bool is_system() const { return !user_id.has_value(); }
};

// One entry of a contact's append-only stage history.
// A lead's quality when it became an MQL: its grade and the persona it matched best (none when
// no persona scored above 0). SLA compliance counts marketing's quality share from it, so a lead
// graded down after the handoff still counts as it was handed over (docs/handoff.md).
struct MqlQuality {
  Grade grade = Grade::kD;
  std::optional<std::int64_t> persona_id;
  friend bool operator==(const MqlQuality&, const MqlQuality&) = default;
};

struct StageChange {
  std::int64_t id = 0;
  std::int64_t contact_id = 0;
  std::optional<Stage> from;  // empty for the first stage a contact entered
  Stage to = Stage::kLead;
  Instant at{};
  Actor actor;
  std::string cause;   // what triggered it: "manual", "deal_created", "deal_won", "import", ...
  std::string reason;  // required for recycled and disqualified; free text or a reason code
  // Moves into mql: the quality as the lead qualified. Empty on other moves, and on a move into
  // mql whose contact had no score yet (filled when it is first scored) or that was recorded
  // before Tandem kept it (compliance then reads the score as it is now).
  std::optional<MqlQuality> quality;
};

// Checks `from -> to` and builds the history entry. Errors: kFailedPrecondition naming the
// allowed next stages; kInvalidArgument (field "reason") when a required reason is missing.
Result<StageChange> PlanTransition(std::int64_t contact_id, Stage from, Stage to, Instant now,
                                   Actor actor, std::string cause, std::string reason);

}  // namespace tandem::core

namespace tandem::core {

// Deal events that move the contact's lifecycle by themselves.
enum class DealEvent : std::uint8_t { kCreated, kWon };

// The stage a deal event moves the contact to: `opportunity` on creation, `customer` on a
// win; nothing when that would not be a forward move (a customer with a new deal stays a
// customer; a disqualified contact is not reopened by a deal).
std::optional<Stage> StageAfterDealEvent(Stage current, DealEvent event);

}  // namespace tandem::core
