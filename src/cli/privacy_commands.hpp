// `tandem privacy export | erase | purge-events` (docs/privacy.md): what the admin API does,
// run by the operator on the database. Kept apart from cli.cpp.
#pragma once

#include <memory>
#include <optional>
#include <ostream>

namespace CLI {
class App;
}

namespace tandem::cli {

class PrivacyCommands {
 public:
  // Adds the subcommands to `app`.
  explicit PrivacyCommands(CLI::App& app);
  ~PrivacyCommands();
  PrivacyCommands(const PrivacyCommands&) = delete;
  PrivacyCommands& operator=(const PrivacyCommands&) = delete;

  // After parsing: the exit code when one of these subcommands was chosen, nothing otherwise.
  std::optional<int> Run(std::ostream& out, std::ostream& err) const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace tandem::cli
