#include "core/handoff.hpp"

#include <array>

namespace tandem::core {
namespace {

constexpr std::array<std::string_view, 6> kAssignmentStatusNames = {
    "open", "accepted", "rejected", "reassigned", "unassigned", "closed"};
constexpr std::array<std::string_view, 3> kObligationNames = {"first_touch", "attempts",
                                                              "disposition"};
constexpr std::array<std::string_view, 4> kSlaStateNames = {"open", "met", "breached", "cancelled"};

template <typename E, std::size_t N>
std::optional<E> FromNames(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view ToString(AssignmentStatus s) {
  return kAssignmentStatusNames[static_cast<std::size_t>(s)];
}
std::optional<AssignmentStatus> AssignmentStatusFromString(std::string_view text) {
  return FromNames<AssignmentStatus>(kAssignmentStatusNames, text);
}
std::string_view ToString(SlaObligation o) {
  return kObligationNames[static_cast<std::size_t>(o)];
}
std::optional<SlaObligation> SlaObligationFromString(std::string_view text) {
  return FromNames<SlaObligation>(kObligationNames, text);
}
std::string_view ToString(SlaState s) {
  return kSlaStateNames[static_cast<std::size_t>(s)];
}

std::vector<SlaClock> PlanSlaClocks(const SalesObligations& sales, const BusinessCalendar& calendar,
                                    Instant assigned_at) {
  std::vector<SlaClock> out;
  auto add = [&](SlaObligation o, Instant due, int target) {
    SlaClock c;
    c.obligation = o;
    c.started_at = assigned_at;
    c.due_at = due;
    c.target = target;
    out.push_back(c);
  };
  if (sales.first_touch_hours > 0) {
    add(SlaObligation::kFirstTouch,
        calendar.Add(assigned_at, std::chrono::hours(sales.first_touch_hours)), 1);
  }
  if (sales.attempts > 0 && sales.attempts_within_days > 0) {
    add(SlaObligation::kAttempts, calendar.AddBusinessDays(assigned_at, sales.attempts_within_days),
        sales.attempts);
  }
  if (sales.disposition_days > 0) {
    add(SlaObligation::kDisposition, calendar.AddBusinessDays(assigned_at, sales.disposition_days),
        1);
  }
  return out;
}

std::vector<SlaEscalation> PlanEscalations(const std::vector<EscalationStep>& chain,
                                           const BusinessCalendar& calendar, Instant breached_at) {
  std::vector<SlaEscalation> out;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    SlaEscalation e;
    e.step = static_cast<int>(i);
    e.action = chain[i].action;
    e.due_at = calendar.Add(breached_at, std::chrono::hours(chain[i].after_hours));
    out.push_back(e);
  }
  return out;
}

bool IsTouch(ActivityType t) {
  return t == ActivityType::kCall || t == ActivityType::kEmail || t == ActivityType::kMeeting;
}

}  // namespace tandem::core
