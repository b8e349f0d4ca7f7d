// `tandem backup` and `tandem restore`: an online copy of the database while the server runs,
// and putting such a copy back while it does not (docs/reliability.md). Kept apart from cli.cpp.
#pragma once

#include <memory>
#include <optional>
#include <ostream>

namespace CLI {
class App;
}

namespace tandem::cli {

class BackupCommands {
 public:
  // Adds the subcommands to `app`.
  explicit BackupCommands(CLI::App& app);
  ~BackupCommands();
  BackupCommands(const BackupCommands&) = delete;
  BackupCommands& operator=(const BackupCommands&) = delete;

  // After parsing: the exit code when one of these subcommands was chosen, nothing otherwise.
  std::optional<int> Run(std::ostream& out, std::ostream& err) const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace tandem::cli
