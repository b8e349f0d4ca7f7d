#include "core/lifecycle.hpp"

#include <algorithm>

namespace tandem::core {
namespace {

// Position on the main path; recycled ranks as a lead that can qualify again.
int Rank(Stage s) {
  switch (s) {
    case Stage::kVisitor: return 0;
    case Stage::kLead: return 1;
    case Stage::kMql: return 2;
    case Stage::kSal: return 3;
    case Stage::kSql: return 4;
    case Stage::kOpportunity: return 5;
    case Stage::kCustomer: return 6;
    case Stage::kRecycled: return 1;
    case Stage::kDisqualified: return -1;
  }
  return -1;
}

std::string Trim(std::string s) {
  auto not_space = [](unsigned char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r'; };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

}  // namespace

std::string_view ToString(Stage s) {
  switch (s) {
    case Stage::kVisitor: return "visitor";
    case Stage::kLead: return "lead";
    case Stage::kMql: return "mql";
    case Stage::kSal: return "sal";
    case Stage::kSql: return "sql";
    case Stage::kOpportunity: return "opportunity";
    case Stage::kCustomer: return "customer";
    case Stage::kRecycled: return "recycled";
    case Stage::kDisqualified: return "disqualified";
  }
  return "lead";
}

std::optional<Stage> StageFromString(std::string_view text) {
  for (Stage s : kAllStages) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

bool IsMainPath(Stage s) { return s != Stage::kRecycled && s != Stage::kDisqualified; }

bool RequiresReason(Stage to) { return to == Stage::kRecycled || to == Stage::kDisqualified; }

bool IsAllowedTransition(Stage from, Stage to) {
  if (from == to) return false;
  if (from == Stage::kCustomer) return false;
  if (from == Stage::kDisqualified) return to == Stage::kLead;
  if (to == Stage::kDisqualified) return true;
  if (to == Stage::kRecycled) {
    return from != Stage::kVisitor && from != Stage::kRecycled;
  }
  if (from == Stage::kRecycled) return Rank(to) >= Rank(Stage::kMql);
  return Rank(to) > Rank(from);
}

std::vector<Stage> AllowedTransitions(Stage from) {
  std::vector<Stage> out;
  for (Stage to : kAllStages) {
    if (IsAllowedTransition(from, to)) out.push_back(to);
  }
  return out;
}

Result<StageChange> PlanTransition(std::int64_t contact_id, Stage from, Stage to, Instant now,
                                   Actor actor, std::string cause, std::string reason) {
  if (!IsAllowedTransition(from, to)) {
    std::string allowed;
    for (Stage s : AllowedTransitions(from)) {
      if (!allowed.empty()) allowed += ", ";
      allowed += ToString(s);
    }
    std::string msg = "cannot move a contact from " + std::string(ToString(from)) + " to " +
                      std::string(ToString(to));
    msg += allowed.empty() ? "; " + std::string(ToString(from)) + " is final"
                           : "; allowed next stages: " + allowed;
    return Fail(Error::Precondition(std::move(msg), "stage"));
  }
  reason = Trim(std::move(reason));
  if (RequiresReason(to) && reason.empty()) {
    return Fail(Error::Invalid("reason", "a reason is required to move a contact to " +
                                             std::string(ToString(to))));
  }
  StageChange change;
  change.contact_id = contact_id;
  change.from = from;
  change.to = to;
  change.at = now;
  change.actor = std::move(actor);
  change.cause = cause.empty() ? "manual" : std::move(cause);
  change.reason = std::move(reason);
  return change;
}

}  // namespace tandem::core

namespace tandem::core {

std::optional<Stage> StageAfterDealEvent(Stage current, DealEvent event) {
  Stage target = event == DealEvent::kCreated ? Stage::kOpportunity : Stage::kCustomer;
  if (current == Stage::kDisqualified) return std::nullopt;
  if (!IsAllowedTransition(current, target)) return std::nullopt;
  return target;
}

}  // namespace tandem::core
