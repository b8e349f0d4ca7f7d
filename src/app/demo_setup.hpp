// What the demo company has agreed on, set up through the services after GenerateDemo loaded
// its people and history: the two personas (signed off by the heads of marketing and sales),
// the scoring rules with the MQL rule, and the smarketing contract of docs/examples/contract.toml
// (activated on behalf of the head of revenue and acknowledged by the three heads of its parties).
//
// Everything goes through the same use cases a user would call, so it is validated, versioned
// and audited like any change; the rules change queues the usual re-score job, which the server
// runs in the background to compute every contact's fit and grade. Engagement starts at zero
// (the history holds no tracked events), so the job qualifies nobody by itself.
#pragma once
#include <string>
#include <string_view>
#include <vector>
#include "app/services.hpp"
#include "core/error.hpp"

namespace tandem::app {

// The text of docs/examples/contract.toml, embedded at build time.
std::string_view ExampleContract();

struct DemoSetup {
  std::vector<std::string> personas;  // keys, each signed off by both heads
  int rules_version = 0;
  std::string mql_rule;
  core::Id contract_version = 0;
  std::string contract_name;
  std::vector<std::string> acknowledged_by;  // emails of the heads who acknowledged it
};

// Fails with kFailedPrecondition when the demo's people are missing (run GenerateDemo first).
core::Result<DemoSetup> ConfigureDemo(Services& services);

std::string Describe(const DemoSetup& setup);

}  // namespace tandem::app
