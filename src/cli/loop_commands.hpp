// `tandem feedback` (what sales sends back, per campaign, source or persona) and, with it, the
// other commands that close the loop between the teams. Kept apart from cli.cpp: they only
// read, through the app services, and print.
#pragma once

#include <memory>
#include <optional>
#include <ostream>

namespace CLI {
class App;
}

namespace tandem::cli {

class LoopCommands {
 public:
  // Adds the subcommands to `app`.
  explicit LoopCommands(CLI::App& app);
  ~LoopCommands();
  LoopCommands(const LoopCommands&) = delete;
  LoopCommands& operator=(const LoopCommands&) = delete;

  // After parsing: the exit code when one of these subcommands was chosen, nothing otherwise.
  std::optional<int> Run(std::ostream& out, std::ostream& err) const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace tandem::cli
