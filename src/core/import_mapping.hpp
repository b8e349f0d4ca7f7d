// The column mapping of a contact import, shown before the import runs (the dashboard's
// preview): the same decision BuildMapping takes, without refusing a file that has no email
// column, with which columns the overrides named, and the codes a column may be mapped to.
// Pure; the rules are contact_import.hpp's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/contact_import.hpp"

namespace tandem::core::imports {

// What BuildMapping decides for each header (BuildMapping is this plus the email check).
// `overridden`, when given, receives one flag per header: the overrides named it. Fails only
// for an override naming a header the file does not have.
Result<Mapping> MapColumns(const std::vector<std::string_view>& header,
                           std::optional<Preset> preset, const MappingOverrides& overrides,
                           std::vector<bool>* overridden = nullptr);
// True when some column gives the email (BuildMapping's condition).
bool HasEmailColumn(const Mapping& m);
// The code of a target as mapping files write it: "email", "custom:lead_score", "ignore".
std::string TargetCode(const ColumnTarget& t);
// Every target a column may be mapped to, as codes, in Field order (custom fields excluded).
std::vector<std::string> TargetCodes();

}  // namespace tandem::core::imports
