// The contract file: TOML text -> a validated core::Contract, or every problem found in it.
//
// The format is documented in docs/contract.md and shown by docs/examples/contract.toml.
// Parsing is strict: unknown keys, wrong types, values out of range, impossible hours
// (18:00-09:00 unless the calendar says `overnight = true`), unknown time zones, overlapping
// territories, rejection reason codes used but not defined, KPI weights not summing to 100 and
// the like are each reported with the line and column of the offending key or value. All
// problems are collected, not only the first, so `tandem contract check` shows them at once.
//
// toml++ stays behind this interface (the core holds only the validated model). Parsing a
// string does no I/O except the time-zone lookup, which reads the system tz database through
// base::LocateZone. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/contract.hpp"

namespace tandem::app {

struct ContractIssue {
  int line = 0;    // 1-based; 0 when the problem is about the whole document
  int column = 0;  // 1-based
  std::string message;
};

using ContractParse = tl::expected<core::Contract, std::vector<ContractIssue>>;

// Problems come sorted by position.
[[nodiscard]] ContractParse ParseContract(std::string_view toml_text);

// "FILE:line:col: message", one line per issue.
std::string FormatIssues(std::string_view file, const std::vector<ContractIssue>& issues);

// SHA-256 (hex) of the contract's meaning (FlattenContract): comments, key order and layout
// do not change it; any change of a term does.
std::string ContractHash(const core::Contract& c);

}  // namespace tandem::app
