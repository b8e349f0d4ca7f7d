// The dashboard's import preview (POST /api/v1/imports/preview, docs/import.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/importer.hpp"
#include "core/import_mapping.hpp"

namespace tandem::app {

// How an import would read a file, from its first bytes: the mapping the importer itself
// builds (the same core::imports::MapColumns under BuildMapping, so what is shown is what is
// applied), the delimiter, and the first rows' cells as samples.
struct ImportPreview {
  core::imports::Mapping mapping;
  std::vector<bool> overridden;  // one per header: the `mapping` overrides named it
  char delimiter = ',';
  std::vector<std::vector<std::string>> rows;  // the first max_rows data rows
  // Why the import would fail as a whole with this mapping (no column gives the email), as
  // BuildMapping says it; empty when it would run.
  std::string problem;
};
inline constexpr std::size_t kPreviewRows = 5;
// `head` is the file, or with `partial` only its start (which may stop in the middle of a row:
// a row the end of `head` cuts off is left out). Errors: not allowed to import; no header
// line; an unreadable header (not UTF-8, UTF-16...); an override naming a column the file does
// not have (field "mapping").
core::Result<ImportPreview> PreviewImport(const core::Principal& p, std::string_view head,
                                          bool partial, std::optional<core::imports::Preset> preset,
                                          const core::imports::MappingOverrides& overrides,
                                          std::size_t max_rows = kPreviewRows);

}  // namespace tandem::app
