// `tandem views`: list, show, create and delete saved views of the leads list as a user
// (docs/dashboard.md, "Saved views"), through the same service and the same query check as the
// API, so a view made here works in the dashboard and the other way round.
#pragma once

#include <memory>
#include <optional>
#include <ostream>

namespace CLI {
class App;
}

namespace tandem::cli {

class ViewCommands {
 public:
  // Adds the subcommands to `app`.
  explicit ViewCommands(CLI::App& app);
  ~ViewCommands();
  ViewCommands(const ViewCommands&) = delete;
  ViewCommands& operator=(const ViewCommands&) = delete;

  // After parsing: the exit code when one of these subcommands was chosen, nothing otherwise.
  std::optional<int> Run(std::ostream& out, std::ostream& err) const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace tandem::cli
