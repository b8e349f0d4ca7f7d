#include "app/import_preview.hpp"

#include "core/csv.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Result;

Result<ImportPreview> PreviewImport(const core::Principal& p, std::string_view head, bool partial,
                                    std::optional<core::imports::Preset> preset,
                                    const core::imports::MappingOverrides& overrides,
                                    std::size_t max_rows) {
  TANDEM_TRY(AuthorizeImport(p));
  ImportPreview out;
  std::optional<std::vector<std::string>> header;
  std::string header_problem;
  // Records up to the first max_rows. Of a partial head, what only the end of the input
  // completes (a last line without its ending, a quote still open) is left out: the rest of
  // that row is in the part not sent.
  core::csv::Reader reader;
  std::vector<std::vector<std::string>> rows;
  bool finishing = false;
  core::csv::RecordSink sink = [&](const core::csv::Record& r) -> Result<void> {
    if (!header) {
      header_problem = r.problem;
      header.emplace(r.fields.begin(), r.fields.end());
      return {};
    }
    if (r.blank || rows.size() >= max_rows) return {};
    if (finishing && partial) return {};
    rows.emplace_back(r.fields.begin(), r.fields.end());
    return {};
  };
  TANDEM_TRY(reader.Feed(head, sink));
  finishing = true;
  if (auto done = reader.Finish(sink); !done && !header) return Fail(done.error());
  if (!header) return Fail(Error::Invalid("file", "the file is empty: no header line"));
  if (!header_problem.empty()) {
    return Fail(Error::Invalid("file", "the header line: " + header_problem));
  }
  std::vector<std::string_view> names(header->begin(), header->end());
  TANDEM_ASSIGN(out.mapping, core::imports::MapColumns(names, preset, overrides, &out.overridden));
  if (auto built = core::imports::BuildMapping(names, preset, overrides); !built) {
    out.problem = built.error().message;
  }
  out.delimiter = reader.delimiter() ? reader.delimiter() : ',';
  out.rows = std::move(rows);
  return out;
}

}  // namespace tandem::app
