#include "core/contract_diff.hpp"

#include <map>

namespace tandem::core {

std::string_view ToString(ContractSection s) {
  switch (s) {
    case ContractSection::kClauses: return "clauses";
    case ContractSection::kPersonas: return "personas";
    case ContractSection::kSlaTargets: return "sla_targets";
    case ContractSection::kCalendar: return "calendar";
  }
  return "clauses";
}

std::string_view ToString(ContractChange::Kind k) {
  switch (k) {
    case ContractChange::Kind::kAdded: return "added";
    case ContractChange::Kind::kRemoved: return "removed";
    case ContractChange::Kind::kChanged: return "changed";
  }
  return "changed";
}

ContractSection SectionOf(std::string_view path) {
  const std::string_view head = path.substr(0, path.find('.'));
  if (head == "personas") return ContractSection::kPersonas;
  if (head == "marketing" || head == "sales") return ContractSection::kSlaTargets;
  if (head == "calendar" || head == "team_calendars") return ContractSection::kCalendar;
  return ContractSection::kClauses;
}

std::vector<ContractChange> CompareContracts(const Contract& a, const Contract& b) {
  const auto fa = FlattenContract(a);
  const auto fb = FlattenContract(b);
  std::map<std::string, std::string> mb(fb.begin(), fb.end());
  std::map<std::string, std::string> ma(fa.begin(), fa.end());
  std::vector<ContractChange> out;
  // In the order of the old contract, then what the new one adds in its own order.
  for (const auto& [path, value] : fa) {
    auto it = mb.find(path);
    if (it == mb.end()) {
      out.push_back({SectionOf(path), path, ContractChange::Kind::kRemoved, value, std::nullopt});
    } else if (it->second != value) {
      out.push_back({SectionOf(path), path, ContractChange::Kind::kChanged, value, it->second});
    }
  }
  for (const auto& [path, value] : fb) {
    if (!ma.contains(path)) {
      out.push_back({SectionOf(path), path, ContractChange::Kind::kAdded, std::nullopt, value});
    }
  }
  return out;
}

}  // namespace tandem::core
