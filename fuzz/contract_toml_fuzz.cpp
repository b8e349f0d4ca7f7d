// Fuzz target: the contract file reader (app::ParseContract: toml++, then every term checked,
// the MQL rule parsed, the calendar's time zone looked up). The input is the TOML text.
// Besides the sanitizers: a contract that parses has a hash and no difference with itself, and
// a refused one comes with at least one issue, each with a message and a position that is not
// negative.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "app/contract_file.hpp"

namespace {
[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "contract fuzz: %s\n", what);
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = tandem::app::ParseContract(text);
  if (parsed) {
    if (tandem::app::ContractHash(*parsed).size() != 64) Fail("a hash that is not SHA-256 hex");
    if (!tandem::core::DiffContracts(*parsed, *parsed).empty())
      Fail("a contract differs from itself");
    return 0;
  }
  if (parsed.error().empty()) Fail("refused without an issue");
  for (const auto& issue : parsed.error()) {
    if (issue.message.empty() || issue.line < 0 || issue.column < 0) Fail("a malformed issue");
  }
  (void)tandem::app::FormatIssues("contract.toml", parsed.error());
  return 0;
}
