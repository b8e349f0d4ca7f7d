// Fuzz target: the CSV reader of contact imports (core::csv::Reader). The input's first byte
// chooses the delimiter (detected, ',', ';' or tab) and how the rest is cut into chunks; the
// rest is the file. Small limits (64-byte cells, 32 fields, a 256-byte header line) put the
// limit paths within a fuzzer's reach.
//
// Besides the sanitizers, two properties abort when broken:
//  * the records do not depend on how the input is cut: fed whole, or in the chunks the first
//    byte picks (down to one byte at a time), the reader delivers the same records, fields,
//    line numbers and problems, and the same final error;
//  * no delivered cell is longer than the limit, and record numbers count up by one.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.hpp"

namespace {

using tandem::core::Result;
namespace csv = tandem::core::csv;

constexpr csv::ReaderOptions Options(char delimiter) {
  csv::ReaderOptions o;
  o.delimiter = delimiter;
  o.max_cell_bytes = 64;
  o.max_fields = 32;
  o.max_header_bytes = 256;
  return o;
}

struct Seen {
  std::int64_t number, line;
  std::vector<std::string> fields;
  bool blank;
  std::string problem;
  int problem_column;
  bool operator==(const Seen&) const = default;
};

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "csv fuzz: %s\n", what);
  std::abort();
}

// Reads `text` in chunks of the sizes `cut` gives (0: whole), returns the records and the
// final error ("" when none).
std::pair<std::vector<Seen>, std::string> Read(std::string_view text, char delimiter,
                                               std::uint32_t cut) {
  const auto options = Options(delimiter);
  csv::Reader reader(options);
  std::vector<Seen> seen;
  auto sink = [&](const csv::Record& r) -> Result<void> {
    Seen s{r.number, r.line, {}, r.blank, r.problem, r.problem_column};
    for (auto f : r.fields) {
      if (f.size() > options.max_cell_bytes) Fail("a cell longer than max_cell_bytes");
      s.fields.emplace_back(f);
    }
    if (r.number != static_cast<std::int64_t>(seen.size()) + 1) Fail("record numbers skip");
    seen.push_back(std::move(s));
    return {};
  };
  std::string error;
  std::size_t at = 0;
  std::uint32_t state = cut;
  while (at < text.size() && error.empty()) {
    std::size_t n = text.size() - at;
    if (cut != 0) {
      state = state * 1103515245u + 12345u;
      n = std::min<std::size_t>(n, 1 + (state >> 16) % 17);
    }
    auto fed = reader.Feed(text.substr(at, n), sink);
    if (!fed) error = fed.error().message;
    at += n;
  }
  if (error.empty()) {
    auto done = reader.Finish(sink);
    if (!done) error = done.error().message;
  }
  return {std::move(seen), std::move(error)};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr char kDelimiters[] = {0, ',', ';', '\t'};
  const char delimiter = kDelimiters[data[0] & 3];
  const std::uint32_t cut = (data[0] >> 2) | 1;  // never 0: the second read is always cut
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto whole = Read(text, delimiter, 0);
  const auto pieces = Read(text, delimiter, cut);
  if (whole.second != pieces.second) {
    std::fprintf(stderr, "whole: '%s'\ncut:   '%s'\n", whole.second.c_str(), pieces.second.c_str());
    Fail("the final error depends on how the input is cut");
  }
  if (whole.first != pieces.first) Fail("the records depend on how the input is cut");
  return 0;
}
