// The differences between two contracts as data (the readable lines of DiffContracts are
// made from it): every term added, removed or changed, with the section of the contract it
// belongs to. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/contract.hpp"

namespace tandem::core {

// Where a term belongs, for showing a diff grouped the way people read the contract:
// kClauses (name, parties, objectives, the MQL rule, routing, rejection reasons, recycling,
// escalation, compensation), kPersonas (the personas targeted), kSlaTargets (what marketing and
// sales commit to: quota, quality, first touch, attempts, disposition) and kCalendar (the
// business calendar and the teams' own calendars).
enum class ContractSection { kClauses, kPersonas, kSlaTargets, kCalendar };
std::string_view ToString(ContractSection s);
ContractSection SectionOf(std::string_view path);

// One term that differs between two contracts: `before` is empty when it was added, `after`
// when it was removed; both are the values of FlattenContract.
struct ContractChange {
  enum class Kind { kAdded, kRemoved, kChanged };
  ContractSection section = ContractSection::kClauses;
  std::string path;
  Kind kind = Kind::kChanged;
  std::optional<std::string> before;
  std::optional<std::string> after;
  friend bool operator==(const ContractChange&, const ContractChange&) = default;
};
std::string_view ToString(ContractChange::Kind k);

// The same differences as DiffContracts, as data, in its order (the old contract's order, then
// what the new one adds), each with its section.
std::vector<ContractChange> CompareContracts(const Contract& a, const Contract& b);

}  // namespace tandem::core
